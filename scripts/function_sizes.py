#!/usr/bin/env python3
"""Lists C++ functions longer than a limit (default 80 lines), longest first.

A heuristic, not a parser: a function is a top-level or class-level brace
block whose opening line (after joining the lines of its signature) looks like
a function head, i.e. has "(...)" and is not a class, struct, enum, namespace,
lambda assignment or initializer list. Lines are counted from the signature's
first line to the closing brace. Test files (*_test.cc, tests/, testonly/)
and data tables (a body that is mostly literals and braces) are left out.

Usage: scripts/function_sizes.py [--check] [--limit N] [ROOT]
Prints "lines  file:line  name" and exits 0; with --check (scripts/test.sh)
it exits 1 when any function is over the limit.
"""
import os
import re
import sys

SKIP_DIRS = {"third_party", "tests"}
HEAD_BAD = re.compile(r"\b(class|struct|enum|namespace|union)\b|=\s*$|\[[^\]]*\]\s*\(")
NAME = re.compile(r"([~\w:]+(?:operator\s*[^\s(]+)?)\s*\(")


def strip(text):
    """Blanks comments and string/char literals, keeping line breaks."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            m = re.match(r'R"([^(]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = text.find(")" + m.group(1) + '"', i)
            end = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + "\n" * text.count("\n", i, end))
            i = end
        elif c == "'" and i > 0 and text[i - 1].isalnum() and (
                i + 1 < n and text[i + 1].isalnum()):
            out.append(c)  # a digit separator (1'000), not a char literal
            i += 1
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def is_table(body):
    """Most lines are literals, braces and commas: a data table."""
    lines = [l.strip() for l in body.split("\n") if l.strip()]
    if not lines:
        return False
    data = sum(1 for l in lines
               if re.fullmatch(r'[{}\s,"\'\w.:+\-*/()&]*[,{}]\s*;?', l)
               and not re.search(r"\b(if|for|while|return|switch)\b", l))
    return data >= 0.8 * len(lines)


def functions(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = strip(f.read())
    depth_stack = []  # (kind, start_line, head, body_start) per open brace
    line = 1
    head_start = 1
    head = ""
    i = 0
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
            head += " "
            continue
        if c == "{":
            h = head.strip()
            in_func = any(k == "func" for k, *_ in depth_stack)
            control = re.match(r"(if|for|while|switch|catch|do|else)\b", h)
            if (not in_func and "(" in h and not control
                    and not HEAD_BAD.search(h)):
                kind = "func"
            else:
                kind = "block"
            depth_stack.append((kind, head_start, h, i))
            head = ""
            head_start = line
        elif c == "}":
            if depth_stack:
                kind, start, h, body_start = depth_stack.pop()
                if kind == "func" and not any(k == "func" for k, *_ in depth_stack):
                    yield start, line, h, text[body_start:i]
            head = ""
            head_start = line
        elif c == ";":
            head = ""
            head_start = line
        else:
            if not head.strip():
                head_start = line
            head += c


def main(argv):
    limit = 80
    args = argv[1:]
    check = args[:1] == ["--check"]
    if check:
        args = args[1:]
    if args[:1] == ["--limit"]:
        limit = int(args[1])
        args = args[2:]
    root = args[0] if args else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    rows = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        dirnames[:] = [d for d in dirnames if not d.startswith((".", "bazel-"))
                       and d != "testonly"
                       and not (rel == "." and d in SKIP_DIRS)]
        for name in filenames:
            if not name.endswith((".cc", ".h", ".cu")) or "_test." in name:
                continue
            path = os.path.join(dirpath, name)
            for start, end, head, body in functions(path):
                length = end - start + 1
                if length > limit and not is_table(body):
                    first = NAME.search(head)
                    label = first.group(1) if first else head[:60]
                    rows.append((length, os.path.relpath(path, root), start,
                                 label))
    rows.sort(key=lambda r: (-r[0], r[1]))
    for length, path, start, label in rows:
        print("%5d  %s:%d  %s" % (length, path, start, label))
    print("function_sizes: %d non-test function(s) over %d lines" %
          (len(rows), limit))
    return 1 if check and rows else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
