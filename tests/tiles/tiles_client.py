#!/usr/bin/python3
"""An independent tlog-tiles client for the end-to-end tests (standard library
and python3-cryptography only; none of our C++ code).

  verify URL VKEY          fetches /checkpoint and every tile of its size;
                           checks the note's Ed25519 signature, that level-0
                           hashes are SHA-256(0x00 || entry) of the bundles,
                           that each level-l hash is the MTH of the 256 hashes
                           below, and that the root recomputed from the tiles
                           is the checkpoint's root; prints the size.
  statuses URL             the status, header and 304/HEAD/gzip checks.
  compare URL1 URL2 DIR    every file under DIR has the same bytes at both
                           URLs as in the file.
  flood HOST PORT N SECS MODE
                           holds N connections open for SECS seconds, each
                           sending one byte of a request a second (MODE slow)
                           or nothing (MODE idle); prints how many the server
                           closed.
Failures: one line on stderr, exit 1.
"""
import base64
import gzip
import hashlib
import http.client
import os
import socket
import sys
import time
import urllib.parse

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def fail(why):
    print("FAIL: " + why, file=sys.stderr)
    sys.exit(1)


class Client:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        self.prefix = u.path.rstrip("/")

    def request(self, path, method="GET", headers=None):
        self.conn.request(method, self.prefix + path, headers=headers or {})
        r = self.conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()

    def get(self, path):
        status, _, body = self.request(path)
        if status != 200:
            fail("GET %s: %d %r" % (path, status, body[:200]))
        return body


def tile_path(level, index, width=256):
    groups = []
    n = index
    while True:
        groups.insert(0, "%03d" % (n % 1000))
        n //= 1000
        if n == 0:
            break
    name = "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])
    suffix = "" if width == 256 else ".p/%d" % width
    return "/tile/%s/%s%s" % (level, name, suffix)


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(hashes):
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node(mth(hashes[:k]), mth(hashes[k:]))


def open_checkpoint(note, vkey):
    name, key_id, key = vkey.split("+", 2)
    key = base64.b64decode(key)
    if key[0] != 1:
        fail("vkey is not Ed25519")
    text, _, sigs = note.partition(b"\n\n")
    text += b"\n"
    for line in sigs.decode().splitlines():
        if not line.startswith("\u2014 " + name + " "):
            continue
        raw = base64.b64decode(line.split(" ")[2])
        if raw[:4].hex() != key_id:
            continue
        Ed25519PublicKey.from_public_bytes(key[1:]).verify(raw[4:], text)
        lines = text.decode().split("\n")
        return int(lines[1]), base64.b64decode(lines[2])
    fail("checkpoint has no signature by " + vkey)


def parse_bundle(data):
    entries = []
    while data:
        n = int.from_bytes(data[:2], "big")
        entries.append(data[2:2 + n])
        if len(data) < 2 + n:
            fail("truncated bundle")
        data = data[2 + n:]
    return entries


def tiles_at(size, level):
    have = size >> (8 * level)
    out = [(n, 256) for n in range(have // 256)]
    if have % 256:
        out.append((have // 256, have % 256))
    return out


def verify(url, vkey):
    c = Client(url)
    size, root = open_checkpoint(c.get("/checkpoint"), vkey)
    levels = []
    level = 0
    while size >> (8 * level):
        hashes = []
        for n, w in tiles_at(size, level):
            data = c.get(tile_path(level, n, w))
            if len(data) != 32 * w:
                fail("tile %s: %d bytes" % (tile_path(level, n, w), len(data)))
            hashes += [data[i:i + 32] for i in range(0, len(data), 32)]
        levels.append(hashes)
        level += 1
    entries = []
    for n, w in tiles_at(size, 0):
        bundle = parse_bundle(c.get(tile_path("entries", n, w)))
        if len(bundle) != w:
            fail("bundle %d: %d entries, want %d" % (n, len(bundle), w))
        entries += bundle
    for i, e in enumerate(entries):
        if hashlib.sha256(b"\x00" + e).digest() != levels[0][i]:
            fail("leaf %d: level-0 hash is not SHA-256(0x00 || entry)" % i)
    for l in range(1, len(levels)):
        for i, h in enumerate(levels[l]):
            if mth(levels[l - 1][i * 256:(i + 1) * 256]) != h:
                fail("level %d hash %d is not the MTH of the level below" % (l, i))
    if mth(levels[0]) != root:
        fail("root recomputed from the tiles differs from the checkpoint's")
    print(size)


def expect(got, want, what):
    if got != want:
        fail("%s: got %r, want %r" % (what, got, want))


def statuses(url):
    c = Client(url)
    note = c.get("/checkpoint")
    size = int(note.split(b"\n")[1])
    full = size // 256 > 0
    s, h, body = c.request("/checkpoint")
    expect(h["content-type"], "text/plain; charset=utf-8", "checkpoint type")
    expect(h["cache-control"], "public, max-age=5", "checkpoint cache")
    if full:
        s, h, body = c.request("/tile/0/000")
        expect((s, len(body)), (200, 8192), "full tile")
        expect(h["cache-control"], "public, max-age=31536000, immutable", "full cache")
        expect(h["content-type"], "application/octet-stream", "tile type")
        etag = h["etag"]
        s, h, body = c.request("/tile/0/000", headers={"If-None-Match": etag})
        expect((s, body), (304, b""), "If-None-Match")
        s, h, body = c.request("/tile/0/000", "HEAD")
        expect((s, h["content-length"], body), (200, "8192", b""), "HEAD")
        s, h, body = c.request("/tile/entries/000", headers={"Accept-Encoding": "gzip"})
        expect((s, h.get("content-encoding"), h.get("vary")),
               (200, "gzip", "Accept-Encoding"), "gzip bundle")
        expect(gzip.decompress(body), c.get("/tile/entries/000"), "gunzipped bundle")
    w = size % 256
    if w:
        s, h, _ = c.request(tile_path(0, size // 256, w))
        expect((s, h["cache-control"]), (200, "public, max-age=5"), "partial tile")
        s, _, _ = c.request(tile_path(0, size // 256, w + 1) if w < 255 else
                            tile_path(0, size // 256 + 1, 1))
        expect(s, 404, "wider partial than the tree")
    for path in [tile_path(0, size // 256 + 1), tile_path(0, 1000000),
                 tile_path("entries", size // 256 + 1), "/tile/5/000.p/1",
                 "/nothing"]:
        expect(c.request(path)[0], 404, "GET " + path)
    for path in ["/tile/0/../checkpoint", "/tile/00/000", "/tile/0/0000",
                 "/tile/0/000.p/0", "/tile/0/000.p/256", "/tile/64/000",
                 "/tile/0/x1000000000000000000000/000", "/tile/0/abc",
                 "/tile/0/%2e%2e/000", "/tile/entries/000.p/007"]:
        expect(c.request(path)[0], 400, "GET " + path)
    c = Client(url)  # a refused method closes the connection
    expect(c.request("/checkpoint", "POST")[0], 405, "POST")
    print("statuses ok")


def compare(url1, url2, folder):
    a, b = Client(url1), Client(url2)
    count = 0
    for dirpath, _, files in os.walk(folder):
        for f in files:
            rel = "/" + os.path.relpath(os.path.join(dirpath, f), folder)
            body = a.get(rel)
            if body != b.get(rel):
                fail("%s differs between %s and %s" % (rel, url1, url2))
            with open(os.path.join(dirpath, f), "rb") as local:
                if local.read() != body:
                    fail("%s differs between %s and the file" % (rel, url1))
            count += 1
    print("%d files identical" % count)


def flood(host, port, n, seconds, mode):
    socks = []
    for _ in range(n):
        s = socket.create_connection((host, int(port)), timeout=5)
        s.setblocking(False)
        socks.append(s)
    print("flood: %d connections open" % len(socks), flush=True)
    request = b"GET /checkpoint HTTP/1.1\r\nHost: x\r\n"
    closed = set()
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        for k, s in enumerate(socks):
            if k in closed:
                continue
            try:
                if s.recv(4096) == b"":
                    closed.add(k)
                    continue
            except BlockingIOError:
                pass
            except OSError:
                closed.add(k)
                continue
            if mode == "idle":
                continue
            try:
                s.send(request[i % len(request):i % len(request) + 1])
            except OSError:
                closed.add(k)
        i += 1
        time.sleep(1)
    print("flood: the server closed %d of %d" % (len(closed), n), flush=True)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "verify":
        verify(*args)
    elif cmd == "statuses":
        statuses(*args)
    elif cmd == "compare":
        compare(*args)
    elif cmd == "flood":
        flood(args[0], args[1], int(args[2]), float(args[3]), args[4])
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main()
