"""Every reference site builds at both resolutions, with the documented JSON keys and the same machine.

Usage: check_sites.py GWSIM REPO
Runs `gwsim platform --json` on each scenario of configs/sites/ (and the quickstart) at accelerator and at
domain resolution, and checks the JSON contract of docs/platforms.md, the accelerator counts the scenarios'
comments give, and that the two resolutions describe the same physical machine. The two giant sites are built
at domain resolution only here (bench/platform_build.sh builds rainier-like per accelerator too).
"""
import json
import os
import subprocess
import sys

KEYS = ["accelerators", "nodes", "hosts", "links", "switches", "cables", "bisection_bytes_per_s",
        "peak_flops_per_s", "it_power_w", "build_s", "peak_rss_bytes"]
EXPECTED_ACCELERATORS = {
    "dgx-h100-superpod": 1016, "gb200-nvl72-hall": 4608, "trn2-ultraserver-cluster": 4096,
    "tpu-v5p-pod": 8960, "rainier-like": 499200, "10gw-like": 4320000, "quickstart": 16,
    "frontier-like": 37632,
}
GIANT = {"rainier-like", "10gw-like"}


def describe(gwsim, scenario, resolution):
    out = subprocess.run([gwsim, "platform", scenario, "--json", "--set", f"platform.resolution={resolution}"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    gwsim, repo = sys.argv[1:3]
    scenarios = [os.path.join(repo, "configs/sites", f) for f in sorted(os.listdir(os.path.join(repo, "configs/sites")))]
    scenarios.append(os.path.join(repo, "configs/quickstart.yaml"))
    problems = []
    for scenario in scenarios:
        name = os.path.splitext(os.path.basename(scenario))[0]
        domain = describe(gwsim, scenario, "domain")
        missing = [k for k in KEYS if k not in domain]
        if missing:
            problems.append(f"{name}: JSON lacks {missing}")
            continue
        if domain["accelerators"] != EXPECTED_ACCELERATORS.get(name):
            problems.append(f"{name}: {domain['accelerators']} accelerators, expected {EXPECTED_ACCELERATORS.get(name)}")
        if domain["hosts"] != domain["nodes"]:
            problems.append(f"{name}: domain resolution has {domain['hosts']} hosts for {domain['nodes']} nodes")
        if not domain["peak_flops_per_s"] or min(domain["peak_flops_per_s"].values()) <= 0:
            problems.append(f"{name}: no peak FLOP rate")
        if not 0 < domain["it_power_w"]["idle"] < domain["it_power_w"]["peak"]:
            problems.append(f"{name}: IT power idle {domain['it_power_w']['idle']} peak {domain['it_power_w']['peak']}")
        if name in GIANT:
            print(f"{name}: {domain['accelerators']} accelerators in {domain['hosts']} hosts, built in {domain['build_s']:.2f} s")
            continue
        fine = describe(gwsim, scenario, "accelerator")
        if fine["hosts"] != fine["accelerators"]:
            problems.append(f"{name}: accelerator resolution has {fine['hosts']} hosts")
        for key in ["accelerators", "nodes", "switches", "cables", "bisection_bytes_per_s", "peak_flops_per_s",
                    "it_power_w"]:
            if fine[key] != domain[key]:
                problems.append(f"{name}: {key} differs between resolutions: {fine[key]} vs {domain[key]}")
        if not fine["links"] > domain["links"]:
            problems.append(f"{name}: accelerator resolution should have more links ({fine['links']} vs {domain['links']})")
        print(f"{name}: {fine['accelerators']} accelerators, {fine['links']} / {domain['links']} links, both resolutions")
    for p in problems:
        print("problem:", p)
    print(f"{len(scenarios)} scenarios, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
