#!/usr/bin/env python3
"""Writes a self-contained HTML report of one gwsim run: DIR/report.html with its PNG figures beside it.

usage: report.py OUT.h5 -o DIR [--zoom START:END]

`gwsim report` runs this script with the interpreter CMake found; it also runs on its own under any Python 3
with h5py, numpy and matplotlib. Exit codes: 0 success, 2 bad input (missing file, not a gwsim file, bad
flags or zoom window), 1 internal error.
"""
import argparse
import os
import sys

import numpy as np

import html_page as H
import report_facility
import report_sections as S
import script_main
from gwsim_h5 import InputError, open_run, table, text

DEFAULT_ZOOM_STEPS = 3  # the default zoom window covers the first steps of job 0


def parse_zoom(value):
    parts = value.split(":")
    try:
        start, end = (float(p) for p in parts)
    except ValueError:
        raise InputError(f"--zoom {value}: expected START:END in seconds, for example 0:2.5") from None
    if not (0 <= start < end):
        raise InputError(f"--zoom {value}: expected 0 <= START < END")
    return start, end


def default_zoom(f):
    """The first steps of job 0, or the first tenth of the run when there are no steps."""
    found = table(f, "steps")
    if found is not None and found[0] and "end_s" in found[0] and found[0]["end_s"].size:
        columns = found[0]
        first_job = columns["job"] == columns["job"][0] if "job" in columns else slice(None)
        starts, ends = columns["start_s"][first_job], columns["end_s"][first_job]
        last = min(DEFAULT_ZOOM_STEPS, ends.size) - 1
        return float(starts[0]), float(ends[last])
    return 0.0, float(f.attrs["simulated_time_s"]) / 10


def check_zoom(f, zoom):
    """A window that misses the run entirely is a mistake in the flag, not an empty figure."""
    if "simulated_time_s" in f.attrs:
        run_end = float(f.attrs["simulated_time_s"])
        if zoom[0] >= run_end:
            raise InputError(f"--zoom {zoom[0]:g}:{zoom[1]:g}: starts after the run ended ({run_end:g} s)")


def main(prog):
    parser = argparse.ArgumentParser(prog=prog, description="Write an HTML report (with PNG figures) of one "
                                     "gwsim run.")
    parser.add_argument("file", metavar="OUT.h5", help="HDF5 file written by `gwsim run`")
    parser.add_argument("-o", "--output", metavar="DIR", required=True,
                        help="folder for report.html and its figures (created if missing; its parent must exist)")
    parser.add_argument("--zoom", metavar="START:END",
                        help="window of the site-power zoom, in seconds of simulated time "
                        f"(default: the first {DEFAULT_ZOOM_STEPS} steps of job 0)")
    args = parser.parse_args()

    f = open_run(args.file)
    zoom = parse_zoom(args.zoom) if args.zoom else default_zoom(f)
    check_zoom(f, zoom)
    parent = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(parent):
        raise InputError(f"-o {args.output}: the folder {parent} does not exist")
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise InputError(f"-o {args.output}: exists and is not a folder")
    os.makedirs(args.output, exist_ok=True)

    r = S.Report(f, args.output, zoom)
    with np.errstate(all="ignore"):
        sections = [("scenario", "Scenario", S.scenario(r)), ("jobs", "Jobs", S.jobs(r)),
                    ("steps", "Steps", S.steps(r)), ("breakdown", "Step-time breakdown", S.breakdown(r)),
                    ("power", "Site power", S.site_power(r)), ("more-power", "Other power series", S.more_power(r)),
                    ("facility", "Facility: cooling, power delivery, PUE", report_facility.facility(r)),
                    ("energy", "Energy per accelerator", S.accelerator_energy(r)),
                    ("network", "Network links", S.network(r))]
    name = text(f.attrs["scenario_name"]) if "scenario_name" in f.attrs else os.path.basename(args.file)
    subtitle = f"gwsim report of {os.path.abspath(args.file)}"
    out = os.path.join(args.output, "report.html")
    with open(out, "w", encoding="utf-8") as page:
        page.write(H.page(f"gwsim report: {name}", subtitle, sections))
    print(f"wrote {out} and {len(r.figures)} figures")
    return 0


if __name__ == "__main__":
    sys.exit(script_main.run(main, __file__))
