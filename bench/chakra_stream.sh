#!/bin/sh
# Writing and streaming back a Chakra ET file: speed and memory (bench/chakra_stream.cc).
# Usage: bench/chakra_stream.sh [build dir] [nodes] [folder]   (default build, 10000000, $TMPDIR)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
cmake --build "$build" --target chakra_stream_bench >/dev/null
"$build/tests/workload/chakra/chakra_stream_bench" "${2:-10000000}" "${3:-${TMPDIR:-/tmp}}"
