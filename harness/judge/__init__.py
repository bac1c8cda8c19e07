"""An optional model judge (`--judge MODEL`): MT-Bench-style single-answer grading (1-10, per turn,
reference-guided where the case has a reference answer) and pairwise preference of SFT over base,
asked in both orders. A judge's verdict is a model's opinion: it sits in its own section of the
results (`judge`), beside the deterministic checks, never in place of them. See docs/judge.md.

    judged = run_judge(spec, cases, {"base": gens_b, "sft": gens_s}, cfg)   # grading.py
    attach(doc, judged)                                                    # the results document gains it
"""

from __future__ import annotations

from typing import Any

from harness.judge.summary import compare_summary, counts, run_summary
from harness.stats import ALPHA


def attach(doc: dict[str, Any], judged: Any, alpha: float = ALPHA) -> dict[str, Any]:
    """Put a judge run's verdicts (grading.Judged) into a results document: per case and as a section."""
    for case in doc.get("cases") or []:
        if case["id"] in judged.cases:
            case["judge"] = sorted(judged.cases[case["id"]], key=lambda t: t["turn"])
    doc["judge"] = {
        "model": judged.model,
        "prompt_version": judged.prompt_version,
        "prompts": judged.prompts,
        "decoding": judged.decoding,
        "modes": judged.modes,
        "calls": judged.calls,
        "generated": judged.generated,
        "cached": judged.cached,
        "notes": judged.notes,
    }
    return summarise(doc, alpha)


def summarise(doc: dict[str, Any], alpha: float = ALPHA) -> dict[str, Any]:
    """(Re)compute the judge section's numbers from the document's per-case verdicts."""
    section = doc.get("judge")
    if not section:
        return doc
    cases = doc.get("cases") or []
    numbers = run_summary(cases) if doc.get("kind") == "run" else compare_summary(cases, alpha)
    unparsed, missing = counts(cases)
    doc["judge"] = {**section, "unparsed": unparsed, "missing": missing, **numbers}
    if doc["judge"].get("pairwise") is None:
        doc["judge"].pop("pairwise", None)
    return doc
