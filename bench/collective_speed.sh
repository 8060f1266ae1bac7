#!/usr/bin/env bash
# Speed of collectives at fluid fidelity (issue "Collectives" targets, 2 cores): a 64 MiB all-reduce on the
# 4,096-rank ring (configs/bench/ring4096.yaml) under 1 s and 500 MB; the hierarchical all-reduce on 16,384
# ranks of configs/bench/fattree16384.yaml (8 per node x 2,048 nodes) under 2 s and 1 GB. Prints simulated time,
# the cost model's closed form, wall time and peak RSS per case. Both with the "ideal" library (the bare network,
# so the ring's closed form is the alpha-beta formula) and with "nccl".
set -euo pipefail
cd "$(dirname "$0")/.."
gwsim=${GWSIM:-build/sim/cli/gwsim}
[[ -x "$gwsim" ]] || { echo "no gwsim binary at $gwsim: build first (scripts/build.sh) or set GWSIM" >&2; exit 1; }
run() {  # library scenario gwsim-args...
  local library=$1 scenario=$2; shift 2
  json=$("$gwsim" collective "$scenario" --op all_reduce --sizes 64MiB --fidelity fluid --json \
           --set platform.collectives="$library" "$@")
  /usr/bin/python3 - "$scenario" "$library" "$json" <<'PY'
import json, sys
scenario, library, d = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
row = d["rows"][0]
line = (f"{scenario:<32} {library:<5} {d['ranks']:>6} ranks  {row['algorithm']}/{row['protocol']}/{d['fidelity']}"
        f"  simulated {row['time_s'] * 1e3:8.3f} ms (model {row['predicted_time_s'] * 1e3:8.3f} ms)"
        f"  wall {d['wall_s']:5.2f} s  rss {d['peak_rss_bytes'] / 1e6:5.0f} MB")
if "ring4096" in scenario and library == "ideal":
    n, size = d["ranks"], row["size_bytes"]
    line += f"  alpha-beta {2 * (n - 1) * (500e-9 + size / n / 50e9) * 1e3:.3f} ms"
print(line)
PY
}
for library in ideal nccl; do
  run "$library" configs/bench/ring4096.yaml --algo ring
  run "$library" configs/bench/fattree16384.yaml --group-shape 8x2048 --algo hierarchical
done
