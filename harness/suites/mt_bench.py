"""`mt-bench:` FastChat MT-Bench questions (`question.jsonl`).

One JSON object per line: `question_id`, `category`, `turns` (the user turns, two in MT-Bench)
and, for math/reasoning/coding, `reference` (one reference answer per turn).

Maps to: id = question_id, category as given, turns, references = the per-turn reference
answers (golden), reference = the last one when short (see _common.SHORT_REFERENCE_CHARS),
lang guessed from the text.
"""

from __future__ import annotations

from typing import Any

from harness.records import Case
from harness.suites import RecordError, record_format
from harness.suites._common import category_field, id_field, record_lang, short_reference


def string_list(rec: dict[str, Any], key: str) -> list[str]:
    v = rec.get(key)
    if v is None:
        raise RecordError(key, "missing")
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not v:
        raise RecordError(key, "must be a non-empty list of strings")
    for i, t in enumerate(v):
        if not isinstance(t, str) or not t.strip():
            raise RecordError(f"{key}[{i}]", "must be a non-empty string")
    return list(v)


@record_format(
    "mt-bench",
    rank=20,
    sniff=lambda k: "question_id" in k and "turns" in k,
    help="FastChat MT-Bench questions: question_id, category, turns, optional reference (per turn)",
)
def convert(rec: dict[str, Any], n: int) -> Case:
    cid = id_field(rec, "question_id", n, required=True)
    turns = string_list(rec, "turns")
    refs_raw = rec.get("reference")
    references: list[str | None] = []
    if refs_raw is not None:
        if isinstance(refs_raw, str):
            refs_raw = [refs_raw]
        if not isinstance(refs_raw, list) or not all(r is None or isinstance(r, str) for r in refs_raw):
            raise RecordError("reference", "must be a list of strings (one reference answer per turn)")
        references = list(refs_raw[: len(turns)])
        references += [None] * (len(turns) - len(references))
    last = references[-1] if references else None
    return Case(
        id=cid,
        category=category_field(rec, "general"),
        lang=record_lang(rec, turns[0]),
        turns=turns,
        reference=short_reference(last),
        references=references,
        metadata={"format": "mt-bench"},
    )
