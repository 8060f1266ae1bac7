"""A small HTML writer for the reports: one self-contained page (inline style, no scripts, no network), with
PNG figures linked by relative paths so the folder can be moved or zipped as a whole."""
import html
import math
import numbers

_STYLE = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .9em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; text-align: right; }
th { background: #f3f3f3; } td.text, th.text { text-align: left; }
.unit { font-weight: normal; color: #666; font-size: .85em; }
p.absent { color: #777; font-style: italic; }
figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: .9em; }
pre { background: #f7f7f7; padding: .6em; overflow-x: auto; font-size: .85em; }
nav ul { columns: 2; }
"""


def esc(value):
    return html.escape(str(value))


def number(value):
    """A cell value as text: integers as they are, other numbers with 5 significant digits."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        if math.isnan(value):
            return "–"
        if value != 0 and (abs(value) >= 1e6 or abs(value) < 1e-3):
            return f"{value:.4e}"
        return f"{value:.5g}"
    return str(value)


def table(headers, rows, units=None):
    """An HTML table. HEADERS are column names, ROWS lists of cells, UNITS (optional) one unit per column,
    shown under its name. Text cells are left-aligned, numbers right-aligned."""
    units = units or [""] * len(headers)
    head = "".join(
        f'<th class="text">{esc(h)}</th>' if not u else f'<th>{esc(h)}<br><span class="unit">[{esc(u)}]</span></th>'
        for h, u in zip(headers, units))
    body = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, numbers.Number):
                cells.append(f"<td>{esc(number(cell))}</td>")
            else:
                cells.append(f'<td class="text">{esc(cell)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def figure(png, caption):
    return f'<figure><img src="{esc(png)}" alt="{esc(caption)}"><figcaption>{esc(caption)}</figcaption></figure>'


def paragraph(text):
    return f"<p>{esc(text)}</p>"


def absent(text):
    """The one line that stands for a section whose data the file does not have."""
    return f'<p class="absent">{esc(text)}</p>'


def preformatted(text, summary):
    return f"<details><summary>{esc(summary)}</summary><pre>{esc(text)}</pre></details>"


def page(title, subtitle, sections):
    """The whole page. SECTIONS is a list of (anchor, heading, body html)."""
    toc = "".join(f'<li><a href="#{esc(a)}">{esc(h)}</a></li>' for a, h, _ in sections)
    parts = [f'<h2 id="{esc(a)}">{esc(h)}</h2>\n{body}' for a, h, body in sections]
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
            f"<style>{_STYLE}</style></head><body>\n<h1>{esc(title)}</h1>\n<p>{esc(subtitle)}</p>\n"
            f"<nav><ul>{toc}</ul></nav>\n" + "\n".join(parts) + "\n</body></html>\n")
