#!/usr/bin/env bash
# Replaying a large Chakra trace: wall time and peak memory of `gwsim step` on the traces `gwsim chakra`
# writes for a validation scenario, against the transformer executor on the same workload.
# The replay simulates every rank (the transformer executor may simulate one per tensor-parallel group:
# symmetric ranks), streams each rank's file through its window, and holds one open file per rank.
# Usage: bench/chakra_replay.sh [scenario]   (default configs/validation/megatron-18b.yaml; traces go to a
#        temporary folder under $TMPDIR, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
gwsim=${GWSIM:-build/sim/cli/gwsim}
[[ -x "$gwsim" ]] || { echo "no gwsim binary at $gwsim: build first or set GWSIM" >&2; exit 1; }
scenario=${1:-configs/validation/megatron-18b.yaml}
work=$(mktemp -d "${TMPDIR:-/tmp}/gwsim-chakra-replay.XXXXXX")
trap 'rm -rf "$work"' EXIT

start=$(date +%s.%N)
"$gwsim" chakra "$scenario" -o "$work/traces" >"$work/export.txt"
export_s=$(echo "$(date +%s.%N) - $start" | bc)
bytes=$(du -sb "$work/traces" | cut -f1)

# The same platform with the transformer job replaced by a chakra job over the traces.
/usr/bin/python3 - "$scenario" "$work/replay.yaml" <<'PY'
import sys, yaml
source, target = sys.argv[1], sys.argv[2]
with open(source) as f:
    s = yaml.safe_load(f)
job = s["workload"]["jobs"][0]
layout = job["transformer"]["layout"]
s["name"] = s["name"] + " (Chakra replay)"
s["workload"]["jobs"] = [{"name": job["name"], "chakra": {
    "traces": "traces", "layout": {k: layout[k] for k in ("tp", "pp", "dp", "cp") if k in layout}}}]
with open(target, "w") as f:
    yaml.safe_dump(s, f)
PY

field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p"; }
printf "%-44s %12s %10s %9s %8s %8s\n" run step_s simulated nodes wall_s rss_MB
row() {  # label, json file, nodes
  printf "%-44s %12.6f %10s %9s %8.2f %8.0f\n" "$1" "$(field step_time_s <"$2")" \
    "$(field simulated_ranks <"$2")" "$3" "$(field wall_s <"$2")" \
    "$(echo "$(field peak_rss_bytes <"$2") / 1000000" | bc -l)"
}
"$gwsim" step "$scenario" --json >"$work/generated.json"
row "transformer $(basename "$scenario")" "$work/generated.json" -
"$gwsim" step "$scenario" --json --set workload.jobs[0].transformer.symmetric_ranks=false \
  >"$work/all_ranks.json"
row "transformer, every rank simulated" "$work/all_ranks.json" -
"$gwsim" step "$work/replay.yaml" --json >"$work/replay.json"
nodes=$(sed -n 's/.*(\([0-9]*\) nodes).*/\1/p' "$work/export.txt")
row "chakra replay ($((bytes / 1000000)) MB of traces)" "$work/replay.json" "$nodes"
echo "export (gwsim chakra): ${export_s} s"
