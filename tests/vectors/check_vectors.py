#!/usr/bin/python3
"""An independent check of the published vectors (ledger/testdata/vectors).

Written from ledger/FORMAT.md, ledger/crypto/FORMAT.md, C2SP signed-note and
tlog-checkpoint, RFC 6962 and RFC 9162 alone, with Python's hashlib and
Debian's python3-cryptography: no code of the ledger's. For every entry it
rebuilds the signed message, envelope, leaf and leaf hash from the inputs and
verifies the Ed25519 signature; it replays the key events (a minimal protobuf
wire decoder) to check that each signer was enrolled with the right role;
recomputes the root of every size, verifies every inclusion and consistency
proof, the checkpoint and the log-key handover.

Usage: check_vectors.py VECTORS_DIR. Prints one line per file; exit 1 with
one line on stderr at the first disagreement.
"""

import base64
import hashlib
import json
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)
from cryptography.hazmat.primitives import serialization

ROLE_ADMIN, ROLE_COLLECTOR = 1, 2
KEY_EVENT_TYPE = "aifl.ledger.v1.KeyEvent"


def fail(why):
    print(f"check_vectors: {why}", file=sys.stderr)
    sys.exit(1)


def expect(got, want, what):
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")


def sha256(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def key_id(public_key):
    return sha256(b"aifl key id v1\n", public_key)[:16]


def check_key(k):
    """A signing key: seed → public key → key id."""
    seed = bytes.fromhex(k["seed_hex"])
    private = Ed25519PrivateKey.from_private_bytes(seed)
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    expect(public.hex(), k["public_key_hex"], "public key from seed")
    expect(key_id(public).hex(), k["key_id_hex"], "key id")
    return public


# ---- A minimal protobuf wire-format reader (varints and length-delimited).
def fields(data):
    out, i = [], 0
    while i < len(data):
        tag, i = varint(data, i)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 2:
            length, i = varint(data, i)
            value, i = data[i:i + length], i + length
        else:
            fail(f"protobuf: unexpected wire type {wire}")
        out.append((number, value))
    return out


def varint(data, i):
    shift = value = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


def check_entry(e, origin, signer_public):
    payload = bytes.fromhex(e["payload_hex"])
    ptype = e["payload_type"].encode()
    kid = key_id(signer_public)
    signed = (b"aifl-entry-v1\n" + struct.pack(">H", len(origin)) +
              origin.encode() + kid + struct.pack(">Q", e["sequence"]) +
              struct.pack(">H", len(ptype)) + ptype +
              struct.pack(">I", len(payload)) + payload)
    expect(signed.hex(), e["signed_message_hex"], "signed message")
    signature = bytes.fromhex(e["signature_hex"])
    try:
        Ed25519PublicKey.from_public_bytes(signer_public).verify(
            signature, signed)
    except InvalidSignature:
        fail(f"leaf {e['leaf_index']}: signature does not verify")
    envelope = (b"\x01" + kid + struct.pack(">Q", e["sequence"]) +
                struct.pack(">H", len(ptype)) + ptype +
                struct.pack(">I", len(payload)) + payload + signature)
    expect(envelope.hex(), e["envelope_hex"], "envelope")
    leaf = b"\x01" + struct.pack(">q", e["integration_time_micros"]) + envelope
    expect(leaf.hex(), e["leaf_hex"], "leaf")
    expect(sha256(b"\x00", leaf).hex(), e["leaf_hash_hex"], "leaf hash")
    return leaf


def node(left, right):
    return sha256(b"\x01", left, right)


def mth(hashes):
    """RFC 6962 section 2.1: the Merkle tree hash of leaf hashes."""
    if not hashes:
        return sha256()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node(mth(hashes[:k]), mth(hashes[k:]))


def verify_inclusion(index, size, leaf_hash, proof, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1, size2, proof, root1, root2):
    """RFC 9162 section 2.1.4.2, for 0 < size1 < size2."""
    if not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1] + proof
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


def check_note_key(k, origin):
    public = check_key(k)
    nkid = sha256(origin.encode(), b"\n\x01", public)[:4]
    expect(nkid.hex(), k["note_key_id_hex"], "note key id")
    vkey = f"{origin}+{nkid.hex()}+" + base64.b64encode(b"\x01" +
                                                      public).decode()
    expect(vkey, k["verifier_key"], "verifier key")
    # Split at the first two '+' only: the base64 may contain '+'.
    name, hex_id, key64 = k["verifier_key"].split("+", 2)
    expect((name, hex_id, base64.b64decode(key64)[1:]),
           (origin, nkid.hex(), public), "verifier key parts")
    return public, nkid


def check_checkpoint(c, origin, root, signers):
    body = f"{origin}\n{c['size']}\n{base64.b64encode(root).decode()}\n"
    expect(c["body"], body, "checkpoint body")
    expect(c["root_hex"], root.hex(), "checkpoint root")
    lines = []
    for public, nkid in signers:
        text = c["note"]
        for line in text[len(body) + 1:].splitlines():
            dash, name, sig64 = line.split(" ")
            sig = base64.b64decode(sig64)
            if dash != "\u2014" or name != origin or sig[:4] != nkid:
                continue
            try:
                Ed25519PublicKey.from_public_bytes(public).verify(
                    sig[4:], body.encode())
            except InvalidSignature:
                fail(f"checkpoint {c['size']}: bad signature")
            lines.append(line)
    expect(len(lines), len(signers), "signature lines by the given keys")
    expect(c["note"], body + "\n" + "".join(l + "\n" for l in lines),
           "note (signature lines in the given order)")


def main():
    d = sys.argv[1]
    load = lambda name: json.load(open(f"{d}/{name}", encoding="utf-8"))
    log = load("log.json")
    origin = log["origin"]
    keys = {"admin": check_key(log["admin_key"]),
            "collector": check_key(log["collector_key"])}

    # Every leaf, with the key registry replayed from leaf 0.
    enrolled = {}  # key id → role
    log_keys = []  # (announcing leaf, public key)
    hashes = []
    for i, e in enumerate(log["leaves"]):
        expect(e["leaf_index"], i, "leaf order")
        public = keys[e["signer"]]
        check_entry(e, origin, public)
        role = enrolled.get(key_id(public))
        if i == 0:
            role = ROLE_ADMIN  # genesis: the admin enrols itself
        if e["payload_type"] == KEY_EVENT_TYPE:
            expect(role, ROLE_ADMIN, f"leaf {i}: key events need an admin")
            for number, value in fields(bytes.fromhex(e["payload_hex"])):
                body = dict(fields(value))
                if number == 1:  # Enrol
                    enrolled[key_id(body[1])] = body.get(2, 0)
                elif number == 3:  # LogKey
                    expect(body[2].decode(), origin, "LogKey origin")
                    log_keys.append((i, body[1]))
        else:
            expect(role, ROLE_COLLECTOR, f"leaf {i}: collector entry")
        hashes.append(bytes.fromhex(e["leaf_hash_hex"]))
    if enrolled.get(key_id(keys["admin"])) != ROLE_ADMIN:
        fail("the genesis leaf does not enrol the admin key")

    roots = {r["size"]: bytes.fromhex(r["root_hex"]) for r in log["roots"]}
    for size in range(len(hashes) + 1):
        expect(roots[size].hex(), mth(hashes[:size]).hex(), f"root {size}")
    for p in log["inclusion_proofs"]:
        proof = [bytes.fromhex(h) for h in p["proof_hex"]]
        if not verify_inclusion(p["leaf_index"], p["tree_size"],
                                hashes[p["leaf_index"]], proof,
                                roots[p["tree_size"]]):
            fail(f"inclusion {p['leaf_index']} in {p['tree_size']}")
    for p in log["consistency_proofs"]:
        proof = [bytes.fromhex(h) for h in p["proof_hex"]]
        if not verify_consistency(p["size1"], p["size2"], proof,
                                  roots[p["size1"]], roots[p["size2"]]):
            fail(f"consistency {p['size1']} to {p['size2']}")
    print(f"log.json: {len(hashes)} leaves, {len(roots)} roots, "
          f"{len(log['inclusion_proofs'])} inclusion and "
          f"{len(log['consistency_proofs'])} consistency proofs: ok")

    for name, key_field in (("envelope.json", "signing_key"),
                            ("key_event.json", "admin_key")):
        v = load(name)
        e = v["entry"]
        check_entry(e, v["origin"], check_key(v[key_field]))
        expect(e, log["leaves"][e["leaf_index"]], f"{name}: entry")
        print(f"{name}: ok")

    cp = load("checkpoint.json")
    log_key_1 = check_note_key(cp["log_key"], origin)
    expect(log_keys[0], (1, log_key_1[0]), "the genesis LogKey")
    c = cp["checkpoint"]
    check_checkpoint(c, origin, roots[c["size"]], [log_key_1])
    print("checkpoint.json: ok")

    rot = load("rotation.json")
    old = check_note_key(rot["old_log_key"], origin)
    new = check_note_key(rot["new_log_key"], origin)
    e = rot["log_key_entry"]
    expect(e, log["leaves"][e["leaf_index"]], "rotation: LogKey entry")
    expect(log_keys[1], (e["leaf_index"], new[0]), "the rotation's LogKey")
    h = rot["handover"]
    if h["size"] <= e["leaf_index"]:
        fail("the handover does not cover the LogKey leaf")
    proof = [bytes.fromhex(x) for x in rot["log_key_entry_inclusion_proof_hex"]]
    if not verify_inclusion(e["leaf_index"], h["size"], hashes[e["leaf_index"]],
                            proof, roots[h["size"]]):
        fail("rotation: the LogKey leaf's inclusion proof")
    check_checkpoint(h, origin, roots[h["size"]], [old, new])
    print("rotation.json: ok")


if __name__ == "__main__":
    main()
