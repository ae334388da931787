#!/usr/bin/env python3
"""Fails when a C++ file or .proto includes from a layer above its own.

The layers, lowest first, are the table LAYERS below: a file in a folder may
include (or import) files of its own layer and of the layers below it, never
of one above. A folder on one line shares a layer. tests/ and *_test.cc may
include anything (they put the layers together). A top-level folder that holds
C++ or .proto sources but is not in the table fails the check: adding a folder
means placing it here, in one line.

Usage: scripts/check_layering.py [--no-exceptions] [ROOT]
(ROOT defaults to the repository root). Prints one line per upward include
("file:line: ...") and exits 1; exits 0 with a one-line summary when the tree
is clean. An exception that no longer matches an include also fails, so the
list only shrinks.
"""
import os
import re
import sys

# Lowest first. Adding a top-level folder is one line here.
LAYERS = [
    ["common"],      # status macros, clock, errno/file/hex helpers
    ["ledger"],      # Merkle log, storage, signatures: no gRPC, no payloads
    ["schema"],      # signed payload protos (wire formats of entries)
    ["rules"],       # pure rules engine over schema payloads
    ["compliance"],  # verified leaves -> rules entries, findings recording
    ["index"],       # verifiable per-model index: MapFn, map/list proofs
    ["api"],         # gRPC services, server, client, validation
    ["collector"],   # node agent, spool, CUPTI/NVML sources
    ["witness"],     # tlog-witness cosigning
    ["office"],      # AI Office monitor: follows factory logs, mirrors, cosigns
    ["tools"],       # ledgerctl, compliance_check, factory_sim
]
# Folders whose files may include anything.
UNRESTRICTED = {"tests"}
# Folders that are not ours or hold no product code.
IGNORED = {"third_party", "bazel", "deploy", "docs", "scripts"}

# Known upward includes being removed, as (file, included path, why). Keep
# this empty; an entry is a debt with the work that pays it named.
EXCEPTIONS = []

SOURCE = re.compile(r"\.(cc|h|cpp|hpp|cu|cuh|proto)$")
INCLUDE = re.compile(r'^\s*(?:#\s*include|import)\s+(?:public\s+|weak\s+)?"([^"]+)"')


def layer_of():
    table = {}
    for rank, folders in enumerate(LAYERS):
        for folder in folders:
            table[folder] = rank
    return table


def source_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames
                       if not d.startswith(".") and not d.startswith("bazel-")
                       and not os.path.islink(os.path.join(dirpath, d))]
        for name in filenames:
            if SOURCE.search(name):
                yield os.path.relpath(os.path.join(dirpath, name), root)


def check(root, exceptions):
    rank = layer_of()
    unused = {(f, inc) for f, inc, _ in exceptions}
    errors = []
    checked = 0
    unknown = set()
    for path in sorted(source_files(root)):
        parts = path.split(os.sep)
        top = parts[0] if len(parts) > 1 else ""
        if top in IGNORED or top == "":
            continue
        if top not in rank and top not in UNRESTRICTED:
            unknown.add(top)
            continue
        if top in UNRESTRICTED or re.search(r"_test\.(cc|cpp)$", path):
            continue
        checked += 1
        with open(os.path.join(root, path), encoding="utf-8",
                  errors="replace") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1).split("/")[0]
                if target not in rank:
                    continue  # a system or third-party header
                if rank[target] > rank[top]:
                    if (path, m.group(1)) in unused:
                        unused.discard((path, m.group(1)))
                        continue
                    errors.append(
                        "%s:%d: %s includes \"%s\" from the higher layer %s" %
                        (path, number, top, m.group(1), target))
    for top in sorted(unknown):
        errors.append(
            "%s/: a top-level folder with sources that scripts/"
            "check_layering.py does not place; add it to LAYERS" % top)
    for f, inc in sorted(unused):
        errors.append("%s: stale exception for \"%s\" in scripts/"
                      "check_layering.py: the include is gone; delete the "
                      "entry" % (f, inc))
    return checked, errors


def main(argv):
    args = argv[1:]
    exceptions = EXCEPTIONS
    if args[:1] == ["--no-exceptions"]:
        exceptions = []
        args = args[1:]
    root = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    checked, errors = check(root, exceptions)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print("check_layering: %d violation(s); the order, lowest first: %s" %
              (len(errors), " < ".join("/".join(l) for l in LAYERS)),
              file=sys.stderr)
        return 1
    print("check_layering: %d files include only their own layer or lower" %
          checked)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
