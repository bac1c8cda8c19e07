"""The terminal report of an N-arm document: the arms, one column per arm (rate, Δ against the baseline,
verdict) with a sparkline of the rates in the arms' order, the prompt-share line, the forgetting list;
with --detail, each pair's full two-arm report. Model text goes through `safe` (inert, controls shown)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from harness.results import ArmsComparison
from reports.arms import (
    arm_labels,
    distinct_forgetting,
    family_grid,
    forgetting_text,
    prompt_share_text,
    statistics_text,
)
from reports.document import as_document
from reports.terminal import VERDICT_STYLE, _home, render_compare, safe, table_width

SPARK = "▁▂▃▄▅▆▇█"
FORGETTING_LINES = 6  # forgetting rows on the first screen; --detail and the files list all


def sparkline(rates: list[float | None]) -> str:
    """Rates 0..1 as block heights, one character per arm (a space for no rate)."""
    return "".join(" " if r is None else SPARK[min(len(SPARK) - 1, int(r * len(SPARK)))] for r in rates)


def arms_header(doc: dict[str, Any], labels: dict[str, str]) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for i, m in enumerate(doc.get("arms") or []):
        name = str(m.get("name") or "")
        line = safe(labels.get(name, name))
        line.stylize("bold cyan")
        path = str(m.get("path") or "")
        if path and path not in name:
            line.append_text(safe("  " + _home(path)))
        gen, cached = m.get("generated_turns", 0) or 0, m.get("cached_turns", 0) or 0
        line.append_text(Text(f"  {m.get('backend')} · prompt: {m.get('prompt_format')} · {gen} generated, "
                              f"{cached} cached, {m.get('seconds', 0) or 0:.1f}s", style="dim"))
        grid.add_row("baseline" if name == doc.get("baseline") else f"arm {i + 1}", line)
        for note in m.get("notes") or []:
            grid.add_row("", Text.assemble(("note: ", "yellow"), safe(note)))
    grid.add_row("suite", safe(f"{', '.join(doc.get('suites', []))}  ({doc.get('n_cases')} cases)"))
    s = doc.get("settings") or {}
    if s:
        grid.add_row("decoding", Text(f"temperature {s.get('temperature')}, seed {s.get('seed')}, history {s.get('history', 'own')}"
                                      + (f", max_tokens {s['max_tokens']}" if s.get("max_tokens") else "")))
    grid.add_row("statistics", Text.assemble((statistics_text(doc, labels), "dim")))
    for note in doc.get("notes") or []:
        grid.add_row("note", Text(str(note), style="yellow"))
    return Panel(grid, title=f"sft-harness compare: {len(doc.get('arms') or [])} arms", expand=False)


def _whole(v: str) -> str:
    """"53.6%" -> "54%", "+35.7" -> "+36": the compact table's whole numbers."""
    if v in ("", "—"):
        return v
    pct = v.endswith("%")
    n = round(float(v.rstrip("%")))
    return (f"{n:+d}" if v[0] in "+-" else str(n)) + ("%" if pct else "")


def _table(doc: dict[str, Any], labels: dict[str, str], compact: bool, numbered: bool) -> Table:
    """`compact`: whole percents; `numbered`: the arms' columns titled as in the header (arm 2, arm 3…)."""
    names = [a["name"] for a in doc.get("arms") or []]
    t = Table(box=None, padding=(0, 1), show_edge=False)
    grid = family_grid(doc)
    # a family's name stays whole at any width (the other columns shrink first)
    t.add_column("family", no_wrap=True, style="bold", min_width=max((len(f) for f, _ in grid), default=6))
    for i, n in enumerate(names):
        title = ("baseline" if n == doc.get("baseline") else f"arm {i + 1}") if numbered else labels.get(n, n)
        t.add_column(safe(title), justify="right", no_wrap=True)
    t.add_column("trend", no_wrap=True)
    rates = {t_["family"]: [p.get("rate") for p in t_["points"]] for t_ in doc.get("trajectory") or []}
    for fam, cells in grid:
        row: list[Any] = [safe(fam)]
        for c in cells:
            rate, delta = (_whole(c.rate), _whole(c.delta)) if compact else (c.rate, c.delta)
            if not c.verdict:
                row.append(Text(rate))
                continue
            row.append(Text.assemble(rate + " ", (delta + " ", "dim"), (c.mark, VERDICT_STYLE.get(c.verdict, ""))))
        row.append(Text(sparkline(rates.get(fam, [])), style="cyan"))
        t.add_row(*row)
    return t


def arms_table(doc: dict[str, Any], labels: dict[str, str], width: int) -> Group:
    """Its title line, then the family table as complete as `width` allows: one decimal and the arms' names,
    then whole percents, then the arms' columns titled by number (the header says which arm is which)."""
    table = None
    for compact, numbered in ((False, False), (True, False), (True, True)):
        table = _table(doc, labels, compact, numbered)
        if table_width(table) <= width:
            break
    assert table is not None
    title = Text("Pass rate per check family (Δ: points vs the baseline · ▲ improved ▼ regressed · unchanged)",
                 style="italic", no_wrap=True, overflow="ellipsis")
    return Group(title, table)


def arms_summary(doc: dict[str, Any], labels: dict[str, str], limit: int | None = FORGETTING_LINES) -> list[Any]:
    """The prompt-share lines and the forgetting list (prominent: red), each a Text."""
    out: list[Any] = []
    for r in doc.get("prompt_share") or []:
        line = Text("prompt vs SFT: ", style="bold")
        line.append_text(safe(prompt_share_text(r, labels)))
        out.append(line)
    rows = distinct_forgetting(doc)
    if not rows:
        out.append(Text(f"forgetting: none (no metric fell significantly from {labels.get(doc.get('baseline', ''), '')} in any arm)",
                        style="green"))
        return out
    out.append(Text(f"forgetting: {len(rows)} metric(s) fell significantly from the baseline", style="bold red"))
    for r in rows[:limit] if limit else rows:
        line = Text("  ▼ ", style="bold red")
        line.append_text(safe(forgetting_text(r, labels)))
        out.append(line)
    if limit and len(rows) > limit:
        out.append(Text(f"  … and {len(rows) - limit} more (--detail, or the --md/--html report)", style="red"))
    return out


def render_arms(results: Any, console: Console, detail: bool = False, n_examples: int | None = None) -> None:
    """The N-arm report: the first screen (default), or with `detail` each pair's full two-arm report after it."""
    doc = as_document(results)
    labels = arm_labels(doc)
    console.print(arms_header(doc, labels))
    console.print(arms_table(doc, labels, console.width))
    console.print(Group(*arms_summary(doc, labels, None if detail else FORGETTING_LINES)))
    if not detail:
        console.print(Text("--detail: each arm's full report against the baseline · --html: the trajectory chart",
                           style="dim"))
        return
    typed = results if isinstance(results, ArmsComparison) else ArmsComparison.model_validate(doc)
    for p in typed.pairs:
        console.rule(Text.assemble(safe(labels.get(p.arm, p.arm)), " vs ", safe(labels.get(typed.baseline, typed.baseline))))
        render_compare(typed.pair(p.arm), console, n_examples, detail=True)
