"""Our scorer families as local Hugging Face `evaluate` modules (loadable by path, no hub).

    import evaluate
    m = evaluate.load("/path/to/sft-harness/harness/metrics/ifeval")
    m.compute(predictions=[...], prompts=[...], instruction_id_list=[[...]], kwargs=['[{...}]'])

One folder per family (`directness`, `format`, `coherence`, `correctness`, `ifeval`), each with
`<family>.py` defining an `evaluate.Metric`; every module calls `score_family` below, which
builds the harness's own Case/Generation records and runs the registered scorer, so the numbers
are the ones `harness compare` reports. `score_family` works without `evaluate` installed too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.config import DEFAULT_SCORING, ScoringConfig
from harness.records import FINISH_UNKNOWN, Case, CheckSpec, Generation, TurnOutput

METRICS_DIR = Path(__file__).resolve().parent


def families() -> list[str]:
    """The scorer families with an `evaluate` module: the registered ones (harness/scorers), no second list."""
    from harness.scorers import REGISTRY

    return [name for name in REGISTRY if (METRICS_DIR / name / f"{name}.py").is_file()]


def module_path(family: str) -> str:
    """The folder to pass to `evaluate.load` for a family."""
    known = families()
    if family not in known:
        raise ValueError(f"unknown family {family!r}; known: {', '.join(known)}")
    return str(METRICS_DIR / family)


def _as_turns(x: Any) -> list[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return [str(t) if t is not None else "" for t in x]


def _checks(x: Any) -> list[CheckSpec]:
    """Checks as a list of {id, kwargs} (or its JSON string)."""
    if x is None or x == "":
        return []
    if isinstance(x, str):
        x = json.loads(x)
    out = []
    for c in x or []:
        if isinstance(c, str):
            out.append(CheckSpec(c, {}))
        else:
            kw = c.get("kwargs") or {}
            out.append(CheckSpec(str(c["id"]), json.loads(kw) if isinstance(kw, str) else kw))
    return out


def build_cases(
    predictions: list[Any],
    prompts: list[Any],
    references: list[Any] | None = None,
    checks: list[Any] | None = None,
    finish_reasons: list[Any] | None = None,
    golden: list[Any] | None = None,
) -> list[tuple[Case, Generation]]:
    """One (Case, Generation) per example. `predictions`/`prompts`: a string or a list of turns each;
    `references`: a string, or a list whose first item is the reference and the rest aliases."""
    n = len(predictions)
    if len(prompts) != n:
        raise ValueError(f"{n} predictions but {len(prompts)} prompts")
    out = []
    for i in range(n):
        turns = _as_turns(prompts[i])
        answers = _as_turns(predictions[i])
        ref = references[i] if references is not None else None
        aliases: list[str] = []
        if isinstance(ref, list | tuple):
            ref, aliases = (str(ref[0]) if ref else None), [str(a) for a in ref[1:]]
        fin = finish_reasons[i] if finish_reasons is not None else None
        fins = _as_turns(fin) if fin is not None else [FINISH_UNKNOWN] * len(answers)
        case = Case(
            id=str(i),
            category="",
            lang="",
            turns=turns,
            reference=None if ref is None else str(ref),
            aliases=aliases,
            references=_as_turns(golden[i]) if golden is not None else [],
            checks=_checks(checks[i]) if checks is not None else [],
        )
        gen = Generation(
            case_id=str(i),
            turns=[TurnOutput(a, fins[k] if k < len(fins) else FINISH_UNKNOWN) for k, a in enumerate(answers)],
        )
        out.append((case, gen))
    return out


def score_family(
    family: str, pairs: list[tuple[Case, Generation]], details: bool = False, cfg: ScoringConfig = DEFAULT_SCORING
) -> dict[str, Any]:
    """The family's share of passing examples (`<family>`), each check's share (`<check id>`), the number
    of examples it applied to (`n`), and with `details` every check with its reason per example."""
    from harness.scorers import REGISTRY

    fn = REGISTRY[family].fn
    passed_family: list[bool] = []
    per_check: dict[str, list[bool]] = {}
    rows = []
    for case, gen in pairs:
        checks = fn(case, gen, cfg)
        rows.append([{**c.to_dict()} for c in checks])
        if not checks:
            continue
        passed_family.append(all(c.passed for c in checks))
        seen: dict[str, bool] = {}
        for c in checks:
            seen[c.id] = seen.get(c.id, True) and c.passed
        for cid, ok in seen.items():
            per_check.setdefault(cid, []).append(ok)
    result: dict[str, Any] = {
        family: (sum(passed_family) / len(passed_family)) if passed_family else None,
        "n": len(passed_family),
    }
    for cid, vals in per_check.items():
        result[cid] = sum(vals) / len(vals)
    if details:
        result["details"] = rows
    return result
