// verify_tlog checks the output of tlog_vectors (format documented in
// tlog_vectors_main.cc) with golang.org/x/mod/sumdb/tlog, an independent
// RFC 6962 implementation:
//   - each leaf hash equals tlog.RecordHash(leaf bytes);
//   - each root equals tlog.TreeHash over tlog's own stored hashes;
//   - each inclusion proof passes tlog.CheckRecord and equals tlog.ProveRecord;
//   - each consistency proof passes tlog.CheckTree and equals tlog.ProveTree;
//   - each proof with one bit flipped (or, for empty proofs, a flipped leaf
//     hash or old root) is rejected.
//
// Usage (GOPATH mode, offline): go run verify_tlog.go VECTORS_FILE
// Prints every mismatch and exits 1 if there is any.
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

var failures int

func fail(format string, args ...interface{}) {
	failures++
	fmt.Fprintf(os.Stderr, "MISMATCH: "+format+"\n", args...)
}

func mustHash(s string) tlog.Hash {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		fmt.Fprintf(os.Stderr, "bad hash %q\n", s)
		os.Exit(2)
	}
	var h tlog.Hash
	copy(h[:], b)
	return h
}

func mustInt(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bad number %q\n", s)
		os.Exit(2)
	}
	return n
}

func proofHashes(fields []string) []tlog.Hash {
	n := mustInt(fields[0])
	if int64(len(fields)-1) != n {
		fmt.Fprintf(os.Stderr, "proof says %d hashes, line has %d\n", n, len(fields)-1)
		os.Exit(2)
	}
	var p []tlog.Hash
	for _, f := range fields[1:] {
		p = append(p, mustHash(f))
	}
	return p
}

func equal(a, b []tlog.Hash) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func flipped(p []tlog.Hash) []tlog.Hash {
	q := append([]tlog.Hash(nil), p...)
	q[len(q)/2][7] ^= 0x10
	return q
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: verify_tlog VECTORS_FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer f.Close()

	var stored []tlog.Hash // tlog's own storage layout, built from leaf hashes.
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			if x < 0 || x >= int64(len(stored)) {
				return nil, fmt.Errorf("stored hash %d out of range", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	var leaves []tlog.Hash
	roots := map[int64]tlog.Hash{}
	counts := map[string]int{}

	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		counts[fields[0]]++
		switch fields[0] {
		case "leaf":
			n := mustInt(fields[1])
			if n != int64(len(leaves)) {
				fmt.Fprintf(os.Stderr, "leaf %d out of order\n", n)
				os.Exit(2)
			}
			var data []byte
			if fields[2] != "-" {
				if data, err = hex.DecodeString(fields[2]); err != nil {
					fmt.Fprintf(os.Stderr, "bad leaf data %q\n", fields[2])
					os.Exit(2)
				}
			}
			h := mustHash(fields[3])
			if got := tlog.RecordHash(data); got != h {
				fail("leaf %d: hash %x, tlog.RecordHash gives %x", n, h, got)
			}
			hashes, err := tlog.StoredHashesForRecordHash(n, h, reader)
			if err != nil {
				fail("leaf %d: StoredHashesForRecordHash: %v", n, err)
				os.Exit(1)
			}
			stored = append(stored, hashes...)
			leaves = append(leaves, h)
		case "root":
			size := mustInt(fields[1])
			root := mustHash(fields[2])
			roots[size] = root
			got, err := tlog.TreeHash(size, reader)
			if err != nil || got != root {
				fail("root %d: ours %x, tlog.TreeHash gives %x (%v)", size, root, got, err)
			}
		case "inclusion":
			index, size := mustInt(fields[1]), mustInt(fields[2])
			p := proofHashes(fields[3:])
			root, leaf := roots[size], leaves[index]
			if err := tlog.CheckRecord(p, size, root, index, leaf); err != nil {
				fail("inclusion %d in %d: tlog.CheckRecord: %v", index, size, err)
			}
			if want, err := tlog.ProveRecord(size, index, reader); err != nil || !equal(p, want) {
				fail("inclusion %d in %d: differs from tlog.ProveRecord (%v)", index, size, err)
			}
			if len(p) > 0 {
				if tlog.CheckRecord(flipped(p), size, root, index, leaf) == nil {
					fail("inclusion %d in %d: tampered proof accepted", index, size)
				}
			} else {
				leaf[0] ^= 1
				if tlog.CheckRecord(p, size, root, index, leaf) == nil {
					fail("inclusion %d in %d: tampered leaf accepted", index, size)
				}
			}
		case "consistency":
			size1, size2 := mustInt(fields[1]), mustInt(fields[2])
			p := proofHashes(fields[3:])
			root1, root2 := roots[size1], roots[size2]
			if err := tlog.CheckTree(p, size2, root2, size1, root1); err != nil {
				fail("consistency %d -> %d: tlog.CheckTree: %v", size1, size2, err)
			}
			if want, err := tlog.ProveTree(size2, size1, reader); err != nil || !equal(p, want) {
				fail("consistency %d -> %d: differs from tlog.ProveTree (%v)", size1, size2, err)
			}
			if len(p) > 0 {
				if tlog.CheckTree(flipped(p), size2, root2, size1, root1) == nil {
					fail("consistency %d -> %d: tampered proof accepted", size1, size2)
				}
			} else {
				root1[0] ^= 1
				if tlog.CheckTree(p, size2, root2, size1, root1) == nil {
					fail("consistency %d -> %d: tampered old root accepted", size1, size2)
				}
			}
		default:
			fmt.Fprintf(os.Stderr, "unknown record %q\n", fields[0])
			os.Exit(2)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if counts["leaf"] == 0 || counts["root"] == 0 || counts["inclusion"] == 0 || counts["consistency"] == 0 {
		fail("vectors incomplete: %v", counts)
	}
	if failures > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d mismatches with golang.org/x/mod/sumdb/tlog\n", failures)
		os.Exit(1)
	}
	fmt.Printf("OK: tlog agrees on %d leaves, %d roots, %d inclusion and %d consistency proofs\n",
		counts["leaf"], counts["root"], counts["inclusion"], counts["consistency"])
}
