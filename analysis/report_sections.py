"""The sections of a one-run report. Each function takes the Report context and returns the section's HTML;
a section whose datasets the file does not have returns one line saying so. Dataset names are those of
docs/output.md; groups that other layers add later (/facility, more /power series, /network) are drawn from
what they hold (every series beside an `end_s` time axis, grouped by unit), so new data shows up unedited."""
import json

import numpy as np

import html_page as H
import plots
from gwsim_h5 import series_unit, table, text, time_series_groups

MAX_TABLE_ROWS = 50
BREAKDOWN = (("compute_s", "compute", "#4c72b0"), ("exposed_comm_s", "exposed communication", "#dd8452"),
             ("bubble_s", "pipeline bubble", "#8c8c8c"))


class Report:
    """What the sections share: the open file, the output folder, the zoom window and the figure names."""

    def __init__(self, f, folder, zoom):
        self.f = f
        self.folder = folder
        self.zoom = zoom  # (start_s, end_s)
        self.figures = []

    def save(self, fig, name):
        self.figures.append(plots.save(fig, self.folder, name))
        return self.figures[-1]


def _rows(columns, names, limit=None):
    count = len(columns[names[0]]) if names else 0
    shown = range(count if limit is None else min(count, limit))
    return [[columns[n][i].item() if hasattr(columns[n][i], "item") else columns[n][i] for n in names]
            for i in shown]


def full_table(columns, units, limit=MAX_TABLE_ROWS):
    names = list(columns)
    body = H.table(names, _rows(columns, names, limit), [units[n] for n in names])
    count = len(columns[names[0]]) if names else 0
    if count > limit:
        body += H.paragraph(f"First {limit} of {count} rows.")
    return body


def scenario(r):
    a = r.f.attrs
    fields = [("scenario", "scenario_name"), ("file", "scenario_path"), ("seed", "seed"),
              ("--set overrides", "scenario_overrides"), ("scenario sha256", "scenario_sha256"),
              ("simulated time [s]", "simulated_time_s"), ("wall time [s]", "wall_time_s"),
              ("SimGrid activities", "events"), ("gwsim", "gwsim_version"), ("git revision", "git_revision"),
              ("SimGrid", "simgrid_version")]
    rows = []
    for label, name in fields:
        if name in a:
            value = a[name]
            value = value.item() if isinstance(value, np.generic) else text(value)
            rows.append([label, value if value != "" else "(none)"])
    body = H.table(["field", "value"], rows)
    if "scenario_json" in a:
        pretty = json.dumps(json.loads(text(a["scenario_json"])), indent=2)
        body += H.preformatted(pretty, "Effective scenario (file + overrides + seed, canonical JSON)")
    if "scenario_text" in a:
        body += H.preformatted(text(a["scenario_text"]), "Scenario file as read")
    return body


def jobs(r):
    found = table(r.f, "jobs")
    if found is None or not found[0]:
        return H.absent("This file has no job table (/jobs).")
    columns, units = found
    if "energy_j" in columns and "tokens" in columns:
        tokens = np.asarray(columns["tokens"], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            columns["energy_per_token_j"] = np.where(tokens > 0, columns["energy_j"] / tokens, np.nan)
        units["energy_per_token_j"] = "J/token"
    body = full_table(columns, units)
    if "energy_per_token_j" in columns:
        body += H.paragraph("energy_per_token_j = energy_j / tokens (derived here, not stored in the file).")
    return body


def _per_job(columns):
    jobs_in = np.unique(columns["job"]) if "job" in columns else np.array([0])
    for job in jobs_in:
        mask = columns["job"] == job if "job" in columns else np.ones(len(columns["duration_s"]), bool)
        yield int(job), mask


def steps(r):
    found = table(r.f, "steps")
    if found is None or not found[0] or "duration_s" not in found[0]:
        return H.absent("This file has no step table (/steps).")
    columns, units = found
    rows = []
    for job, mask in _per_job(columns):
        d = columns["duration_s"][mask]
        row = [job, int(mask.sum()), d.mean(), np.median(d), np.percentile(d, 99), d.min(), d.max()]
        row += [columns[c][mask].mean() if c in columns else float("nan") for c, _, _ in BREAKDOWN]
        rows.append(row)
    headers = ["job", "steps", "mean", "median", "p99", "min", "max"] + [f"mean {n}" for _, n, _ in BREAKDOWN]
    body = H.paragraph("Step durations per job (seconds):")
    body += H.table(headers, rows, ["", ""] + ["s"] * (len(headers) - 2))
    body += H.paragraph("Every step:") + full_table(columns, units)
    return body


def breakdown(r):
    found = table(r.f, "steps")
    if found is None or not found[0] or "duration_s" not in found[0]:
        return H.absent("This file has no step table (/steps), so no step-time breakdown.")
    columns, _ = found
    body = ""
    share_rows = []
    for job, mask in _per_job(columns):
        step_index = columns["step"][mask] if "step" in columns else np.arange(mask.sum())
        parts = [(columns[c][mask], name, color) for c, name, color in BREAKDOWN if c in columns]
        total = columns["duration_s"][mask]
        factor, unit = plots.prefix(total, "s")
        fig, ax = plots.figure(f"Step-time breakdown, job {job}", "step", f"time [{unit}]")
        bottom = np.zeros(len(total))
        wide = len(total) > 200
        for values, name, color in parts:
            if wide:
                ax.fill_between(step_index, bottom / factor, (bottom + values) / factor, step="mid", color=color,
                                label=name, linewidth=0)
            else:
                ax.bar(step_index, values / factor, bottom=bottom / factor, color=color, label=name, width=0.8)
            bottom = bottom + values
        ax.set_ylim(0, total.max() / factor * 1.1)
        plots.integer_x(ax)
        plots.legend(ax, len(parts))
        body += H.figure(r.save(fig, f"breakdown_job{job}.png"),
                         f"Job {job}: each step's duration split into compute, exposed communication and bubble.")
        share_rows.append([job] + [100 * v.sum() / total.sum() for v, _, _ in parts])
    body += H.paragraph("Share of the job's step time (percent):")
    part_names = [name for c, name, _ in BREAKDOWN if c in columns]
    body += H.table(["job"] + part_names, share_rows, [""] + ["%"] * len(part_names))
    return body


def _step_ends(r):
    found = table(r.f, "steps")
    if found is None or not found[0] or "end_s" not in found[0]:
        return np.array([])
    return np.asarray(found[0]["end_s"], dtype=float)


def _job_count(r):
    found = table(r.f, "steps")
    return len(np.unique(found[0]["job"])) if found is not None and "job" in found[0] else 1


def site_power(r):
    f = r.f
    if "power/site/power_w" not in f or "power/site/end_s" not in f:
        return H.absent("This file has no site power series (/power/site; set record.power_interval to record it).")
    t = f["power/site/end_s"][:]
    p = f["power/site/power_w"][:]
    if t.size == 0:
        return H.absent("The site power series is empty (the run was shorter than one interval).")
    interval = float(f["power/site"].attrs["interval_s"]) if "interval_s" in f["power/site"].attrs else None
    ts, tunit = plots.time_axis(t)
    ps, punit = plots.scaled(p, "W")
    fig, ax = plots.figure("Site power over the run", f"simulated time [{tunit}]", f"power [{punit}]")
    plots.draw_series(ax, ts, ps, "site power", time_unit=tunit)
    ax.axhline(ps.mean(), color="k", linestyle="--", linewidth=0.8, label=f"mean {ps.mean():.4g} {punit}")
    ax.set_ylim(bottom=0)
    plots.legend(ax, 3)
    body = H.figure(r.save(fig, "site_power.png"), "Total power of all accelerators, averaged per interval.")

    start, end = r.zoom
    inside = (t > start) & (t - (interval or 0) < end)
    ends = _step_ends(r)
    if inside.any():
        factor, zunit = 1.0, "s"  # the window is given in seconds; keep the axis in the same unit
        fig, ax = plots.figure(f"Site power, zoom on {start:.4g} s to {end:.4g} s", f"simulated time [{zunit}]",
                               f"power [{punit}]")
        plots.draw_series(ax, t[inside] / factor, ps[inside], "site power")
        marks = ends[(ends >= start) & (ends <= end)]
        for i, e in enumerate(marks):
            ax.axvline(e / factor, color="grey", linestyle=":", linewidth=1,
                       label=("step end" if _job_count(r) == 1 else "step end (any job)") if i == 0 else None)
        ax.set_xlim(start / factor, end / factor)
        ax.set_ylim(bottom=0)
        plots.legend(ax, 2 if marks.size else 1)
        body += H.figure(r.save(fig, "site_power_zoom.png"),
                         f"Zoom on [{start:.6g} s, {end:.6g} s] (--zoom START:END); dotted lines mark step ends.")
    else:
        body += H.absent(f"The zoom window [{start:.6g} s, {end:.6g} s] holds no power samples.")

    energy = float((p * interval).sum()) if interval else float("nan")
    ramps = np.abs(np.diff(p)) / interval if interval and p.size > 1 else np.array([np.nan])
    rows = [["samples", p.size, ""], ["interval", interval if interval else float("nan"), "s"],
            ["mean", p.mean(), "W"], ["peak", p.max(), "W"], ["minimum", p.min(), "W"],
            ["peak / mean", p.max() / p.mean() if p.mean() > 0 else float("nan"), ""],
            ["largest change between intervals", ramps.max(), "W/s"],
            ["energy (sum of power × interval; the last partial interval is not sampled)", energy, "J"]]
    body += H.table(["figure", "value", "unit"], [[a, b, c] for a, b, c in rows])
    return body


_QUANTITIES = {"W": "power", "J": "energy", "s": "time", "°C": "temperature", "degC": "temperature",
               "K": "temperature", "W/s": "ramp rate"}


_DISPLAY_UNITS = {"degC": "°C"}


def series_figures(r, group, title, name_prefix, skip=()):
    """One figure per unit for the series of GROUP (datasets as long as its end_s axis), except those named in
    SKIP (drawn elsewhere)."""
    t = group["end_s"][:]
    by_unit = {}
    for name, dataset in group.items():
        if name == "end_s" or name in skip or not hasattr(dataset, "shape") or dataset.dtype.names:
            continue
        if len(dataset.shape) in (1, 2) and dataset.shape[0] == t.size and t.size > 0:
            unit = series_unit(dataset)
            # Series of one unit share a figure; a unitless series (a ratio such as PUE) gets its own.
            by_unit.setdefault(unit if unit else "#" + name, []).append((name, dataset))
    body = ""
    ts, tunit = plots.time_axis(t)
    for key, items in sorted(by_unit.items()):
        unit = "" if key.startswith("#") else key
        stacked = np.concatenate([np.asarray(d[:], dtype=float).ravel() for _, d in items])
        factor, sunit = plots.prefix(stacked, unit)
        quantity = _QUANTITIES.get(unit, key[1:] if key.startswith("#") else "value")
        if quantity == "pue":
            quantity = "PUE"
        fig, ax = plots.figure(f"{title.strip('/')}: {quantity}",
                               f"simulated time [{tunit}]",
                               f"{quantity} [{_DISPLAY_UNITS.get(sunit, sunit)}]" if sunit else quantity)
        lines = 0
        for name, dataset in items:
            values = np.asarray(dataset[:], dtype=float) / factor
            if values.ndim == 1:
                plots.draw_series(ax, ts, values, name, time_unit=tunit)
                lines += 1
            elif values.shape[1] <= 12:
                for column in range(values.shape[1]):
                    plots.draw_series(ax, ts, values[:, column], f"{name}[{column}]", time_unit=tunit)
                    lines += 1
            else:
                for stat, label in ((values.max(axis=1), "max"), (np.median(values, axis=1), "median"),
                                    (values.min(axis=1), "min")):
                    plots.draw_series(ax, ts, stat, f"{name} {label} of {values.shape[1]}", time_unit=tunit)
                    lines += 1
        if unit == "W" and np.nanmin(stacked) >= 0:
            ax.set_ylim(bottom=0)
        plots.legend(ax, lines)
        png = r.save(fig, f"{name_prefix}_{quantity}.png".replace(" ", "_"))
        body += H.figure(png, f"{group.name}: " + ", ".join(n for n, _ in items))
    return body


def more_power(r):
    groups = {p: g for p, g in time_series_groups(r.f, "power").items() if p != "/power/site"}
    if not groups:
        return H.absent("This file has no power series beyond the site total (for example per-rack power).")
    return "".join(series_figures(r, g, p, p.strip("/").replace("/", "_")) for p, g in sorted(groups.items()))


def accelerator_energy(r):
    found = table(r.f, "power/accelerators")
    if found is None or not found[0] or "energy_j" not in found[0]:
        return H.absent("This file has no per-accelerator energy (/power/accelerators).")
    columns, _ = found
    energy = np.asarray(columns["energy_j"], dtype=float)
    index = np.asarray(columns.get("accelerator", np.arange(energy.size)))
    owner = np.full(energy.size, -1)
    jobs_found = table(r.f, "jobs")
    names = {}
    if jobs_found is not None and "first_accelerator" in jobs_found[0]:
        jc = jobs_found[0]
        for j, first, ranks in zip(jc["job"], jc["first_accelerator"], jc["ranks"]):
            owner[(index >= first) & (index < first + ranks)] = j
            names[int(j)] = jc["name"][list(jc["job"]).index(j)] if "name" in jc else str(j)
    es, eunit = plots.scaled(energy, "J")
    fig, ax = plots.figure("Energy per accelerator over the run", "accelerator index", f"energy [{eunit}]")
    groups = sorted(set(owner.tolist()))
    if energy.size <= 512:
        for g in groups:
            m = owner == g
            ax.bar(index[m], es[m], width=0.85, label=f"job {g}: {names.get(g, g)}" if g >= 0 else "no job")
        if "node" in columns:
            nodes = np.asarray(columns["node"])
            for b in index[1:][np.diff(nodes) != 0]:
                ax.axvline(b - 0.5, color="grey", linewidth=0.8, linestyle="--",
                           label="node boundary" if b == index[1:][np.diff(nodes) != 0][0] else None)
        ax.set_ylim(0, es.max() * 1.1 if es.max() > 0 else 1)
        plots.integer_x(ax)
    else:
        ax.set_xlabel(f"energy [{eunit}]")
        ax.set_ylabel("accelerators")
        ax.set_title("Energy per accelerator over the run (histogram)")
        for g in groups:
            ax.hist(es[owner == g], bins=50, alpha=0.7, label=f"job {g}: {names.get(g, g)}" if g >= 0 else "no job")
    plots.legend(ax, len(ax.get_legend_handles_labels()[0]))
    body = H.figure(r.save(fig, "accelerator_energy.png"),
                    "Energy of each accelerator from time 0 to the end of the run (grey lines separate nodes).")
    rows = [["accelerators", energy.size, ""], ["total", energy.sum(), "J"], ["mean", energy.mean(), "J"],
            ["min", energy.min(), "J"], ["max", energy.max(), "J"]]
    if "mean_power_w" in columns:
        rows.append(["sum of mean powers", float(np.sum(columns["mean_power_w"])), "W"])
    body += H.table(["figure", "value", "unit"], rows)
    all_columns, units = found
    if energy.size <= MAX_TABLE_ROWS:
        body += full_table(all_columns, units)
    else:
        order = np.argsort(-energy)[:20]
        body += H.paragraph(f"The 20 accelerators of {energy.size} that used the most energy:")
        body += full_table({c: v[order] for c, v in all_columns.items()}, units)
    return body


def network(r):
    if "network" not in r.f:
        return H.absent("This file has no per-link network data (/network).")
    group = r.f["network"]
    body = ""
    for name, dataset in group.items():
        if hasattr(dataset, "dtype") and dataset.dtype.names:
            columns, units = table(r.f, dataset.name)
            key = next((c for c in columns if c.endswith("_bytes") or "util" in c), None)
            if key is not None:
                order = np.argsort(-np.asarray(columns[key], dtype=float))
                columns = {c: v[order] for c, v in columns.items()}
                body += H.paragraph(f"{dataset.name}, hottest rows by {key}:")
            else:
                body += H.paragraph(dataset.name)
            body += full_table(columns, units, limit=15)
    for path, g in sorted(time_series_groups(r.f, "network").items()):
        body += series_figures(r, g, path, path.strip("/").replace("/", "_"))
    return body or H.absent("The /network group is empty.")
