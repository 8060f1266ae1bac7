"""The bundled shape file is what `gwsim step --json` prints for the bundled shape scenarios (not typed by hand,
not stale): configs/site/make_shapes.sh regenerates it.

Usage: shapes_current.py GWSIM SHAPES_DIR
Runs `GWSIM step S --json` for every SHAPES_DIR/*.yaml and compares its step figures with the entry of the same
job in SHAPES_DIR/h100-shapes.jsonl (relative 1e-9; wall_s and peak_rss_bytes describe the measuring run only).
"""
import glob
import json
import os
import subprocess
import sys

KEYS = ("ranks", "step_time_s", "compute_s", "exposed_comm_s", "bubble_s", "accelerator_computing_s",
        "accelerator_computing_communicating_s", "accelerator_communicating_s", "accelerator_idle_s")


def main():
    gwsim, shapes_dir = sys.argv[1:3]
    bundled = {}
    with open(os.path.join(shapes_dir, "h100-shapes.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                entry = json.loads(line)
                bundled[entry["job"]] = entry
    problems = []
    scenarios = sorted(glob.glob(os.path.join(shapes_dir, "*.yaml")))
    for scenario in scenarios:
        now = json.loads(subprocess.run([gwsim, "step", scenario, "--json"], check=True, capture_output=True,
                                        text=True).stdout)
        old = bundled.pop(now["job"], None)
        if old is None:
            problems.append(f"{scenario}: job {now['job']} is not in h100-shapes.jsonl")
            continue
        for key in KEYS:
            if abs(now[key] - old[key]) > 1e-9 * max(abs(old[key]), 1e-12):
                problems.append(f"{now['job']}: {key} is {now[key]!r} now, {old[key]!r} in the file")
    problems += [f"{job}: in h100-shapes.jsonl but no scenario measures it" for job in bundled]
    for p in problems:
        print("stale shape:", p)
    print(f"checked {len(scenarios)} shapes: {len(problems)} problems (configs/site/make_shapes.sh regenerates them)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
