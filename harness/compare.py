"""Score generations and assemble the results document (schema harness.results/v1).

The JSON shape is a contract read by later tools and CI scripts: extend it, never break it.
See docs/results-schema.md.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness import __version__
from harness.records import Case, Check, Generation
from harness.runners import ModelRun
from harness.scorers import family_passed, score_case
from harness.stats import FEW_DISCORDANT, mcnemar_exact, verdict

SCHEMA = "harness.results/v1"
Scores = dict[str, list[Check]]  # family -> checks, for one case and one model


@dataclass
class Scored:
    case: Case
    gen: Generation
    scores: Scores


def score_run(
    cases: list[Case], run: ModelRun, progress: Callable[[int, int], None] | None = None
) -> dict[str, Scored]:
    out: dict[str, Scored] = {}
    for i, case in enumerate(cases, 1):
        gen = run.generations.get(case.id)
        if gen is not None:
            out[case.id] = Scored(case, gen, score_case(case, gen))
        if progress and (i % 200 == 0 or i == len(cases)):
            progress(i, len(cases))
    return out


def model_record(run: ModelRun) -> dict[str, Any]:
    return {
        "name": run.spec.name,
        "path": run.spec.path,
        "source": run.spec.source,
        "backend": run.backend,
        "prompt_format": run.prompt_format,
        "max_tokens": run.max_tokens,
        "notes": run.notes,
        "generated_turns": run.generated_turns,
        "cached_turns": run.cached_turns,
        "seconds": round(run.seconds, 3),
    }


def _side(s: Scored) -> dict[str, Any]:
    return {
        "outputs": s.gen.texts,
        "finish_reasons": [t.finish_reason for t in s.gen.turns],
        "output_tokens": [t.output_tokens for t in s.gen.turns],
        "scores": {fam: 1.0 if family_passed(checks) else 0.0 for fam, checks in s.scores.items()},
        "checks": [c.to_dict() for checks in s.scores.values() for c in checks],
    }


def _case_head(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "suite": case.suite,
        "category": case.category,
        "lang": case.lang,
        "prompt": case.prompt,
        "turns": case.turns,
        "reference": case.reference,
    }


def _outcomes(scored: dict[str, Scored], ids: list[str], metric: str) -> dict[str, bool]:
    """case id -> passed, for cases where `metric` (a family or a check id) applies."""
    family, _, _ = metric.partition(":")
    out = {}
    for cid in ids:
        s = scored.get(cid)
        if s is None or family not in s.scores:
            continue
        checks = s.scores[family]
        if metric == family:
            out[cid] = family_passed(checks)
        else:
            hits = [c.passed for c in checks if c.id == metric]
            if hits:
                out[cid] = all(hits)
    return out


def metric_names(*scoreds: dict[str, Scored]) -> list[str]:
    """Families first, then each sub-check id, in first-seen order."""
    families: dict[str, None] = {}
    checks: dict[str, None] = {}
    for scored in scoreds:
        for s in scored.values():
            for fam, cs in s.scores.items():
                families.setdefault(fam)
                for c in cs:
                    checks.setdefault(c.id)
    return [*families, *(c for c in checks if c not in families)]


def paired_rows(base: dict[str, Scored], sft: dict[str, Scored], cases: list[Case]) -> list[dict[str, Any]]:
    """One row per metric x category ("all" first): shares passing, delta, McNemar p, verdict."""
    groups: dict[str, list[str]] = {"all": [c.id for c in cases]}
    for c in cases:
        groups.setdefault(c.category, []).append(c.id)
    rows = []
    for name in metric_names(base, sft):
        for category, ids in groups.items():
            b, s = _outcomes(base, ids, name), _outcomes(sft, ids, name)
            paired = [cid for cid in ids if cid in b and cid in s]
            if not paired:
                continue
            test = mcnemar_exact([b[c] for c in paired], [s[c] for c in paired])
            n = test.n
            base_v, sft_v = test.base_pass / n, test.sft_pass / n
            delta = sft_v - base_v
            rows.append(
                {
                    "name": name,
                    "category": category,
                    "base": round(base_v, 4),
                    "sft": round(sft_v, 4),
                    "delta": round(delta, 4),
                    "verdict": verdict(delta, test.p_value),
                    "p_value": test.p_value,
                    "test": "mcnemar_exact",
                    "n": n,
                    "fixes": [c for c in paired if not b[c] and s[c]],
                    "regressions": [c for c in paired if b[c] and not s[c]],
                    "small_sample": test.discordant < FEW_DISCORDANT,
                }
            )
    return rows


def build_results(
    cases: list[Case],
    base_run: ModelRun,
    sft_run: ModelRun,
    base: dict[str, Scored],
    sft: dict[str, Scored],
    suites: list[str],
    settings: dict[str, Any],
) -> dict[str, Any]:
    both = [c for c in cases if c.id in base and c.id in sft]
    notes = []
    if len(both) < len(cases):
        notes.append(f"{len(cases) - len(both)} case(s) lack an output from one model and are left out")
    return {
        "schema": SCHEMA,
        "kind": "compare",
        "harness_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "suites": suites,
        "settings": settings,
        "n_cases": len(both),
        "notes": notes,
        "models": {"base": model_record(base_run), "sft": model_record(sft_run)},
        "metrics": paired_rows(base, sft, both),
        "cases": [{**_case_head(c), "base": _side(base[c.id]), "sft": _side(sft[c.id])} for c in both],
    }


def build_run_results(
    cases: list[Case], run: ModelRun, scored: dict[str, Scored], suites: list[str], settings: dict[str, Any]
) -> dict[str, Any]:
    done = [c for c in cases if c.id in scored]
    groups: dict[str, list[str]] = {"all": [c.id for c in done]}
    for c in done:
        groups.setdefault(c.category, []).append(c.id)
    metrics = []
    for name in metric_names(scored):
        for category, ids in groups.items():
            o = _outcomes(scored, ids, name)
            if o:
                metrics.append(
                    {"name": name, "category": category, "value": round(sum(o.values()) / len(o), 4), "n": len(o)}
                )
    return {
        "schema": SCHEMA,
        "kind": "run",
        "harness_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "suites": suites,
        "settings": settings,
        "n_cases": len(done),
        "notes": run.notes,
        "model": model_record(run),
        "metrics": metrics,
        "cases": [{**_case_head(c), "output": _side(scored[c.id])} for c in done],
    }
