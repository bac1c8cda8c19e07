"""Was a model's training data checked against the suite it is being evaluated on?

`harness train` writes `training_report.json` next to the model. Its data section lists, for every
suite the data was decontaminated against (`--against`), the fingerprint of that suite's prompts
(`harness.suites.fingerprint`). Here a compare or run recomputes the fingerprint of each suite it
evaluates and states, per suite: decontaminated against exactly these prompts, or not. A model
without a training report (a hub model, the demo pair) is reported as unknown, never as clean.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.records import Case, ModelSpec
from harness.suites.fingerprint import prompt_hashes, prompts_fingerprint

REPORT = "training_report.json"


def suite_record(ref: str, cases: list[Case]) -> dict[str, Any]:
    """What a training report keeps about a suite the data was decontaminated against."""
    return {"ref": ref, "cases": len(cases), "prompts_sha256": prompts_fingerprint(cases),
            "prompt_hashes": prompt_hashes(cases)}


def _decontamination(report: dict[str, Any]) -> tuple[bool, list[dict[str, Any]]]:
    """(cleaned at all, the per-suite decontamination records) from a training report."""
    data = report.get("data") or {}
    if not isinstance(data, dict):
        return False, []
    records = data.get("decontamination") or []
    if isinstance(records, dict):  # {"suites": [...]} or {ref: record}
        records = records.get("suites") or [dict(v, ref=k) for k, v in records.items() if isinstance(v, dict)]
    return bool(data.get("cleaned", bool(data))), [r for r in records if isinstance(r, dict)]


def training_provenance(spec: ModelSpec, cases: list[Case]) -> dict[str, Any] | None:
    """{"report", "cleaned", "suites": [{"suite", "decontaminated", "against"}]} or None without a report."""
    if spec.source == "replay":
        return None
    if spec.source == "openai":
        return None
    # an adapter's report is beside it (OUT/adapter -> OUT/training_report.json), or in it
    places = [Path(spec.adapter), Path(spec.adapter).parent] if spec.adapter else [Path(spec.path)]
    report_path = next((p / REPORT for p in places if (p / REPORT).is_file()), None)
    if report_path is None:
        return None
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return {"report": str(report_path), "error": f"unreadable training report: {e}", "suites": []}
    cleaned, records = _decontamination(report if isinstance(report, dict) else {})
    by_hash = {r.get("prompts_sha256"): r.get("ref") for r in records if r.get("prompts_sha256")}
    by_prompt = {h: r.get("ref") for r in records for h in (r.get("prompt_hashes") or [])}
    by_suite: dict[str, list[Case]] = {}
    for c in cases:
        by_suite.setdefault(c.suite or "suite", []).append(c)
    suites = []
    for name, group in by_suite.items():
        fp = prompts_fingerprint(group)
        against = by_hash.get(fp)
        if against is None and by_prompt:
            # a filtered run (--limit, --category) evaluates part of a suite that was checked
            hashes = prompt_hashes(group)
            if hashes and all(h in by_prompt for h in hashes):
                against = ", ".join(sorted({str(by_prompt[h]) for h in hashes}))
        suites.append({"suite": name, "decontaminated": against is not None, "against": against})
    return {"report": str(report_path), "cleaned": cleaned, "suites": suites}


def provenance_lines(training: dict[str, Any] | None) -> list[tuple[bool | None, str]]:
    """(ok, sentence) per evaluated suite for the reports; ok None = unknown."""
    if training is None:
        return [(None, "no training report: whether its training data overlaps the suite is unknown")]
    if training.get("error"):
        return [(None, str(training["error"]))]
    out = []
    for s in training.get("suites") or []:
        if s.get("decontaminated"):
            out.append((True, f"training data was decontaminated against suite {s['suite']!r} ({s.get('against')})"))
        elif not training.get("cleaned"):
            out.append((False, f"training data was not cleaned: NOT checked against suite {s['suite']!r}"))
        else:
            out.append((False, f"training data was NOT checked against suite {s['suite']!r} (not among --against)"))
    return out
