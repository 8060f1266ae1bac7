"""The inputs of compare.py as a flat list of runs: a run file stands for itself; a sweep index (sweep.h5,
docs/sweeps.md) stands for each of its finished points, reached through its /runs/<index> external links."""
import os

import h5py

from gwsim_h5 import RUN_FORMAT, InputError, open_hdf5, open_run, table, text

# String columns of the sweep's /points table that are not swept field paths (used only when the file lacks
# the root attribute `fields`, which lists the swept paths one per line).
SWEEP_BOOKKEEPING = {"status", "scenario_sha256", "message"}


class Run:
    """One run to compare: its open file, a label for legends and tables, and where it came from."""

    def __init__(self, f, label, source, params=None):
        self.f = f
        self.label = label
        self.source = source
        self.params = params or {}  # a sweep point's swept field paths and values, as written in sweep.h5


def _sweep_points(path, f):
    """The finished points of the sweep index F (opened from PATH), plus one note per point left out."""
    found = table(f, "points")
    if found is None or "index" not in found[0] or "status" not in found[0]:
        raise InputError(f"{path}: a gwsim-sweep file without a /points table with index and status columns")
    columns, _ = found
    if "fields" in f.attrs:
        swept = [c for c in text(f.attrs["fields"]).split("\n") if c]
        missing = [c for c in swept if c not in columns]
        if missing:
            raise InputError(f"{path}: /points has no column for the swept field(s) {', '.join(missing)}")
    else:
        swept = [c for c, v in columns.items() if v.dtype == object and c not in SWEEP_BOOKKEEPING]
    # Labels show the fields that take more than one value among the points.
    varying = [c for c in swept if len(set(columns[c])) > 1]
    messages = table(f, "messages")
    why = {}
    if messages is not None and "index" in messages[0] and "message" in messages[0]:
        why = dict(zip(messages[0]["index"].tolist(), messages[0]["message"]))
    stem = os.path.splitext(os.path.basename(path))[0]
    runs, skipped = [], []
    for row, index in enumerate(columns["index"]):
        status = columns["status"][row]
        if status != "done":
            reason = why.get(int(index), "")
            skipped.append(f"{path}: point {index} left out (status {status})" + (f": {reason}" if reason else ""))
            continue
        link = f.get(f"runs/{index}", getlink=True)
        if not isinstance(link, h5py.ExternalLink):
            raise InputError(f"{path}: /runs/{index} is not an external link to the point's file")
        # The link's file name is relative to the sweep file's folder (docs/sweeps.md); resolve it here rather
        # than rely on HDF5's search path, so that a missing point file is named in the message.
        target = os.path.join(os.path.dirname(os.path.abspath(path)), link.filename)
        params = {c: columns[c][row] for c in varying}
        # Labels name each swept field by its last component (nic_bandwidth); the comparison's table of differing
        # scenario fields gives the full paths.
        short = ", ".join(f"{k.split('.')[-1]}={v}" for k, v in params.items())
        label = f"{stem}#{index}" + (f" ({short})" if short else "")
        runs.append(Run(open_run(target), label, f"{path} point {index}", params))
    return runs, skipped


def load(paths):
    """(runs, notes) for the command-line inputs, in the order given."""
    runs, notes = [], []
    for path in paths:
        f, fmt = open_hdf5(path, (RUN_FORMAT, "gwsim-sweep"))
        if fmt == RUN_FORMAT:
            runs.append(Run(f, os.path.splitext(os.path.basename(path))[0], path))
        else:
            points, skipped = _sweep_points(path, f)
            runs += points
            notes += skipped
    labels = [r.label for r in runs]
    for r in runs:  # two inputs named a.h5 in different folders: label them by path instead
        if labels.count(r.label) > 1:
            r.label = r.source
    return runs, notes


def scenario_name(run):
    return text(run.f.attrs["scenario_name"]) if "scenario_name" in run.f.attrs else ""
