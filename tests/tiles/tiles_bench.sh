#!/bin/bash
# tlog-tiles benchmark (not a test): ledger_server --http_listen against nginx
# serving `ledgerctl publish` output of the same ledger, same client
# (tiles_http_bench: HTTP/1.1 keep-alive over loopback), same run.
#   bazel build -c opt //tests/tiles:tiles_bench && bazel-bin/tests/tiles/tiles_bench [ENTRIES]
# Figures: docs/PERFORMANCE.md, "tlog-tiles".
set -euo pipefail
cd "${RUNFILES_DIR:-$0.runfiles}/ai_factory_ledger"
L=tools/ledgerctl/ledgerctl
S=api/server/ledger_server
B=tests/tiles/tiles_http_bench
entries=${1:-2000}
conns=${CONNECTIONS:-4}
secs=${SECONDS_EACH:-3}
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

$L init --dir "$tmp/D" --origin bench.example/log >/dev/null
$L keygen --out "$tmp/c.key" >/dev/null
$L enroll --dir "$tmp/D" --pub "$tmp/c.key.pub" --role collector --organisation B >/dev/null
mkdir "$tmp/p"
for i in $(seq 1 "$entries"); do head -c 200 /dev/urandom | base64 -w0 >"$tmp/p/$i"; done
ls "$tmp/p" | sed "s|^|$tmp/p/|" | xargs -n 1000 $L append --dir "$tmp/D" --key "$tmp/c.key" \
  --type aifl.collector.v1.Blob >/dev/null
$L publish --dir "$tmp/D" --out "$tmp/www" | tail -n 1

hp=$(free_port)
$S --ledger_dir="$tmp/D" --insecure_loopback --listen=127.0.0.1:$(free_port) \
  --http_listen=127.0.0.1:$hp --fd_reserve=64 --min_free_mb=0 2>"$tmp/server.log" &
np=$(free_port)
user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root;"
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<CONF
$user_line
worker_processes ${NGINX_WORKERS:-1};
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi; uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  default_type application/octet-stream;
  keepalive_requests 100000000;
  server { listen 127.0.0.1:$np; root $tmp/www; }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$hp/checkpoint" >/dev/null 2>&1 &&
    curl -sf "http://127.0.0.1:$np/checkpoint" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "entries $entries, $conns connections, $(nproc) CPUs, $secs s each"
for path in /tile/0/000 /tile/entries/000 /checkpoint; do
  $B --port=$hp --path=$path --connections=$conns --seconds=$secs --label="ledger_server"
  $B --port=$np --path=$path --connections=$conns --seconds=$secs --label="nginx        "
done
