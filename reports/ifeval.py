"""IFEval's four aggregates (prompt/instruction level, strict/loose) as a Rich table and as plain
text lines. The numbers come from the scorer (`harness.scorers.ifeval.ifeval_report`); only their
presentation lives here, so the core never renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table

from harness.scorers.ifeval import ifeval_report

AGGREGATE_LABELS = (
    ("prompt_level_strict", "prompt-level strict"),
    ("prompt_level_loose", "prompt-level loose"),
    ("inst_level_strict", "instruction-level strict"),
    ("inst_level_loose", "instruction-level loose"),
)


def ifeval_table(results: Mapping[str, Any], per_instruction: bool = True) -> Table | None:
    """A rich Table of the four IFEval aggregates (and per-instruction rows) for a results document,
    or None when it has no IFEval checks."""
    report = ifeval_report(results)
    if not report:
        return None
    sides = list(report)
    t = Table(title="IFEval (strict / loose)", title_justify="left")
    t.add_column("metric")
    t.add_column("n", justify="right")
    for side in sides:
        t.add_column(side if side != "output" else "value", justify="right")
    if len(sides) == 2:
        t.add_column("Δ", justify="right")

    def cell(v: float | None) -> str:
        return "—" if v is None else f"{v:.3f}"

    first = report[sides[0]]
    for key, label in AGGREGATE_LABELS:
        n = first["n_prompts"] if key.startswith("prompt") else first["n_instructions"]
        vals = [report[s][key] for s in sides]
        extra = [cell(vals[1] - vals[0]) if None not in vals else "—"] if len(sides) == 2 else []
        t.add_row(label, str(n), *(cell(v) for v in vals), *extra)
    if per_instruction:
        t.add_section()
        for iid, row in first["by_instruction"].items():
            cells = []
            for s in sides:
                r = report[s]["by_instruction"].get(iid)
                cells.append("—" if r is None else f"{r['strict']:.2f} / {r['loose']:.2f}")
            t.add_row(iid, str(row["n"]), *cells, *([""] if len(sides) == 2 else []))
    return t


def ifeval_lines(results: Mapping[str, Any]) -> list[str]:
    """Plain-text lines of the aggregates (Markdown/JUnit/CI logs): one per side and aggregate."""
    lines = []
    for side, agg in ifeval_report(results).items():
        who = "" if side == "output" else f"{side}: "
        parts = [f"{label} {agg[key]:.3f}" for key, label in AGGREGATE_LABELS if agg[key] is not None]
        lines.append(f"IFEval {who}" + ", ".join(parts) + f" ({agg['n_prompts']} prompts, {agg['n_instructions']} instructions)")
    return lines
