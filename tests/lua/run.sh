#!/usr/bin/env bash
# The LuaJIT binding inside a real nginx, with the configurations docs/lua.md shows (read from
# that file between its markers, placeholders filled in):
#  1. each worker loads a snapshot of examples/gateway.jsonl; requests whose expected status
#     comes from `authz check` on the same model;
#  2. where authz has the replica library: a redis-server on a unix socket, a leader
#     (`authz serve --publish`) that receives the model's writes over HTTP, and nginx whose
#     workers follow the stream (authz.follow); the same requests, sent with the leader's
#     revision in X-Authz-Min-Revision; then a revoke on the leader turns an allow into a deny.
# Every process is stopped by its pid however the test ends.
# usage: run.sh <authz command> <libauthz_json.so> [sanitizer runtime to preload]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
authz_cmd=$1 library=$2 preload=${3:-}
modules=/usr/lib/nginx/modules
model=$root/examples/gateway.jsonl
command -v nginx >/dev/null || { echo "lua: nginx is not installed (scripts/setup.sh installs it)"; exit 1; }
[ -f "$modules/ngx_http_lua_module.so" ] || { echo "lua: libnginx-mod-http-lua is not installed"; exit 1; }

work=$(mktemp -d)
chmod 755 "$work" # nginx's workers run as an unprivileged user and read files here
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cp "$library" "$work/libauthz_json.so"
cp "$root/bindings/lua/authz.lua" "$work/authz.lua"
"$authz_cmd" save --load "$model" "$work/gateway.snap" >/dev/null
chmod 644 "$work"/*

# config <marker> <dir> <port> [redis url]: docs/lua.md's block, placeholders filled, in dir/nginx.conf
config() {
  sed -n "/<!-- $1 begin -->/,/<!-- $1 end -->/p" "$root/docs/lua.md" | sed '1,2d;$d' | sed '$d' |
    sed -e "s|@PREFIX@|$2|g" -e "s|@PORT@|$3|g" -e "s|@MODULES@|$modules|g" \
      -e "s|@LUA_PATH@|$work|g" -e "s|@LIBRARY@|$work/libauthz_json.so|g" \
      -e "s|@SNAPSHOT@|$work/gateway.snap|g" -e "s|@REDIS_URL@|${4:-}|g" -e "s|@STREAM@|authz|g" \
      >"$2/nginx.conf"
  grep -q access_by_lua_block "$2/nginx.conf" || { echo "lua: no $1 configuration in docs/lua.md"; exit 1; }
  if grep -q '@[A-Z_]*@' "$2/nginx.conf"; then echo "lua: unfilled placeholder in $1"; exit 1; fi
}
# start_nginx <dir> <port>
start_nginx() {
  env ${preload:+LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0} \
    nginx -p "$1" -c "$1/nginx.conf" -g 'daemon off;' 2>"$1/stderr" &
  pids+=($!)
  local pid=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$2/orders" && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$1/stderr" "$1/error.log" 2>/dev/null || true
  echo "lua: nginx did not start"
  exit 1
}
no_errors() { # <dir>
  if grep -q '\[error\]\|\[alert\]\|\[emerg\]' "$1/error.log"; then
    grep '\[error\]\|\[alert\]\|\[emerg\]' "$1/error.log" | head -5
    echo "lua: nginx logged errors"
    exit 1
  fi
}

total=0
good=0
request() { # port user method path expected-status [header]
  local got
  got=$(curl -sS -o "$work/response" -w '%{http_code}' -X "$3" ${2:+-H "X-User: $2"} ${6:+-H "$6"} \
    "http://127.0.0.1:$1$4")
  total=$((total + 1))
  if [ "$got" = "$5" ]; then good=$((good + 1)); else echo "lua: $3 $4 as '$2': $got, expected $5"; fi
}
declare -A expect_cache
want=
expected() { # user method path: sets $want to what `authz check` answers on the model
  local key="$1 $2 $3" code rest res
  if [ -z "${expect_cache[$key]:-}" ]; then
    code=$(echo "$3" | cut -d/ -f2) rest=$(echo "$3" | cut -d/ -f3-)
    res=$code; [ -n "$rest" ] && res="$code:$rest"
    if "$authz_cmd" check --load "$model" --namespace gateway "$1" "$res" "$2" >/dev/null; then
      expect_cache[$key]=200
    else
      expect_cache[$key]=403
    fi
  fi
  want=${expect_cache[$key]}
}
requests() { # port [header]: the gateway example's requests
  for user in alice bob carol dave mallory; do
    for method in GET POST DELETE; do
      for path in /orders /orders/991 /invoices/2024-17 /invoices/2024-18 /admin /admin/cache; do
        expected "$user" "$method" "$path"
        request "$1" "$user" "$method" "$path" "$want" "${2:-}"
      done
    done
  done
  request "$1" "" GET /orders 401 "${2:-}"
}

# 1. an engine per worker from a snapshot
mkdir -p "$work/snap"
port=$(free_port)
config nginx.conf "$work/snap" "$port"
start_nginx "$work/snap" "$port"
requests "$port"
# engine:call: a GenAuth request into a worker's engine, answered with the envelope.
body=$(curl -s -X POST "http://127.0.0.1:$port/authz/call?method=is_action_allowed" \
  -d '{"namespace":"gateway","userId":"alice","resource":"orders:1","action":"GET"}')
total=$((total + 1))
case "$body" in *'"allowed":true'*) good=$((good + 1)) ;; *) echo "lua: engine:call answered $body" ;; esac
body=$(curl -s -X POST "http://127.0.0.1:$port/authz/call?method=is_action_alowed" -d '{}')
total=$((total + 1))
case "$body" in *'"statusCode":400'*'unknown method'*) good=$((good + 1)) ;; *) echo "lua: engine:call answered $body" ;; esac
no_errors "$work/snap"
echo "lua: nginx $good/$total requests as expected"
[ "$good" = "$total" ] || exit 1

# 2. every worker following a leader through Redis
if ! "$authz_cmd" serve --help 2>&1 | grep -q -- '--publish'; then
  echo "lua: this authz has no replication (authz serve --publish); authz.follow not tested"
  exit 0
fi
command -v redis-server >/dev/null || { echo "lua: redis-server is not installed (scripts/setup.sh installs it)"; exit 1; }
mkdir -p "$work/redis" "$work/leader" "$work/follow"
cat >"$work/redis/redis.conf" <<CONF
port 0
unixsocket $work/redis/redis.sock
unixsocketperm 777
dir $work/redis
save ""
appendonly no
daemonize no
logfile $work/redis/redis.log
CONF
redis-server "$work/redis/redis.conf" &
pids+=($!)
for _ in $(seq 100); do [ -S "$work/redis/redis.sock" ] && break; sleep 0.1; done
[ -S "$work/redis/redis.sock" ] || { echo "lua: redis-server did not start"; exit 1; }
redis_url="unix://$work/redis/redis.sock"
"$authz_cmd" serve --no-auth --port 0 --data "$work/leader/data" --publish "$redis_url" \
  >"$work/leader/out" 2>"$work/leader/err" &
pids+=($!)
leader=
for _ in $(seq 100); do
  leader=$(grep -o 'http://[0-9.:]*' "$work/leader/out" 2>/dev/null | head -1 || true)
  [ -n "$leader" ] && break
  sleep 0.1
done
[ -n "$leader" ] || { cat "$work/leader/err"; echo "lua: the leader did not start"; exit 1; }
revision=0
write() { # method json: one write through the leader; records its revision
  local path status
  path=$("$authz_cmd" methods | awk -v m="$1" '$1 == m {print $3}')
  status=$(curl -s -D "$work/headers" -o "$work/response" -w '%{http_code}' -X POST \
    -H 'content-type: application/json' "$leader$path" -d "$2")
  grep -q '"statusCode":200' "$work/response" || { cat "$work/response"; echo "lua: leader refused $1 ($status)"; exit 1; }
  revision=$(awk 'tolower($1) == "x-authz-revision:" {print $2}' "$work/headers" | tr -d '\r')
}
# the model's writes as "method<TAB>params" lines (one interpreter start: they are slow here)
python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["method"] + "\t" + json.dumps(r["params"]))' "$model" >"$work/writes"
while IFS=$'\t' read -r method params; do
  case "$method" in is_action_allowed | explain_action | get_*) continue ;; esac
  write "$method" "$params"
done <"$work/writes"
port=$(free_port)
config nginx-follow.conf "$work/follow" "$port" "$redis_url"
start_nginx "$work/follow" "$port"
total=0
good=0
requests "$port" "X-Authz-Min-Revision: $revision"
# A write on the leader reaches every worker: alice loses the customer role.
write revoke_role '{"namespace":"gateway","code":"customer","targets":[{"targetType":"USER","targetIdentifier":"alice"}]}'
for _ in 1 2 3 4; do
  request "$port" alice POST /orders/991 403 "X-Authz-Min-Revision: $revision"
done
request "$port" alice GET /orders/1 503 "X-Authz-Min-Revision: $((revision + 1000))"
no_errors "$work/follow"
echo "lua: nginx following a Redis stream $good/$total requests as expected (revision $revision)"
[ "$good" = "$total" ]
