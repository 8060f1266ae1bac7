#!/usr/bin/env bash
# Build time and peak memory of platforms (issue "Platforms" targets, 2 cores):
#   131,072 accelerators per accelerator in < 5 s and < 1 GB; 1,048,576 in < 30 s and < 4 GB;
#   the 10 GW-like site at domain resolution in < 30 s and < 4 GB.
# Also (no target): the Frontier-like Slingshot dragonfly, and the largest dragonfly of 64-port
# Slingshot-class routers (279,040 accelerators, about 7 links per accelerator).
# Prints one line per case: build_s and peak_rss from `gwsim platform --json` (build = engine set-up and zone
# construction; the process's peak RSS includes loading the scenario).
# Usage: bench/platform_build.sh [--quick]   (--quick leaves out the 1M case, about 40 s and 4 GB)
set -euo pipefail
cd "$(dirname "$0")/.."
gwsim=${GWSIM:-build/sim/cli/gwsim}
[[ -x "$gwsim" ]] || { echo "no gwsim binary at $gwsim: build first (scripts/build.sh) or set GWSIM" >&2; exit 1; }

cases=(
  "configs/bench/fattree1024.yaml accelerator"
  "configs/bench/fattree16384.yaml accelerator"
  "configs/bench/fattree131072.yaml accelerator"
  "configs/sites/rainier-like.yaml domain"
  "configs/sites/rainier-like.yaml accelerator"
  "configs/sites/10gw-like.yaml domain"
  "configs/sites/frontier-like.yaml accelerator"
  "configs/bench/dragonfly279040.yaml accelerator"
  "configs/bench/dragonfly279040.yaml domain"
)
[[ "${1:-}" == "--quick" ]] || cases+=("configs/bench/fattree1048576.yaml accelerator")

printf "%-38s %-12s %12s %10s %8s %10s\n" scenario resolution accelerators hosts build_s rss_MB
for c in "${cases[@]}"; do
  read -r scenario resolution <<<"$c"
  json=$("$gwsim" platform "$scenario" --json --set "platform.resolution=$resolution")
  /usr/bin/python3 - "$scenario" "$resolution" "$json" <<'PY'
import json, sys
scenario, resolution, d = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
print(f"{scenario:<38} {resolution:<12} {d['accelerators']:>12} {d['hosts']:>10} {d['build_s']:>8.2f} "
      f"{d['peak_rss_bytes'] / 1e6:>10.0f}")
PY
done
