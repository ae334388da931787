// Independent verifier for cosignatures written by cosign_checkpoints_main.cc.
// It uses only Go's standard library (crypto/ed25519, crypto/sha256,
// encoding/base64) and builds every byte from c2sp.org/tlog-cosignature:
//   key id  = SHA-256(name || "\n" || 0x04 || public key)[:4]
//   vkey    = name + "+" + hex(key id) + "+" + base64(0x04 || public key)
//   line    = "— " name " " base64(key id || u64be timestamp || signature)
//   message = "cosignature/v1\ntime <timestamp>\n" || checkpoint body
// Usage: go run verify_cosignatures.go <dir>
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

const witness = "witness.example.eu/aifl-interop"
const origin = "example.com/aifl-interop"

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: verify_cosignatures <dir>")
	}
	dir := os.Args[1]
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i*11 + 5)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	typed := append([]byte{0x04}, pub...)
	idHash := sha256.Sum256(append([]byte(witness+"\n"), typed...))
	keyID := idHash[:4]
	wantVkey := witness + "+" + hex.EncodeToString(keyID) + "+" + base64.StdEncoding.EncodeToString(typed)
	gotVkey, err := os.ReadFile(filepath.Join(dir, "vkey"))
	if err != nil {
		fail("%v", err)
	}
	if string(gotVkey) != wantVkey {
		fail("vkey: got %q, want %q", gotVkey, wantVkey)
	}
	notes, _ := filepath.Glob(filepath.Join(dir, "note_*"))
	if len(notes) != 4 {
		fail("want 4 notes, found %d", len(notes))
	}
	for _, path := range notes {
		data, err := os.ReadFile(path)
		if err != nil {
			fail("%v", err)
		}
		split := bytes.LastIndex(data, []byte("\n\n"))
		if split < 0 {
			fail("%s: no empty line", path)
		}
		body := data[:split+1]
		line := strings.TrimSuffix(string(data[split+2:]), "\n")
		prefix := "\u2014 " + witness + " "
		if !strings.HasPrefix(line, prefix) || strings.Contains(line, "\n") {
			fail("%s: want exactly one line starting %q, got %q", path, prefix, line)
		}
		raw, err := base64.StdEncoding.DecodeString(line[len(prefix):])
		if err != nil || len(raw) != 4+8+64 {
			fail("%s: signature: %v, %d bytes (want 76)", path, err, len(raw))
		}
		if !bytes.Equal(raw[:4], keyID) {
			fail("%s: key id %x, want %x", path, raw[:4], keyID)
		}
		ts := binary.BigEndian.Uint64(raw[4:12])
		if ts > 1<<63-1 {
			fail("%s: timestamp %d above 2^63-1", path, ts)
		}
		msg := append([]byte("cosignature/v1\ntime "+strconv.FormatUint(ts, 10)+"\n"), body...)
		if !ed25519.Verify(pub, msg, raw[12:]) {
			fail("%s: signature does not verify", path)
		}
		// Deterministic Ed25519: the exact bytes can be recomputed too.
		if !bytes.Equal(ed25519.Sign(priv, msg), raw[12:]) {
			fail("%s: signature differs from Go's", path)
		}
		if !strings.HasPrefix(string(body), origin+"\n") {
			fail("%s: body does not start with the origin", path)
		}
		// A changed timestamp must not verify.
		bad := append([]byte("cosignature/v1\ntime "+strconv.FormatUint(ts+1, 10)+"\n"), body...)
		if ed25519.Verify(pub, bad, raw[12:]) {
			fail("%s: verifies with another timestamp", path)
		}
		fmt.Printf("ok %s: time %d\n", filepath.Base(path), ts)
	}
}
