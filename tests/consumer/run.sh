#!/usr/bin/env bash
# Installs authz into a temporary prefix, then builds and runs a consumer of it two ways:
# CMake's find_package(authz) (shared and static targets) and pkg-config.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S "$root" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX="$work/prefix" >/dev/null
cmake --build "$work/build" -j2 >/dev/null
cmake --install "$work/build" >/dev/null
cmake -S "$root/tests/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
LD_LIBRARY_PATH="$work/prefix/lib:$work/prefix/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/consumer/consumer"
"$work/consumer/consumer_static"
"$work/consumer/consumer_json"
"$work/consumer/consumer_replica"
libdir=$(ls -d "$work"/prefix/lib*/pkgconfig | head -1)
cc -std=c11 -o "$work/pc" "$root/tests/consumer/main.c" $(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs authz)
LD_LIBRARY_PATH="$(dirname "$libdir")" "$work/pc"
cc -std=c11 -o "$work/pc_replica" "$root/tests/consumer/replica.c" \
  $(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs authz_replica)
"$work/pc_replica"
echo "consumer: find_package(authz) shared + static + replica and pkg-config: ok"
