#!/bin/bash
# End to end through the ledgerctl CLI contract: init, keygen, enroll,
# append, checkpoint, leaf, prove, consistency, verify, keys, snapshot; the
# checkpoint and proofs are verified by Go's independent note and tlog
# packages (offline, GOPATH mode). Failures must print one stderr line, exit
# non-zero and leave the ledger unchanged.
set -euo pipefail
source common/testonly/test_lib.sh

L=tools/ledgerctl/ledgerctl
GO_SRC=tests/interop/ledgerctl/verify_ledger.go
tmp="${TEST_TMPDIR:?}"
D="$tmp/ledger"
export GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$tmp/gocache" GOFLAGS= HOME="$tmp" \
  GOPROXY=off CGO_ENABLED=0
command -v go >/dev/null || fail "go is not installed (apt-get install golang-go)"
go build -o "$tmp/verify_ledger" "$GO_SRC"
V="$tmp/verify_ledger"

vkey=$($L init --dir "$D" --origin factory.example.eu/ledger | tail -n 1)
[[ "$vkey" == factory.example.eu/ledger+* ]] || fail "init's last line is not a verifier key: $vkey"
$L keygen --out "$tmp/c1.key" >/dev/null
[[ $(stat -c %a "$tmp/c1.key") == 600 ]] || fail "key file is not owner-only"
$L enroll --dir "$D" --pub "$tmp/c1.key.pub" --role collector --organisation "Factory A" >/dev/null
$L checkpoint --dir "$D" >"$tmp/old.note"
for i in $(seq 1 40); do echo "interval report $i" >"$tmp/p$i"; done
indices=$($L append --dir "$D" --key "$tmp/c1.key" "$tmp"/p{1..40})
[[ $(echo "$indices" | wc -l) -eq 40 ]] || fail "append printed $(echo "$indices" | wc -l) indices"
$L checkpoint --dir "$D" >"$tmp/new.note"

# Inclusion of a few leaves, checked by Go.
for index in 0 3 17 42; do
  $L leaf --dir "$D" --index $index >"$tmp/leaf"
  $L prove --dir "$D" --index $index >"$tmp/proof"
  "$V" inclusion "$vkey" "$tmp/new.note" "$tmp/leaf" $index "$tmp/proof"
done
# Consistency between the two saved checkpoints, checked by Go.
old_size=$(sed -n 2p "$tmp/old.note")
$L consistency --dir "$D" --from "$old_size" >"$tmp/cproof"
"$V" consistency "$vkey" "$tmp/old.note" "$tmp/new.note" "$tmp/cproof"
# A tampered proof must be refused by Go.
{ echo AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; tail -n +2 "$tmp/proof"; } >"$tmp/bad_proof"
$L leaf --dir "$D" --index 42 >"$tmp/leaf"
if "$V" inclusion "$vkey" "$tmp/new.note" "$tmp/leaf" 42 "$tmp/bad_proof" 2>/dev/null; then
  fail "Go accepted a tampered proof"
fi

$L verify --dir "$D" 2>/dev/null | grep -q '^ok: 43 entries' || fail "verify did not pass"
$L keys --dir "$D" --json | grep -q '"role": "collector"' || fail "keys --json lacks the collector"

# Bad input: one stderr line, non-zero exit, ledger unchanged.
$L keygen --out "$tmp/stranger.key" >/dev/null
expect_failure "is not enrolled in this ledger" \
  $L append --dir "$D" --key "$tmp/stranger.key" "$tmp/p1"
expect_failure "role collector may not sign payload type aifl.provider.v1.ModelDeclaration" \
  $L append --dir "$D" --key "$tmp/c1.key" --type aifl.provider.v1.ModelDeclaration "$tmp/p1"
expect_failure "leaf 999 is beyond the checkpoint's size" $L prove --dir "$D" --index 999
expect_failure 'role: got "wizard"' $L enroll --dir "$D" --pub "$tmp/c1.key.pub" --role wizard
expect_failure "^ledgerctl enroll: key [0-9a-f]* is already enrolled (keys are never re-used)\$" \
  $L enroll --dir "$D" --pub "$tmp/c1.key.pub" --role collector
expect_failure "a ledger database already exists" $L init --dir "$D" --origin factory.example.eu/ledger
expect_failure "refusing to overwrite a key file" $L keygen --out "$tmp/c1.key"
expect_failure "no ledger database in" $L leaf --dir "$tmp/nowhere" --index 0
$L checkpoint --dir "$D" | cmp - "$tmp/new.note" || fail "a refused command changed the ledger"

# Log-key rotation, offline. Go verifies the handover note with the old and
# the new verifier key (each alone, and both together), the LogKey's
# inclusion in it, the later note with the new key only, and proofs across.
$L checkpoint --dir "$D" >"$tmp/before.note"
rotated=$($L rotate-log-key --dir "$D" --new-key "$tmp/log2.key" --generate)
new_vkey=$(echo "$rotated" | tail -n 1)
[[ "$new_vkey" == factory.example.eu/ledger+* && "$new_vkey" != "$vkey" ]] ||
  fail "rotate-log-key's last line is not a new verifier key: $new_vkey"
$L checkpoint --dir "$D" >"$tmp/handover.note"
[[ $(grep -c $'^\xe2\x80\x94 ' "$tmp/handover.note") -eq 2 ]] || fail "the handover note lacks two signature lines"
[[ $(grep $'^\xe2\x80\x94 ' "$tmp/handover.note" | head -n 1 | cut -d' ' -f2) == factory.example.eu/ledger ]] ||
  fail "signature key name is not the origin"
sig_id() {  # sig_id NOTE N: the note key id (hex) of the N-th signature line
  grep $'^\xe2\x80\x94 ' "$1" | sed -n "$2p" | cut -d' ' -f3 | base64 -d | head -c 4 | od -An -tx1 | tr -d ' \n'
}
[[ $(sig_id "$tmp/handover.note" 1) == $(echo "$vkey" | cut -d+ -f2) ]] || fail "the old key's line is not first"
[[ $(sig_id "$tmp/handover.note" 2) == $(echo "$new_vkey" | cut -d+ -f2) ]] || fail "the new key's line is not second"
"$V" note "$tmp/handover.note" "$vkey"
"$V" note "$tmp/handover.note" "$new_vkey"
"$V" note "$tmp/handover.note" "$vkey" "$new_vkey"
announce=$(($(sed -n 2p "$tmp/handover.note") - 1))
$L leaf --dir "$D" --index $announce >"$tmp/leaf"
$L prove --dir "$D" --index $announce >"$tmp/proof"
"$V" inclusion "$vkey" "$tmp/handover.note" "$tmp/leaf" $announce "$tmp/proof"
$L append --dir "$D" --key "$tmp/c1.key" "$tmp"/p{1..5} >/dev/null
$L checkpoint --dir "$D" >"$tmp/later.note"
[[ $(grep -c $'^\xe2\x80\x94 ' "$tmp/later.note") -eq 1 ]] || fail "the later note has not one signature"
"$V" note "$tmp/later.note" "$new_vkey"
if "$V" note "$tmp/later.note" "$vkey" 2>/dev/null; then fail "Go accepted the later note with the retired key"; fi
old_size=$(sed -n 2p "$tmp/before.note")
$L consistency --dir "$D" --from "$old_size" >"$tmp/cproof"
"$V" consistency "$vkey" "$tmp/before.note" "$tmp/later.note" "$tmp/cproof" "$new_vkey"
$L leaf --dir "$D" --index 3 >"$tmp/leaf"
$L prove --dir "$D" --index 3 >"$tmp/proof"
"$V" inclusion "$new_vkey" "$tmp/later.note" "$tmp/leaf" 3 "$tmp/proof"
[[ $($L keys --dir "$D" | grep -c '^log-key') -eq 2 ]] || fail "keys does not list two log keys"
$L keys --dir "$D" | tail -n 1 | grep -qF -- "$new_vkey" || fail "keys does not end with the current log key"
$L verify --dir "$D" 2>/dev/null | grep -q '^ok: ' || fail "verify did not pass after the rotation"
# Re-running completes nothing new; the old key, or a signing key, is refused.
$L rotate-log-key --dir "$D" --new_key "$tmp/log2.key" | tail -n 1 | grep -qxF -- "$new_vkey" ||
  fail "a re-run did not print the same verifier key"
retired=$(ls "$D"/keys/log.key.retired-* | grep -v '\.pub$\|\.signed-state$')
expect_failure "log keys are never re-used" $L rotate-log-key --dir "$D" --new-key "$retired"
expect_failure "is enrolled as a signing key; a log key must be a fresh key" \
  $L rotate-log-key --dir "$D" --new-key "$tmp/c1.key"
expect_failure "refusing to overwrite a key file" \
  $L rotate-log-key --dir "$D" --new-key "$tmp/log2.key" --generate
$L checkpoint --dir "$D" | cmp - "$tmp/later.note" || fail "a refused rotation changed the ledger"

# Snapshot, then damage the copy: verify names the leaf and exits 1.
$L snapshot --dir "$D" --out "$tmp/snap" >/dev/null
$L verify --dir "$tmp/snap" >/dev/null 2>&1 || fail "snapshot does not verify"
echo "PASS: ledgerctl end to end (with a log-key rotation), verified by Go's sumdb/note and sumdb/tlog"
