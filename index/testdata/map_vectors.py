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


def leaf_of(item):
    """(key, count, root) is a v1 leaf; (key, count, root, totals) a v2 one."""
    return map_leaf(*item) if len(item) == 3 else map_leaf_v2(*item)


def subtree(items, depth):
    """items: list of (key_hash, count, list_root[, totals hash]) sharing
    `depth` bits."""
    if not items:
        return bytes(32)
    if len(items) == 1:
        return leaf_of(items[0])
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
    v2 = kind == 2 and len(other) == 4
    out = bytes([3 if v2 else kind]) + struct.pack(">H", d) + bytes(bitmap)
    out += body
    if kind == 2:
        out += other[0] + u64(other[1]) + other[2]
    if v2:
        out += other[3]
    return out


# Map version 2 (FORMAT.md, "Map version 2", "Totals"): the totals fold of
# these IntervalReports, in order: (node, device model, start ms, end ms,
# gpu count, gpu seconds, energy joules or None, flop lower, flop upper,
# method, precision low, precision high, purpose).
INTERVALS = [
    ("n1", "H100", 1000, 61000, 8, 480.0, 2.5e6, 1e18, 1.5e18, 1, 5, 3, 1),
    ("n2", "", 500, 90000, 4, 100.5, None, 2e17, 3e17, 2, 0, 0, 0),
    ("n1", "H100", 2000, 70000, 6, 50.25, 1e6, 5e17, 6e17, 1, 0, 0, 10),
    ("n9", "H100", 0, 99999999, 64, 1e9, 1e12, 1e25, 1e25, 3, 0, 0, 5),
]
TRAINING = {0, 1, 2}
CUMULATIVE = TRAINING | {3, 10}


def f64(v):
    return struct.pack(">d", v)


def name(b):
    return struct.pack(">I", len(b)) + b


def uset(values):
    return struct.pack(">I", len(values)) + b"".join(
        struct.pack(">I", v) for v in sorted(values))


def fold_totals(intervals):
    t = dict(train=0, lo=0.0, hi=0.0, methods=set(), precs=set(), cum=0,
             clo=0.0, chi=0.0, cmethods=set(), energy=0.0, energy_n=0,
             first=0, last=0, gpu_s=0.0, hw={})
    nodes = {}
    for (node, dev, start, end, gpus, gpu_s, energy, lo, hi, method, pl, ph,
         purpose) in intervals:
        if purpose in CUMULATIVE:
            t["cum"] += 1
            t["clo"] += lo
            t["chi"] += hi
            t["cmethods"].add(method)
        if purpose not in TRAINING:
            continue
        t["train"] += 1
        t["lo"] += lo
        t["hi"] += hi
        t["methods"].add(method)
        t["precs"] |= {p for p in (pl, ph) if p != 0}
        if energy is not None:
            t["energy"] += energy
            t["energy_n"] += 1
        if t["train"] == 1 or start < t["first"]:
            t["first"] = start
        t["last"] = max(t["last"], end)
        t["gpu_s"] += gpu_s
        dev = dev.encode() or b"not reported"
        row = t["hw"].setdefault(dev, [0, 0, 0.0, 0])
        per = nodes.setdefault(dev, {})
        per[node] = max(per.get(node, 0), gpus)
        row[0] = sum(per.values())
        row[1] = len(per)
        row[2] += gpu_s
        row[3] += 1
    return t


def encode_totals(t):
    out = bytes([1]) + u64(t["train"]) + f64(t["lo"]) + f64(t["hi"])
    out += uset(t["methods"]) + uset(t["precs"])
    out += u64(t["cum"]) + f64(t["clo"]) + f64(t["chi"]) + uset(t["cmethods"])
    out += f64(t["energy"]) + u64(t["energy_n"])
    out += struct.pack(">q", t["first"]) + struct.pack(">q", t["last"])
    out += f64(t["gpu_s"]) + struct.pack(">I", len(t["hw"]))
    for dev in sorted(t["hw"]):
        g, n, s, c = t["hw"][dev]
        out += name(dev) + u64(g) + u64(n) + f64(s) + u64(c)
    return out


def map_leaf_v2(key_hash, count, root, totals_hash):
    return sha(b"\x04", key_hash, u64(count), root, totals_hash)


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
    for m in ["model-a", "model-b", "model-zz", "absent-2"]:
        print("proof(%s)" % m, encode(*prove(items, sha(m.encode()))).hex())
    # Map version 2: model-a's totals are the fold of INTERVALS; the other
    # models have the empty totals (no intervals).
    totals = encode_totals(fold_totals(INTERVALS))
    empty = encode_totals(fold_totals([]))
    print("totals(intervals)", totals.hex())
    print("totals(empty)", empty.hex())
    v2 = [(k, c, r, sha(totals if i == 0 else empty))
          for i, (k, c, r) in enumerate(items)]
    print("map_leaf_v2(model-a)", leaf_of(v2[0]).hex())
    print("map_root_v2", subtree(v2, 0).hex())
    print("proof_v2(absent-2)", encode(*prove(v2, sha(b"absent-2"))).hex())


if __name__ == "__main__":
    main()
