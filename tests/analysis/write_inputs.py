"""Writes the HDF5 inputs that analysis_test.cc cannot get from `gwsim run`, with h5py.

usage: write_inputs.py sweep OUT.h5 POINT.h5:STATUS:NODES ...   a sweep index in the shape `gwsim sweep` writes
                                                                  (docs/sweeps.md): root format "gwsim-sweep"
                                                                  and `fields`, a /points table, a /messages
                                                                  table and /runs/<index> external links
       write_inputs.py foreign OUT.h5                            an HDF5 file that gwsim did not write
       write_inputs.py version IN.h5 OUT.h5 VERSION              a copy of a run file with another format_version
       write_inputs.py extras IN.h5 OUT.h5                       a copy of a run file with the kinds of data other
                                                                  layers add: a /facility group (series beside an
                                                                  end_s axis, run totals as attributes), per-rack
                                                                  power (a 2-D series) and a /network link table
       write_inputs.py strip IN.h5 OUT.h5 PATH ...               a copy of a run file without the objects PATH
                                                                  (those it has)
"""
import os
import shutil
import sys

import h5py
import numpy as np


def sweep(out, points):
    rows = []
    with h5py.File(out, "w") as f:
        f.attrs["format"] = "gwsim-sweep"
        f.attrs["format_version"] = 1
        f.attrs["sweep_text"] = "written by tests/analysis/write_inputs.py"
        f.attrs["fields"] = "platform.nodes\nseed"  # seed: a swept field with one value
        runs = f.create_group("runs")
        messages = []
        for index, point in enumerate(points):
            path, status, nodes = point.split(":")
            step = float("nan")
            if status == "done":
                with h5py.File(path, "r") as run:
                    step = float(np.mean(run["steps"]["duration_s"]))
                relative = os.path.relpath(path, os.path.dirname(os.path.abspath(out)))
                runs[str(index)] = h5py.ExternalLink(relative, "/")
            else:
                messages.append((index, b"exit code 2: the test says so"))
            rows.append((index, status.encode(), 0 if status == "done" else 2, nodes.encode(), b"1", step))
        dtype = [("index", "<i8"), ("status", "S8"), ("exit_code", "<i4"), ("platform.nodes", "S16"),
                 ("seed", "S4"), ("mean_step_duration_s", "<f8")]
        points_ds = f.create_dataset("points", data=np.array(rows, dtype=dtype))
        points_ds.attrs["units"] = np.array(["", "", "", "", "", "s"], dtype=h5py.string_dtype())
        f["messages"] = np.array(messages, dtype=[("index", "<i8"), ("message", "S64")])
        f["messages"].attrs["units"] = np.array(["", ""], dtype=h5py.string_dtype())


def foreign(out):
    with h5py.File(out, "w") as f:
        f.attrs["creator"] = "not gwsim"
        f["x"] = np.arange(3)


def version(source, out, number):
    shutil.copyfile(source, out)
    with h5py.File(out, "a") as f:
        f.attrs["format_version"] = int(number)


def _series(group, name, values, unit):
    group[name] = values
    group[name].attrs["units"] = unit


def extras(source, out):
    shutil.copyfile(source, out)
    with h5py.File(out, "a") as f:
        end_s = f["power/site/end_s"][:]
        it_w = f["power/site/power_w"][:]
        racks = f.create_group("power/racks")
        _series(racks, "end_s", end_s, "s")
        _series(racks, "power_w", np.stack([it_w * 0.5, it_w * 0.3, it_w * 0.2], axis=1), "W")
        facility = f.create_group("facility")
        facility.attrs["pue"] = 1.25
        facility.attrs["total_energy_j"] = float(np.sum(it_w) * 0.01 * 1.25)
        _series(facility, "end_s", end_s, "s")
        _series(facility, "demand_w", it_w, "W")
        _series(facility, "it_w", it_w, "W")
        _series(facility, "cooling_w", it_w * 0.2, "W")
        _series(facility, "losses_w", it_w * 0.05, "W")
        _series(facility, "total_w", it_w * 1.25, "W")
        _series(facility, "grid_w", it_w * 1.25, "W")
        _series(facility, "storage_w", np.zeros(end_s.size), "W")  # no storage: named, not drawn
        _series(facility, "pue", np.full(end_s.size, 1.25), "")
        _series(facility, "outside_c", 20 + np.sin(end_s), "degC")
        _series(facility, "throttle", np.ones(end_s.size), "")  # never throttled: named, not drawn
        _series(facility, "humidity", 0.5 + 0.1 * np.cos(end_s), "")  # not documented: drawn by unit
        links = np.array([(0, b"n0-switch", 3e9, 0.2), (1, b"n1-switch", 9e9, 0.7), (2, b"n2-switch", 1e9, 0.1)],
                         dtype=[("link", "<i8"), ("name", "S16"), ("bytes", "<f8"), ("utilization", "<f8")])
        f.create_group("network").create_dataset("links", data=links)
        f["network/links"].attrs["units"] = np.array(["", "", "B", ""], dtype=h5py.string_dtype())


def strip(source, out, *paths):
    shutil.copyfile(source, out)
    with h5py.File(out, "a") as f:
        for path in paths:
            if path in f:
                del f[path]


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    if command == "sweep":
        sweep(arguments[0], arguments[1:])
    elif command == "foreign":
        foreign(arguments[0])
    elif command == "version":
        version(*arguments)
    elif command == "extras":
        extras(*arguments)
    elif command == "strip":
        strip(*arguments)
    else:
        sys.exit(f"write_inputs.py: unknown command {command}")
