#!/usr/bin/env bash
# Site power at 1 ms over a 60 s window of a 16,384-accelerator data-parallel job (issue 6's benchmark):
# configs/bench/power16384.yaml (the platform of configs/bench/fattree16384.yaml, a fluid all-reduce, each H100
# capped at 600 W) through `gwsim run`. Prints gwsim's own summary (simulated time, wall time, events), the
# peak RSS from /usr/bin/time -v, and the recorded series: samples, its lowest and highest 1 ms value and the
# largest 1 ms step.
# Usage: bench/power_window.sh [extra gwsim run arguments, e.g. --set ...]
set -euo pipefail
cd "$(dirname "$0")/.."
gwsim=${GWSIM:-build/sim/cli/gwsim}
[[ -x "$gwsim" ]] || { echo "no gwsim binary at $gwsim: build first (scripts/build.sh) or set GWSIM" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (Debian package: time)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# SimGrid's max-min solver recurses with the number of coupled flows (SIMGRID_NOTES pitfall 6); 16,384 ring
# flows run within the default 8 MB stack, measured; raise the limit anyway where allowed.
ulimit -s unlimited 2>/dev/null || true
/usr/bin/time -v -o "$out/time.txt" "$gwsim" run configs/bench/power16384.yaml -o "$out/run.h5" --quiet "$@"
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time.txt")
echo "process   wall ${wall} (m:ss, including writing HDF5), peak RSS $((rss_kb / 1024)) MB"
/usr/bin/python3 - "$out/run.h5" <<'PY'
import sys
import h5py
import numpy as np
with h5py.File(sys.argv[1]) as f:
    p = f["power/site/power_w"][...]
    t = f["power/site/end_s"][...]
    interval = t[1] - t[0]
    print(f"series    {p.size} samples of {interval * 1e3:g} ms from {t[0] - interval:g} s to {t[-1]:g} s; "
          f"site IT power {p.min() / 1e6:.3f} to {p.max() / 1e6:.3f} MW, "
          f"largest 1 ms step {np.abs(np.diff(p)).max() / 1e6:.3f} MW")
PY
