"""Reading gwsim's HDF5 files: a run file (docs/output.md) and a sweep index (docs/sweeps.md).

Everything here is plain h5py + numpy. Bad input (a missing file, a file that is not HDF5, an HDF5 file that
gwsim did not write, a layout version this code does not know) raises InputError, which the command-line
scripts turn into one line on stderr and exit code 2; anything else is a bug (exit code 1).
"""
import json
import os

import h5py
import numpy as np

RUN_FORMAT = "gwsim"
SWEEP_FORMAT = "gwsim-sweep"
# Layout versions this code reads; a new version means an incompatible change (docs/output.md).
KNOWN_RUN_VERSIONS = (1,)
KNOWN_SWEEP_VERSIONS = (1,)


class InputError(Exception):
    """The input is not something these scripts can read; the message says what was expected."""


def text(value):
    """An HDF5 string (attribute, fixed-length byte string or numpy scalar) as str."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return text(value[()])
    return str(value)


def open_hdf5(path, expected_formats):
    """Opens PATH read-only and returns (h5py.File, format) after checking the root `format` attribute."""
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a folder, expected a gwsim HDF5 file")
    if not h5py.is_hdf5(path):
        raise InputError(f"{path}: not an HDF5 file (expected a file written by `gwsim run`)")
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise InputError(f"{path}: cannot be read as HDF5 ({e})") from None
    fmt = text(f.attrs["format"]) if "format" in f.attrs else None
    if fmt == SWEEP_FORMAT and fmt not in expected_formats:
        f.close()
        raise InputError(f"{path}: a sweep index, not a run file: compare its points with `gwsim compare "
                         f"{path} -o DIR`, or report one point (points/<index>.h5)")
    if fmt not in expected_formats:
        f.close()
        wanted = " or ".join(f'"{e}"' for e in expected_formats)
        found = "no such attribute" if fmt is None else f'"{fmt}"'
        raise InputError(f"{path}: not a gwsim file (root attribute format = {wanted} expected, found {found})")
    known = KNOWN_RUN_VERSIONS if fmt == RUN_FORMAT else KNOWN_SWEEP_VERSIONS
    version = int(f.attrs["format_version"]) if "format_version" in f.attrs else None
    if version not in known:
        f.close()
        raise InputError(f"{path}: {fmt} layout version {version} is not one this script reads "
                         f"({', '.join(map(str, known))})")
    return f, fmt


def open_run(path):
    """A run file written by `gwsim run`, as an open h5py.File."""
    return open_hdf5(path, (RUN_FORMAT,))[0]


def table(f, path):
    """The compound dataset PATH as (columns, units): columns maps each column name to a numpy array (strings
    decoded to str), units maps it to its unit ("" for identifiers and counts). None when PATH is absent."""
    if path not in f:
        return None
    dataset = f[path]
    rows = dataset[:]
    names = rows.dtype.names or ()
    units = [text(u) for u in dataset.attrs["units"]] if "units" in dataset.attrs else [""] * len(names)
    columns = {}
    for name in names:
        column = rows[name]
        if column.dtype.kind == "S":
            column = np.array([v.decode("utf-8") for v in column], dtype=object)
        columns[name] = column
    return columns, dict(zip(names, units))


def series_unit(dataset):
    """The `units` attribute of a series dataset ("" when the layout gives none)."""
    return text(dataset.attrs["units"]) if "units" in dataset.attrs else ""


def time_series_groups(f, root):
    """Every group under ROOT (ROOT included) that holds an `end_s` time axis, as {group path: group}."""
    found = {}
    if root not in f or not isinstance(f[root], h5py.Group):
        return found

    def visit(group):
        if "end_s" in group and isinstance(group["end_s"], h5py.Dataset):
            found[group.name] = group
        for child in group.values():
            if isinstance(child, h5py.Group):
                visit(child)

    visit(f[root])
    return found


def scalar_attributes(obj, skip=("description", "units")):
    """The numeric and string scalar attributes of OBJ as {name: value}, in name order."""
    values = {}
    for name in sorted(obj.attrs):
        if name in skip:
            continue
        value = obj.attrs[name]
        if isinstance(value, np.ndarray) and value.shape != ():
            continue
        values[name] = value.item() if isinstance(value, np.generic) else text(value)
    return values


def scenario(f):
    """The effective scenario (root attribute scenario_json) as nested dicts and lists."""
    return json.loads(text(f.attrs["scenario_json"]))


def flatten(value, prefix=""):
    """Nested dicts and lists as {"a.b[0].c": leaf}, the field paths `--set` uses."""
    if isinstance(value, dict):
        items = {}
        for key, child in value.items():
            items.update(flatten(child, f"{prefix}.{key}" if prefix else key))
        return items
    if isinstance(value, list):
        items = {}
        for i, child in enumerate(value):
            items.update(flatten(child, f"{prefix}[{i}]"))
        return items
    return {prefix: value}
