#!/usr/bin/env bash
# Installs what authz needs to build and test, from Debian's packages (idempotent: it does
# nothing when everything is already there). Run as root, or with sudo available.
set -euo pipefail

packages=(build-essential cmake pkg-config clang libclang-rt-14-dev clang-format
          libxxhash-dev libcmocka-dev libjansson-dev libmicrohttpd-dev libssl-dev
          libbenchmark-dev python3 curl wrk redis-server libhiredis-dev
          python3-pip libnginx-mod-http-lua lua-resty-core)
packages+=(nginx caddy openssl) # tests/gateway: authz behind real gateways

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The base image ships Node.js with npm; Debian's own only where there is none.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
