#!/usr/bin/env bash
# Forward-auth throughput and latency (keep-alive, one client event loop, loopback):
#   1. /authz/forward over the unix socket (--forward-unix) and over TCP (the main port);
#   2. nginx + authz (auth_request over the unix socket) against nginx alone, same upstream;
#   3. route match + check inside the process.
# The model: 1,000 API resources /svc<i>/items/{id}, one role each; every request is allowed.
#   usage: bash bench/http/run_forward.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
conns=${2:-32}
bash scripts/setup.sh >/dev/null
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_TESTS=OFF -DAUTHZ_BUILD_BENCH=ON >/dev/null
cmake --build build/release -j2 --target authz authz_fwd_load >/dev/null
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
python3 - "$tmp/model.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        for m in ({"method": "create_resource", "params": {"code": "r%d" % i, "type": "API",
                   "apiIdentifier": "/svc%d/items/{id}" % i, "actions": [{"name": "GET"}]}},
                  {"method": "create_role", "params": {"code": "role%d" % i}},
                  {"method": "assign_role", "params": {"code": "role%d" % i, "targets": [{"targetType": "USER", "targetIdentifier": "u%d" % i}]}},
                  {"method": "authorize_resources", "params": {"namespace": "default", "list": [{"targetType": "ROLE", "targetIdentifiers": ["role%d" % i],
                   "resources": [{"code": "r%d:*" % i, "actions": ["GET"], "resourceType": "API"}]}]}}):
            f.write(json.dumps(m) + "\n")
PY
build/release/src/cli/authz serve --no-auth --port 0 --threads 2 --load "$tmp/model.jsonl" \
  --forward-unix "$tmp/fw.sock" >"$tmp/out" 2>/dev/null &
pids+=($!)
for _ in $(seq 100); do grep -q "forward-auth on" "$tmp/out" && break; sleep 0.1; done
port=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/out" | grep -o '[0-9]*$')
load=build/release/bench/authz_fwd_load
$load http "unix:$tmp/fw.sock" "$secs" "$conns" /authz/forward
$load http "127.0.0.1:$port" "$secs" "$conns" /authz/forward

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
gw=$(free_port); alone=$(free_port); up=$(free_port)
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<NGINX
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    upstream backend { server 127.0.0.1:$up; keepalive 64; }
    upstream authz { server unix:$tmp/fw.sock; keepalive 64; }
    server { listen 127.0.0.1:$up; location / { return 200 "ok\n"; } }
    server {
        listen 127.0.0.1:$alone;
        location / { proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://backend; }
    }
    server {
        listen 127.0.0.1:$gw;
        location / {
            auth_request /_authz;
            proxy_http_version 1.1; proxy_set_header Connection ""; proxy_pass http://backend;
        }
        location = /_authz {
            internal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass http://authz/authz/forward;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-Method \$request_method;
            proxy_set_header X-Original-URI \$request_uri;
            proxy_set_header X-Forwarded-Method "";
            proxy_set_header X-Forwarded-Uri "";
        }
    }
}
NGINX
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' 2>/dev/null &
pids+=($!)
sleep 1
$load http "127.0.0.1:$alone" "$secs" "$conns" "nginx-alone" | sed 's/^/nginx alone: /'
$load http "127.0.0.1:$gw" "$secs" "$conns" "nginx+authz" | sed 's/^/nginx + authz: /'
$load inproc 1000
