#!/usr/bin/env bash
# Installs bindings/python with pip, offline, into a temporary target for every Python here (the
# first python3 on PATH and Debian's /usr/bin/python3), then imports it from a directory outside
# the checkout with AUTHZ_LIBRARY unset: the wheel must carry the library it was built with.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lib=${AUTHZ_LIBRARY:?AUTHZ_LIBRARY names the built libauthz_json.so}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
for py in python3 /usr/bin/python3; do
  command -v "$py" >/dev/null || continue
  "$py" -m pip --version >/dev/null 2>&1 || { echo "python_install: $py has no pip, skipped"; continue; }
  target="$work/$n"
  AUTHZ_LIBRARY="$lib" "$py" -m pip install --no-index --quiet --disable-pip-version-check \
    --target "$target" "$root/bindings/python" 2>&1 | grep -v 'Running pip as the' || true
  out=$(cd "$work" && env -u AUTHZ_LIBRARY PYTHONPATH="$target" "$py" -c '
import authz, os
e = authz.Engine()
e.call("authorize_resources", namespace="default", list=[{"targetType": "USER", "targetIdentifiers": ["u"],
       "resources": [{"code": "doc", "actions": ["read"]}]}])
assert e.check("u", "doc:1", "read") and not e.check("u", "doc:1", "write")
assert authz._ffi.path.startswith(os.environ["PYTHONPATH"]), authz._ffi.path
print(authz.version())')
  echo "python_install: $("$py" -c 'import sys; print(sys.version.split()[0])') ($py): pip install ok, authz $out"
  n=$((n + 1))
done
[ "$n" -gt 0 ] || { echo "python_install: no python3 with pip"; exit 1; }
