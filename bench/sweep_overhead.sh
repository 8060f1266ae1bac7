#!/usr/bin/env bash
# Cost of the sweep machinery (docs/sweeps.md): per-point overhead of `gwsim sweep` over running the same
# points with `gwsim run` one after another, and the wall time of a 200-point local sweep with -j2.
# The points are tests/sweep/tiny.yaml (2 accelerators, 2 steps: milliseconds of simulation), so the figures
# are the machinery's: process start, scenario loading, HDF5 writing, bookkeeping, the merge.
#
#   bench/sweep_overhead.sh [GWSIM_BINARY]        (default: build/sim/cli/gwsim)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
gwsim="$(realpath "${1:-$here/build/sim/cli/gwsim}")"
tiny="$here/tests/sweep/tiny.yaml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf \"%.1f\", $1 }"; }

# 0. Starting the binary at all (shared libraries: SimGrid, protobuf, HDF5, Boost).
n=40
start=$(now)
for ((i = 0; i < n; i++)); do "$gwsim" --version > /dev/null; done
startup=$(seconds "$start" "$(now)")

# 1. N points run directly, one after another: the cost of a point without the sweep.
start=$(now)
for ((i = 0; i < n; i++)); do
  "$gwsim" run "$tiny" -o "direct-$i.h5" --quiet --set seed=$((i + 1)) > /dev/null
done
direct=$(seconds "$start" "$(now)")

# 2. The same N points as a sweep with -j1 (one process at a time, like the loop above).
seeds=$(seq -s, 1 $n)
printf 'base: %s\noutput: seq\naxes:\n  seed: [%s]\n' "$tiny" "$seeds" > seq.yaml
start=$(now)
"$gwsim" sweep seq.yaml -j 1 --quiet > /dev/null 2>&1
swept=$(seconds "$start" "$(now)")

# 3. Resuming a finished sweep: expansion, hash checks of every point file, and the merge alone.
start=$(now)
"$gwsim" sweep seq.yaml -j 1 --quiet > /dev/null 2>&1
resume=$(seconds "$start" "$(now)")

# 4. 200 points with -j2.
seeds=$(seq -s, 1 200)
printf 'base: %s\noutput: big\naxes:\n  seed: [%s]\n' "$tiny" "$seeds" > big.yaml
start=$(now)
"$gwsim" sweep big.yaml -j 2 --quiet > /dev/null 2>&1
big=$(seconds "$start" "$(now)")
done_points=$(grep -c . big/points.tsv)

printf 'gwsim sweep overhead (%s; %s cores, load average %s)\n' "$("$gwsim" --version | head -1)" "$(nproc)" \
  "$(cut -d' ' -f1 /proc/loadavg)"
printf '  start of the binary alone (gwsim --version):  %6.1f ms\n' "$(calc "1000 * $startup / $n")"
printf '  a tiny point with gwsim run, one by one:      %6.1f ms per point (%d points, %.2f s)\n' \
  "$(calc "1000 * $direct / $n")" $n "$direct"
printf '  the same points as a sweep with -j1:          %6.1f ms per point (%.2f s)\n' \
  "$(calc "1000 * $swept / $n")" "$swept"
printf '  sweep overhead per point:                     %6.1f ms\n' "$(calc "1000 * ($swept - $direct) / $n")"
printf '  resuming the finished %d-point sweep (hash checks + merge): %.2f s\n' $n "$resume"
printf '  200-point sweep with -j2:                     %6.2f s wall (%.1f ms per point; %d rows)\n' \
  "$big" "$(calc "1000 * $big / 200")" $((done_points - 1))
