#!/bin/sh
# A simulated year of a ~100 MW-class site with jobs, at job resolution, site power at 1 s through the facility
# chain (configs/bench/site-year.yaml, docs/site.md): prints gwsim's summary (jobs, utilization, wait, energy,
# PUE), then wall time and peak RSS of the whole `gwsim run` (simulation, facility chain and HDF5 writing).
# Usage: bench/site_year.sh [build dir] [output dir]   (defaults: build, a temporary folder that is removed)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
cmake --build "$build" --target gwsim >/dev/null
out=${2:-}
cleanup=""
if [ -z "$out" ]; then
  out=$(mktemp -d)
  cleanup=$out
fi
log="$out/time.log"
/usr/bin/time -v -o "$log" "$build/sim/cli/gwsim" run "$here/configs/bench/site-year.yaml" -o "$out/site-year.h5"
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
size=$(du -h "$out/site-year.h5" | cut -f1)
echo "bench     wall $wall (m:ss), peak RSS $((rss_kb / 1024)) MB, output $size"
[ -n "$cleanup" ] && rm -rf "$cleanup"
exit 0
