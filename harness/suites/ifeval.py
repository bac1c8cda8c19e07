"""`ifeval:` IFEval input data (`input_data.jsonl`, or the `google/IFEval` hub rows).

One JSON object per line: `key`, `prompt`, `instruction_id_list` (e.g.
`detectable_format:number_bullet_lists`) and `kwargs` (one object per instruction id).

Maps to: id = key, category `instruction` (or the record's own `category`), turns = [prompt],
checks = one CheckSpec(instruction id, kwargs) per instruction, verbatim except that kwargs
whose value is null are dropped (the hub version fills every kwarg of every instruction with
null), lang guessed from the prompt.
"""

from __future__ import annotations

from typing import Any

from harness.records import Case, CheckSpec
from harness.suites import RecordError, record_format
from harness.suites._common import category_field, id_field, record_lang, text_field


@record_format(
    "ifeval",
    rank=10,
    sniff=lambda k: "instruction_id_list" in k,
    help="IFEval input: key, prompt, instruction_id_list, kwargs (checks come from the file)",
)
def convert(rec: dict[str, Any], n: int) -> Case:
    cid = id_field(rec, "key", n)
    prompt = text_field(rec, "prompt")
    ids = rec.get("instruction_id_list")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i.strip() for i in ids):
        raise RecordError("instruction_id_list", "must be a list of instruction id strings")
    kwargs = rec.get("kwargs")
    if kwargs is None:
        kwargs = [{} for _ in ids]
    if not isinstance(kwargs, list) or len(kwargs) != len(ids):
        got = len(kwargs) if isinstance(kwargs, list) else type(kwargs).__name__
        raise RecordError("kwargs", f"must be a list with one object per instruction id ({len(ids)}), got {got}")
    checks = []
    for i, (iid, kw) in enumerate(zip(ids, kwargs, strict=True)):
        if kw is None:
            kw = {}
        if not isinstance(kw, dict):
            raise RecordError(f"kwargs[{i}]", f"must be an object, got {type(kw).__name__}")
        checks.append(CheckSpec(id=iid.strip(), kwargs={k: v for k, v in kw.items() if v is not None}))
    return Case(
        id=cid,
        category=category_field(rec, "instruction"),
        lang=record_lang(rec, prompt),
        turns=[prompt],
        checks=checks,
        metadata={"format": "ifeval"},
    )
