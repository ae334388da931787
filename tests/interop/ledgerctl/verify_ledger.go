// verify_ledger checks what `ledgerctl` prints with independent
// implementations: Go's golang.org/x/mod/sumdb/note (C2SP signed notes) and
// golang.org/x/mod/sumdb/tlog (RFC 6962 proofs).
//
// Usage:
//   verify_ledger inclusion VKEY NOTE_FILE LEAF_FILE INDEX PROOF_FILE
//   verify_ledger consistency VKEY OLD_NOTE_FILE NEW_NOTE_FILE PROOF_FILE [NEW_VKEY]
//   verify_ledger note NOTE_FILE VKEY...
// `consistency` verifies the new note with NEW_VKEY when given (across a
// log-key rotation). `note` requires a valid signature by every VKEY given
// (a handover checkpoint carries the old and the new log key's).
// Exits 0 when everything verifies, 1 with a reason otherwise.
package main

import (
	"encoding/base64"
	"fmt"
	"io/ioutil"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "verify_ledger: "+format+"\n", args...)
	os.Exit(1)
}

func read(path string) []byte {
	b, err := ioutil.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return b
}

// openCheckpoint verifies the note's signature and parses the C2SP
// tlog-checkpoint body: origin, size, base64 root.
func openCheckpoint(vkey, path string) (string, int64, tlog.Hash) {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("verifier key: %v", err)
	}
	n, err := note.Open(read(path), note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint %s: %v", path, err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	raw, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(raw) != 32 {
		fail("checkpoint root is not 32 bytes of base64")
	}
	var root tlog.Hash
	copy(root[:], raw)
	return lines[0], size, root
}

func readProof(path string) tlog.TreeProof {
	var proof tlog.TreeProof
	for _, line := range strings.Split(strings.TrimSpace(string(read(path))), "\n") {
		if line == "" {
			continue
		}
		raw, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(raw) != 32 {
			fail("proof line %q is not a base64 hash", line)
		}
		var h tlog.Hash
		copy(h[:], raw)
		proof = append(proof, h)
	}
	return proof
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: see the source")
	}
	switch os.Args[1] {
	case "inclusion":
		origin, size, root := openCheckpoint(os.Args[2], os.Args[3])
		leaf := read(os.Args[4])
		index, _ := strconv.ParseInt(os.Args[5], 10, 64)
		proof := readProof(os.Args[6])
		if err := tlog.CheckRecord(tlog.RecordProof(proof), size, root, index, tlog.RecordHash(leaf)); err != nil {
			fail("inclusion of leaf %d in %s at size %d: %v", index, origin, size, err)
		}
		fmt.Printf("ok: leaf %d is in %s at size %d (checked by Go's sumdb/note and sumdb/tlog)\n", index, origin, size)
	case "note":
		var verifiers []note.Verifier
		for _, vkey := range os.Args[3:] {
			v, err := note.NewVerifier(vkey)
			if err != nil {
				fail("verifier key: %v", err)
			}
			verifiers = append(verifiers, v)
		}
		n, err := note.Open(read(os.Args[2]), note.VerifierList(verifiers...))
		if err != nil {
			fail("note %s: %v", os.Args[2], err)
		}
		if len(n.Sigs) != len(verifiers) {
			fail("note %s: %d of %d keys signed it", os.Args[2], len(n.Sigs), len(verifiers))
		}
		fmt.Printf("ok: %s is signed by all %d keys (checked by Go's sumdb/note)\n", os.Args[2], len(verifiers))
	case "consistency":
		newVkey := os.Args[2]
		if len(os.Args) > 6 {
			newVkey = os.Args[6]
		}
		_, oldSize, oldRoot := openCheckpoint(os.Args[2], os.Args[3])
		origin, newSize, newRoot := openCheckpoint(newVkey, os.Args[4])
		proof := readProof(os.Args[5])
		if err := tlog.CheckTree(proof, newSize, newRoot, oldSize, oldRoot); err != nil {
			fail("consistency %d -> %d: %v", oldSize, newSize, err)
		}
		fmt.Printf("ok: %s at size %d extends size %d (checked by Go's sumdb/tlog)\n", origin, newSize, oldSize)
	default:
		fail("unknown mode %q", os.Args[1])
	}
}
