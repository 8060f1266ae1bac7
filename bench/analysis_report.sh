#!/usr/bin/env bash
# Cost of the analysis commands (docs/analysis.md) as runs grow: wall time and peak memory of `gwsim report`
# on quickstart runs whose site power series has 10^3 to 10^6 samples (1 ms interval, more steps), and of
# `gwsim compare` over 2 and 8 such runs. Prints one line per measurement.
#
#   bench/analysis_report.sh [GWSIM_BINARY]        (default: build/sim/cli/gwsim)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
gwsim="$(realpath "${1:-$here/build/sim/cli/gwsim}")"
quickstart="$here/configs/quickstart.yaml"
# The interpreter CMake found for the build that made this binary (it imports h5py).
python="$(sed -n 's/^GWSIM_PYTHON:FILEPATH=//p' "$(dirname "$gwsim")/../../CMakeCache.txt")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# Runs COMMAND..., prints "<wall s> s, <peak MiB> MiB" (GNU time's %e and %M when present, else bash's time).
measure() {
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f "%e s, %M" -o t.txt "$@" > /dev/null
    awk -F', ' '{ printf "%s, %.0f MiB peak", $1, $2 / 1024 }' t.txt
  else
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f s", b - a }'
  fi
}

# One quickstart step is ~0.87 s of simulated time: steps x 870 samples at 1 ms.
for steps in 2 12 120 1150; do
  "$gwsim" run "$quickstart" -q -o "run-$steps.h5" --set record.power_interval=1ms \
    --set "workload.jobs[0].data_parallel.steps=$steps" > /dev/null
  samples=$("$python" -c "import h5py; print(h5py.File('run-$steps.h5')['power/site/power_w'].size)")
  echo "report  ${steps} steps, ${samples} power samples: $(measure "$gwsim" report "run-$steps.h5" -o "rep-$steps")"
done

for seed in 1 2 3 4 5 6 7 8; do
  "$gwsim" run "$quickstart" -q -o "c-$seed.h5" --seed "$seed" --set record.power_interval=1ms \
    --set "workload.jobs[0].data_parallel.steps=120" > /dev/null
done
echo "compare 2 runs of 120 steps: $(measure "$gwsim" compare c-1.h5 c-2.h5 -o cmp2)"
echo "compare 8 runs of 120 steps: $(measure "$gwsim" compare c-?.h5 -o cmp8)"
