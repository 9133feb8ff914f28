#!/usr/bin/env bash
# No file of the project refers outside the repository (../shared, absolute paths of this
# machine), and every relative link in README.md and docs/*.md names a file that exists.
set -euo pipefail
root=$1
cd "$root"
bad=0
if git ls-files >/dev/null 2>&1; then files=$(git ls-files); else files=$(find . -type f -not -path './build/*' | sed 's|^\./||'); fi
# tests/docs/links.sh itself names the patterns it looks for.
hits=$(echo "$files" | grep -v '^tests/docs/links.sh$' | while read -r f; do
  [ -f "$f" ] && grep -lE '\.\./shared|/work/(main|shared|wt-)' "$f" 2>/dev/null || true
done)
if [ -n "$hits" ]; then
  echo "docs: files that refer outside the repository:"; echo "$hits"; bad=1
fi
links=0
for md in README.md docs/*.md; do
  [ -f "$md" ] || continue
  dir=$(dirname "$md")
  while read -r target; do
    target=${target%%#*}
    [ -n "$target" ] || continue
    links=$((links + 1))
    [ -e "$dir/$target" ] || { echo "docs: $md links to missing $target"; bad=1; }
  done < <(grep -oE '\]\([^)#][^)]*\)' "$md" | sed -E 's/^\]\(//; s/\)$//' | grep -vE '^[a-z]+:' || true)
done
[ "$bad" = 0 ] || exit 1
echo "docs: $links relative links resolve, nothing refers outside the repository"
