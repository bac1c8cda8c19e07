"""Markdown report for pull-request comments and CI job summaries (GitHub-flavoured).

Everything taken from the results (model names, metric names, case ids) is escaped: GitHub
renders HTML in comments, so `<`, `>` and `&` become entities, and Markdown punctuation that
could start a link, emphasis, a table cell or a mention is backslash-escaped. Model outputs are
not included (the HTML report has them); a model judge's rationales are, cut short, escaped the same way
and with control characters shown as escapes. The text stays under GitHub's 65,536-character
comment limit: lists are cut first, then the optional sections.
"""

from __future__ import annotations

import html
import re
from typing import Any

from harness.provenance import provenance_lines
from harness.stats import format_p
from reports.document import as_document, side_names, turn_grid
from reports.formatting import (
    clip,
    fmt_ci,
    fmt_delta,
    fmt_grade,
    fmt_level,
    fmt_pct,
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
    preference_text,
    verdict_text,
    visible_controls,
)

MAX_CHARS = 60_000
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
ICON = {"improved": "🟢", "regressed": "🔴", "unchanged": "⚪"}


def md(text: Any) -> str:
    """Inline-safe Markdown text: HTML entities, escaped punctuation, no newlines, no @mentions."""
    s = html.escape("" if text is None else str(text), quote=False)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = s.replace("@", "&#64;").replace("\r", " ").replace("\n", " ")
    return s


def _metric_rows(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "| metric | base | sft | Δ | 95% CI | p (Holm) | n | fixed / broke | verdict |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in rows:
        fam = r["name"] == r.get("family", r["name"]) or is_continuous(r)
        name = f"**{md(r['name'])}**" if fam else f"&nbsp;&nbsp;{md(r['name'])}"
        flips = "—" if is_continuous(r) else f"{len(r.get('fixes', []))} / {len(r.get('regressions', []))}"
        v = r.get("verdict", "unchanged")
        out.append(
            f"| {name} | {fmt_level(r, r.get('base'))} | {fmt_level(r, r.get('sft'))} | "
            f"{fmt_delta(r, r.get('delta'))} | {fmt_ci(r)} | {md(format_p(r.get('p_adjusted')))} | {r.get('n')} | "
            f"{flips} | {ICON.get(v, '')} {verdict_text(r)} |"
        )
    return out


def gate_lines(gate: dict[str, Any]) -> list[str]:
    out = [f"### Gate: {'✅ passed' if gate.get('passed') else '❌ failed'}", ""]
    for rule in gate.get("rules", []):
        mark = "✅" if rule.get("passed") else "❌"
        out.append(f"- {mark} **{md(rule.get('rule'))}** ({md(rule.get('source'))})")
        if not rule.get("passed"):
            for f in rule.get("failures") or [rule.get("detail")]:
                out.append(f"  - {md(f)}")
    out.append("")
    return out


def _breakdown(results: dict[str, Any], key: str) -> list[str]:
    other = "lang" if key == "category" else "category"
    rows = [
        r
        for r in results.get("metrics", [])
        if r.get(key, "all") != "all" and r.get(other, "all") == "all" and not is_continuous(r)
        and r["name"] == r.get("family", r["name"])
    ]
    if not rows:
        return []
    fams = list(dict.fromkeys(r["name"] for r in rows))
    groups = list(dict.fromkeys(r[key] for r in rows))
    cell = {(r[key], r["name"]): r for r in rows}
    out = [f"| {key} | " + " | ".join(md(f) for f in fams) + " |", "|---|" + "--:|" * len(fams)]
    for g in groups:
        cells = []
        for f in fams:
            r = cell.get((g, f))
            if r is None:
                cells.append("·")
            else:
                mark = {"improved": " 🟢", "regressed": " 🔴"}.get(r["verdict"], "")
                cells.append(f"{fmt_level(r, r['base'])} → {fmt_level(r, r['sft'])} (n={r['n']}){mark}")
        out.append(f"| {md(g)} | " + " | ".join(cells) + " |")
    return out


def per_turn_lines(results: dict[str, Any]) -> list[str]:
    """A families x turns table of base → sft pass rates (MT-Bench's turn 1 / turn 2)."""
    grid = turn_grid(results)
    if grid is None:
        return []
    turns, families, cell = grid
    out = ["| family | " + " | ".join(f"turn {k}" for k in turns) + " |", "|---|" + "--:|" * len(turns)]
    for fam in families:
        vals = []
        for k in turns:
            r = cell.get((fam, k))
            if r is None:
                vals.append("·")
            elif "value" in r:
                vals.append(f"{fmt_pct(r['value'])} (n={r['n']})")
            else:
                vals.append(f"{fmt_pct(r['base'])} → {fmt_pct(r['sft'])} {ICON.get(r.get('verdict', ''), '')} (n={r['n']})")
        out.append(f"| {md(fam)} | " + " | ".join(vals) + " |")
    return out


def _flips(results: dict[str, Any], limit: int) -> list[str]:
    rows = [
        r
        for r in results.get("metrics", [])
        if is_headline(r) and not is_continuous(r) and (r.get("fixes") or r.get("regressions"))
    ]
    out = []
    for r in rows:
        reg, fix = r.get("regressions", []), r.get("fixes", [])

        def ids(xs: list[str]) -> str:
            s = ", ".join(md(x) for x in xs[:limit])
            return s + (f", … (+{len(xs) - limit} more)" if len(xs) > limit else "")

        line = f"- **{md(r['name'])}**: {len(reg)} pass → fail" + (f" ({ids(reg)})" if reg else "")
        line += f"; {len(fix)} fail → pass" + (f" ({ids(fix)})" if fix else "")
        out.append(line)
    return out


def judge_lines(results: dict[str, Any]) -> list[str]:
    """The model judge's section (its rows, pairwise outcomes, length control, per turn); [] without one."""
    judge = results.get("judge")
    if not judge:
        return []
    out = [f"### {md(visible_controls(judge_title(judge)))}", ""]
    rows = [r for r in judge.get("metrics") or [] if is_headline(r)]
    if rows and any("base" in r for r in rows):
        out += ["| metric | base | sft | Δ | 95% CI | p (Holm) | n | verdict |", "|---|--:|--:|--:|--:|--:|--:|---|"]
        for r in rows:
            v = judge_row(r)
            out.append(
                f"| {md(judge_label(r))} | {fmt_level(v, v.get('base'))} | {fmt_level(v, v.get('sft'))} | "
                f"{fmt_delta(v, v.get('delta'))} | {fmt_ci(v)} | {md(format_p(r.get('p_adjusted')))} | {r.get('n')} | "
                f"{ICON.get(r.get('verdict', ''), '')} {md(verdict_text(v))} |"
            )
        out.append("")
    else:
        out += [f"- **{md(r.get('name'))}**: {md(judge_value_text(r))}" for r in rows]
    out += [f"- {md(visible_controls(line))}" for line in judge_summary_lines(judge)]
    out += [f"- ⚠️ {md(visible_controls(note))}" for note in judge.get("notes") or []]
    out.append("")
    tables: list[str] = []
    pw = judge.get("pairwise") or {}
    if pw.get("length_bins"):
        tables += [f"| SFT's answer vs base's ({md(pw.get('length_unit', 'characters'))}) | n | won / tied / lost | win rate |",
                   "|---|--:|--:|--:|"]
        tables += [f"| {md(b.get('bin'))} | {b.get('n')} | {fmt_wtl(b)} | {fmt_pct(b.get('win_rate'))} |"
                   for b in pw["length_bins"]]
        tables.append("")
    turns = judge.get("per_turn") or []
    if len({t.get("turn") for t in turns}) > 1:
        if all("value" in t for t in turns):
            tables += ["| turn | n | mean grade |", "|--:|--:|--:|"]
            tables += [f"| {t.get('turn')} | {t.get('n')} | {fmt_grade(t.get('value'))} |" for t in turns]
        else:
            tables += ["| turn | n | base grade | sft grade | won / tied / lost | win rate |", "|--:|--:|--:|--:|--:|--:|"]
            tables += [f"| {t.get('turn')} | {t.get('n')} | {fmt_grade(t.get('base'))} | {fmt_grade(t.get('sft'))} | "
                       f"{fmt_wtl(t)} | {fmt_pct(t.get('win_rate'))} |" for t in turns]
        tables.append("")
    if tables:
        out += ["<details><summary>Judge: by length and by turn</summary>", ""] + tables + ["</details>", ""]
    return out


def _model_text(text: Any, limit: int = 150) -> str:
    """A judge's rationale in a table cell: one line, cut, controls visible, no HTML, no Markdown."""
    return md(visible_controls(clip(" ".join(str(text or "").split()), limit)))


def judge_example_lines(results: dict[str, Any], k: int = 4) -> list[str]:
    """The judge's verdicts on the example cases (the terminal's: every regression first, then the
    largest improvements), turn by turn: grades, preference and the rationales."""
    if not results.get("judge"):
        return []
    out = ["| case | turn | base | sft | pairwise | the judge's reasons |", "|---|--:|--:|--:|---|---|"]
    for c in pick_examples(results, k):
        for turn, t in sorted(judgements_by_turn(c).items()):
            why = "<br>".join(
                f"**{who}:** {_model_text((t.get(who) or {}).get('rationale') or (t.get(who) or {}).get('raw'))}"
                for who in ("base", "sft") if (t.get(who) or {}).get("rationale") or (t.get(who) or {}).get("raw")
            )
            out.append(
                f"| {md(c.get('id'))} | {turn} | {md(grade_text(t.get('base')))} | {md(grade_text(t.get('sft')))} | "
                f"{md(preference_text(t.get('pair')))} | {why} |"
            )
    if len(out) == 2:
        return []
    return ["<details><summary>Judge on the example cases (every regression first, then the largest improvements)"
            "</summary>", ""] + out + ["", "</details>", ""]


def render_markdown(results: Any, gate: Any = None, limit: int = 30) -> str:
    results = as_document(results)
    gate = as_document(gate) if gate is not None else results.get("gate")
    base_name, sft_name = side_names(results)
    models = results.get("models") or {}
    head = "sft-harness: baseline check" if results.get("kind") == "baseline" else "sft-harness"
    status = ""
    if gate is not None:
        status = " — ✅ gate passed" if gate.get("passed") else " — ❌ gate failed"
    lines = [f"## {head}: {md(base_name)} → {md(sft_name)}{status}", ""]
    for side in ("base", "sft"):
        m = models.get(side, {})
        if m:
            lines.append(
                f"- **{side}**: {md(m.get('name'))} · backend {md(m.get('backend'))} · prompt "
                f"{md(m.get('prompt_format'))}"
            )
            if "training" in m and (m["training"] is not None or side == "sft"):
                for ok, sentence in provenance_lines(m["training"]):
                    lines.append(f"  - {'✅' if ok else '⚠️' if ok is False else '❔'} {md(sentence)}")
    st = results.get("stats") or {}
    headline = [r for r in results.get("metrics", []) if is_headline(r)]
    m_tests = max((r.get("holm_m") or 0 for r in headline), default=0)
    lines.append(
        f"- **suites**: {md(', '.join(map(str, results.get('suites', []))))} · **{results.get('n_cases')}** paired cases"
        + (f" · α {st.get('alpha')}, Holm over {m_tests} tests, 95% paired bootstrap CI" if st else "")
    )
    for note in results.get("notes") or []:
        lines.append(f"- ⚠️ {md(note)}")
    lines.append("")
    if gate is not None:
        lines += gate_lines(gate)
    binary = [r for r in headline if not is_continuous(r)]
    cont = [r for r in headline if is_continuous(r)]
    lines += ["### What changed (all cases)", ""] + _metric_rows(binary) + [""]
    small = [r for r in headline if r.get("small_sample")]
    if small:
        lines += [
            f"_{len(small)} metric(s) have fewer than 10 cases that changed: their p-values and CIs are rough._",
            "",
        ]
    core = "\n".join(lines)
    optional: list[list[str]] = []
    if cont:
        optional.append(["<details><summary>Measured values (means, Wilcoxon)</summary>", ""] + _metric_rows(cont)
                        + ["", "</details>", ""])
    turns = per_turn_lines(results)
    if turns:
        optional.append(["<details><summary>Per turn (multi-turn cases)</summary>", ""] + turns + ["", "</details>", ""])
    cat, lang = _breakdown(results, "category"), _breakdown(results, "lang")
    if cat or lang:
        optional.append(["<details><summary>By category and language</summary>", ""] + cat + [""] + lang
                        + ["", "</details>", ""])
    judge = judge_lines(results)
    for lim in (limit, 10, 3):
        fl = _flips(results, lim)
        if not fl:
            break
        n_reg = sum(len(r.get("regressions", [])) for r in binary if r["name"] == r.get("family", r["name"]))
        n_fix = sum(len(r.get("fixes", [])) for r in binary if r["name"] == r.get("family", r["name"]))
        block = [f"<details><summary>Flips: {n_reg} pass → fail, {n_fix} fail → pass (metric families)</summary>",
                 ""] + fl + ["", "</details>", ""]
        if len(core) + sum(len("\n".join(b)) for b in optional + [judge]) + len("\n".join(block)) < MAX_CHARS:
            optional.append(block)
            break
    if judge:  # after the checks: a model's opinion, then its verdicts on the example cases
        optional.append(judge)
        optional.append(judge_example_lines(results))
    text = core
    for block in optional:
        chunk = "\n".join(block)
        if len(text) + len(chunk) + 1 < MAX_CHARS:
            text += "\n" + chunk
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 40] + "\n\n… (cut to fit a comment)\n"
    return text.rstrip() + "\n"


def write_markdown(path: Any, results: Any, gate: Any = None) -> None:
    from harness.outputs import write_atomic

    write_atomic(path, render_markdown(results, gate))
