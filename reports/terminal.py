"""Rich terminal report of a results document.

Model text is always wrapped in `rich.text.Text` (never parsed as markup) and stripped of
control characters, so an output cannot style, move or clear the user's terminal. Layout
follows the console width: narrow terminals lose the least important columns first. Colours
appear only on a terminal (Rich writes plain text to pipes and files) and never with --no-color.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from harness.provenance import provenance_lines
from harness.stats import format_p
from reports.document import as_document, case_change, side_names, turn_grid
from reports.formatting import (
    clip,
    fmt_ci,
    fmt_delta,
    fmt_grade,
    fmt_level,
    fmt_pct,
    fmt_pct_se,
    fmt_wtl,
    grade_text,
    is_continuous,
    is_headline,
    judge_label,
    judge_row,
    judge_summary_lines,
    judge_title,
    judgements_by_turn,
    pick_examples,
    preference_text,
    verdict_text,
    visible_controls,
)
from reports.ifeval import ifeval_table

VERDICT_STYLE = {"improved": "bold green", "regressed": "bold red", "unchanged": "dim"}


def safe(text: str, limit: int | None = None) -> Text:
    """Model output as inert text: control characters shown as escapes, long text cut."""
    text = visible_controls("" if text is None else str(text))
    if limit and len(text) > limit:
        text = text[:limit] + f" … [{len(text) - limit} more chars]"
    return Text(text)


def short_name(r: dict[str, Any]) -> tuple[str, bool]:
    """(label, is_family): sub-checks indented under their family."""
    name, family = r["name"], r.get("family") or r["name"].partition(":")[0]
    if name == family or is_continuous(r) and name.startswith("length:"):
        return name, True
    prefix = family + ":"
    return "  " + (name[len(prefix) :] if name.startswith(prefix) else name), False


def header(results: dict[str, Any]) -> Panel:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    models = results.get("models") or {"model": results.get("model", {})}
    for side, m in models.items():
        line = Text()
        line.append(f"{m.get('name')}", style="bold cyan")
        line.append(f"  {m.get('path')}" + (f" + adapter {m['adapter']}" if m.get("adapter") else "") + "  ")
        line.append(f"[{m.get('source')} · {m.get('backend')} · prompt: {m.get('prompt_format')}", style="dim")
        line.append(f" · max_tokens {m.get('max_tokens')}]" if m.get("max_tokens") else "]", style="dim")
        gen, cached = m.get("generated_turns", 0) or 0, m.get("cached_turns", 0) or 0
        line.append(f"  {gen} turns generated, {cached} cached, {m.get('seconds', 0) or 0:.1f}s", style="dim")
        grid.add_row(side, line)
        engine = m.get("engine") or {}
        if engine:
            shown = ", ".join(f"{k}={v}" for k, v in engine.items() if k != "trust_remote_code")
            grid.add_row("", Text(f"engine: {shown}", style="dim"))
        if engine.get("trust_remote_code"):
            grid.add_row("", Text("! trust_remote_code is on: code from this model's repository ran (harness.toml)",
                                  style="bold yellow"))
        for note in m.get("notes") or []:
            grid.add_row("", Text(f"note: {note}", style="yellow"))
        if "training" in m and (m["training"] is not None or side in ("sft", "model")):
            for ok, sentence in provenance_lines(m["training"]):
                style = {True: "green", False: "bold yellow", None: "dim"}[ok]
                grid.add_row("", Text(("✓ " if ok else "! " if ok is False else "? ") + sentence, style=style))
    s = results.get("settings", {})
    grid.add_row("suite", Text(f"{', '.join(results.get('suites', []))}  ({results.get('n_cases')} cases)"))
    if s:
        grid.add_row(
            "decoding",
            Text(f"temperature {s.get('temperature')}, seed {s.get('seed')}, history {s.get('history', 'own')}"),
        )
    st = results.get("stats")
    if st and "models" in results:
        m = max((r.get("holm_m") or 0 for r in results.get("metrics", []) if is_headline(r)), default=0)
        boot = st.get("bootstrap", {})
        grid.add_row(
            "statistics",
            Text(
                f"paired by case: McNemar exact (pass/fail), Wilcoxon (numbers); {round(100 * st.get('ci_level', 0.95))}% "
                f"bootstrap CI ({boot.get('resamples')} resamples, seed {boot.get('seed')}); "
                f"Holm over {m} tests; α = {st.get('alpha')}",
                style="dim",
            ),
        )
    for note in results.get("notes") or []:
        grid.add_row("note", Text(str(note), style="yellow"))
    title = {"compare": "sft-harness compare", "baseline": "sft-harness gate: against the baseline"}.get(
        results.get("kind", ""), "sft-harness run"
    )
    return Panel(grid, title=title, expand=False)


def _columns(width: int) -> list[str]:
    cols = ["metric", "base", "sft", "Δ", "95% CI", "p", "p (Holm)", "n", "fixed/broke", "verdict"]
    if width < 120:
        cols.remove("p")
    if width < 100:
        cols.remove("n")
        cols.remove("fixed/broke")
    if width < 86:
        cols.remove("95% CI")
    if width < 70:
        cols.remove("p (Holm)")
    if width < 50:
        cols.remove("base")
    return cols


def _row_cells(r: dict[str, Any], cols: list[str], compact: bool = False) -> list[Any]:
    label, fam = (r["name"], False) if is_continuous(r) else short_name(r)
    delta = r.get("delta") or 0.0
    style = VERDICT_STYLE.get(r.get("verdict", "unchanged"), "")
    if is_continuous(r) and r.get("significant"):
        style = "bold yellow"
    cell = {
        "metric": Text(label, style="bold" if fam else ""),
        "base": fmt_level(r, r.get("base")),
        "sft": fmt_level(r, r.get("sft")),
        "Δ": Text(fmt_delta(r, delta), style="green" if delta > 0 else "red" if delta < 0 else ""),
        "95% CI": fmt_ci(r),
        "p": format_p(r.get("p_value")),
        "p (Holm)": format_p(r.get("p_adjusted")),
        "n": str(r.get("n")),
        "fixed/broke": "—" if is_continuous(r) else f"{len(r.get('fixes', []))}/{len(r.get('regressions', []))}",
        "verdict": Text(verdict_text(r), style=style),
    }
    if compact:  # narrow terminal: the verdict's first word, "*" for few pairs
        word = verdict_text({**r, "small_sample": False}).replace("no clear change", "—")
        cell["verdict"] = Text(word + ("*" if r.get("small_sample") else ""), style=style)
    return [cell[c] for c in cols]


def _metric_table(rows: list[dict[str, Any]], title: str, width: int) -> Table:
    cols = _columns(width)
    t = Table(title=title, title_justify="left")
    for col in cols:
        if col == "metric":
            t.add_column(col, min_width=min(12, max(len(r["name"]) for r in rows) if rows else 6), overflow="fold")
        else:
            t.add_column(col, justify="left" if col == "verdict" else "right", no_wrap=True)
    for r in rows:
        t.add_row(*_row_cells(r, cols, compact=width < 100))
    if width < 100 and any(r.get("small_sample") for r in rows):
        t.caption = "* fewer than 10 pairs changed: too few for a precise answer"
    return t


def summary_table(results: dict[str, Any], width: int = 160) -> Table:
    rows = [r for r in results["metrics"] if is_headline(r) and not is_continuous(r)]
    return _metric_table(rows, "What changed (all cases): pass rates", width)


def continuous_table(results: dict[str, Any], width: int = 160) -> Table | None:
    rows = [r for r in results["metrics"] if is_headline(r) and is_continuous(r)]
    if not rows:
        return None
    return _metric_table(rows, "Measured values (means; Wilcoxon signed-rank)", width)


def instruction_table(results: dict[str, Any]) -> Table | None:
    rows = [r for r in results["metrics"] if is_headline(r) and r.get("instruction_level")]
    if not rows:
        return None
    t = Table(title="Instruction-level accuracy (every check of a family; SE clustered by prompt)", title_justify="left")
    for col in ("family", "base", "sft", "Δ", "instructions", "prompts"):
        t.add_column(col, justify="left" if col == "family" else "right")
    for r in rows:
        for key, label in (("instruction_level", ""), ("instruction_level_loose", " (loose)")):
            il = r.get(key)
            if not il:
                continue
            t.add_row(
                r["name"] + label,
                fmt_pct_se(il.get("base"), il.get("base_se")),
                fmt_pct_se(il.get("sft"), il.get("sft_se")),
                fmt_pct_se(il.get("delta"), il.get("delta_se")).replace("%", ""),
                str(il.get("n_instructions")),
                str(il.get("n_prompts")),
            )
    return t


def _breakdown(results: dict[str, Any], key: str, title: str) -> Table | None:
    other = "lang" if key == "category" else "category"
    rows = [
        r
        for r in results["metrics"]
        if r.get(key, "all") != "all" and r.get(other, "all") == "all" and short_name(r)[1] and not is_continuous(r)
    ]
    if not rows:
        return None
    families = list(dict.fromkeys(r["name"] for r in rows))
    groups = list(dict.fromkeys(r[key] for r in rows))
    cell = {(r[key], r["name"]): r for r in rows}
    t = Table(title=title, title_justify="left")
    t.add_column(key)
    for f in families:
        t.add_column(f, justify="right")
    for g in groups:
        vals = []
        for f in families:
            r = cell.get((g, f))
            if r is None:
                vals.append(Text("·", style="dim"))
            else:
                mark = {"improved": " ▲", "regressed": " ▼"}.get(r["verdict"], "")
                vals.append(
                    Text(
                        f"{fmt_pct(r['base'])} → {fmt_pct(r['sft'])} (n={r['n']}){mark}",
                        style=VERDICT_STYLE.get(r["verdict"], ""),
                    )
                )
        t.add_row(str(g), *vals)
    return t


def per_turn_table(results: dict[str, Any]) -> Table | None:
    """Families x turns over the multi-turn cases: base → sft pass rates (MT-Bench's turn 1 / turn 2)."""
    grid = turn_grid(results)
    if grid is None:
        return None
    turns, families, cell = grid
    paired = "value" not in next(iter(cell.values()))
    title = "Per turn (multi-turn cases; base → sft; ▲▼ significant after Holm over this table)" if paired else "Per turn (multi-turn cases: share passing)"
    t = Table(title=title, title_justify="left")
    t.add_column("family")
    for k in turns:
        t.add_column(f"turn {k}", justify="right")
    for fam in families:
        vals: list[Any] = []
        for k in turns:
            r = cell.get((fam, k))
            if r is None:
                vals.append(Text("·", style="dim"))
            elif "value" in r:
                vals.append(f"{fmt_pct(r['value'])} (n={r['n']})")
            else:
                mark = {"improved": " ▲", "regressed": " ▼"}.get(r.get("verdict", ""), "")
                vals.append(Text(f"{fmt_pct(r['base'])} → {fmt_pct(r['sft'])} (n={r['n']}){mark}", style=VERDICT_STYLE.get(r.get("verdict", ""), "")))
        t.add_row(Text(fam, style="bold" if fam == "all" else ""), *vals)
    return t


def category_table(results: dict[str, Any]) -> Table | None:
    return _breakdown(results, "category", "By category (base → sft; ▲▼ significant after Holm within the category)")


def language_table(results: dict[str, Any]) -> Table | None:
    return _breakdown(results, "lang", "By language (base → sft)")


def _id_list(ids: list[str], limit: int) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f", … (+{len(ids) - limit} more)" if len(ids) > limit else "")


def flips(results: dict[str, Any], limit: int = 8) -> Table | None:
    """Per metric (all cases): the cases that went pass→fail and fail→pass."""
    rows = [
        r
        for r in results["metrics"]
        if is_headline(r) and not is_continuous(r) and (r.get("fixes") or r.get("regressions"))
    ]
    if not rows:
        return None
    t = Table(title="Flips: cases that changed outcome", title_justify="left", show_lines=False)
    t.add_column("metric")
    t.add_column("pass → fail (regressions)", style="red")
    t.add_column("fail → pass (fixes)", style="green")
    for r in rows:
        label, fam = short_name(r)
        reg, fix = r.get("regressions", []), r.get("fixes", [])
        t.add_row(
            Text(label, style="bold" if fam else ""),
            safe(f"{len(reg)}: {_id_list(reg, limit)}" if reg else "0"),
            safe(f"{len(fix)}: {_id_list(fix, limit)}" if fix else "0"),
        )
    return t


JUDGE_STYLE = "magenta"
RATIONALE_LIMIT = 200  # characters of a judge's rationale shown beside an answer


def _judge_metric_table(rows: list[dict[str, Any]], width: int) -> Table:
    """The judge's rows with the pass-rate table's cells: the grade a 1-10 mean, the win rate a share."""
    cols = [c for c in _columns(width) if c not in ("p", "fixed/broke")]
    t = Table()
    for col in cols:
        if col == "metric":
            t.add_column(col, overflow="fold")
        else:
            t.add_column(col, justify="left" if col == "verdict" else "right", no_wrap=True)
    for r in rows:
        cells = _row_cells(judge_row(r), cols, compact=width < 100)
        if "metric" in cols:
            cells[cols.index("metric")] = safe(judge_label(r) if width >= 100 else r.get("name"))
        t.add_row(*cells)
    return t


def _judge_turn_table(judge: dict[str, Any]) -> Table | None:
    rows = judge.get("per_turn") or []
    if len({r.get("turn") for r in rows}) < 2:  # one turn: the headline rows already say it
        return None
    run = all("value" in r for r in rows)
    t = Table(title="By turn", title_justify="left")
    cols = ("turn", "n", "mean grade") if run else ("turn", "n", "base grade", "sft grade", "won / tied / lost", "win rate")
    for col in cols:
        t.add_column(col, justify="right")
    for r in rows:
        if run:
            t.add_row(str(r.get("turn")), str(r.get("n")), fmt_grade(r.get("value")))
        else:
            t.add_row(str(r.get("turn")), str(r.get("n")), fmt_grade(r.get("base")), fmt_grade(r.get("sft")),
                      fmt_wtl(r), fmt_pct(r.get("win_rate")))
    return t


def _judge_length_table(pairwise: dict[str, Any]) -> Table | None:
    bins = pairwise.get("length_bins") or []
    if not bins:
        return None
    t = Table(title=safe(f"By length of SFT's answer vs base's ({pairwise.get('length_unit', 'characters')})"),
              title_justify="left")
    t.add_column("SFT's answer")
    for col in ("n", "won / tied / lost", "win rate"):
        t.add_column(col, justify="right")
    for b in bins:
        t.add_row(safe(b.get("bin")), str(b.get("n")), fmt_wtl(b), fmt_pct(b.get("win_rate")))
    return t


def judge_section(results: dict[str, Any], width: int = 160) -> Panel | None:
    """The model judge's summary in a panel of its own: a model's opinion, never a check."""
    judge = results.get("judge")
    if not judge:
        return None
    parts: list[Any] = []
    rows = [r for r in judge.get("metrics") or [] if is_headline(r)]
    if rows and any("base" in r for r in rows):
        parts.append(_judge_metric_table(rows, width))
    else:
        for r in rows:
            parts.append(safe(f"{r.get('name')}: mean grade {fmt_grade(r.get('value'))} / 10 over {r.get('n')} cases"))
            parts[-1].stylize("bold")
    for line in judge_summary_lines(judge):
        parts.append(safe(line).copy())
        if line.startswith(("calls", "grade:", "win rate:")):
            parts[-1].stylize("dim")
    for note in judge.get("notes") or []:
        parts.append(safe(f"note: {note}").copy())
        parts[-1].stylize("yellow")
    tables = [t for t in (_judge_length_table(judge.get("pairwise") or {}), _judge_turn_table(judge)) if t is not None]
    if len(tables) == 2 and width >= 120:
        grid = Table.grid(padding=(0, 3))
        grid.add_row(*tables)
        parts.append(grid)
    else:
        parts.extend(tables)
    title = judge_title(judge)
    if len(title) + 8 > width:  # too long for the border: a short title, the whole one inside
        short = "Judge: a model's opinion"
        parts.insert(0, safe(title.removeprefix(short).strip()).copy())
        parts[0].stylize("bold")
        title = short
    return Panel(Group(*parts), title=safe(title), title_align="left", border_style=JUDGE_STYLE, expand=False)


def _judge_line(slot: dict[str, Any] | None) -> Text:
    """The judge's grade of one answer and its rationale, as inert text."""
    line = Text("judge: ", style=JUDGE_STYLE)
    grade = grade_text(slot)
    line.append_text(safe(grade))
    if slot and slot.get("score") is None:
        line.stylize("yellow", len("judge: "))
    why = (slot or {}).get("rationale") or (slot or {}).get("raw") or ""
    if why:
        rationale = safe(clip(" ".join(str(why).split()), RATIONALE_LIMIT))
        rationale.stylize("dim")
        line.append(" — ", style="dim")
        line.append_text(rationale)
    return line


def _pair_line(judged: dict[int, dict[str, Any]]) -> Text | None:
    turns = [(k, t["pair"]) for k, t in sorted(judged.items()) if t.get("pair")]
    if not turns:
        return None
    line = Text("judge, pairwise: ", style=JUDGE_STYLE)
    for i, (k, pair) in enumerate(turns):
        if i:
            line.append(" · ", style="dim")
        if len(judged) > 1:
            line.append(f"turn {k}: ")
        style = "yellow" if pair.get("flipped") or pair.get("preference") is None else {
            "sft": "green", "base": "red"}.get(pair.get("preference"), "")
        text = safe(preference_text(pair))
        text.stylize(style)
        line.append_text(text)
    return line


def _failed_line(c: dict[str, Any]) -> Text:
    line = Text("✗ ", style="red")
    line.append_text(safe(c["id"]).copy())
    line.stylize("bold red", 2)
    line.append_text(safe(": " + str(c.get("reason", ""))))
    return line


def _side_panel(title: str, side: dict[str, Any], text_limit: int,
                judged: dict[int, dict[str, Any]] | None = None, who: str = "") -> Panel:
    """One model's answers; with several turns, each answer is followed by the checks it failed (and,
    with a judge, by its grade and rationale)."""
    parts: list[Any] = []
    outputs = side["outputs"]
    failed = [c for c in side.get("checks", []) if not c["passed"]]
    multi = len(outputs) > 1
    for i, out in enumerate(outputs):
        if multi:
            bad = [c for c in failed if c.get("turn") == i + 1]
            head = Text(f"turn {i + 1}:", style="bold")
            if bad:
                head.append(f"  ✗ {len(bad)} failed", style="red")
            parts.append(head)
        parts.append(safe(out, text_limit) if out else Text("(empty)", style="dim italic"))
        if judged and i + 1 in judged:
            parts.append(_judge_line(judged[i + 1].get(who)))
        if multi:
            parts.extend(_failed_line(c) for c in failed if c.get("turn") == i + 1)
    reasons = side.get("finish_reasons") or []
    parts.append(Text(f"finish: {', '.join(map(str, reasons))}", style="dim"))
    rest = [c for c in failed if not multi or not isinstance(c.get("turn"), int) or not 1 <= c["turn"] <= len(outputs)]
    parts.extend(_failed_line(c) for c in rest)
    if not failed:
        parts.append(Text("✓ all checks passed", style="green"))
    return Panel(Group(*parts), title=safe(title))


def examples(results: dict[str, Any], console: Console, k: int = 4) -> list[Any]:
    out: list[Any] = []
    stacked = console.width < 90
    base_name, sft_name = side_names(results)
    for c in pick_examples(results, k):
        fixed, broke = case_change(c)
        head = Text.assemble(safe(f"{c['id']}  [{c['category']} · {c['lang']}]"))
        head.stylize("bold")
        if broke:
            head.append(f"  broke: {', '.join(broke)}", style="red")
        if fixed:
            head.append(f"  fixed: {', '.join(fixed)}", style="green")
        prompt = Group(*(Text.assemble(("user: ", "bold blue"), safe(t, 300)) for t in c["turns"]))
        judged = judgements_by_turn(c)
        panels = [
            _side_panel(f"base: {base_name}", c["base"], 600, judged, "base"),
            _side_panel(f"sft: {sft_name}", c["sft"], 600, judged, "sft"),
        ]
        if stacked:
            body: Any = Group(*panels)
        else:
            body = Table.grid(expand=True, padding=(0, 1))
            body.add_column(ratio=1)
            body.add_column(ratio=1)
            body.add_row(*panels)
        pair = _pair_line(judged)
        out.append(Panel(Group(prompt, body, *([pair] if pair else [])), title=head, title_align="left"))
    return out


def render_compare(results: Any, console: Console, n_examples: int = 4) -> None:
    results = as_document(results)
    width = console.width
    console.print(header(results))
    console.print(summary_table(results, width))
    for table in (
        continuous_table(results, width),
        instruction_table(results),
        per_turn_table(results),
        category_table(results),
        language_table(results),
        ifeval_table(results),
        flips(results, limit=3 if width < 120 else 8),
    ):
        if table is not None:
            console.print(table)
    small = [r["name"] for r in results["metrics"] if is_headline(r) and r.get("small_sample")]
    if small:
        console.print(
            Text(
                f"few pairs: {len(small)} metric(s) have fewer than 10 cases that changed; "
                "their p-values and CIs are rough and cannot show a significant change.",
                style="yellow",
            )
        )
    judge = judge_section(results, width)
    if judge is not None:
        console.print(judge)
    shown = examples(results, console, n_examples) if n_examples > 0 else []
    if shown:
        console.rule("Side by side: every regression first, then the largest improvements")
        for p in shown:
            console.print(p)


def render_run(results: Any, console: Console) -> None:
    results = as_document(results)
    console.print(header(results))
    t = Table(title="Scores", title_justify="left")
    t.add_column("metric")
    t.add_column("category")
    t.add_column("lang")
    t.add_column("value", justify="right")
    t.add_column("n", justify="right")
    for r in results["metrics"]:
        t.add_row(safe(r["name"]), safe(str(r["category"])), r.get("lang", "all"), fmt_level(r, r["value"]), str(r["n"]))
    console.print(t)
    for table in (per_turn_table(results), ifeval_table(results)):  # IFEval: four aggregates, per-instruction strict/loose
        if table is not None:
            console.print(table)
    judge = judge_section(results, console.width)
    if judge is not None:
        console.print(judge)
