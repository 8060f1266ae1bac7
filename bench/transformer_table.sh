#!/bin/sh
# Figures of the transformer calculator for the Megatron SC'21 Table 1 layouts and a few others
# (bench/transformer_table.cc): parameters, model FLOPs per iteration, worst-rank memory, bytes per group.
# Usage: bench/transformer_table.sh [build dir]   (default build)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
cmake --build "$build" --target transformer_table_bench >/dev/null
"$build/tests/workload/transformer/transformer_table_bench"
