#!/bin/sh
# The facility chain over a simulated year at 1 s steps: wall time and memory (bench/facility_year.cc).
# Usage: bench/facility_year.sh [build dir] [days]   (default build, 365)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
cmake --build "$build" --target facility_year_bench >/dev/null
"$build/tests/facility/facility_year_bench" "$here/platforms" "${2:-365}"
