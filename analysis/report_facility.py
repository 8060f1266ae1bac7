"""The facility section of a one-run report: the /facility group of docs/output.md (run totals as attributes,
series beside an end_s axis, a per-job table). The documented series are drawn in figures that belong together
(IT and grid power; cooling, losses and storage; PUE; outside temperature; throttling); any other series the
group holds is drawn by unit, so that additions show up unedited."""
import numpy as np

import html_page as H
import plots
import report_sections as S
from gwsim_h5 import scalar_attributes, table

# Units of the run totals, from the suffix of the attribute name (docs/output.md names units in names).
_SUFFIX_UNITS = (("_w_per_s", "W/s"), ("_j", "J"), ("_w", "W"), ("_hz", "Hz"), ("_s", "s"))
# The documented series, grouped into figures: (file name, title, y quantity, unit, series).
_FIGURES = (
    ("facility_power.png", "Facility power: IT and grid", "power", "W",
     ("demand_w", "it_w", "total_w", "grid_w")),
    ("facility_overheads.png", "Facility overheads: cooling, losses, storage", "power", "W",
     ("cooling_w", "losses_w", "storage_w")),
    ("facility_pue.png", "PUE over time", "PUE", "", ("pue",)),
    ("facility_outside.png", "Outside temperature", "temperature", "°C", ("outside_c",)),
    ("facility_throttle.png", "Power-cap throttling", "IT power / smoothed demand", "", ("throttle",)),
    ("facility_stored.png", "Energy in storage", "stored energy", "J", ("stored_j",)),
)
_LABELS = {"demand_w": "IT demand", "it_w": "IT drawn", "total_w": "facility total", "grid_w": "grid draw",
           "cooling_w": "cooling", "losses_w": "delivery + storage losses", "storage_w": "from storage (+) / to (−)",
           "pue": "PUE per interval", "outside_c": "outside dry bulb", "throttle": "throttle factor",
           "stored_j": "stored energy"}
# Series that often coincide (demand = IT drawn without smoothing; grid = total without storage) stay visible.
_STYLES = {"demand_w": "--", "grid_w": ":"}


def _unit_of(name):
    return next((unit for suffix, unit in _SUFFIX_UNITS if name.endswith(suffix)), "")


def _constant(values, value):
    return values.size > 0 and bool(np.all(values[np.isfinite(values)] == value))


def _figure(r, group, t, spec):
    png, title, quantity, unit, names = spec
    present = [n for n in names if n in group and group[n].shape == t.shape]
    if not present:
        return "", []
    series = {n: np.asarray(group[n][:], dtype=float) for n in present}
    # Series that say nothing (no storage: all 0; never throttled: all 1) are named, not drawn.
    quiet = [n for n in present if (n in ("storage_w", "stored_j") and _constant(series[n], 0.0)) or
             (n == "throttle" and _constant(series[n], 1.0))]
    drawn = [n for n in present if n not in quiet]
    if not drawn:
        return "", quiet
    stacked = np.concatenate([series[n] for n in drawn])
    factor, shown = plots.prefix(stacked, unit if unit != "°C" else "")
    shown = shown or unit
    ts, tunit = plots.time_axis(t)
    fig, ax = plots.figure(title, f"simulated time [{tunit}]", f"{quantity} [{shown}]" if shown else quantity)
    for n in drawn:
        plots.draw_series(ax, ts, series[n] / factor, _LABELS.get(n, n), linestyle=_STYLES.get(n, "-"),
                          time_unit=tunit)
    if "pue" in drawn and "pue" in group.attrs:
        ax.axhline(float(group.attrs["pue"]), color="k", linestyle="--", linewidth=0.8,
                   label=f"run PUE {float(group.attrs['pue']):.4g}")
    if unit == "W" and np.nanmin(stacked) >= 0:
        ax.set_ylim(bottom=0)
    low, high = np.nanmin(stacked), np.nanmax(stacked)
    if unit == "°C" and high - low < 2:  # a short run hardly moves the weather: show at least 2 °C
        ax.set_ylim((low + high) / 2 - 1, (low + high) / 2 + 1)
    plots.legend(ax, len(ax.get_legend_handles_labels()[0]))
    return H.figure(r.save(fig, png), f"{title} ({', '.join('/facility/' + n for n in drawn)})."), quiet


def facility(r):
    if "facility" not in r.f:
        return H.absent("This file has no facility data (/facility: cooling, power delivery, PUE).")
    group = r.f["facility"]
    body = ""
    totals = scalar_attributes(group)
    if totals:
        rows = [[name, value, _unit_of(name)] for name, value in totals.items()]
        body += H.paragraph("Run totals and power metrics (attributes of /facility):")
        body += H.table(["figure", "value", "unit"], rows)
    drawn = set()
    if "end_s" in group:
        t = group["end_s"][:]
        quiet_all = []
        for spec in _FIGURES:
            html, quiet = _figure(r, group, t, spec)
            body += html
            quiet_all += quiet
            drawn.update(spec[4])
        if quiet_all:
            body += H.paragraph("Not drawn, constant over the run: " +
                                ", ".join(f"/facility/{n} ({_LABELS.get(n, n)})" for n in quiet_all) + ".")
        body += S.series_figures(r, group, "/facility", "facility_other", skip=drawn)
    for name, child in group.items():
        if hasattr(child, "dtype") and child.dtype.names:
            columns, units = table(r.f, child.name)
            body += H.paragraph(f"{child.name}:") + S.full_table(columns, units)
    return body or H.absent("The /facility group is empty.")
