#!/bin/sh
# Measures the bundled job shapes: one `gwsim step --json` line per scenario of configs/site/shapes/, written
# to configs/site/shapes/h100-shapes.jsonl (docs/site.md, "Shapes"). The job-resolution scenarios read
# step_time_s, compute_s, exposed_comm_s, bubble_s and ranks from it; wall_s and peak_rss_bytes describe the
# measuring run only.
# Usage: configs/site/make_shapes.sh [build dir]   (default build)
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-"$here/build"}
gwsim="$build/sim/cli/gwsim"
out="$here/configs/site/shapes/h100-shapes.jsonl"
tmp="$out.tmp"
{
  echo "# Measured by configs/site/make_shapes.sh: gwsim step SCENARIO --json for each configs/site/shapes/*.yaml."
  for scenario in "$here"/configs/site/shapes/*.yaml; do
    "$gwsim" step "$scenario" --json
  done
} > "$tmp"
mv "$tmp" "$out"
echo "wrote $out"
