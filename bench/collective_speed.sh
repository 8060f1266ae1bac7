#!/usr/bin/env bash
# Speed of collectives at fluid fidelity (issue "Collectives" targets, 2 cores): a 64 MiB all-reduce on the
# 4,096-rank ring (configs/bench/ring4096.yaml) under 1 s and 500 MB; on 16,384 ranks of
# configs/bench/fattree16384.yaml (a flat ring for now: the hierarchical algorithm is not written yet) under 2 s
# and 1 GB. Prints simulated time, wall time and peak RSS per case, and the closed form for the ring.
set -euo pipefail
cd "$(dirname "$0")/.."
gwsim=${GWSIM:-build/sim/cli/gwsim}
[[ -x "$gwsim" ]] || { echo "no gwsim binary at $gwsim: build first (scripts/build.sh) or set GWSIM" >&2; exit 1; }
for scenario in configs/bench/ring4096.yaml configs/bench/fattree16384.yaml; do
  json=$("$gwsim" collective "$scenario" --op all_reduce --sizes 64MiB --fidelity fluid --json)
  /usr/bin/python3 - "$scenario" "$json" <<'PY'
import json, sys
scenario, d = sys.argv[1], json.loads(sys.argv[2])
row = d["rows"][0]
line = (f"{scenario:<34} {d['ranks']:>6} ranks  {d['algorithm']}/{d['fidelity']}  simulated {row['time_s'] * 1e3:9.3f} ms"
        f"  busbw {row['busbw_bytes_per_s'] / 1e9:6.2f} GB/s  wall {d['wall_s']:6.2f} s  rss {d['peak_rss_bytes'] / 1e6:6.0f} MB")
if "ring4096" in scenario:
    n, size = d["ranks"], row["size_bytes"]
    closed = 2 * (n - 1) * (500e-9 + size / n / 50e9)
    line += f"  (closed form {closed * 1e3:.3f} ms)"
print(line)
PY
done
