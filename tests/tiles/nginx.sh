# Sourced by the tiles tests: start_nginx ROOT DIR starts a real nginx (one
# worker) on a free loopback port serving folder ROOT as static files, with
# its config, pid and logs under DIR, and waits until /checkpoint answers.
# Sets nginx_pid and nginx_port; the caller kills nginx_pid. Needs `fail`
# and `free_port` from common/testonly/test_lib.sh, which the caller sources.
start_nginx() {
  local root=$1 dir=$2
  nginx_port=$(free_port)
  mkdir -p "$dir"
  # As root, nginx's workers would switch to an unprivileged user who cannot
  # read the test's temporary folder: keep them as the test's user.
  local user_line=""
  [[ $(id -u) -eq 0 ]] && user_line="user root;"
  cat >"$dir/nginx.conf" <<CONF
$user_line
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  types { text/plain checkpoint; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:$nginx_port;
    root $root;
    location = /checkpoint { default_type "text/plain; charset=utf-8"; }
  }
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>"$dir/stderr" &
  nginx_pid=$!
  for _ in $(seq 1 50); do
    curl -sf "http://127.0.0.1:$nginx_port/checkpoint" >/dev/null 2>&1 && return 0
    kill -0 $nginx_pid 2>/dev/null || { cat "$dir/stderr" "$dir/error.log" >&2; fail "nginx exited"; }
    sleep 0.1
  done
  fail "nginx did not answer on port $nginx_port"
}
