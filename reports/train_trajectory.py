"""A training run's trajectory (harness.trajectory.Trajectory) as a console line per point, a terminal
table, a Markdown table and a self-contained HTML page with inline SVG charts (one line per scorer family
over the steps; the training loss beside it).

Every text taken from the training report (suite refs, family names, notes) is escaped for its medium:
`safe` for the terminal, `md` for Markdown, `esc` for HTML.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table

from harness.trajectory import Trajectory, TrajectoryPoint
from reports.formatting import fmt_pct
from reports.html import CSS, esc
from reports.markdown import md
from reports.terminal import safe

COLOURS = ("#2f6fdf", "#1a7f37", "#cf222e", "#9a6700", "#8250df", "#1b7c83", "#bc4c00", "#6e7781")
MODEL_LABEL = {"base": "base", "checkpoint": "checkpoint", "output": "saved output"}
CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; "
       "connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")


def _num(v: float | None, fmt: str) -> str:
    return "–" if v is None else format(v, fmt)


def point_line(p: TrajectoryPoint) -> str:
    """One line per point, printed while training: step, epoch, loss, each family's rate and n."""
    rates = " · ".join(f"{name} {fmt_pct(f.rate)} (n={f.n})" for name, f in p.families.items())
    return (f"trajectory step {p.step} (epoch {_num(p.epoch, '.2f')}, loss {_num(p.loss, '.4f')}, "
            f"{MODEL_LABEL[p.model]}): {rates or 'no family scored'} [{_num(p.seconds, '.1f')} s]")


def _title(t: Trajectory) -> str:
    return (f"Trajectory on {', '.join(t.suites)}: {t.n_cases} cases, every {t.every} steps, "
            f"{t.backend or 'default'} backend, max_tokens {t.max_tokens}")


def _ns(t: Trajectory) -> dict[str, int | None]:
    """Each family's n when every point has the same one (shown once in the header), else None."""
    out: dict[str, int | None] = {}
    for fam in t.families():
        ns = {p.families[fam].n for p in t.points if fam in p.families}
        out[fam] = ns.pop() if len(ns) == 1 else None
    return out


def _cells(t: Trajectory, p: TrajectoryPoint, ns: dict[str, int | None]) -> list[str]:
    cells = []
    for fam in t.families():
        f = p.families.get(fam)
        cells.append("" if f is None else fmt_pct(f.rate) + ("" if ns[fam] is not None else f" (n={f.n})"))
    return cells


def _header(fam: str, n: int | None) -> str:
    return fam if n is None else f"{fam} (n={n})"


def terminal_table(t: Trajectory) -> Table:
    ns = _ns(t)
    table = Table(title=safe(_title(t)), title_justify="left")
    for col in ("step", "epoch", "loss", "evaluated"):
        table.add_column(col, justify="left" if col == "evaluated" else "right")
    for fam in t.families():
        table.add_column(safe(_header(fam, ns[fam])), justify="right")
    for p in t.points:
        table.add_row(str(p.step), _num(p.epoch, ".2f"), _num(p.loss, ".4f"), MODEL_LABEL[p.model], *_cells(t, p, ns))
    return table


def render_terminal(t: Trajectory, console: Any) -> None:
    console.print(terminal_table(t))
    for note in t.notes:
        console.print(safe(f"note: {note}"), style="yellow")


def render_markdown(t: Trajectory) -> str:
    ns = _ns(t)
    cols = ["step", "epoch", "loss", "evaluated", *(md(_header(f, ns[f])) for f in t.families())]
    lines = [f"### {md(_title(t))}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for p in t.points:
        row = [str(p.step), _num(p.epoch, ".2f"), _num(p.loss, ".4f"), MODEL_LABEL[p.model], *_cells(t, p, ns)]
        lines.append("| " + " | ".join(row) + " |")
    lines += [f"- note: {md(n)}" for n in t.notes]
    return "\n".join(lines) + "\n"


def line_chart(
    title: str, series: list[tuple[str, list[tuple[int, float]]]], steps: list[int], *, share: bool, width: int = 640
) -> str:
    """An SVG line chart: x = step (ticks at `steps`), one polyline (with a dot and tooltip per point) per
    named series; `share`: y from 0 to 100%, else from 0 to the largest value."""
    left, right, top, bottom, height = 48, 150, 28, 34, 300
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = steps or [0]
    x0, x1 = min(xs), max(max(xs), min(xs) + 1)
    y1 = 1.0 if share else max([y for _, pts in series for _, y in pts] + [1e-9]) * 1.05

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * plot_w

    def py(y: float) -> float:
        return top + plot_h - max(0.0, min(y1, y)) / y1 * plot_h

    def label(y: float) -> str:
        return fmt_pct(y) if share else f"{y:.3g}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{esc(title)}" viewBox="0 0 {width} {height}">',
             f'<text x="4" y="16" font-size="13" font-weight="600">{esc(title)}</text>']
    for frac in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{esc(label(frac * y1))}</text>')
    for x in sorted(set(xs)):
        parts.append(f'<text x="{px(x):.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="middle">{x}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 4}" font-size="11" text-anchor="middle">step</text>')
    for i, (name, pts) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in pts:
            parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}">'
                         f"<title>{esc(name)} at step {x}: {esc(label(y))}</title></circle>")
        ly = top + 12 + i * 16
        parts.append(f'<rect x="{left + plot_w + 12}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{left + plot_w + 26}" y="{ly}" font-size="11">{esc(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts(t: Trajectory) -> str:
    fams = [(f, [(p.step, p.families[f].rate) for p in t.points if f in p.families and p.families[f].rate is not None])
            for f in t.families()]
    loss = [(p.step, p.loss) for p in t.points if p.loss is not None]
    steps = [p.step for p in t.points]  # both charts on the same x axis
    out = [line_chart("Pass rate per family", fams, steps, share=True)]
    if loss:
        out.append(line_chart("Training loss (logged at each point)", [("loss", loss)], steps, share=False))
    return '<div class="charts">' + "".join(f'<div class="chart">{c}</div>' for c in out) + "</div>"


def render_html(t: Trajectory, source: str = "") -> str:
    ns = _ns(t)
    head = "".join(f'<th>{esc(c)}</th>' for c in ("step", "epoch", "loss", "evaluated", *(_header(f, ns[f]) for f in t.families())))
    rows = []
    for p in t.points:
        cells = [str(p.step), _num(p.epoch, ".2f"), _num(p.loss, ".4f"), MODEL_LABEL[p.model], *_cells(t, p, ns)]
        rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    notes = "".join(f'<p class="note">note: {esc(n)}</p>' for n in t.notes)
    title = "sft-harness: training trajectory"
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}"><meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>" + (f'<p class="muted">{esc(source)}</p>' if source else "")
        + f"<h2>{esc(_title(t))}</h2>{charts(t)}<table><tr>{head}</tr>{''.join(rows)}</table>{notes}</body></html>\n"
    )


def write_html(path: Any, t: Trajectory, source: str = "") -> None:
    from harness.outputs import write_atomic

    write_atomic(path, render_html(t, source))


def write_markdown(path: Any, t: Trajectory) -> None:
    from harness.outputs import write_atomic

    write_atomic(path, render_markdown(t))
