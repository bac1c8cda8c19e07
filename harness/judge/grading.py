"""Running the judge: requests through the runner (any backend, the generation cache included), then
verdicts read from the replies and assembled per case and turn.

The judge is a model like the ones under test: its replies are cached under a key made of the judge
model, its decoding and the full prompt (hence the prompt version), so a re-run or a resumed run asks
only what is missing, and `replay:FILE` re-scores from saved judgements without any model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from harness.config import HarnessConfig
from harness.judge.requests import JudgeRequest, build_requests, effective_modes
from harness.judge.templates import load_prompts
from harness.judge.verdicts import parse_grade, parse_on_topic, parse_preference
from harness.records import Case, Generation, ModelSpec

# How an order's verdict maps to a side: in `ab` base is shown as A, in `ba` SFT is.
_WINNER = {"ab": {"A": "base", "B": "sft", "tie": "tie"}, "ba": {"A": "sft", "B": "base", "tie": "tie"}}


@dataclass
class Judged:
    """The judge's verdicts: per case, a list of TurnJudgement dicts; plus what the run cost."""

    cases: dict[str, list[dict[str, Any]]]
    model: dict[str, Any]
    prompt_version: str
    prompts: dict[str, str]
    decoding: dict[str, Any]
    modes: list[str]
    calls: int
    generated: int
    cached: int
    notes: list[str] = field(default_factory=list)


def judge_settings(cfg: HarnessConfig):
    """The RunConfig the judge generates with: the run's (backend, cache, timeouts), with the judge's decoding."""
    return replace(cfg.run, max_tokens=cfg.judge.max_tokens, temperature=cfg.judge.temperature, history="own")


def judge_cases(requests: list[JudgeRequest]) -> list[Case]:
    """Each request as a one-turn case, so the runner (and its cache, and replay) handle it like any prompt."""
    return [Case(id=r.id, category=r.category, lang=r.lang, turns=[r.prompt], suite="judge") for r in requests]


def run_judge(
    spec: ModelSpec,
    cases: list[Case],
    sides: dict[str, dict[str, Generation]],
    cfg: HarnessConfig,
    progress: Callable[[str, int, int | None], None] | None = None,
    keep: Callable[[JudgeRequest], bool] | None = None,
) -> Judged:
    """The judge's verdicts on the cases' answers; `keep` picks which requests to ask (default: all)."""
    from harness.comparison import model_record
    from harness.runners import run_model

    prompts = load_prompts(cfg.judge.prompts)
    modes = effective_modes(cfg.judge.modes, {"base", "sft"} <= set(sides))
    requests = [r for r in build_requests(cases, sides, prompts, modes) if keep is None or keep(r)]
    run = run_model(spec, judge_cases(requests), judge_settings(cfg), progress=progress)
    replies = {cid: g.turns[0].text for cid, g in run.generations.items() if g.turns}
    if cfg.judge.out:
        save_judgements(cfg.judge.out, requests, replies)
    why_missing = {cid: f"the judge gave no reply ({why})" for cid, why in run.skipped.items()}
    return Judged(
        cases=assemble(requests, replies, why_missing),
        model=model_record(run),
        prompt_version=prompts.version,
        prompts=prompts.digests(),
        decoding={"max_tokens": cfg.judge.max_tokens, "temperature": cfg.judge.temperature, "seed": cfg.run.seed},
        modes=modes,
        calls=len(requests),
        generated=run.generated_turns,
        cached=run.cached_turns,
    )


def save_judgements(path: str, requests: list[JudgeRequest], replies: dict[str, str]) -> None:
    """The judge's requests and replies as a replay file (ours: {id, prompt, output}), written atomically."""
    import json

    from harness.outputs import write_atomic

    rows = [{"id": r.id, "prompt": r.prompt, "output": replies[r.id]} for r in requests if r.id in replies]
    write_atomic(path, "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))


def _grade(req: JudgeRequest, reply: str | None, why_missing: str) -> dict[str, Any]:
    if reply is None:
        return {"score": None, "error": why_missing, "request": req.id}
    v = parse_grade(reply)
    out: dict[str, Any] = {"score": v.value, "rationale": v.rationale, "request": req.id}
    if v.error:
        out.update(error=f"unparsed: {v.error}", raw=reply)
    return out


def _topic(req: JudgeRequest, reply: str | None, why_missing: str) -> dict[str, Any]:
    if reply is None:
        return {"on_topic": None, "error": why_missing, "request": req.id}
    v = parse_on_topic(reply)
    out: dict[str, Any] = {"on_topic": None if v.value is None else v.value == "yes", "rationale": v.rationale,
                           "request": req.id}
    if v.error:
        out.update(error=f"unparsed: {v.error}", raw=reply)
    return out


def _pair(ab: JudgeRequest | None, ba: JudgeRequest | None, replies: dict[str, str], missing: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    winners, errors = {}, []
    for order, req in (("ab", ab), ("ba", ba)):
        if req is None:
            continue
        out[f"request_{order}"] = req.id
        reply = replies.get(req.id)
        if reply is None:
            errors.append(f"{order}: {missing.get(req.id, 'the judge gave no reply')}")
            continue
        v = parse_preference(reply)
        out[f"rationale_{order}"] = v.rationale
        if v.error:
            errors.append(f"{order}: unparsed: {v.error}")
            out[f"raw_{order}"] = reply
            continue
        out[order] = v.value
        winners[order] = _WINNER[order][str(v.value)]
    if len(winners) == 2:
        same = winners["ab"] == winners["ba"]
        out["preference"] = winners["ab"] if same else "tie"
        out["flipped"] = not same
    else:
        out["preference"] = None
        out["error"] = "; ".join(errors) or "asked in one order only"
    return out


def assemble(requests: list[JudgeRequest], replies: dict[str, str], missing: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """Per case id, one TurnJudgement dict per judged turn (results.TurnJudgement)."""
    by_turn: dict[tuple[str, int], dict[str, Any]] = {}
    pairs: dict[tuple[str, int], dict[str, JudgeRequest]] = {}
    for req in requests:
        slot = by_turn.setdefault((req.case_id, req.turn), {"turn": req.turn, "reference_guided": req.reference_guided})
        if req.kind == "single":
            slot[req.who] = _grade(req, replies.get(req.id), missing.get(req.id, "the judge gave no reply"))
        elif req.kind == "topic":
            slot.setdefault("topic", {})[req.who] = _topic(req, replies.get(req.id),
                                                           missing.get(req.id, "the judge gave no reply"))
        else:
            pairs.setdefault((req.case_id, req.turn), {})[req.who] = req
    for key, orders in pairs.items():
        by_turn[key]["pair"] = _pair(orders.get("ab"), orders.get("ba"), replies, missing)
    out: dict[str, list[dict[str, Any]]] = {}
    for (case_id, _), slot in by_turn.items():
        out.setdefault(case_id, []).append(slot)
    return out
