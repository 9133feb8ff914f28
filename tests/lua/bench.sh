#!/usr/bin/env bash
# The in-process check (LuaJIT FFI in access_by_lua) against the forward-auth subrequest
# (auth_request to `authz serve`'s /authz/forward over a unix socket): same nginx, same model,
# same requests (GET /orders/<n> as alice: allowed), measured with wrk. A benchmark, not a test:
# it prints one line per way and asserts nothing about speed.
# usage: bench.sh <authz command> <libauthz_json.so> [seconds]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
authz_cmd=$1 library=$2 seconds=${3:-10}
modules=/usr/lib/nginx/modules
command -v wrk >/dev/null || { echo "lua bench: wrk is not installed"; exit 1; }
if ! "$authz_cmd" serve --help 2>&1 | grep -q -- --forward-unix; then
  echo "lua bench: this authz has no forward-auth endpoint (/authz/forward); in-process only"
  forward=0
else
  forward=1
fi
work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cat >"$work/model.jsonl" <<'MODEL'
{"method":"create_resource","params":{"code":"orders","type":"API","apiIdentifier":"/orders/{id}","actions":[{"name":"GET"},{"name":"POST"}]}}
{"method":"create_role","params":{"code":"reader"}}
{"method":"assign_role","params":{"code":"reader","targets":[{"targetType":"USER","targetIdentifier":"alice"}]}}
{"method":"authorize_resources","params":{"namespace":"default","list":[{"targetType":"ROLE","targetIdentifiers":["reader"],"resources":[{"code":"orders:*","actions":["GET"],"resourceType":"API"}]}]}}
MODEL
"$authz_cmd" save --load "$work/model.jsonl" "$work/model.snap"
cp "$library" "$work/libauthz_json.so"
cp "$root/bindings/lua/authz.lua" "$work/"
chmod 644 "$work"/*
lua_port=$(free_port) fa_port=$(free_port) none_port=$(free_port)
if [ "$forward" = 1 ]; then
  "$authz_cmd" serve --no-auth --port "$(free_port)" --load "$work/model.jsonl" \
    --forward-unix "$work/forward.sock" >"$work/serve.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -S "$work/forward.sock" ] && break; sleep 0.1; done
  chmod 666 "$work/forward.sock"
fi
cat >"$work/nginx.conf" <<CONF
load_module $modules/ndk_http_module.so;
load_module $modules/ngx_http_lua_module.so;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    lua_package_path "$work/?.lua;;";
    init_worker_by_lua_block {
        local authz = require "authz"
        authz.open("$work/libauthz_json.so")
        authz.engine = assert(authz.load("$work/model.snap"))
    }
    server {
        listen 127.0.0.1:$lua_port;
        location /orders/ {
            access_by_lua_block {
                local authz = require "authz"
                local id = ngx.var.uri:sub(9)
                if not authz.engine:check(ngx.var.http_x_user_id, "orders:" .. id, ngx.req.get_method()) then
                    return ngx.exit(403)
                end
            }
            content_by_lua_block { ngx.say("ok") }
        }
    }
    server {
        listen 127.0.0.1:$none_port;
        location /orders/ { content_by_lua_block { ngx.say("ok") } }
    }
    server {
        listen 127.0.0.1:$fa_port;
        location /orders/ {
            auth_request /_authz;
            content_by_lua_block { ngx.say("ok") }
        }
        location = /_authz {
            internal;
            proxy_pass http://unix:$work/forward.sock:/authz/forward;
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-Method \$request_method;
            proxy_set_header X-Original-URI \$request_uri;
        }
    }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' 2>"$work/nginx.err" &
pids+=($!)
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$lua_port/orders/1" && break; sleep 0.1; done
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-User-Id: alice' "http://127.0.0.1:$lua_port/orders/1")" = 200 ] || { echo "lua bench: in-process route does not allow alice"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-User-Id: bob' "http://127.0.0.1:$lua_port/orders/1")" = 403 ] || { echo "lua bench: in-process route does not deny bob"; exit 1; }
run() { # name port
  local out rps p50
  out=$(wrk -t1 -c16 -d"${seconds}s" --latency -H 'X-User-Id: alice' "http://127.0.0.1:$2/orders/1")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  echo "lua bench: $1: $rps req/s, p50 $p50${non2xx:+, $non2xx non-2xx}"
}
run "no check (baseline)" "$none_port"
run "in-process check (access_by_lua, FFI)" "$lua_port"
if [ "$forward" = 1 ]; then
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'X-User-Id: alice' "http://127.0.0.1:$fa_port/orders/1")" = 200 ] || { echo "lua bench: forward-auth route does not allow alice"; cat "$work/serve.log"; exit 1; }
  run "forward-auth subrequest (auth_request, unix socket)" "$fa_port"
fi
