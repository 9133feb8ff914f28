#!/usr/bin/env bash
# docs/api.md must be exactly what `authz methods --markdown` prints from the dispatch table.
set -euo pipefail
authz=$1 doc=$2
generated=$(mktemp)
trap 'rm -f "$generated"' EXIT
"$authz" methods --markdown --output "$generated"
if ! diff -u "$doc" "$generated" >&2; then
  echo "docs: docs/api.md disagrees with the dispatch table; regenerate it with" \
    "cmake --build <build dir> --target api-docs"
  exit 1
fi
n=$("$authz" methods | wc -l)
undocumented=$("$authz" methods | grep -c '(undocumented)' || true)
echo "docs: api.md matches the dispatch table ($n methods, $undocumented undocumented)"
