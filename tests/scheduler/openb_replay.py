"""Replays a real trace: the Alibaba 2023 openb pod list (/work/shared/traces) converted by
configs/site/openb_to_trace.py, on a 1,213-node cluster (the trace's GPU node count) at job resolution.

Usage: openb_replay.py GWSIM CONVERTER POD_LIST WORKDIR   (exits 77, skipped, when POD_LIST is absent)
Checks: every converted pod arrives, starts and finishes; with a node per pod to spare nothing waits, so each job
runs ceil(run time / 1 s) steps of 1 s; energy is the integral of the site series.
"""
import csv
import math
import os
import subprocess
import sys

import h5py

SCENARIO = """name: openb replay
platform:
  resolution: job
  accelerator: {name: X, peak_flop_rate: 1000TFLOP/s, idle_power: 60W, peak_power: 300W}
  nodes: 1213
  accelerators_per_node: 8
  scale_up: {kind: switch, link_bandwidth: 450GB/s, link_latency: 1us}
  scale_out: {kind: single_switch, nic_bandwidth: 400Gbps, link_latency: 1us}
workload:
  job_stream:
    duration: 150d
    shapes: [{name: pod, step_time: 1s, compute_fraction: 0.8}]
    trace_csv: trace.csv
record: {power_interval: 60s}
"""


def main():
    gwsim, converter, pods, workdir = sys.argv[1:5]
    if not os.path.exists(pods):
        print(f"skipped: {pods} is not here")
        return 77
    os.makedirs(workdir, exist_ok=True)
    trace = os.path.join(workdir, "trace.csv")
    subprocess.run([sys.executable, converter, pods, trace, "pod"], check=True)
    with open(trace, encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    scenario = os.path.join(workdir, "openb.yaml")
    with open(scenario, "w", encoding="utf-8") as f:
        f.write(SCENARIO)
    out = os.path.join(workdir, "openb.h5")
    subprocess.run([gwsim, "run", scenario, "-o", out], check=True, stdout=subprocess.DEVNULL)
    problems = []
    with h5py.File(out, "r") as f:
        jobs = f["jobs"][:]
        s = f["scheduler"].attrs
        if not (s["jobs"] == s["started"] == s["completed"] == len(rows)):
            problems.append(f"{len(rows)} pods, scheduler saw {s['jobs']}/{s['started']}/{s['completed']}")
        want = sorted(math.ceil(float(r["duration_s"])) for r in rows)
        got = sorted(jobs["duration_s"])
        if any(abs(g - w) > 1e-6 * w for g, w in zip(got, want)):
            problems.append("job durations are not ceil(run time) steps of 1 s")
        if jobs["wait_s"].max() != 0:
            problems.append(f"a job waited {jobs['wait_s'].max()} s with nodes to spare")
        power = f["power/site/power_w"][:]
        energy = f["power"].attrs["accelerator_energy_j"] + f["power"].attrs["node_overhead_energy_j"]
        if abs(power.sum() * 60 - energy) > 1e-9 * energy:
            problems.append(f"series integrates to {power.sum() * 60} J, energy is {energy} J")
    for p in problems:
        print("openb replay:", p)
    print(f"replayed {len(rows)} pods: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
