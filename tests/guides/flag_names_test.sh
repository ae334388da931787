#!/bin/bash
# One name per flag across the binaries (issue 24, item 5):
#  - every binary's --version prints "<binary> <release>", one release for
#    all (common/version.h);
#  - an unknown flag's error names the flag and never echoes its value;
#  - client TLS material is --tls_ca / --tls_cert / --tls_key everywhere;
#    the names before 0.5.0 (ledgerctl --ca --cert --key_file,
#    compliance_check --ca --cert --key, collector_agent --ca --cert) still
#    work, with one deprecation line each on stderr, and an old and a new
#    name that disagree are a usage error (exit 2).
set -euo pipefail
source common/testonly/test_lib.sh
L=tools/ledgerctl/ledgerctl
S=api/server/ledger_server
A=collector/collector_agent
C=tools/compliance_check/compliance_check
F=tools/factory_sim/factory_sim
W=witness/aifl_witness
tmp="${TEST_TMPDIR:?}"

release=""
for b in $L $S $A $C $F $W; do
  name=${b##*/}
  first=$("$b" --version | head -n 1)
  [[ $first =~ ^$name\ ([0-9]+\.[0-9]+\.[0-9]+)( |$) ]] || fail "$name --version: '$first'"
  v=${BASH_REMATCH[1]}
  [[ -z $release || $v == "$release" ]] || fail "$name is $v, others $release"
  release=$v
  echo "  $first"
done

# Unknown flags: named, value not echoed; exit non-zero.
check_unknown() {  # check_unknown BINARY ARGS...
  local rc=0
  "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
  [[ $rc -ne 0 ]] || fail "$*: unknown flag accepted"
  grep -q "no_such_flag" "$tmp/err" || { cat "$tmp/err"; fail "$*: flag not named"; }
  if grep -q "s3cret-value" "$tmp/err"; then fail "$*: the flag's value was printed"; fi
  echo "  $(head -n 1 "$tmp/err")"
}
check_unknown $L checkpoint --no_such_flag=s3cret-value
check_unknown $S --no_such_flag=s3cret-value
check_unknown $A run --no_such_flag=s3cret-value
check_unknown $C --no_such_flag=s3cret-value
check_unknown $F --no_such_flag=s3cret-value
check_unknown $W serve --no_such_flag=s3cret-value

# The old names: accepted (their value is used: here a file that does not
# exist, so the command fails reading it), one deprecation line each.
old_name() {  # old_name OLD NEW BINARY ARGS...: --OLD=/nonexistent/x is used as --NEW
  local old=$1 new=$2; shift 2
  "$@" "--$old=/nonexistent/x" >"$tmp/out" 2>"$tmp/err" || true
  [[ $(grep -c "is deprecated" "$tmp/err") -eq 1 ]] || { cat "$tmp/err"; fail "$*: --$old: no deprecation line"; }
  grep -q -- "--$old is deprecated: use --$new" "$tmp/err" || { cat "$tmp/err"; fail "$*: --$old"; }
  grep -q "/nonexistent/x" "$tmp/err" || { cat "$tmp/err"; fail "$*: --$old's value was not used"; }
  echo "  --$old: $(grep deprecated "$tmp/err")"
}
echo "not PEM" >"$tmp/x.pem"  # exists: read before the flag under test
LS=($L keys --server 127.0.0.1:1 --vkey x --trusted_dir "$tmp/t")
old_name ca tls_ca "${LS[@]}"
old_name cert tls_cert "${LS[@]}" --tls_key "$tmp/x.pem"
old_name key_file tls_key "${LS[@]}" --tls_cert "$tmp/x.pem"
CS=($C --server 127.0.0.1:1 --vkey x)
old_name ca tls_ca "${CS[@]}"
old_name cert tls_cert "${CS[@]}" --tls_ca "$tmp/x.pem" --tls_key "$tmp/x.pem"
old_name key tls_key "${CS[@]}" --tls_ca "$tmp/x.pem" --tls_cert "$tmp/x.pem"
printf 'aifl-replay v1\n' >"$tmp/empty.replay"
$L keygen --out "$tmp/node.key" >/dev/null
AS=($A run --spool_dir "$tmp/spool" --replay "$tmp/empty.replay" --ledger_server 127.0.0.1:1
    --key "$tmp/node.key" --origin o --vkey x)
old_name ca tls_ca "${AS[@]}"
old_name cert tls_cert "${AS[@]}" --tls_ca "$tmp/x.pem" --tls_key "$tmp/x.pem"

# Old and new names that disagree: a usage error naming both.
for cmd in "$L checkpoint --server 127.0.0.1:1 --vkey x" "$C --server 127.0.0.1:1 --vkey x" \
           "$A run --replay $tmp/empty.replay"; do
  rc=0
  $cmd --ca a.pem --tls_ca b.pem >"$tmp/out" 2>"$tmp/err" || rc=$?
  [[ $rc -eq 2 ]] || { cat "$tmp/err"; fail "$cmd: disagreeing --ca/--tls_ca: exit $rc, want 2"; }
  grep -q -- "--ca (deprecated) and --tls_ca disagree" "$tmp/err" || { cat "$tmp/err"; fail "$cmd"; }
done
echo "PASS: one release, named unknown flags, renamed TLS flags"
