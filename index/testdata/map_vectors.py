#!/usr/bin/env python3
"""Independent computation of the index's golden vectors (index/FORMAT.md).

Written from FORMAT.md alone, not from the C++: map_golden_test.cc pins what
this prints. Run: python3 index/testdata/map_vectors.py
"""
import hashlib
import struct


def sha(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def u64(v):
    return struct.pack(">Q", v)


def rfc6962_root(leaves):
    """RFC 6962 MTH over leaf data."""
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return sha(b"\x00", leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return sha(b"\x01", rfc6962_root(leaves[:k]), rfc6962_root(leaves[k:]))


def list_root(indices):
    return rfc6962_root([u64(i) for i in indices])


def bit(h, d):
    return (h[d // 8] >> (7 - d % 8)) & 1


def map_leaf(key_hash, count, root):
    return sha(b"\x02", key_hash, u64(count), root)


def subtree(items, depth):
    """items: list of (key_hash, count, list_root) sharing `depth` bits."""
    if not items:
        return bytes(32)
    if len(items) == 1:
        return map_leaf(*items[0])
    left = [i for i in items if bit(i[0], depth) == 0]
    right = [i for i in items if bit(i[0], depth) == 1]
    return sha(b"\x03", subtree(left, depth + 1), subtree(right, depth + 1))


def prove(items, key_hash):
    """(kind, siblings, other) as FORMAT.md's encoding wants them."""
    siblings, depth = [], 0
    while len(items) > 1:
        b = bit(key_hash, depth)
        same = [i for i in items if bit(i[0], depth) == b]
        other = [i for i in items if bit(i[0], depth) != b]
        siblings.append(subtree(other, depth + 1))
        items, depth = same, depth + 1
    if not items:
        return 1, siblings, None
    if items[0][0] == key_hash:
        return 0, siblings, None
    return 2, siblings, items[0]


def encode(kind, siblings, other):
    d = len(siblings)
    bitmap = bytearray((d + 7) // 8)
    body = b""
    for i, s in enumerate(siblings):
        if s != bytes(32):
            bitmap[i // 8] |= 0x80 >> (i % 8)
            body += s
    out = bytes([kind]) + struct.pack(">H", d) + bytes(bitmap) + body
    if kind == 2:
        out += other[0] + u64(other[1]) + other[2]
    return out


MODELS = {
    "model-a": [3, 9, 12],
    "model-b": [5],
    "model-c": [0, 1],
    "model-d": [2],
}


def main():
    items = [(sha(m.encode()), len(l), list_root(l)) for m, l in MODELS.items()]
    print("key_hash(model-a)", sha(b"model-a").hex())
    print("list_leaf(7)", sha(b"\x00", u64(7)).hex())
    print("list_root(3,9,12)", list_root([3, 9, 12]).hex())
    print("map_leaf(model-a)", map_leaf(*items[0]).hex())
    print("map_node(a-leaf,zeros)", sha(b"\x03", map_leaf(*items[0]), bytes(32)).hex())
    print("map_root", subtree(items, 0).hex())
    # Output-log leaf payload (FORMAT.md, "Output log"): MapFn v1, input size
    # 1000, input root = SHA-256("in"), map root = the map root above, 4 keys,
    # input origin "factory.example/log".
    origin = b"factory.example/log"
    update = (bytes([1]) + struct.pack(">I", 1) + u64(1000) + sha(b"in") +
              subtree(items, 0) + u64(4) + struct.pack(">H", len(origin)) +
              origin)
    print("index_update", update.hex())
    for name in ["model-a", "model-b", "model-zz", "absent-2"]:
        print("proof(%s)" % name, encode(*prove(items, sha(name.encode()))).hex())


if __name__ == "__main__":
    main()
