"""The parts of a comparison: headline figures per run, the scenario fields that differ, overlaid plots.
A run without some data (no site power series, no facility) shows "–" in the table and is left out of that
plot, with a line that says so."""
import re

import numpy as np

import html_page as H
import plots
from gwsim_h5 import flatten, scalar_attributes, scenario, table
from runs import scenario_name

ZOOM_STEPS = 3  # the zoomed power plot covers the first steps of the slowest run
BREAKDOWN = (("compute_s", "compute", "#4c72b0"), ("exposed_comm_s", "exposed communication", "#dd8452"),
             ("bubble_s", "pipeline bubble", "#8c8c8c"))
NAN = float("nan")
_FACILITY_HEADLINES = (("pue", "PUE", ""), ("grid_energy_j", "grid energy", "J"),
                       ("peak_grid_power_w", "peak grid power", "W"), ("cooling_energy_j", "cooling energy", "J"))


def _steps(run):
    found = table(run.f, "steps")
    return found[0] if found is not None and found[0] and "duration_s" in found[0] else None


def _attr(run, name):
    return float(run.f.attrs[name]) if name in run.f.attrs else NAN


def headline(run):
    """[(name, unit, value)] of one run; NaN where the file lacks the data."""
    steps = _steps(run)
    jobs = table(run.f, "jobs")
    jobs = jobs[0] if jobs is not None and jobs[0] else None
    accel = table(run.f, "power/accelerators")
    accel_energy = float(np.sum(accel[0]["energy_j"])) if accel is not None and "energy_j" in accel[0] else NAN
    sim_time = _attr(run, "simulated_time_s")
    figures = [("simulated time", "s", sim_time), ("wall time", "s", _attr(run, "wall_time_s"))]
    if steps is not None:
        total = float(np.sum(steps["duration_s"]))
        figures += [("steps", "", int(steps["duration_s"].size)),
                    ("mean step", "s", float(np.mean(steps["duration_s"])))]
        figures += [(f"{name} share", "%", 100 * float(np.sum(steps[c])) / total if c in steps and total else NAN)
                    for c, name, _ in BREAKDOWN]
    else:
        figures += [("steps", "", NAN), ("mean step", "s", NAN)] + [(f"{n} share", "%", NAN) for _, n, _ in BREAKDOWN]
    tokens = float(np.sum(jobs["tokens"])) if jobs is not None and "tokens" in jobs else NAN
    job_energy = float(np.sum(jobs["energy_j"])) if jobs is not None and "energy_j" in jobs else NAN
    figures += [("throughput", "tokens/s", float(np.sum(jobs["tokens_per_s"])) if jobs is not None else NAN),
                ("accelerator energy", "J", accel_energy),
                ("mean accelerator power", "W", accel_energy / sim_time if sim_time > 0 else NAN),
                ("energy per token", "J/token", job_energy / tokens if tokens > 0 else NAN)]
    peak = float(np.max(run.f["power/site/power_w"][:])) if "power/site/power_w" in run.f and \
        run.f["power/site/power_w"].size else NAN
    figures.append(("peak site power", "W", peak))
    if "facility" in run.f:  # the run totals of docs/output.md's /facility group, those the file has
        totals = scalar_attributes(run.f["facility"])
        for attribute, name, unit in _FACILITY_HEADLINES:
            if isinstance(totals.get(attribute), (int, float)):
                figures.append((name, unit, float(totals[attribute])))
        if "grid_energy_j" in totals and tokens > 0:
            figures.append(("grid energy per token", "J/token", float(totals["grid_energy_j"]) / tokens))
    return figures


def headline_table(runs):
    """(headers, units, rows): one row per run; columns are the union of every run's figures."""
    per_run = [headline(r) for r in runs]
    columns = []
    for figures in per_run:
        for name, unit, _ in figures:
            if (name, unit) not in columns:
                columns.append((name, unit))
    rows = []
    for run, figures in zip(runs, per_run):
        values = {(n, u): v for n, u, v in figures}
        rows.append([run.label] + [values.get(c, NAN) for c in columns])
    return ["run"] + [n for n, _ in columns], [""] + [u for _, u in columns], rows


def sources(runs):
    rows = [[r.label, scenario_name(r), r.source] for r in runs]
    return H.table(["run", "scenario", "file"], rows)


def differing_fields(runs):
    """The effective scenarios (root attribute scenario_json), flattened to field paths, where they differ."""
    flat = []
    for r in runs:
        flat.append(flatten(scenario(r.f)) if "scenario_json" in r.f.attrs else {})
    keys = []
    for f in flat:
        keys += [k for k in f if k not in keys]
    differing = [k for k in keys if len({repr(f.get(k, "(unset)")) for f in flat}) > 1]
    if not differing:
        return H.paragraph("The runs have identical effective scenarios (equal scenario_json).")
    rows = [[r.label] + [str(f.get(k, "(unset)")) for k in differing] for r, f in zip(runs, flat)]
    return (H.paragraph(f"{len(differing)} field(s) of the effective scenario (file + --set + seed) differ; "
                        "fields equal in every run are not shown.") + H.table(["run"] + differing, rows))


def step_plots(runs, save):
    with_steps = [(r, _steps(r)) for r in runs if _steps(r) is not None]
    if not with_steps:
        return H.absent("None of the runs has a step table (/steps).")
    body = ""
    durations = np.concatenate([s["duration_s"] for _, s in with_steps])
    factor, unit = plots.prefix(durations, "s")
    fig, ax = plots.figure("Step duration per step", "step", f"step duration [{unit}]")
    lines = 0
    for r, s in with_steps:
        for job in np.unique(s["job"]):
            m = s["job"] == job
            label = r.label if len(np.unique(s["job"])) == 1 else f"{r.label} job {job}"
            ax.plot(s["step"][m], s["duration_s"][m] / factor, marker="o" if m.sum() <= 50 else None,
                    markersize=4, label=label)
            lines += 1
    ax.set_ylim(bottom=0)
    plots.integer_x(ax)
    plots.legend(ax, lines)
    body += H.figure(save(fig, "step_duration.png"), "Duration of every step, one line per run (and job).")

    fig, ax = plots.figure("Mean step-time breakdown", f"mean time per step [{unit}]", "")
    labels = [r.label for r, _ in with_steps]
    y = np.arange(len(labels))
    left = np.zeros(len(labels))
    for column, name, color in BREAKDOWN:
        values = np.array([np.mean(s[column]) if column in s else 0.0 for _, s in with_steps]) / factor
        ax.barh(y, values, left=left, color=color, label=name, height=0.6)
        left += values
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_ylabel("run")
    fig.set_size_inches(10, max(3.0, 1.2 + 0.45 * len(labels)))
    plots.legend(ax, len(BREAKDOWN))
    body += H.figure(save(fig, "step_breakdown.png"),
                     "Mean step split into compute, exposed communication and pipeline bubble, per run.")
    return body


def power_plots(runs, save):
    with_power = [r for r in runs if "power/site/power_w" in r.f and r.f["power/site/power_w"].size]
    body = ""
    missing = [r.label for r in runs if r not in with_power]
    if not with_power:
        return H.absent("None of the runs has a site power series (/power/site).")
    series = [(r, r.f["power/site/end_s"][:], r.f["power/site/power_w"][:]) for r in with_power]
    pfactor, punit = plots.prefix(np.concatenate([p for _, _, p in series]), "W")
    tfactor, tunit = plots.prefix(np.concatenate([t for _, t, _ in series]), "s")
    fig, ax = plots.figure("Site power over the run", f"simulated time [{tunit}]", f"power [{punit}]")
    for r, t, p in series:
        plots.draw_series(ax, t / tfactor, p / pfactor, r.label, time_unit=tunit,
                          band=len(series) == 1)  # overlaid bands hide each other
    ax.set_ylim(bottom=0)
    plots.legend(ax, len(series))
    body += H.figure(save(fig, "site_power.png"), "Total accelerator power of each run, averaged per interval.")

    ends = []
    for r in with_power:
        s = _steps(r)
        if s is not None and "end_s" in s and s["end_s"].size:
            ends.append(float(np.sort(s["end_s"])[min(ZOOM_STEPS, s["end_s"].size) - 1]))
    if ends:
        window = max(ends)
        fig, ax = plots.figure(f"Site power, first {ZOOM_STEPS} steps (0 to {window:.4g} s)", "simulated time [s]",
                               f"power [{punit}]")
        for r, t, p in series:
            inside = t - (t[1] - t[0] if t.size > 1 else t[0]) < window
            plots.draw_series(ax, t[inside], p[inside] / pfactor, r.label)
        ax.set_xlim(0, window)
        ax.set_ylim(bottom=0)
        plots.legend(ax, len(series))
        body += H.figure(save(fig, "site_power_zoom.png"),
                         f"Zoom on the first {ZOOM_STEPS} steps of the slowest run: the power swings of each step.")
    if missing:
        body += H.absent("No site power series in: " + ", ".join(missing))
    return body


def headline_plots(runs, headers, rows, save):
    wanted = [("throughput", "tokens/s"), ("energy per token", "J/token"), ("mean step", "s"),
              ("accelerator energy", "J")]
    present = [(name, unit, headers.index(name)) for name, unit in wanted if name in headers]
    present = [(n, u, i) for n, u, i in present if any(np.isfinite(row[i]) for row in rows)]
    if not present:
        return H.absent("The runs have no job or energy figures to plot.")
    labels = [row[0] for row in rows]
    ncols = 2 if len(present) > 1 else 1
    nrows = (len(present) + ncols - 1) // ncols
    fig, axes = plots.plt.subplots(nrows, ncols, figsize=(10, nrows * max(2.6, 1.3 + 0.35 * len(labels))),
                                   sharey=True, squeeze=False)
    axes = axes.ravel()
    for ax in axes[len(present):]:
        ax.set_visible(False)
    y = np.arange(len(labels))
    for ax, (name, unit, column) in zip(axes, present):
        values = np.array([row[column] for row in rows], dtype=float)
        factor, shown = plots.prefix(values, unit)
        ax.barh(y, values / factor, color=[f"C{i % 10}" for i in range(len(labels))], height=0.6)
        ax.set_xlabel(f"{name} [{shown}]")
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks(y, labels)
    axes[0].invert_yaxis()
    for ax in axes[::ncols]:
        ax.set_ylabel("run")
    fig.suptitle("Headline figures per run", fontsize=13)
    fig.tight_layout()
    return H.figure(save(fig, "headline.png"), "Throughput, energy per token, mean step and energy of each run.")


_QUANTITY = re.compile(r"^\s*([-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z/%]*)\s*$")


def _numeric_axis(values):
    """(numbers, unit) when every value is a number with the same unit suffix ("100Gbps"), else None."""
    parsed = [_QUANTITY.match(str(v)) for v in values]
    if not all(parsed) or len({m.group(2) for m in parsed}) != 1:
        return None
    return np.array([float(m.group(1)) for m in parsed]), parsed[0].group(2)


def sweep_axis_plots(runs, headers, rows, save):
    """Headline figures against a swept field, when every run is a sweep point and a swept field is numeric:
    the first such field is the x axis, the other varying fields make one line per combination."""
    if not runs or not all(r.params for r in runs) or len({tuple(sorted(r.params)) for r in runs}) != 1:
        return H.absent("The runs are not all points of sweeps over the same fields, so there is no sweep axis.")
    varying = [k for k in runs[0].params if len({r.params[k] for r in runs}) > 1]
    axis = next((k for k in varying if _numeric_axis([r.params[k] for r in runs])), None)
    if axis is None:
        return H.absent("No swept field has numeric values, so there is no sweep axis to plot against.")
    x, x_unit = _numeric_axis([r.params[axis] for r in runs])
    others = [k for k in varying if k != axis]
    series = {}
    for i, r in enumerate(runs):
        series.setdefault(", ".join(f"{k.split('.')[-1]}={r.params[k]}" for k in others) or "runs", []).append(i)
    wanted = [("throughput", "tokens/s"), ("mean step", "s"), ("energy per token", "J/token"),
              ("peak site power", "W")]
    present = [(n, u, headers.index(n)) for n, u in wanted if n in headers]
    fig, axes = plots.plt.subplots(2, 2, figsize=(10, 7), squeeze=False)
    for ax, (name, unit, column) in zip(axes.ravel(), present):
        values = np.array([row[column] for row in rows], dtype=float)
        factor, shown = plots.prefix(values, unit)
        for label, members in list(series.items())[:10]:
            order = sorted(members, key=lambda i: x[i])
            ax.plot(x[order], values[order] / factor, marker="o", label=label)
        ax.set_xlabel(f"{axis}" + (f" [{x_unit}]" if x_unit else ""))
        ax.set_ylabel(f"{name} [{shown}]" if shown else name)
        ax.set_ylim(bottom=0)
        if np.unique(x).size <= 10:
            ax.set_xticks(np.unique(x))
    for ax in axes.ravel()[len(present):]:
        ax.set_visible(False)
    fig.suptitle(f"Headline figures against {axis}", fontsize=13)
    if len(series) > 1:  # one legend for the four panels, below them
        handles, labels = axes.ravel()[0].get_legend_handles_labels()
        fig.tight_layout(rect=(0, 0.07, 1, 1))
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 3), frameon=False)
    else:
        fig.tight_layout()
    return H.figure(save(fig, "sweep_axis.png"),
                    f"Headline figures of each sweep point against {axis}"
                    + (f", one line per {', '.join(others)}" if others else "") + ".")
