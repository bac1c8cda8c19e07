"""What the renderers read from a results document besides its metric rows: the two sides' names,
what changed on one case, and the per-turn grid. Renderer-independent, so the HTML and Markdown
reports share them with the terminal without depending on Rich.
"""

from __future__ import annotations

from typing import Any

from harness.per_turn import per_turn_rows, per_turn_values


def side_names(results: dict[str, Any]) -> tuple[str, str]:
    models = results.get("models") or {}
    return (models.get("base", {}).get("name", "base"), models.get("sft", {}).get("name", "sft"))


def case_change(case: dict[str, Any], a: str = "base", b: str = "sft") -> tuple[list[str], list[str]]:
    """(families fixed, families broken) on one case."""
    sb, ss = case[a]["scores"], case[b]["scores"]
    fixed = [f for f in ss if f in sb and ss[f] > sb[f]]
    broke = [f for f in ss if f in sb and ss[f] < sb[f]]
    return fixed, broke


def turn_grid(results: dict[str, Any]) -> tuple[list[int], list[str], dict[tuple[str, int], dict[str, Any]]] | None:
    """(turns, families, row by (family, turn)) for the per-turn tables of every renderer; None when
    the document has fewer than two turns to show."""
    rows = turn_rows(results)
    turns = sorted({r["turn"] for r in rows})
    if len(turns) < 2:
        return None
    return turns, list(dict.fromkeys(r["family"] for r in rows)), {(r["family"], r["turn"]): r for r in rows}


def turn_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's per-turn rows, computed from its cases when it predates them."""
    rows = results.get("per_turn")
    if rows is not None:
        return rows
    cases = results.get("cases") or []
    return per_turn_rows(cases) if results.get("kind") in ("compare", "baseline") else per_turn_values(cases)


def as_document(results: Any) -> dict[str, Any]:
    """The results document as its JSON object: renderers take a typed result (harness.Comparison,
    RunResult, GateResult) or the object read from a file."""
    return results.to_json() if hasattr(results, "to_json") else results
