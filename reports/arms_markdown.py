"""The Markdown report of an N-arm document (PR comments, CI summaries): the arms, the gate, the
prompt-share line, the forgetting list, one column per arm (the trajectory as a table), and each pair's
headline rows folded. Text from the document is escaped by `md` as in reports/markdown.py."""

from __future__ import annotations

from typing import Any

from reports.arms import (
    MARK,
    arm_labels,
    distinct_forgetting,
    family_grid,
    forgetting_text,
    pair_rows,
    prompt_share_text,
    statistics_text,
)
from reports.document import as_document
from reports.formatting import fmt_pct
from reports.markdown import MAX_CHARS, _metric_rows, gate_lines, md


def render_arms_markdown(results: Any, limit: int = 20) -> str:
    doc = as_document(results)
    labels = arm_labels(doc)
    names = [a["name"] for a in doc.get("arms") or []]
    gate = doc.get("gate")
    status = "" if gate is None else (" — ✅ gate passed" if gate.get("passed") else " — ❌ gate failed")
    lines = [f"## sft-harness: {len(names)} arms, baseline {md(labels.get(doc.get('baseline'), doc.get('baseline')))}{status}", ""]
    for m in doc.get("arms") or []:
        lines.append(f"- **{md(labels.get(m.get('name'), m.get('name')))}**: {md(m.get('path'))} · backend "
                     f"{md(m.get('backend'))} · prompt {md(m.get('prompt_format'))}")
    lines.append(f"- **suites**: {md(', '.join(map(str, doc.get('suites', []))))} · **{doc.get('n_cases')}** cases · "
                 f"{md(statistics_text(doc, labels))}")
    lines += [f"- ⚠️ {md(n)}" for n in doc.get("notes") or []] + [""]
    if gate is not None:
        lines += gate_lines(gate)
    for r in doc.get("prompt_share") or []:
        lines.append(f"**Prompt or SFT?** {md(prompt_share_text(r, labels))}  ")
    forgot = distinct_forgetting(doc)
    if forgot:
        lines += ["", f"### 🔴 Forgetting: {len(forgot)} metric(s) fell significantly from the baseline", ""]
        lines += [f"- 🔴 {md(forgetting_text(r, labels))}" for r in forgot[:limit]]
        if len(forgot) > limit:
            lines.append(f"- … and {len(forgot) - limit} more")
    else:
        lines += ["", "No metric fell significantly from the baseline in any arm."]
    lines += ["", "### Pass rate per family in each arm", "",
              f"_Δ in points against the baseline; {MARK['improved']} improved, {MARK['regressed']} regressed "
              "(Holm over arms × metrics, CI excluding 0)_", "",
              "| family | " + " | ".join(md(labels.get(n, n)) for n in names) + " |",
              "|---|" + "--:|" * len(names)]
    for fam, cells in family_grid(doc):
        lines.append(f"| **{md(fam)}** | " + " | ".join(
            c.rate + (f" ({c.delta} {c.mark})" if c.verdict else "") for c in cells) + " |")
    traj = doc.get("trajectory") or []
    if traj:
        lines += ["", "<details><summary>Trajectory: pass rate with its 95% bootstrap CI per arm</summary>", "",
                  "| family | " + " | ".join(md(labels.get(n, n)) for n in names) + " |", "|---|" + "--:|" * len(names)]
        for t in traj:
            lines.append(f"| {md(t['family'])} | " + " | ".join(
                f"{fmt_pct(p.get('rate'))} [{fmt_pct(p.get('ci_low'))}, {fmt_pct(p.get('ci_high'))}]" for p in t["points"]) + " |")
        lines += ["", "</details>"]
    text = "\n".join(lines) + "\n"
    rows = pair_rows(doc)
    for p in doc.get("pairs") or []:
        head = [r for r in rows[p["arm"]].values() if r.get("category") == "all" and r.get("lang") == "all"]
        block = "\n".join([f"<details><summary>{md(labels.get(p['arm'], p['arm']))} vs the baseline: headline rows</summary>", ""]
                          + _metric_rows(head) + ["", "</details>", ""])
        if len(text) + len(block) < MAX_CHARS:
            text += "\n" + block
    return text.rstrip() + "\n"


def write_markdown(path: Any, results: Any) -> None:
    from harness.outputs import write_atomic

    write_atomic(path, render_arms_markdown(results))
