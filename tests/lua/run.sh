#!/usr/bin/env bash
# The LuaJIT binding inside a real nginx: the configuration of docs/lua.md (read from that file
# between its markers, placeholders filled in), a snapshot of examples/gateway.jsonl, nginx on a
# free loopback port, then requests whose expected status comes from `authz check` on the same
# model. nginx is stopped by its pid however the test ends.
# usage: run.sh <authz command> <libauthz_json.so> [sanitizer runtime to preload]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
authz_cmd=$1 library=$2 preload=${3:-}
modules=/usr/lib/nginx/modules
command -v nginx >/dev/null || { echo "lua: nginx is not installed (scripts/setup.sh installs it)"; exit 1; }
[ -f "$modules/ngx_http_lua_module.so" ] || { echo "lua: libnginx-mod-http-lua is not installed"; exit 1; }

work=$(mktemp -d)
chmod 755 "$work" # nginx's workers run as an unprivileged user and read the snapshot here
nginx_pid=
cleanup() {
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cp "$library" "$work/libauthz_json.so"
cp "$root/bindings/lua/authz.lua" "$work/authz.lua"
"$authz_cmd" save --load "$root/examples/gateway.jsonl" "$work/gateway.snap" >/dev/null
chmod 644 "$work"/*

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The configuration is the one docs/lua.md shows.
sed -n '/<!-- nginx.conf begin -->/,/<!-- nginx.conf end -->/p' "$root/docs/lua.md" |
  sed '1,2d;$d' | sed '$d' |
  sed -e "s|@PREFIX@|$work|g" -e "s|@PORT@|$port|g" -e "s|@MODULES@|$modules|g" \
      -e "s|@LUA_PATH@|$work|g" -e "s|@LIBRARY@|$work/libauthz_json.so|g" \
      -e "s|@SNAPSHOT@|$work/gateway.snap|g" >"$work/nginx.conf"
grep -q access_by_lua_block "$work/nginx.conf" || { echo "lua: no configuration found in docs/lua.md"; exit 1; }
if grep -q '@[A-Z_]*@' "$work/nginx.conf"; then echo "lua: unfilled placeholder in docs/lua.md"; exit 1; fi

env ${preload:+LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0} \
  nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' 2>"$work/stderr" &
nginx_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/orders" && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$work/stderr" "$work/error.log" 2>/dev/null; echo "lua: nginx did not start"; exit 1; }
  sleep 0.1
done

total=0
good=0
request() { # user method path expected-status
  local got
  got=$(curl -sS -o "$work/response" -w '%{http_code}' -X "$2" ${1:+-H "X-User: $1"} "http://127.0.0.1:$port$3")
  total=$((total + 1))
  if [ "$got" = "$4" ]; then good=$((good + 1)); else echo "lua: $2 $3 as '$1': $got, expected $4"; fi
}
# expected: what `authz check` answers on the same model
expect() { # user method path
  local res code rest
  code=$(echo "$3" | cut -d/ -f2) rest=$(echo "$3" | cut -d/ -f3-)
  res=$code; [ -n "$rest" ] && res="$code:$rest"
  if "$authz_cmd" check --load "$root/examples/gateway.jsonl" --namespace gateway "$1" "$res" "$2" >/dev/null; then
    request "$1" "$2" "$3" 200
  else
    request "$1" "$2" "$3" 403
  fi
}
for user in alice bob carol dave mallory; do
  for method in GET POST DELETE; do
    for path in /orders /orders/991 /invoices/2024-17 /invoices/2024-18 /admin /admin/cache; do
      expect "$user" "$method" "$path"
    done
  done
done
request "" GET /orders 401
# The prepared route and the direct check agree with the model (covered above: GET /admin).
# engine:call: a GenAuth request into a worker's engine, answered with the envelope.
body=$(curl -s -X POST "http://127.0.0.1:$port/authz/call?method=is_action_allowed" \
  -d '{"namespace":"gateway","userId":"alice","resource":"orders:1","action":"GET"}')
total=$((total + 1))
case "$body" in *'"allowed":true'*) good=$((good + 1)) ;; *) echo "lua: engine:call answered $body" ;; esac
body=$(curl -s -X POST "http://127.0.0.1:$port/authz/call?method=is_action_alowed" -d '{}')
total=$((total + 1))
case "$body" in *'"statusCode":400'*'unknown method'*) good=$((good + 1)) ;; *) echo "lua: engine:call answered $body" ;; esac

if grep -q '\[error\]\|\[alert\]\|\[emerg\]' "$work/error.log"; then
  grep '\[error\]\|\[alert\]\|\[emerg\]' "$work/error.log" | head -5
  echo "lua: nginx logged errors"
  exit 1
fi
echo "lua: nginx $good/$total requests as expected"
[ "$good" = "$total" ]
