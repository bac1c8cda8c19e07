"""IFEval: the 25 verifiable instructions of the public IFEval benchmark, strict and loose.

Runs on cases that declare IFEval instruction ids (the `ifeval:` suite loader copies a record's
`instruction_id_list` + `kwargs` verbatim into `case.checks`). A declared id is IFEval's when its
group (the part before ':') is one of IFEval's (`keywords`, `language`, `length_constraints`,
`detectable_content`, `detectable_format`, `combination`, `startend`, `change_case`,
`punctuation`), or when it is written `ifeval:<instruction id>`.

Each declared instruction yields one Check:

- id `ifeval:<instruction id>` (e.g. `ifeval:detectable_format:number_bullet_lists`), so the
  metric family is `ifeval` whichever group the instruction is in;
- `strict`: the response as given follows the instruction;
- `loose`: one of IFEval's 8 response variants follows it (as given, or with '*' removed, each
  also without its first line, its last line, or both);
- `passed` = `strict` (so the family metric `ifeval` is IFEval's prompt-level strict accuracy and
  each `ifeval:<id>` metric its instruction-level strict accuracy for that instruction);
- the reason says what was counted, and which variant passed when only the loose one does.

Decision: IFEval checks do not also feed the `format` family. `format` keeps its own meaning
(shapes our suites declare, and implied checks); IFEval keeps IFEval's exact definitions, and
its four aggregates are computed by `ifeval_aggregates` below.

The last turn's answer is checked (IFEval is single-turn). The instruction semantics live in
`ifeval_instructions.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.ifeval_instructions import GROUPS, INSTRUCTIONS, VARIANT_NAMES, response_variants
from harness.scorers.text import KwargError, spec_fields

FAMILY = "ifeval"
PREFIX = FAMILY + ":"


def instruction_id(check_id: str) -> str | None:
    """The IFEval instruction id a declared check id names, or None when it is not an IFEval id."""
    if check_id.startswith(PREFIX):
        return check_id[len(PREFIX) :]
    if check_id.partition(":")[0] in GROUPS and ":" in check_id:
        return check_id
    return None


def is_ifeval_case(case: Case) -> bool:
    return any(instruction_id(spec_fields(s)[0]) for s in case.checks or ())


def evaluate_instruction(iid: str, kwargs: Mapping[str, Any], response: str, variants: list[str]) -> Check:
    """Strict and loose verdicts of one instruction on one response (variants = response_variants)."""
    cid = PREFIX + iid
    fn = INSTRUCTIONS.get(iid)
    if fn is None:
        known = ", ".join(sorted(INSTRUCTIONS))
        return Check(cid, False, f"unknown IFEval instruction id {iid!r} (known: {known})", strict=False, loose=False)
    if not isinstance(kwargs, Mapping):
        return Check(cid, False, f"kwargs must be an object, got {kwargs!r}", strict=False, loose=False)
    try:
        if not response.strip():
            return Check(cid, False, "empty response: no instruction is followed", strict=False, loose=False)
        strict, detail = fn(response, kwargs)
        loose_at = 0 if strict else -1
        if not strict:
            tried = {response}
            for i, v in enumerate(variants[1:], 1):
                if v in tried:
                    continue  # the same text as an earlier variant ('*' absent, one line...)
                tried.add(v)
                if v.strip() and fn(v, kwargs)[0]:
                    loose_at = i
                    break
    except KwargError as e:
        return Check(cid, False, str(e), strict=False, loose=False)
    except Exception as e:  # a scorer never crashes a run
        return Check(cid, False, f"{type(e).__name__} while checking: {e}"[:200], strict=False, loose=False)
    loose = loose_at >= 0
    if strict:
        reason = detail
    elif loose:
        reason = f"{detail}; loose: followed {VARIANT_NAMES[loose_at]}"
    else:
        reason = f"{detail}; loose: no variant follows it either"
    return Check(cid, bool(strict), reason, strict=bool(strict), loose=loose)


@scorer(FAMILY, help="IFEval instructions (all 25 ids), strict and loose, as the public benchmark defines them")
def score_ifeval(case: Case, gen: Generation, cfg: object = None) -> list[Check]:
    """IFEval instructions declared by the case: strict and loose verdicts, one Check each."""
    specs = []
    for spec in case.checks or ():
        cid, kwargs = spec_fields(spec)
        iid = instruction_id(cid)
        if iid is not None:
            specs.append((iid, kwargs))
    if not specs:
        return []
    text = gen.turns[-1].text if gen.turns else ""
    if not isinstance(text, str):
        text = ""
    variants = response_variants(text)
    checks = [evaluate_instruction(iid, kwargs, text, variants) for iid, kwargs in specs]
    for c in checks:
        c.turn = max(1, len(gen.turns))
    return checks


# ---------------------------------------------------------------------------------------------
# Aggregates: prompt-level and instruction-level accuracy, strict and loose


def _side_checks(case: Mapping[str, Any], side: str) -> list[Mapping[str, Any]]:
    doc = case.get(side) or {}
    out = []
    for c in doc.get("checks") or ():
        cid = str(c.get("id", ""))
        if c.get("family") == FAMILY or cid.startswith(PREFIX):
            out.append(c)
    return out


def ifeval_aggregates(cases: Iterable[Any], side: str = "output") -> dict[str, Any] | None:
    """IFEval's four aggregates over the cases that carry IFEval checks, plus a per-instruction table.

    `cases`: the `cases` of a results document (`side` = "output" for `harness run`, "base" or
    "sft" for `harness compare`), or an iterable of check lists (`list[Check]` or check dicts)
    per case. Returns None when no case has an IFEval check, else::

        {"prompt_level_strict": 0.71, "prompt_level_loose": 0.75,
         "inst_level_strict": 0.80, "inst_level_loose": 0.83,
         "n_prompts": 541, "n_instructions": 834,
         "by_instruction": {"punctuation:no_comma": {"n": 66, "strict": 0.9, "loose": 0.92}, ...},
         "by_group": {"punctuation": {...}, ...}}
    """
    n_prompts = 0
    prompt_strict = prompt_loose = 0
    inst_strict = inst_loose = n_inst = 0
    per: dict[str, list[int]] = {}
    per_group: dict[str, list[int]] = {}
    for case in cases:
        if isinstance(case, Mapping):
            checks = _side_checks(case, side)
        else:
            checks = [c for c in case if str(_get(c, "id")).startswith(PREFIX)]
        if not checks:
            continue
        n_prompts += 1
        strict = [bool(_get(c, "strict") if _get(c, "strict") is not None else _get(c, "passed")) for c in checks]
        loose = [bool(_get(c, "loose") if _get(c, "loose") is not None else s) for c, s in zip(checks, strict, strict=True)]
        prompt_strict += all(strict)
        prompt_loose += all(loose)
        for c, s, lo in zip(checks, strict, loose, strict=True):
            iid = str(_get(c, "id"))[len(PREFIX) :]
            n_inst += 1
            inst_strict += s
            inst_loose += lo
            for key, table in ((iid, per), (iid.partition(":")[0], per_group)):
                row = table.setdefault(key, [0, 0, 0])
                row[0] += 1
                row[1] += s
                row[2] += lo
    if not n_prompts:
        return None

    def rows(table: dict[str, list[int]]) -> dict[str, dict[str, float | int]]:
        return {
            k: {"n": n, "strict": round(s / n, 4), "loose": round(lo / n, 4)}
            for k, (n, s, lo) in sorted(table.items())
        }

    return {
        "prompt_level_strict": round(prompt_strict / n_prompts, 4),
        "prompt_level_loose": round(prompt_loose / n_prompts, 4),
        "inst_level_strict": round(inst_strict / n_inst, 4) if n_inst else None,
        "inst_level_loose": round(inst_loose / n_inst, 4) if n_inst else None,
        "n_prompts": n_prompts,
        "n_instructions": n_inst,
        "by_instruction": rows(per),
        "by_group": rows(per_group),
    }


def _get(c: Any, key: str) -> Any:
    return c.get(key) if isinstance(c, Mapping) else getattr(c, key, None)


def ifeval_report(results: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The aggregates of every side of a results document: {"output": …} (run) or {"base": …, "sft": …}.
    reports/ifeval.py shows them (table and text lines): the core computes, it does not render."""
    cases = results.get("cases") or []
    sides = ("base", "sft") if results.get("kind") == "compare" else ("output",)
    out = {}
    for side in sides:
        agg = ifeval_aggregates(cases, side)
        if agg is not None:
            out[side] = agg
    return out
