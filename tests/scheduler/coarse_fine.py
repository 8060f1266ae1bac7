"""Coarse vs fine: one transformer job at accelerator resolution against the same job at job resolution.

Usage: coarse_fine.py GWSIM FINE_SCENARIO WORKDIR
1. `gwsim step FINE --json` measures one step (the job shape) into WORKDIR/shapes.jsonl;
2. `gwsim run FINE` with 20 steps at accelerator resolution;
3. `gwsim run` of a job-resolution scenario on the same platform whose trace holds the same job (20 steps of the
   measured shape), its accelerators filling the platform;
both without and with a binding 550 W accelerator cap. The job's duration and its accelerators' energy per step
must agree within the tolerances below (justified in docs/site.md, "Coarse vs fine"):
- duration: 1e-9 relative without a cap (the same step time, 20 times); 2% with the cap (the coarse model slows the
  critical path's compute by 1/s; the fine run also shifts how communication overlaps it: measured -1.2%);
- energy per step: 3% (the measured step is the job's first, whose accelerators start idle; later steps overlap
  more communication with computation at the same step time: measured -1.8% uncapped, -2.1% capped).
"""
import json
import os
import subprocess
import sys

import h5py

STEPS = 20
CURVE = ("[0.5, 0.6, 0.7, 0.8, 0.9, 1.0]", "[0.125, 0.216, 0.343, 0.512, 0.729, 1.0]")

COARSE = """name: coarse twin
platform:
  resolution: job
  domain_id: dgx-h100
  nodes: {nodes}
  scale_out:
    kind: fat_tree
    link_latency: 0.6us
    fat_tree: {{tiers: 2, scalable_unit: {nodes}, switch_radix: 64}}
workload:
  job_stream:
    duration: 1h
    shape_file: shapes.jsonl
    shapes: [{{name: s, measured: {job}}}]
    trace_csv: trace.csv
power:
{power}record: {{power_interval: 1s}}
"""


def run(args):
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def main():
    gwsim, fine, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    problems = []
    for cap in (None, "550W"):
        power = ["power.communicating_power=300W"]
        if cap:
            power += [f"power.accelerator_power_cap={cap}", f"power.cap_curve_speed={CURVE[0]}",
                      f"power.cap_curve_power={CURVE[1]}"]
        sets = [a for p in power for a in ("--set", p)]
        # A shape is the job's step at full speed: measured without the cap, which the coarse run applies.
        shape = json.loads(run([gwsim, "step", fine, "--json", "--set", power[0]]))
        with open(os.path.join(workdir, "shapes.jsonl"), "w") as f:
            f.write(json.dumps(shape) + "\n")
        with open(os.path.join(workdir, "trace.csv"), "w") as f:
            f.write(f"submit_s,accelerators,steps,duration_s,shape\n0,{shape['ranks']},{STEPS},,s\n")
        yaml_power = "".join(f"  {p.split('=')[0].split('.')[1]}: {p.split('=')[1]}\n" for p in power)
        with open(os.path.join(workdir, "coarse.yaml"), "w") as f:
            f.write(COARSE.format(nodes=shape["ranks"] // 8, job=shape["job"], power=yaml_power))
        fine_out, coarse_out = os.path.join(workdir, "fine.h5"), os.path.join(workdir, "coarse.h5")
        run([gwsim, "run", fine, "-o", fine_out, "--quiet",
             "--set", f"workload.jobs[0].transformer.steps={STEPS}"] + sets)
        run([gwsim, "run", os.path.join(workdir, "coarse.yaml"), "-o", coarse_out])
        with h5py.File(fine_out, "r") as f, h5py.File(coarse_out, "r") as c:
            fine_job, coarse_job = f["jobs"][0], c["jobs"][0]
            fine_energy = f["power/accelerators"]["energy_j"].sum() / STEPS
            coarse_energy = coarse_job["energy_j"] / STEPS
            duration = coarse_job["duration_s"] / fine_job["duration_s"] - 1
            energy = coarse_energy / fine_energy - 1
        label = cap or "uncapped"
        print(f"{label}: duration {coarse_job['duration_s']:.6g} s vs {fine_job['duration_s']:.6g} s "
              f"({100 * duration:+.3f}%), energy per step {coarse_energy:.6g} J vs {fine_energy:.6g} J "
              f"({100 * energy:+.2f}%)")
        if abs(duration) > (0.02 if cap else 1e-9):
            problems.append(f"{label}: duration differs by {100 * duration:+.3f}%")
        if abs(energy) > 0.03:
            problems.append(f"{label}: energy per step differs by {100 * energy:+.2f}%")
        if cap and not fine_job["duration_s"] > STEPS * shape["step_time_s"] * 1.01:
            problems.append("the cap did not bind in the fine run")
    for p in problems:
        print("mismatch:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
