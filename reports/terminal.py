"""Rich terminal report of a results document.

Model text is always wrapped in `rich.text.Text` (never parsed as markup) and stripped of
control characters, so an output cannot style, move or clear the user's terminal.
"""

from __future__ import annotations

import re
from typing import Any

from rich.columns import Columns
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

VERDICT_STYLE = {"improved": "bold green", "regressed": "bold red", "unchanged": "dim"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str, limit: int | None = None) -> Text:
    """Model output as inert text: control characters shown as escapes, long text cut."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if limit and len(text) > limit:
        text = text[:limit] + f" … [{len(text) - limit} more chars]"
    return Text(text)


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def _p(p: float | None) -> str:
    if p is None:
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def header(results: dict[str, Any]) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    models = results.get("models") or {"model": results.get("model", {})}
    for side, m in models.items():
        line = Text()
        line.append(f"{m.get('name')}", style="bold cyan")
        line.append(f"  {m.get('path')}  ")
        line.append(f"[{m.get('source')} · {m.get('backend')} · prompt: {m.get('prompt_format')}", style="dim")
        line.append(f" · max_tokens {m.get('max_tokens')}]" if m.get("max_tokens") else "]", style="dim")
        gen, cached = m.get("generated_turns", 0), m.get("cached_turns", 0)
        line.append(f"  {gen} turns generated, {cached} cached, {m.get('seconds', 0):.1f}s", style="dim")
        grid.add_row(side, line)
        for note in m.get("notes") or []:
            grid.add_row("", Text(f"note: {note}", style="yellow"))
    s = results.get("settings", {})
    grid.add_row("suite", Text(f"{', '.join(results.get('suites', []))}  ({results.get('n_cases')} cases)"))
    grid.add_row(
        "decoding",
        Text(f"temperature {s.get('temperature')}, seed {s.get('seed')}, history {s.get('history', 'own')}"),
    )
    for note in results.get("notes") or []:
        grid.add_row("note", Text(note, style="yellow"))
    return Panel(grid, title="sft-harness compare" if "models" in results else "sft-harness run", expand=False)


def summary_table(results: dict[str, Any]) -> Table:
    t = Table(title="What changed (all cases)", title_justify="left")
    for col, kw in (
        ("metric", {}),
        ("base", {"justify": "right"}),
        ("sft", {"justify": "right"}),
        ("Δ", {"justify": "right"}),
        ("p (McNemar)", {"justify": "right"}),
        ("n", {"justify": "right"}),
        ("fixed/broke", {"justify": "right"}),
        ("verdict", {}),
    ):
        t.add_column(col, **kw)
    for r in results["metrics"]:
        if r["category"] != "all":
            continue
        family = ":" not in r["name"]
        name = Text(r["name"] if family else "  " + r["name"].split(":", 1)[1], style="bold" if family else "")
        delta = r["delta"]
        t.add_row(
            name,
            _pct(r["base"]),
            _pct(r["sft"]),
            Text(f"{100 * delta:+.1f}", style="green" if delta > 0 else "red" if delta < 0 else ""),
            _p(r.get("p_value")),
            str(r["n"]),
            f"{len(r.get('fixes', []))}/{len(r.get('regressions', []))}",
            Text(r["verdict"] + (" (few pairs)" if r.get("small_sample") else ""), style=VERDICT_STYLE[r["verdict"]]),
        )
    return t


def category_table(results: dict[str, Any]) -> Table | None:
    rows = [r for r in results["metrics"] if ":" not in r["name"] and r["category"] != "all"]
    if not rows:
        return None
    families = list(dict.fromkeys(r["name"] for r in rows))
    cats = list(dict.fromkeys(r["category"] for r in rows))
    cell = {(r["category"], r["name"]): r for r in rows}
    t = Table(title="By category (base → sft)", title_justify="left")
    t.add_column("category")
    for f in families:
        t.add_column(f, justify="right")
    for c in cats:
        vals = []
        for f in families:
            r = cell.get((c, f))
            if r is None:
                vals.append(Text("·", style="dim"))
            else:
                vals.append(
                    Text(f"{_pct(r['base'])} → {_pct(r['sft'])} (n={r['n']})", style=VERDICT_STYLE[r["verdict"]])
                )
        t.add_row(c, *vals)
    return t


def pick_examples(results: dict[str, Any], k: int = 4) -> list[dict[str, Any]]:
    """Every regression first, then the largest improvements, spread over categories and languages."""

    def change(case: dict[str, Any]) -> tuple[int, int]:
        b, s = case["base"]["scores"], case["sft"]["scores"]
        fixed = sum(1 for f in s if s[f] > b.get(f, s[f]))
        broke = sum(1 for f in s if s[f] < b.get(f, s[f]))
        return fixed, broke

    cases = results.get("cases", [])
    regressions = [c for c in cases if change(c)[1] > 0]
    improved = sorted((c for c in cases if change(c)[0] > 0 and change(c)[1] == 0), key=lambda c: -change(c)[0])
    chosen: list[dict[str, Any]] = regressions[:k]
    seen = {(c["category"], c["lang"]) for c in chosen}
    for c in improved:  # first pass: one per (category, language)
        if len(chosen) >= k:
            break
        if (c["category"], c["lang"]) not in seen:
            chosen.append(c)
            seen.add((c["category"], c["lang"]))
    for c in improved:
        if len(chosen) >= k:
            break
        if c not in chosen:
            chosen.append(c)
    return chosen


def _side_panel(title: str, side: dict[str, Any], width: int, text_limit: int) -> Panel:
    parts: list[Any] = []
    for i, out in enumerate(side["outputs"]):
        if len(side["outputs"]) > 1:
            parts.append(Text(f"turn {i + 1}:", style="bold"))
        parts.append(safe(out, text_limit) if out else Text("(empty)", style="dim italic"))
    reasons = side["finish_reasons"]
    parts.append(Text(f"finish: {', '.join(reasons)}", style="dim"))
    failed = [c for c in side["checks"] if not c["passed"]]
    for c in failed:
        line = Text("✗ ", style="red")
        line.append(c["id"], style="bold red")
        line.append(": " + c["reason"])
        parts.append(line)
    if not failed:
        parts.append(Text("✓ all checks passed", style="green"))
    return Panel(Group(*parts), title=title, width=width)


def examples(results: dict[str, Any], console: Console, k: int = 4) -> list[Any]:
    out: list[Any] = []
    width = max(30, (console.width - 4) // 2)
    for c in pick_examples(results, k):
        head = Text(f"{c['id']}  [{c['category']} · {c['lang']}]", style="bold")
        prompt = Group(*(Text.assemble(("user: ", "bold blue"), safe(t, 300)) for t in c["turns"]))
        cols = Columns(
            [
                _side_panel(f"base: {results['models']['base']['name']}", c["base"], width, 600),
                _side_panel(f"sft: {results['models']['sft']['name']}", c["sft"], width, 600),
            ]
        )
        out.append(Panel(Group(prompt, cols), title=head, title_align="left"))
    return out


def render_compare(results: dict[str, Any], console: Console, n_examples: int = 4) -> None:
    console.print(header(results))
    console.print(summary_table(results))
    cat = category_table(results)
    if cat is not None:
        console.print(cat)
    shown = examples(results, console, n_examples)
    if shown:
        console.rule("Side by side: regressions first, then the largest improvements")
        for p in shown:
            console.print(p)


def render_run(results: dict[str, Any], console: Console) -> None:
    console.print(header(results))
    t = Table(title="Scores", title_justify="left")
    t.add_column("metric")
    t.add_column("category")
    t.add_column("value", justify="right")
    t.add_column("n", justify="right")
    for r in results["metrics"]:
        t.add_row(r["name"], r["category"], _pct(r["value"]), str(r["n"]))
    console.print(t)
