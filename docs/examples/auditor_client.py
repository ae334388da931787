#!/usr/bin/python3
"""An outside auditor's first checks against a ledger's Audit service.

Written from the published formats alone (ledger/FORMAT.md, the C2SP
signed-note and tlog-checkpoint specifications, RFC 6962/9162) with Debian 12's
python3-grpcio, python3-protobuf and python3-cryptography; it uses no code of
the ledger's. It:
  1. fetches the latest checkpoint and verifies its signature with the
     published verifier key;
  2. lists every published checkpoint (Audit.ListCheckpoints) and verifies
     each signature by this key (checkpoints of other log keys, after a
     rotation, are counted, not verified: see docs/auditor-guide.md);
  3. fetches the first and the last leaf and verifies their RFC 6962 inclusion
     proofs against the latest checkpoint's root;
  4. counts the findings (Audit.ListFindings).

Stubs: generated as docs/auditor-guide.md says, into the folder --stubs.
Exit status 0 when every check passed; otherwise one line on stderr, exit 1.
"""

import argparse
import base64
import hashlib
import sys


def fail(why):
    print(f"auditor_client: {why}", file=sys.stderr)
    sys.exit(1)


def parse_verifier_key(vkey):
    """<name>+<8 hex key id>+<base64(0x01 || 32-byte Ed25519 key)>.

    Split at the first two '+' only: the base64 may contain '+'.
    """
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        fail(f"verifier key {vkey!r}: want <name>+<hex id>+<base64>")
    name, hex_id, key64 = parts
    typed = base64.b64decode(key64, validate=True)
    if len(typed) != 33 or typed[0] != 0x01:
        fail("verifier key: want 0x01 followed by a 32-byte Ed25519 key")
    key_id = hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4]
    if key_id.hex() != hex_id.lower():
        fail(f"verifier key: key id {hex_id} does not match name and key")
    return name, key_id, typed[1:]


def open_note(note, name, key_id, public_key):
    """Verifies a C2SP signed note; returns its body (text before the blank
    line, with its final newline) or None when no line is by this key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PublicKey)
    from cryptography.exceptions import InvalidSignature
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        fail("checkpoint note: no blank line before the signatures")
    body += "\n"
    verifier = Ed25519PublicKey.from_public_bytes(public_key)
    for line in signatures.splitlines():
        dash, signer, sig64 = line.split(" ")
        if dash != "\u2014" or signer != name:
            continue
        sig = base64.b64decode(sig64, validate=True)
        if sig[:4] != key_id:
            continue
        try:
            verifier.verify(sig[4:], body.encode())
        except InvalidSignature:
            fail(f"checkpoint note: bad signature by {name}")
        return body
    return None


def parse_checkpoint(body, origin):
    lines = body.split("\n")
    if len(lines) < 4 or lines[0] != origin:
        fail(f"checkpoint: want origin {origin!r} on the first line")
    return int(lines[1]), base64.b64decode(lines[2], validate=True)


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf_hash, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--stubs", required=True, help="folder of the stubs")
    args.add_argument("--server", required=True, help="HOST:PORT")
    args.add_argument("--vkey", required=True, help="the log's verifier key")
    args.add_argument("--tls_ca", help="CA certificate (mTLS); none: plaintext")
    args.add_argument("--tls_cert", help="client certificate (mTLS)")
    args.add_argument("--tls_key", help="client private key (mTLS)")
    # The names before 0.5.0, accepted until 0.6.0.
    for old in ("ca", "cert", "key"):
        args.add_argument("--" + old, dest="old_" + old, help=argparse.SUPPRESS)
    a = args.parse_args()
    for old in ("ca", "cert", "key"):
        value = getattr(a, "old_" + old)
        if value is not None:
            print(f"auditor_client: --{old} is deprecated: use --tls_{old} "
                  "(the old name is removed in 0.6.0)", file=sys.stderr)
            if getattr(a, "tls_" + old) is None:
                setattr(a, "tls_" + old, value)

    sys.path.insert(0, a.stubs)
    import grpc
    from api.v1 import ledger_service_pb2 as pb
    from api.v1 import ledger_service_pb2_grpc as rpc

    if a.tls_ca:
        creds = grpc.ssl_channel_credentials(
            root_certificates=open(a.tls_ca, "rb").read(),
            private_key=open(a.tls_key, "rb").read(),
            certificate_chain=open(a.tls_cert, "rb").read())
        channel = grpc.secure_channel(a.server, creds)
    else:
        channel = grpc.insecure_channel(a.server)
    audit = rpc.AuditStub(channel)
    name, key_id, public_key = parse_verifier_key(a.vkey)

    # 1. The latest checkpoint, verified.
    latest = audit.GetCheckpoint(pb.GetCheckpointRequest(), timeout=30)
    body = open_note(latest.note, name, key_id, public_key)
    if body is None:
        fail("the latest checkpoint carries no signature by this key")
    size, root = parse_checkpoint(body, name)
    print(f"checkpoint: size {size}, signature verified")

    # 2. Every published checkpoint.
    verified = other_keys = 0
    after = 0
    while True:
        page = audit.ListCheckpoints(
            pb.ListCheckpointsRequest(after_size=after, page_size=1000),
            timeout=30)
        if not page.checkpoints:
            break
        for c in page.checkpoints:
            if c.size <= after:
                fail(f"ListCheckpoints: size {c.size} after {after}")
            after = c.size
            b = open_note(c.note, name, key_id, public_key)
            if b is None:
                other_keys += 1
                continue
            if parse_checkpoint(b, name)[0] != c.size:
                fail(f"ListCheckpoints: note and size {c.size} disagree")
            verified += 1
    if verified == 0:
        fail("ListCheckpoints: no checkpoint by this key")
    print(f"published checkpoints: {verified} verified, "
          f"{other_keys} by other log keys")

    # 3. Inclusion of the first and the last leaf.
    for index in sorted({0, size - 1}):
        leaves = audit.GetEntries(pb.GetEntriesRequest(start=index, count=1),
                                  timeout=30).leaves
        proof = audit.GetInclusionProof(
            pb.InclusionProofRequest(leaf_index=index, tree_size=size),
            timeout=30)
        leaf_hash = hashlib.sha256(b"\x00" + leaves[0]).digest()
        if not verify_inclusion(index, size, leaf_hash, list(proof.hashes),
                                root):
            fail(f"leaf {index}: inclusion proof does not verify")
        print(f"leaf {index}: inclusion in size {size} verified")

    # 4. Findings.
    findings = audit.ListFindings(pb.ListFindingsRequest(page_size=1000),
                                  timeout=30).findings
    print(f"findings: {len(findings)}")


if __name__ == "__main__":
    main()
