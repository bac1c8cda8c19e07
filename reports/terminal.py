"""Rich terminal report of a results document.

Model text is always wrapped in `rich.text.Text` (never parsed as markup) and stripped of
control characters, so an output cannot style, move or clear the user's terminal. Layout
follows the console width: narrow terminals lose the least important columns first, and a metric's
name never wraps or goes. Colours appear only on a terminal (Rich writes plain text to pipes and
files) and never with --no-color.

Two views of a comparison: the first screen (`render_first_screen`, the CLI's default: the verdict per
check family, the judge in three lines, a few telling examples) and everything (`render_compare` with
detail, the CLI's --detail).
"""

from __future__ import annotations

import io
import os
from typing import Any

from rich.cells import cell_len
from rich.console import Console, Group
from rich.measure import Measurement
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from harness.provenance import provenance_lines
from harness.stats import format_p
from reports.document import as_document, case_change, side_names, turn_grid
from reports.formatting import (
    answer_judgements,
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
    judge_value_text,
    judgements_by_turn,
    pick_examples,
    pick_first_screen,
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


COLUMNS = ["metric", "base", "sft", "Δ", "95% CI", "p", "p (Holm)", "n", "fixed/broke", "verdict"]
# Narrow terminals lose these first, in this order; the metric names never wrap or go.
DROP_ORDER = ["p", "fixed/broke", "n", "p (Holm)", "95% CI", "base"]
MARKS = {  # the short verdicts of a narrow table, explained in its caption
    "*": "* few pairs: fewer than 10 cases changed, too few for a precise answer",
    "†": "† advisory: reported, not gated",
    "↑↓": "↑↓ significantly higher / lower, and neither is better",
}
_MEASURE = Console(width=100_000, file=io.StringIO(), legacy_windows=False)


def table_width(table: Any) -> int:
    """The width a renderable takes when nothing in it wraps."""
    return Measurement.get(_MEASURE, _MEASURE.options, table).maximum


def _layouts(cols: list[str]) -> list[tuple[list[str], bool]]:
    """(columns, short verdicts) from the most to the least complete: the verdict's words are dropped
    only after p, fixed/broke and n, the other numbers after that."""
    drops = [d for d in DROP_ORDER if d in cols]
    keep = [[c for c in cols if c not in drops[:i]] for i in range(len(drops) + 1)]
    full = [(k, False) for i, k in enumerate(keep) if set(drops[:i]) <= {"p", "fixed/broke", "n"}]
    return full + [(k, True) for k in keep]


def short_verdict(r: dict[str, Any]) -> tuple[str, list[str]]:
    """The verdict's word with marks for its qualifiers (see MARKS): "unchanged*", "improved†"."""
    marks = []
    if is_continuous(r) and r.get("direction", "none") == "none" and r.get("significant"):
        marks.append("↑" if (r.get("delta") or 0) > 0 else "↓")
    if r.get("small_sample"):
        marks.append("*")
    if r.get("advisory"):
        marks.append("†")
    word = r.get("verdict", "unchanged") + (" " if marks and marks[0] in "↑↓" else "")
    return word + "".join(marks), ["↑↓" if m in "↑↓" else m for m in marks]


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
    if compact:  # narrow terminal: the verdict's word, its qualifiers as marks explained in the caption
        cell["verdict"] = Text(short_verdict(r)[0], style=style)
    return [cell[c] for c in cols]


def _build_table(rows: list[dict[str, Any]], title: str | None, cols: list[str], compact: bool,
                 label: Any = None) -> Table:
    t = Table(title=title, title_justify="left")
    for col in cols:
        t.add_column(col, justify="left" if col in ("metric", "verdict") else "right", no_wrap=True)
    for r in rows:
        cells = _row_cells(r, cols, compact=compact)
        if label is not None and "metric" in cols:
            cells[cols.index("metric")] = label(r)
        t.add_row(*cells)
    if compact:
        used = dict.fromkeys(m for r in rows for m in short_verdict(r)[1])
        if used:
            t.caption = "\n".join(MARKS[m] for m in MARKS if m in used)
            t.caption_justify = "left"
    return t


def fit_metric_table(rows: list[dict[str, Any]], title: str | None, width: int, cols: list[str] | None = None,
                     labels: list[Any] | None = None) -> Table:
    """A metric table as complete as `width` allows without wrapping a cell: the least important columns
    go first, then the verdict's words (marks instead); the metric names stay whole. `labels`: functions
    giving a row's name cell, the preferred first."""
    cols = cols or COLUMNS
    label_fns = labels or [None]
    tried = [(cols_, compact, fn) for fn in label_fns for cols_, compact in _layouts(cols) if not compact] + [
        (cols_, compact, label_fns[-1]) for cols_, compact in _layouts(cols) if compact
    ]
    table = None
    for cols_, compact, fn in tried:
        table = _build_table(rows, title, cols_, compact, fn)
        if table_width(table) <= width:
            return table
    assert table is not None
    return table


def _metric_table(rows: list[dict[str, Any]], title: str, width: int) -> Table:
    return fit_metric_table(rows, title, width)


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
        t.add_column(col, justify="left" if col == "family" else "right", no_wrap=col == "family")
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
    t.add_column(key, no_wrap=True)
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
    t.add_column("family", no_wrap=True)
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
    t.add_column("metric", no_wrap=True)
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
    cols = [c for c in COLUMNS if c not in ("p", "fixed/broke")]
    views = [judge_row(r) for r in rows]
    return fit_metric_table(views, None, width, cols,
                            labels=[lambda r: safe(judge_label(r)), lambda r: safe(r.get("name"))])


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
        parts.append(_judge_metric_table(rows, width - 4))  # inside the panel's border and padding
    else:
        for r in rows:
            parts.append(safe(f"{r.get('name')}: {judge_value_text(r)}"))
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
    return _with_rationale(line, slot)


def _with_rationale(line: Text, slot: dict[str, Any] | None) -> Text:
    """The line, then the judge's rationale (or raw reply), clipped, as inert text."""
    why = (slot or {}).get("rationale") or (slot or {}).get("raw") or ""
    if why:
        rationale = safe(clip(" ".join(str(why).split()), RATIONALE_LIMIT))
        rationale.stylize("dim")
        line.append(" — ", style="dim")
        line.append_text(rationale)
    return line


def _topic_line(slot: dict[str, Any]) -> Text:
    """The judge's on-topic verdict on one answer and its reason, as inert text."""
    line = Text("judge, on topic: ", style=JUDGE_STYLE)
    said = slot.get("on_topic")
    if said is None:
        line.append_text(safe(str(slot.get("error") or "no verdict")))
        line.stylize("yellow", len("judge, on topic: "))
    else:
        line.append("yes" if said else "no", style="green" if said else "red")
    return _with_rationale(line, slot)


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
            graded, grade, topic = answer_judgements(judged[i + 1], who)
            if graded:
                parts.append(_judge_line(grade))
            if topic:
                parts.append(_topic_line(topic))
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


# ---------------------------------------------------------------------------------------------
# the first screen: what `harness compare` and `harness report` show without --detail

FIRST_SCREEN_EXAMPLES = 3
ANSWER_LINES = 3  # lines of each answer an example shows
CHECK_LINES = 2  # lines of its telling check


def _styled(text: Any, style: str) -> Text:
    """Inert text (see `safe`) in one style."""
    out = safe(text)
    out.stylize(style)
    return out


def _home(path: str) -> str:
    """A path under the home directory as ~/…, to keep a model's line short."""
    home = os.path.expanduser("~")
    if home in ("", "/", "~") or not (path == home or path.startswith(home + os.sep)):
        return path
    return "~" + path[len(home):]


def compact_header(results: dict[str, Any]) -> Panel:
    """The header in a few lines: one per model (path, backend, prompt format, turns generated and
    cached, seconds), the notes once, the training provenance, then suite, decoding and statistics."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    models = results.get("models") or {"model": results.get("model", {})}
    for side, m in models.items():
        line = Text()
        name, path = str(m.get("name") or ""), str(m.get("path") or "")
        if name and name != side:
            line.append_text(_styled(name, "bold cyan"))
        if path and path not in name:  # a replay's name is its path already
            line.append_text(safe(("  " if len(line) else "") + _home(path)))
        if m.get("adapter"):
            line.append_text(safe(f" + adapter {m['adapter']}"))
        gen, cached = m.get("generated_turns", 0) or 0, m.get("cached_turns", 0) or 0
        line.append_text(_styled(f"  {m.get('backend')} · prompt: {m.get('prompt_format')} · "
                                 f"{gen} generated, {cached} cached, {m.get('seconds', 0) or 0:.1f}s", "dim"))
        grid.add_row(side, line)
        if (m.get("engine") or {}).get("trust_remote_code"):
            grid.add_row("", Text("! trust_remote_code is on: code from this model's repository ran (harness.toml)",
                                  style="bold yellow"))
        if "training" in m and (m["training"] is not None or side in ("sft", "model")):
            for ok, sentence in provenance_lines(m["training"]):
                style = {True: "green", False: "bold yellow", None: "dim"}[ok]
                grid.add_row("", Text(("✓ " if ok else "! " if ok is False else "? ") + sentence, style=style))
    notes = {side: [str(n) for n in m.get("notes") or []] for side, m in models.items()}
    first = next(iter(notes.values()), [])
    shared = [n for n in first if len(notes) > 1 and all(n in ns for ns in notes.values())]
    for n in shared:
        grid.add_row("note", _styled(n, "yellow"))  # said once for both models; one model's notes name it
    for side, ns in notes.items():
        for n in ns:
            if n not in shared:
                grid.add_row("note", _styled(f"{side}: {n}" if len(notes) > 1 else n, "yellow"))
    grid.add_row("suite", safe(f"{', '.join(results.get('suites', []))}  ({results.get('n_cases')} cases)"))
    s = results.get("settings", {})
    if s:
        tokens = f", max_tokens {s['max_tokens']}" if s.get("max_tokens") else ""
        grid.add_row("decoding", Text(f"temperature {s.get('temperature')}, seed {s.get('seed')}, "
                                      f"history {s.get('history', 'own')}{tokens}"))
    st = results.get("stats")
    if st and "models" in results:
        m = max((r.get("holm_m") or 0 for r in results.get("metrics", []) if is_headline(r)), default=0)
        grid.add_row("statistics", Text(f"paired McNemar / Wilcoxon · {round(100 * st.get('ci_level', 0.95))}% "
                                        f"bootstrap CI · Holm over {m} tests · α = {st.get('alpha')}", style="dim"))
    for note in results.get("notes") or []:
        grid.add_row("note", Text(str(note), style="yellow"))
    title = {"compare": "sft-harness compare", "baseline": "sft-harness gate: against the baseline"}.get(
        results.get("kind", ""), "sft-harness run"
    )
    return Panel(grid, title=title, expand=False)


def family_table(results: dict[str, Any], width: int = 160) -> Table:
    """One row per check family (the headline rows whose name has no ':'): the verdict first."""
    rows = [r for r in results.get("metrics") or [] if is_headline(r) and ":" not in r["name"]]
    cols = [c for c in COLUMNS if c != "p"]
    n = results.get("n_cases")
    t = fit_metric_table(rows, f"What changed ({f'all {n} cases' if n else 'all cases'}): pass rate per check family",
                         width, cols)
    if t.caption is None:
        words = [w for w, on in (("few pairs: under 10 cases changed, too few to be sure",
                                  any(r.get("small_sample") for r in rows)),
                                 ("advisory: reported, not gated", any(r.get("advisory") for r in rows))) if on]
        if words:
            t.caption, t.caption_justify = " · ".join(words), "left"
    return t


def judge_brief(results: dict[str, Any], width: int = 160) -> list[Any]:
    """The judge in at most three lines: who judged, then judge:score and judge:win_rate, base → sft."""
    judge = results.get("judge")
    if not judge:
        return []
    model = (judge.get("model") or {}).get("name") or "?"
    head = Text("Judge", style=f"bold {JUDGE_STYLE}")
    head.append_text(safe(f": a model's opinion ({model}) — advisory, not a check"))
    head.no_wrap, head.overflow = True, "ellipsis"
    rows = [judge_row(r) for r in judge.get("metrics") or [] if is_headline(r)][:2]
    pw = judge.get("pairwise") or {}

    def build(extra: bool, ci: bool) -> Table:
        grid = Table.grid(padding=(0, 2))
        for _ in range(4 + extra):
            grid.add_column(no_wrap=True)
        for r in rows:
            score = r.get("name") == "judge:score"
            fmt = fmt_grade if score else fmt_pct
            if "base" in r:
                values = f"{fmt(r.get('base'))} → {fmt(r.get('sft'))}" + (" of 10" if score else "")
                delta = f"Δ {fmt_delta(r, r.get('delta'))}" + (f" {fmt_ci(r)}" if ci else "")
                verdict = Text(verdict_text({**r, "advisory": False}),
                               style=VERDICT_STYLE.get(r.get("verdict", "unchanged"), ""))
            else:  # one model's grades
                values, delta, verdict = f"{fmt(r.get('value'))}" + (" of 10" if score else ""), "", Text("")
            cells: list[Any] = [safe(r.get("name")), safe(values), delta, verdict]
            if extra:
                cells.append(Text(fmt_wtl(pw).replace(" / ", "/") + " won/tied/lost" if not score and pw.get("wins")
                                  is not None else f"n={r.get('n')}", style="dim"))
            grid.add_row(*cells)
        return grid

    grid = build(True, True)
    for extra, ci in ((True, True), (False, True), (False, False)):
        grid = build(extra, ci)
        if table_width(grid) + 2 <= width:
            break
    return [head, Padding(grid, (0, 0, 0, 2))] if rows else [head]


def _one_line(text: str) -> Text:
    line = safe(" ".join(str(text).split()))
    line.no_wrap, line.overflow = True, "ellipsis"
    return line


def _clip_lines(text: Text, console: Console, width: int, n: int) -> Text:
    """`text` wrapped to `width`, blank lines left out, cut to `n` lines (the last then ends in "…")."""
    lines = [line for line in text.wrap(console, width, overflow="fold") if line.plain.strip()]
    if len(lines) > n:
        lines = lines[:n]
        lines[-1].rstrip()
        lines[-1].truncate(max(1, width - 2))
        lines[-1].append(" …", style="dim")
    return Text("\n").join(lines) if lines else Text("(empty)", style="dim italic")


def _check_cell(check: dict[str, Any] | None, console: Console, width: int) -> Text:
    if check is None:
        return Text("")
    if check.get("passed"):
        cell = Text("✓ ", style="green")
        cell.append_text(safe(check.get("id")))
        cell.append(" passed", style="dim")
        return cell
    cell = Text("✗ ", style="red")
    cell.append_text(_styled(check.get("id"), "bold red"))
    cell.append_text(safe(": " + " ".join(str(check.get("reason", "")).split())))
    return _clip_lines(cell, console, width, CHECK_LINES)


def _same_check(side: dict[str, Any], check: dict[str, Any] | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return next((c for c in side.get("checks") or [] if c.get("id") == check.get("id")
                 and c.get("turn") == check.get("turn")), None)


def first_screen_example(pick: dict[str, Any], results: dict[str, Any], console: Console) -> Group:
    """One example in a few lines: what changed, the prompt, both answers clipped, the telling check."""
    c, turn = pick["case"], pick["turn"]
    width = console.width
    regressed = pick["change"] == "regressed"
    title = Text("▼ regressed  " if regressed else "▲ improved  ", style="bold red" if regressed else "bold green")
    title.append_text(_styled(c.get("id"), "bold"))
    fixed, broke = case_change(c)
    if broke:
        title.append_text(_styled(f"   broke: {', '.join(broke)}", "red"))
    if fixed:
        title.append_text(_styled(f"   fixed: {', '.join(fixed)}", "green"))
    turns = c.get("turns") or [c.get("prompt", "")]
    where = f"   {c.get('category')} · {c.get('lang')}" + (f" · turn {turn} of {len(turns)}" if len(turns) > 1 else "")
    title.append_text(_styled(where, "dim"))
    title.no_wrap, title.overflow = True, "ellipsis"
    parts: list[Any] = [title]
    shown = [turn - 1, turn] if turn > 1 else [turn]
    for k in shown:
        line = Text("  user" + (f", turn {k}" if len(turns) > 1 else "") + ": ", style="bold blue")
        line.append_text(_one_line(turns[k - 1] if k <= len(turns) else ""))
        line.no_wrap, line.overflow = True, "ellipsis"
        if k != turn:
            line.stylize("dim")
        parts.append(line)
    if pick.get("knew"):
        ref = c.get("reference")
        ref = ref[0] if isinstance(ref, list) and ref else ref
        note = Text("  the base had the answer", style="italic")
        if isinstance(ref, str) and ref:
            note.append_text(Text(" '", style="italic")).append_text(_one_line(ref[:40])).append("'", style="italic")
        note.append(" but kept continuing text; the SFT answers", style="italic")
        note.no_wrap, note.overflow = True, "ellipsis"
        parts.append(note)
    stacked = width < 60
    col = max(16, width - 2) if stacked else max(16, (width - 2 - 3) // 2)
    base_name, sft_name = side_names(results)
    cells = []
    for side, name in (("base", base_name), ("sft", sft_name)):
        label = Text(side, style="bold")
        if name != side:
            label.append_text(_styled(f" · {name}", "dim"))
        outputs = c[side].get("outputs") or []
        answer = outputs[turn - 1] if turn - 1 < len(outputs) else ""
        body = _clip_lines(safe(answer, 4000), console, col, ANSWER_LINES) if answer else Text("(empty)", style="dim italic")
        check = pick["check"] if pick["check"] is not None and side == ("sft" if regressed else "base") else \
            _same_check(c[side], pick["check"])
        cells.append((label, body, _check_cell(check, console, col)))
    grid = Table.grid(padding=(0, 3))
    if stacked:
        grid.add_column(width=col, no_wrap=True)
        for cell in cells:
            for part in cell:
                grid.add_row(part)
    else:
        grid.add_column(width=col, no_wrap=True)
        grid.add_column(width=col, no_wrap=True)
        for i in range(3):
            grid.add_row(cells[0][i], cells[1][i])
    parts.append(Padding(grid, (0, 0, 0, 2)))
    return Group(*parts)


def detail_hint(results: dict[str, Any], width: int) -> Text:
    """One line: what --detail adds to the first screen (only what this document has)."""
    metrics = [r for r in results.get("metrics") or [] if is_headline(r)]
    has = [
        ("sub-checks", "sub-checks", any(":" in r["name"] and not is_continuous(r) for r in metrics)),
        ("measured values", "values", any(is_continuous(r) for r in metrics)),
        ("instruction level", "instructions", any(r.get("instruction_level") for r in metrics)),
        ("per turn", "turns", turn_grid(results) is not None),
        ("by category", "categories", category_table(results) is not None),
        ("by language", "languages", language_table(results) is not None),
        ("IFEval", "IFEval", ifeval_table(results) is not None),
        ("flips", "flips", flips(results) is not None),
        ("the judge in full", "judge", bool(results.get("judge"))),
        ("every regression and more examples (--examples N)", "examples", bool(results.get("cases"))),
    ]
    for line in (
        "--detail shows " + ", ".join(h[0] for h in has if h[2]),
        "--detail: " + ", ".join(h[1] for h in has if h[2]),
        "--detail: the full report (sub-checks, breakdowns, flips, judge, all examples)",
        "--detail: the full report",
    ):
        if cell_len(line) <= width:
            break
    out = Text(line, style="dim")
    out.no_wrap, out.overflow = True, "ellipsis"
    return out


def render_first_screen(results: Any, console: Console, n_examples: int = FIRST_SCREEN_EXAMPLES) -> None:
    """The verdict first, on one screen: the compact header, one row per check family, the judge in three
    lines, two or three examples chosen to show the change (a regression first whenever one exists), and
    a line on what --detail adds."""
    results = as_document(results)
    width = console.width
    console.print(compact_header(results))
    console.print(family_table(results, width))
    brief = judge_brief(results, width)
    if brief:
        console.print(Group(*brief))  # in a Group, a Text keeps its no_wrap
    picks = pick_first_screen(results, n_examples)
    if picks:
        changes = [case_change(c) for c in results.get("cases") or []]
        n_reg = sum(1 for _, broke in changes if broke)
        n_imp = sum(1 for fixed, broke in changes if fixed and not broke)
        s_reg = sum(1 for p in picks if p["change"] == "regressed")
        s_imp = len(picks) - s_reg
        if n_reg:
            what = f"{s_reg} of {n_reg} case(s) that regressed" + (f", then {s_imp} of {n_imp} that improved" if s_imp else "")
        else:
            what = f"{s_imp} of {n_imp} case(s) that improved (none regressed)"
        console.rule(Text(f"Side by side: {what}"), style="dim")
        for i, pick in enumerate(picks):
            if i:
                console.print()
            console.print(first_screen_example(pick, results, console))
    console.print(Group(detail_hint(results, width)))


def render_compare(results: Any, console: Console, n_examples: int | None = None, detail: bool = True) -> None:
    """The terminal report of a comparison: everything (detail), or the first screen (the CLI's default)."""
    if not detail:
        render_first_screen(results, console, FIRST_SCREEN_EXAMPLES if n_examples is None else n_examples)
        return
    n_examples = 4 if n_examples is None else n_examples
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
