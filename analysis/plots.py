"""Figure helpers shared by report.py and compare.py: one look for every plot, and axes in readable units.

Values arrive in SI base units (s, W, J) as the HDF5 file stores them; `scaled` picks a prefix so that axis
numbers stay between about 1 and 1000 (a site at 2.4e8 W is drawn in MW), and the axis label names that unit.
"""
import os

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.ticker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import numpy as np  # noqa: E402

_PREFIXES = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""), (1e-3, "m"), (1e-6, "µ")]
_PREFIXED = ("W", "J", "FLOP", "B", "tokens")  # base units (before any "/...") that take SI prefixes
_TIME_UNITS = [(86400.0, "d"), (3600.0, "h"), (60.0, "min"), (1.0, "s"), (1e-3, "ms"), (1e-6, "µs")]

plt.rcParams.update({
    "figure.figsize": (10, 4.6),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 13,
    "axes.labelsize": 11,
    "legend.fontsize": 9,
    "savefig.bbox": "tight",
    "axes.formatter.useoffset": False,  # "1e-6 + 28.5" above an axis reads badly; show the values
})


def prefix(values, unit):
    """(factor, "prefix+unit") that brings VALUES, in the SI unit UNIT ("W", "J", ...), to numbers between about
    1 and 1000 when divided by factor; time ("s") becomes ms/s/min/h/d. Units without a prefix system (tokens,
    "", °C) keep factor 1."""
    values = np.asarray(values, dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    peak = float(finite.max()) if finite.size else 0.0
    if unit == "s":
        for factor, name in _TIME_UNITS:
            if peak >= factor * 2 or factor == _TIME_UNITS[-1][0]:
                return factor, name
    if unit.split("/")[0] in _PREFIXED and peak > 0:
        for factor, name in _PREFIXES:
            if peak >= factor or factor == _PREFIXES[-1][0]:
                return factor, name + unit
    return 1.0, unit


def scaled(values, unit):
    """(VALUES / factor, unit name) with the factor and name of `prefix`."""
    factor, name = prefix(values, unit)
    return np.asarray(values, dtype=float) / factor, name


def time_axis(values):
    """Time values in seconds as (scaled values, unit name) for an x axis."""
    return scaled(values, "s")


def figure(title, xlabel, ylabel):
    """A new figure with one axes, titled and labelled."""
    fig, ax = plt.subplots()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax


def save(fig, folder, name):
    """Writes FIG to FOLDER/NAME (a .png file name) and returns NAME, the relative link for the HTML."""
    fig.savefig(os.path.join(folder, name))
    plt.close(fig)
    return name


def legend(ax, count):
    """A legend that stays readable: outside the axes when there are many entries, none when there are
    more than 20 (the caller's table names them)."""
    if count == 0 or count > 20:
        return
    if count > 6:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    else:  # below the axes and their x label, so that it never hides data
        height_in = ax.get_position().height * ax.figure.get_size_inches()[1]
        longest = max(len(label) for label in ax.get_legend_handles_labels()[1])
        columns = max(1, min(count, 4, 110 // (longest + 6)))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.6 / height_in), ncol=columns, frameon=False)


def integer_x(ax):
    """Whole-number ticks on the x axis (step indexes, accelerator indexes)."""
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))


def envelope(t, y, max_points=2000):
    """A long series reduced for drawing: (t, mean, low, high, window) where low and high are the minimum and
    maximum over at most MAX_POINTS consecutive bins (a year at 1 s still shows its swings as a band) and mean is
    a moving average over WINDOW samples, 1% of the series: wide enough not to alias with periodic swings
    shorter than that (training steps), narrow enough to show the trend. A short series comes back unchanged
    (low = high = mean = y, window 1)."""
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    if t.size <= max_points:
        return t, y, y, y, 1
    per_bin = int(np.ceil(t.size / max_points))
    usable = (t.size // per_bin) * per_bin
    shaped = y[:usable].reshape(-1, per_bin)
    ends = np.arange(per_bin - 1, usable, per_bin)
    window = max(per_bin, t.size // 100)
    sums = np.concatenate([[0.0], np.cumsum(y)])
    first = np.maximum(ends + 1 - window, 0)
    mean = (sums[ends + 1] - sums[first]) / (ends + 1 - first)
    return t[ends], mean, shaped.min(axis=1), shaped.max(axis=1), window


def draw_series(ax, t, y, label, color=None, max_points=2000, linestyle="-", time_unit="s", band=True):
    """Draws interval averages Y that end at times T (already scaled) as a step line; a long series as its
    moving average with (BAND) the min-max band (see envelope)."""
    tt, mean, low, high, window = envelope(t, y, max_points)
    if window == 1:
        # Sample i is the average over (t[i-1], t[i]]; the first interval is as long as the second.
        first = tt[0] - (tt[1] - tt[0] if tt.size > 1 else tt[0])
        return ax.step(np.concatenate([[first], tt]), np.concatenate([mean[:1], mean]), where="pre", label=label,
                       color=color, linewidth=1.2 if linestyle == "-" else 1.8, linestyle=linestyle)[0]
    span = (np.asarray(t)[-1] - np.asarray(t)[0]) * window / (len(t) - 1)
    line = ax.plot(tt, mean, label=f"{label}, moving average over {span:.3g} {time_unit}", color=color,
                   linewidth=1.4, linestyle=linestyle)[0]
    if band:
        ax.fill_between(tt, low, high, color=line.get_color(), alpha=0.25, linewidth=0,
                        label=f"{label}, min-max of {int(np.ceil(len(t) / tt.size))} samples")
    return line
