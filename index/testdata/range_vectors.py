#!/usr/bin/env python3
"""Independent computation of the list range-proof vectors (index/FORMAT.md,
"Pages of a list").

Written from FORMAT.md and RFC 9162 §2.1.4 alone, not from the C++:
list_range_test.cc pins what this prints. Run:
python3 index/testdata/range_vectors.py > index/testdata/range_vectors.txt
"""
import hashlib
import struct


def sha(*parts):
    return hashlib.sha256(b"".join(parts)).digest()


def leaf(i):
    return sha(b"\x00", struct.pack(">Q", i))


def mth(hashes):
    """RFC 6962 MTH over leaf hashes."""
    if not hashes:
        return sha(b"")
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return sha(b"\x01", mth(hashes[:k]), mth(hashes[k:]))


def compact_range(hashes):
    """Roots of the perfect subtrees of len(hashes)'s decomposition, largest
    first."""
    out, pos, n = [], 0, len(hashes)
    for b in reversed(range(64)):
        if n & (1 << b):
            out.append(mth(hashes[pos:pos + (1 << b)]))
            pos += 1 << b
    return out


def subproof(m, hashes, complete):
    """RFC 9162 §2.1.4.1 SUBPROOF(m, D[n], b)."""
    n = len(hashes)
    if m == n:
        return [] if complete else [mth(hashes)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return subproof(m, hashes[:k], complete) + [mth(hashes[k:])]
    return subproof(m - k, hashes[k:], False) + [mth(hashes[:k])]


def consistency(m, hashes):
    if m == 0 or m == len(hashes):
        return []
    return subproof(m, hashes, True)


def main():
    lst = [3, 9, 12, 20, 21, 40, 41, 77, 78, 100, 1000]
    hashes = [leaf(i) for i in lst]
    print("list_root(11)", mth(hashes).hex())
    for start, end in [(0, 4), (2, 5), (5, 11), (10, 11), (3, 10)]:
        name = "range(%d,%d)" % (start, end)
        left = b"".join(compact_range(hashes[:start]))
        right = b"".join(consistency(end, hashes))
        print(name + ".left", left.hex() or "-")
        print(name + ".right", right.hex() or "-")


if __name__ == "__main__":
    main()
