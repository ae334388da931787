// An independent tlog-tiles reader on Go's golang.org/x/mod/sumdb/tlog and
// sumdb/note (Debian golang-golang-x-mod-dev), for tiles_e2e_test.sh:
//
//	tlog_tiles_client URL VKEY
//
// Opens /checkpoint with the verifier key, reads hash tiles over HTTP through
// tlog.TileHashReader (which checks every tile it loads against the
// checkpoint's root) with a path adaptor (tlog names them tile/8/<L>/<N>; the
// C2SP spec tile/<L>/<N>), recomputes the root, proves and checks inclusion of
// sampled leaves whose hashes come from the entry bundles, and checks a
// consistency proof from half the size. Prints "go tlog: ok size N".
package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: go tlog: "+format+"\n", args...)
	os.Exit(1)
}

func get(url string) []byte {
	resp, err := http.Get(url)
	if err != nil {
		fail("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		fail("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return body
}

// C2SP path of a tlog tile: drop the height, "data" is "entries".
func c2spPath(t tlog.Tile) string {
	p := strings.Replace(t.Path(), "tile/8/", "tile/", 1)
	return strings.Replace(p, "tile/data/", "tile/entries/", 1)
}

type httpTiles struct{ base string }

func (h httpTiles) Height() int { return 8 }
func (h httpTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		out[i] = get(h.base + "/" + c2spPath(t))
	}
	return out, nil
}
func (h httpTiles) SaveTiles([]tlog.Tile, [][]byte) {}

func leafHash(base string, i int64) tlog.Hash {
	t := tlog.Tile{H: 8, L: -1, N: i / 256, W: 256}
	bundle := get(base + "/" + c2spPath(t))
	for k := int64(0); ; k++ {
		l := int64(bundle[0])<<8 | int64(bundle[1])
		if k == i%256 {
			return tlog.RecordHash(bundle[2 : 2+l])
		}
		bundle = bundle[2+l:]
	}
}

func main() {
	base, vkey := strings.TrimRight(os.Args[1], "/"), os.Args[2]
	v, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	n, err := note.Open(get(base+"/checkpoint"), note.VerifierList(v))
	if err != nil {
		fail("checkpoint: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	rootBytes, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(rootBytes) != 32 {
		fail("checkpoint root: %v", err)
	}
	var root tlog.Hash
	copy(root[:], rootBytes)
	if size < 512 {
		fail("size %d: want ≥ 512 (full tiles)", size)
	}
	reader := tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, httpTiles{base})
	got, err := tlog.TreeHash(size, reader)
	if err != nil || got != root {
		fail("root from tiles: %v (%v)", got, err)
	}
	for _, i := range []int64{0, 1, 255, 256, 300, 511} {
		proof, err := tlog.ProveRecord(size, i, reader)
		if err != nil {
			fail("prove %d: %v", i, err)
		}
		if err := tlog.CheckRecord(proof, size, root, i, leafHash(base, i)); err != nil {
			fail("inclusion of leaf %d: %v", i, err)
		}
	}
	old := size / 2
	oldRoot, err := tlog.TreeHash(old, reader)
	if err != nil {
		fail("root of %d: %v", old, err)
	}
	p, err := tlog.ProveTree(size, old, reader)
	if err != nil {
		fail("consistency proof: %v", err)
	}
	if err := tlog.CheckTree(p, size, root, old, oldRoot); err != nil {
		fail("consistency %d -> %d: %v", old, size, err)
	}
	fmt.Printf("go tlog: ok size %d\n", size)
}
