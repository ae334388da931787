#!/bin/bash
# dev-pki.sh OUTDIR [--org ORG] [--host NAME]... [--days N] [ROLE:CN]...
#
# A development / test PKI for ledger_server's mTLS, made with the openssl
# CLI (Debian's openssl package): one CA, a server certificate and client
# certificates following the certificate profile of api/README.md
# (O = organisation, OU = TLS role, CN = identity; the CN is what an enrolled
# key's --tls_identity must equal). Keys are ECDSA P-256, written owner-only.
#
#   OUTDIR/ca.pem, ca.key             the CA (give ca.pem to the server as
#                                     --tls_client_ca and to clients as --ca)
#   OUTDIR/server.pem, server.key     CN=localhost; SAN DNS:localhost,
#                                     IP:127.0.0.1, IP:::1 and every --host;
#                                     EKU serverAuth
#   OUTDIR/<CN>.pem, <CN>.key         one client certificate per ROLE:CN;
#                                     EKU clientAuth
#
# Without ROLE:CN arguments it issues one client certificate per role:
#   admin:admin collector:gpu001 provider:example-ai office:ai-office
#   auditor:auditor rules:rules
# ROLE is one of admin collector provider office auditor rules. Running it
# again on the same OUTDIR keeps the CA and the server certificate and adds
# (or re-issues) the client certificates named, e.g.
#   scripts/dev-pki.sh pki collector:gpu002
# For development and tests only: a production CA keeps its key offline.
# Exit 0 on success; 2 on a usage error; 1 when openssl fails.
set -euo pipefail

usage() { sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[[ $# -ge 1 && $1 != -* ]] || usage
out=$1
shift
org="AI Factory Example"
days=825
hosts=()
clients=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --org) [[ $# -ge 2 ]] || usage; org=$2; shift 2 ;;
    --days) [[ $# -ge 2 ]] || usage; days=$2; shift 2 ;;
    --host) [[ $# -ge 2 ]] || usage; hosts+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    -*) echo "dev-pki.sh: unknown flag $1" >&2; exit 2 ;;
    *:*) clients+=("$1"); shift ;;
    *) echo "dev-pki.sh: want ROLE:CN, got \"$1\"" >&2; exit 2 ;;
  esac
done
if [[ ${#clients[@]} -eq 0 ]]; then
  clients=(admin:admin collector:gpu001 provider:example-ai office:ai-office
           auditor:auditor rules:rules)
fi
for c in "${clients[@]}"; do
  role=${c%%:*} cn=${c#*:}
  case $role in
    admin|collector|provider|office|auditor|rules) ;;
    *) echo "dev-pki.sh: unknown role \"$role\" in $c (want admin, collector," \
            "provider, office, auditor or rules)" >&2; exit 2 ;;
  esac
  if [[ -z $cn || ! $cn =~ ^[A-Za-z0-9._-]+$ ]]; then
    echo "dev-pki.sh: CN \"$cn\" in $c: want letters, digits, '.', '_' or '-'" >&2
    exit 2
  fi
done

umask 077
mkdir -p "$out"
cd "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
# Distinguished-name values are escaped for -subj ('/' and '=' and '+').
subj_escape() { printf '%s' "$1" | sed 's/[\/=+]/\\&/g'; }
o=$(subj_escape "$org")

if [[ ! -f ca.pem || ! -f ca.key ]]; then
  openssl req -x509 "${newkey[@]}" -keyout ca.key -out ca.pem -days "$days" \
    -subj "/O=$o/CN=$o development CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
  echo "CA: $out/ca.pem"
fi

# issue NAME SUBJECT EXTENSIONS: NAME.key, NAME.pem signed by the CA.
issue() {
  openssl req -new "${newkey[@]}" -keyout "$1.key" -out "$tmp/$1.csr" \
    -subj "$2" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
  printf '%s\n' "$3" >"$tmp/$1.ext"
  openssl x509 -req -in "$tmp/$1.csr" -CA ca.pem -CAkey ca.key \
    -CAcreateserial -CAserial "$tmp/ca.srl" -days "$days" \
    -extfile "$tmp/$1.ext" -out "$1.pem" 2>"$tmp/err" \
    || { cat "$tmp/err" >&2; exit 1; }
}

if [[ ! -f server.pem || ! -f server.key || ${#hosts[@]} -gt 0 ]]; then
  san="DNS:localhost,IP:127.0.0.1,IP:::1"
  for h in "${hosts[@]}"; do
    if [[ $h =~ ^[0-9.]+$ || $h == *:* ]]; then san+=",IP:$h"; else san+=",DNS:$h"; fi
  done
  issue server "/O=$o/CN=localhost" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=$san"
  echo "server: $out/server.pem ($san)"
fi

for c in "${clients[@]}"; do
  role=${c%%:*} cn=${c#*:}
  issue "$cn" "/O=$o/OU=$role/CN=$cn" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
  echo "client: $out/$cn.pem (OU=$role, CN=$cn)"
done
