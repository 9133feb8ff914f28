#!/usr/bin/env bash
# The README's performance pictures: gnuplot (Debian's gnuplot-nox) turns benchmark figures into
# SVGs in docs/.
#   usage: bash bench/plot.sh [LATENCY_TXT] [PEERS_TSV] [BYTES_TSV]
#   LATENCY_TXT: the output of `authz_latency A M L` (bench/run.sh writes it to
#                bench/results/latency.txt); default bench/data/latency.txt, the figures the
#                checked-in SVGs were drawn from.
#   PEERS_TSV:   dataset, engine, checks/s per line (tab-separated); default bench/data/peers.tsv.
#   BYTES_TSV:   dataset, grants, bytes/grant before, bytes/grant now (whitespace-separated);
#                default bench/data/bytes.tsv. Without it, the latency file's bytes/grant.
# Draws docs/latency.svg (check latency p50 and p99 against model size, uniform and Zipf
# streams), docs/bytes-per-grant.svg and docs/peers.svg (checks/s per engine, log scale).
set -euo pipefail
cd "$(dirname "$0")/.."
latency=${1:-bench/data/latency.txt}
peers=${2:-bench/data/peers.tsv}
bytes=${3:-bench/data/bytes.tsv}
command -v gnuplot >/dev/null || { echo "plot: gnuplot missing (apt-get install gnuplot-nox)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p docs

# One row per dataset: name grants bytes/grant p50 p99 (uniform), then zipf p50 p99.
awk '
  function after(word,   i) { for (i = 1; i < NF; i++) if ($i == word) return $(i + 1) + 0; return -1 }
  /^[A-Z]: [0-9]+ grants/ {
    n = substr($1, 1, 1); grants[n] = $2 + 0; order[++k] = n
    for (i = 1; i < NF; i++) if ($(i + 1) == "bytes/grant;") bpg[n] = $i + 0
    p50[n] = after("p50"); p99[n] = after("p99")
  }
  /^[A-Z] zipf:/ { n = $1; zp50[n] = after("p50"); zp99[n] = after("p99") }
  END {
    for (j = 1; j <= k; j++) { n = order[j]
      printf "%s %d %.1f %d %d %d %d\n", n, grants[n], bpg[n], p50[n], p99[n],
        (n in zp50) ? zp50[n] : -1, (n in zp99) ? zp99[n] : -1 }
  }' "$latency" >"$tmp/sizes.dat"
[ -s "$tmp/sizes.dat" ] || { echo "plot: no dataset lines in $latency" >&2; exit 1; }
stamp=$(head -1 "$latency" | sed -n 's/^# *//p')
if [ -s "$bytes" ]; then
  grep -v '^#' "$bytes" >"$tmp/bytes.dat"
  bstamp=$(head -1 "$bytes" | sed -n 's/^# *//p')
else
  awk '{ print $1, $2, -1, $3 }' "$tmp/sizes.dat" >"$tmp/bytes.dat"
  bstamp=$stamp
fi

gnuplot <<GP
set terminal svg size 720,420 dynamic font "sans,12" background "#ffffff"
set termoption noenhanced
set datafile missing "-1"
set logscale x
set logscale y
set grid
set key top left
set xlabel "grants in the model"
set format x "%.0s%c"

set output "docs/latency.svg"
set title "authz_check latency by model size\n${stamp}"
set ylabel "ns per check"
plot "$tmp/sizes.dat" using 2:4 with linespoints lw 2 pt 7 title "uniform p50", \
     ""               using 2:5 with linespoints lw 2 pt 5 title "uniform p99", \
     ""               using 2:6 with linespoints lw 2 dt 2 pt 7 title "Zipf p50", \
     ""               using 2:7 with linespoints lw 2 dt 2 pt 5 title "Zipf p99", \
     ""               using 2:4:1 with labels offset 0,1 notitle

set output "docs/bytes-per-grant.svg"
set title "engine bytes per grant by model size\n${bstamp}"
set ylabel "bytes per grant (authz_get_stats)"
set key top right
plot "$tmp/bytes.dat" using 2:3 with linespoints lw 2 dt 2 pt 5 title "before issue 11", \
     ""               using 2:4 with linespoints lw 2 pt 7 title "now", \
     ""               using 2:4:1 with labels offset 0,1 notitle, \
     96 with lines dt 3 lw 2 title "goal: 96"
GP

if [ -s "$peers" ]; then
  awk -F'\t' '!/^#/ && NF >= 3 { printf "\"%s %s\" %s\n", $1, $2, $3 }' "$peers" >"$tmp/peers.dat"
  pstamp=$(sed -n 's/^# *//p' "$peers" | head -1)
  gnuplot <<GP
set terminal svg size 720,420 dynamic font "sans,12" background "#ffffff"
set termoption noenhanced
set output "docs/peers.svg"
set title "checks per second, same rules and queries (log scale)\n${pstamp}"
set style data histograms
set style fill solid 0.7
set boxwidth 0.8
set logscale y
set grid ytics
set ylabel "checks/s"
set xtics rotate by -30
set yrange [1:*]
plot "$tmp/peers.dat" using 2:xtic(1) notitle
GP
fi
ls docs/*.svg
