// Independent verifier for checkpoints written by sign_checkpoints_main.cc,
// using Go's golang.org/x/mod/sumdb/note (Debian golang-golang-x-mod-dev).
// Usage: go run verify_checkpoints.go <dir>
// Exits non-zero with a message on the first mismatch.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

const origin = "example.com/aifl-interop"

type want struct {
	size uint64
	root [32]byte
	ext  []string
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: verify_checkpoints <dir>")
	}
	dir := os.Args[1]

	// The same fixed seed as the C++ side, so the verifier key and every
	// signature can also be recomputed here and compared byte for byte.
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i*7 + 3)
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	wantVkey, err := note.NewEd25519VerifierKey(origin, pub)
	if err != nil {
		fail("NewEd25519VerifierKey: %v", err)
	}
	vkeyBytes, err := os.ReadFile(filepath.Join(dir, "vkey"))
	if err != nil {
		fail("%v", err)
	}
	vkey := string(vkeyBytes)
	if vkey != wantVkey {
		fail("verifier key: C++ %q, Go %q", vkey, wantVkey)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("NewVerifier(%q): %v", vkey, err)
	}
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", origin, verifier.KeyHash(),
		base64.StdEncoding.EncodeToString(append([]byte{1}, seed...)))
	signer, err := note.NewSigner(skey)
	if err != nil {
		fail("NewSigner: %v", err)
	}
	verifiers := note.VerifierList(verifier)

	wants := []want{
		{0, sha256.Sum256(nil), nil},
		{1, sha256.Sum256([]byte("one")), nil},
		{20852163, sha256.Sum256([]byte("many")), nil},
		{^uint64(0), sha256.Sum256([]byte("max")), []string{"extension line one", "ext2"}},
	}
	for i, w := range wants {
		path := filepath.Join(dir, fmt.Sprintf("checkpoint_%d", i))
		msg, err := os.ReadFile(path)
		if err != nil {
			fail("%v", err)
		}
		n, err := note.Open(msg, verifiers)
		if err != nil {
			fail("%s: note.Open: %v", path, err)
		}
		if len(n.Sigs) != 1 || n.Sigs[0].Name != origin || n.Sigs[0].Hash != verifier.KeyHash() {
			fail("%s: unexpected signatures %+v", path, n.Sigs)
		}
		lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
		if len(lines) != 3+len(w.ext) {
			fail("%s: %d body lines, want %d", path, len(lines), 3+len(w.ext))
		}
		if lines[0] != origin {
			fail("%s: origin %q", path, lines[0])
		}
		size, err := strconv.ParseUint(lines[1], 10, 64)
		if err != nil || size != w.size || strconv.FormatUint(size, 10) != lines[1] {
			fail("%s: size line %q, want %d", path, lines[1], w.size)
		}
		root, err := base64.StdEncoding.DecodeString(lines[2])
		if err != nil || !bytes.Equal(root, w.root[:]) {
			fail("%s: root line %q, want %x", path, lines[2], w.root)
		}
		for j, e := range w.ext {
			if lines[3+j] != e {
				fail("%s: extension %d is %q, want %q", path, j, lines[3+j], e)
			}
		}
		// Go's signer must produce the very same bytes (Ed25519 is
		// deterministic).
		goMsg, err := note.Sign(&note.Note{Text: n.Text}, signer)
		if err != nil {
			fail("note.Sign: %v", err)
		}
		if !bytes.Equal(goMsg, msg) {
			fail("%s: C++ and Go signed notes differ:\nC++:\n%s\nGo:\n%s", path, msg, goMsg)
		}
		// A tampered body must be rejected.
		tampered := bytes.Replace(msg, []byte(lines[1]+"\n"), []byte(lines[1]+"1\n"), 1)
		if _, err := note.Open(tampered, verifiers); err == nil {
			fail("%s: tampered note accepted", path)
		} else if _, ok := err.(*note.InvalidSignatureError); !ok {
			fail("%s: tampered note: unexpected error %v", path, err)
		}
		fmt.Printf("ok %s (size %d)\n", path, w.size)
	}
}
