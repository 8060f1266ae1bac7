"""Checks a gwsim HDF5 file against the layout table of docs/output.md, in both directions.

Usage: check_layout.py GWSIM DOC SCENARIO WORKDIR
Runs `GWSIM run SCENARIO -o WORKDIR/layout.h5`, then compares the file with every row of DOC's layout table:
listed objects must exist with the listed units (optional ones may be absent), and every object, column and
attribute in the file must be listed. Exits non-zero with one line per mismatch.
"""
import os
import re
import subprocess
import sys

import h5py

ROW = re.compile(r"^\| `([^`]+)` \|\s*([a-z ]+?(?: \(optional\))?)\s*\|([^|]*)\|")


def read_layout(doc_path):
    rows = {}
    with open(doc_path, encoding="utf-8") as doc:
        for line in doc:
            match = ROW.match(line)
            if match:
                kind = match.group(2).strip()
                rows[match.group(1)] = {
                    "kind": kind.replace(" (optional)", ""),
                    "optional": kind.endswith("(optional)"),
                    "units": match.group(3).strip(),
                }
    return rows


def decode(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def file_objects(f):
    """Every object, column and attribute in the file, keyed like the doc's first column."""
    found = {}

    def visit_attributes(path, obj):
        for name in obj.attrs:
            if name in ("units", "description"):
                continue
            found[("/" if path == "/" else path) + "@" + name] = {"kind": "attribute", "units": None}

    visit_attributes("/", f)

    def visit(name, obj):
        path = "/" + name
        visit_attributes(path, obj)
        if isinstance(obj, h5py.Group):
            found[path] = {"kind": "group", "units": None}
        elif "units" not in obj.attrs:
            found[path] = {"kind": "dataset without a units attribute", "units": None}
        elif obj.dtype.names:
            units = [decode(u) for u in obj.attrs["units"]]
            found[path] = {"kind": "table", "units": ""}
            for column, unit in zip(obj.dtype.names, units):
                found[path + ":" + column] = {"kind": "column", "units": unit}
        else:
            found[path] = {"kind": "series", "units": decode(obj.attrs["units"])}

    f.visititems(visit)
    return found


def main():
    gwsim, doc, scenario, workdir = sys.argv[1:5]
    os.makedirs(workdir, exist_ok=True)
    out = os.path.join(workdir, "layout.h5")
    subprocess.run([gwsim, "run", scenario, "-o", out, "--quiet"], check=True, stdout=subprocess.DEVNULL)
    layout = read_layout(doc)
    problems = []
    if len(layout) < 20:
        problems.append(f"{doc}: found only {len(layout)} layout rows; is the table still there?")
    with h5py.File(out, "r") as f:
        if decode(f.attrs.get("format", "")) != "gwsim":
            problems.append("root attribute format is not 'gwsim'")
        found = file_objects(f)
        for path, want in layout.items():
            have = found.get(path)
            if have is None:
                if not want["optional"]:
                    problems.append(f"{path}: documented but not in the file")
                continue
            if have["kind"] != want["kind"]:
                problems.append(f"{path}: documented as {want['kind']}, is a {have['kind']}")
            if have["units"] is not None and have["kind"] in ("column", "series") and have["units"] != want["units"]:
                problems.append(f"{path}: units are {have['units']!r}, documented {want['units']!r}")
        for path in found:
            if path not in layout:
                problems.append(f"{path}: in the file but not documented in {doc}")
    for p in problems:
        print("layout mismatch:", p)
    print(f"checked {len(layout)} documented items against {out}: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
