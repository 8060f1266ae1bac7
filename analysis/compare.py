#!/usr/bin/env python3
"""Puts several gwsim runs side by side: DIR/compare.html with a table of headline figures, the scenario fields
that differ between the runs, and overlaid plots; DIR/headline.csv holds the table for other tools.

usage: compare.py A.h5 B.h5 ... -o DIR

Each input is a run file (`gwsim run`) or a sweep index (`gwsim sweep`'s sweep.h5), which stands for its
finished points. `gwsim compare` runs this script with the interpreter CMake found; it also runs on its own
under any Python 3 with h5py, numpy and matplotlib. Exit codes: 0 success, 2 bad input, 1 internal error.
"""
import argparse
import csv
import os
import sys

import numpy as np

import compare_sections as C
import plots
import html_page as H
import runs as R
import script_main
from gwsim_h5 import InputError


def main(prog):
    parser = argparse.ArgumentParser(prog=prog, description="Compare gwsim runs: headline table, differing "
                                     "scenario fields and overlaid plots, as HTML with PNG figures.")
    parser.add_argument("inputs", metavar="FILE.h5", nargs="+",
                        help="run files written by `gwsim run`, or sweep.h5 files written by `gwsim sweep`")
    parser.add_argument("-o", "--output", metavar="DIR", required=True,
                        help="folder for compare.html, headline.csv and the figures (created if missing)")
    args = parser.parse_args()

    parent = os.path.dirname(os.path.abspath(args.output))
    if not os.path.isdir(parent):
        raise InputError(f"-o {args.output}: the folder {parent} does not exist")
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise InputError(f"-o {args.output}: exists and is not a folder")
    runs, notes = R.load(args.inputs)
    if len(runs) < 2:
        raise InputError(f"{len(runs)} run{'s' if len(runs) != 1 else ''} to compare (after expanding sweeps); "
                         "give at least two")
    os.makedirs(args.output, exist_ok=True)

    figures = []

    def save(fig, name):
        figures.append(plots.save(fig, args.output, name))
        return figures[-1]

    with np.errstate(all="ignore"):
        headers, units, rows = C.headline_table(runs)
        with open(os.path.join(args.output, "headline.csv"), "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow([f"{h} [{u}]" if u else h for h, u in zip(headers, units)])
            writer.writerows(rows)
        headline = H.table(headers, rows, units)
        if notes:
            headline += "".join(H.paragraph(n) for n in notes)
        sections = [("runs", "Runs", C.sources(runs)), ("headline", "Headline figures", headline),
                    ("scenario", "Scenario fields that differ", C.differing_fields(runs)),
                    ("steps", "Step times", C.step_plots(runs, save)),
                    ("power", "Site power", C.power_plots(runs, save)),
                    ("efficiency", "Throughput and energy", C.headline_plots(runs, headers, rows, save)),
                    ("sweep", "Along the sweep", C.sweep_axis_plots(runs, headers, rows, save))]
    out = os.path.join(args.output, "compare.html")
    with open(out, "w", encoding="utf-8") as page:
        page.write(H.page(f"gwsim comparison of {len(runs)} runs", ", ".join(args.inputs), sections))
    print(f"wrote {out}, headline.csv and {len(figures)} figures")
    return 0


if __name__ == "__main__":
    sys.exit(script_main.run(main, __file__))
