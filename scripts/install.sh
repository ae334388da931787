#!/usr/bin/env bash
# Installs the AI factory ledger on a Debian host (or into DESTDIR):
#   PREFIX/bin/            ledger_server, collector_agent, ledgerctl, compliance_check
#                          (and aifl_witness, office_monitor when built)
#   /etc/systemd/system/   aifl-ledger.service, aifl-collector.service (+ the
#                          witness / monitor units, only with their binaries)
#   /usr/lib/sysusers.d/aifl.conf, /usr/lib/tmpfiles.d/aifl.conf, then the
#                          users (aifl-ledger, aifl-collector, …) and folders
#   PREFIX/libexec/aifl/   aifl-prolog.sh, aifl-epilog.sh (Slurm Prolog/Epilog)
#   /etc/default/          aifl-ledger, aifl-collector, aifl-witness (examples;
#                          never overwritten)
#   PREFIX/share/doc/aifl/ operator guide, deploy notes
#
# Usage:
#   scripts/install.sh                      # bazel build -c opt, then install as root
#   scripts/install.sh --bin_dir DIR        # binaries already built: DIR is a
#                                           # bazel-bin (or runfiles) tree
#   DESTDIR=/tmp/root scripts/install.sh --bin_dir bazel-bin   # staged (packaging, tests)
#   --prefix P (default /usr/local): the units' ExecStart and the scripts follow it.
# With DESTDIR, users and folders are made inside DESTDIR (systemd-sysusers
# and systemd-tmpfiles --root) and nothing on the host changes. Without it,
# the script needs root and runs `systemctl daemon-reload` when systemd runs;
# it never enables or starts a service (see docs/operator-guide.md, "Install").
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
bin_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --bin_dir) bin_dir=$2; shift 2 ;;
    --bin_dir=*) bin_dir=${1#*=}; shift ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (--help)" >&2; exit 2 ;;
  esac
done
dest=${DESTDIR:-}
if [[ -z $dest && $(id -u) -ne 0 ]]; then
  echo "install.sh: run as root, or stage with DESTDIR=…" >&2
  exit 1
fi
if [[ -z $bin_dir ]]; then
  bazel build -c opt //api/server:ledger_server //collector:collector_agent \
    //tools/ledgerctl //tools/compliance_check //witness:aifl_witness
  bin_dir=bazel-bin
fi

# binary name -> path under bin_dir (the bazel package layout).
declare -A binaries=(
  [ledger_server]=api/server/ledger_server
  [collector_agent]=collector/collector_agent
  [ledgerctl]=tools/ledgerctl/ledgerctl
  [compliance_check]=tools/compliance_check/compliance_check
)
required=(ledger_server collector_agent)
# Optional binaries: installed with their units when built.
declare -A future=([aifl_witness]=aifl-witness [office_monitor]=aifl-monitor)

install -d "$dest$prefix/bin" "$dest/etc/systemd/system" "$dest/usr/lib/sysusers.d" \
  "$dest/usr/lib/tmpfiles.d" "$dest$prefix/libexec/aifl" "$dest/etc/default" \
  "$dest$prefix/share/doc/aifl"
for name in "${!binaries[@]}"; do
  src=$bin_dir/${binaries[$name]}
  if [[ -f $src ]]; then
    install -m 0755 "$src" "$dest$prefix/bin/$name"
  elif [[ " ${required[*]} " == *" $name "* ]]; then
    echo "install.sh: $src not found (build it, or give --bin_dir)" >&2
    exit 1
  fi
done

unit() {  # install one unit, ExecStart following --prefix
  sed "s|/usr/local/|$prefix/|g" "deploy/systemd/$1.service" >"$dest/etc/systemd/system/$1.service"
  chmod 0644 "$dest/etc/systemd/system/$1.service"
}
unit aifl-ledger
unit aifl-collector
for name in "${!future[@]}"; do
  src=$(find "$bin_dir" -maxdepth 3 -type f -name "$name" 2>/dev/null | head -n 1)
  if [[ -n $src ]]; then
    install -m 0755 "$src" "$dest$prefix/bin/$name"
    unit "${future[$name]}"
  fi
done
install -m 0644 deploy/systemd/aifl.sysusers "$dest/usr/lib/sysusers.d/aifl.conf"
install -m 0644 deploy/systemd/aifl.tmpfiles "$dest/usr/lib/tmpfiles.d/aifl.conf"
for script in aifl-prolog.sh aifl-epilog.sh aifl-slurm-lib.sh; do
  sed "s|/usr/local/|$prefix/|g" "deploy/slurm/$script" >"$dest$prefix/libexec/aifl/$script"
  chmod 0755 "$dest$prefix/libexec/aifl/$script"
done
for conf in aifl-ledger aifl-collector aifl-witness; do  # examples: an operator's file is kept
  [[ $conf != aifl-witness || -e $dest$prefix/bin/aifl_witness ]] || continue
  [[ -e $dest/etc/default/$conf ]] || install -m 0644 "deploy/default/$conf" "$dest/etc/default/$conf"
done
install -m 0644 docs/operator-guide.md deploy/README.md "$dest$prefix/share/doc/aifl/"

# Users, then folders (tmpfiles resolves the users' names).
if [[ -n $dest ]]; then
  systemd-sysusers --root="$dest" aifl.conf
  systemd-tmpfiles --root="$dest" --create aifl.conf
else
  systemd-sysusers aifl.conf
  systemd-tmpfiles --create aifl.conf
  if [[ -d /run/systemd/system ]]; then systemctl daemon-reload; fi
fi
echo "install.sh: installed into ${dest:-/} (prefix $prefix); next: edit /etc/default/aifl-*, then" \
  "systemctl enable --now aifl-ledger (ledger host) or aifl-collector (GPU nodes)"
