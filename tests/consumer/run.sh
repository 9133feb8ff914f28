#!/usr/bin/env bash
# A user's view of the installed library, two ways:
#  1. configured with the default prefix, then `cmake --install --prefix` somewhere else (the
#     .pc files and the CMake package must follow the tree, not the configure-time prefix);
#  2. the Debian packages CPack builds (libauthz0, libauthz-dev, authz), checked for their
#     contents and Depends and extracted with dpkg-deb -x into a temporary tree.
# Against each tree a consumer project is built with find_package(authz) (shared, static and
# JSON targets) and with pkg-config (authz, authz_json), and run.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S "$root" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DAUTHZ_BUILD_TESTS=OFF >/dev/null
cmake --build "$work/build" -j"${AUTHZ_JOBS:-2}" >/dev/null

consume() { # <name> <prefix>: build and run the consumer against an installed tree
  local name=$1 prefix=$2 libdir
  libdir=$(dirname "$(ls -d "$prefix"/lib*/pkgconfig | head -1)")
  grep -q "$work" "$libdir"/pkgconfig/*.pc && { echo "consumer: $name: .pc holds an absolute path"; exit 1; }
  rm -rf "$work/consumer"
  cmake -S "$root/tests/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
  cmake --build "$work/consumer" >/dev/null
  LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer" >/dev/null
  "$work/consumer/consumer_static" >/dev/null
  "$work/consumer/consumer_json" >/dev/null
  LD_LIBRARY_PATH="$libdir" "$work/consumer/consumer_replica" >/dev/null
  local pc="PKG_CONFIG_PATH=$libdir/pkgconfig"
  cc -std=c11 -o "$work/pc" "$root/tests/consumer/main.c" $(env "$pc" pkg-config --cflags --libs authz)
  LD_LIBRARY_PATH="$libdir" "$work/pc" >/dev/null
  cc -std=c11 -o "$work/pc_json" "$root/tests/consumer/json.c" $(env "$pc" pkg-config --cflags --libs authz_json)
  LD_LIBRARY_PATH="$libdir" "$work/pc_json" >/dev/null
  cc -std=c11 -o "$work/pc_replica" "$root/tests/consumer/replica.c" $(env "$pc" pkg-config --cflags --libs authz_replica)
  LD_LIBRARY_PATH="$libdir" "$work/pc_replica" >/dev/null
  # the shared JSON library alone: what the Python and Lua bindings load
  local deps
  deps=$(LD_LIBRARY_PATH="$libdir" ldd "$work/pc_json")
  grep -q "libauthz_json.so.0 => $libdir/" <<<"$deps" || { echo "consumer: $name: pc_json did not link libauthz_json.so"; exit 1; }
}

# 1. default prefix at configure time, another at install time
cmake --install "$work/build" --prefix "$work/prefix" >/dev/null
consume "--prefix install" "$work/prefix"
echo "consumer: --prefix install: find_package(authz) shared + static + json + replica and pkg-config authz, authz_json, authz_replica: ok"

# 2. the Debian packages
(cd "$work/build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; echo "consumer: cpack failed"; exit 1; }
for pkg in libauthz0 libauthz-dev authz; do
  deb=$(ls "$work/build/${pkg}"_*.deb)
  dpkg-deb -x "$deb" "$work/deb"
  echo "consumer: $pkg: $(dpkg-deb -c "$deb" | grep -vc '/$') files; Depends: $(dpkg-deb -f "$deb" Depends)"
done
need() { # <package> <pattern in Depends>
  local depends
  depends=$(dpkg-deb -f "$(ls "$work/build/$1"_*.deb)" Depends)
  grep -qF "$2" <<<"$depends" || { echo "consumer: $1 does not depend on $2"; exit 1; }
}
need libauthz0 libxxhash0; need libauthz0 libjansson4; need libauthz-dev 'libauthz0 (= '
need authz libmicrohttpd12; need authz libssl3
runtime_files=$(dpkg-deb -c "$(ls "$work/build/libauthz0"_*.deb)")
if grep -q '\.a$\|include/\|\.so$' <<<"$runtime_files"; then echo "consumer: libauthz0 holds dev files"; exit 1; fi
"$work/deb/usr/bin/authz" --version >/dev/null
consume ".deb" "$work/deb/usr"
echo "consumer: .deb packages extracted with dpkg-deb -x: find_package(authz) and pkg-config: ok"
