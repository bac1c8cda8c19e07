"""`vicuna-bench:` the older FastChat question file (Vicuna benchmark, `question.jsonl`).

One JSON object per line: `question_id`, `text` (the prompt), `category`.

Maps to: id = question_id, category as given (default `general`), turns = [text], lang guessed.
"""

from __future__ import annotations

from typing import Any

from harness.records import Case
from harness.suites import record_format
from harness.suites._common import category_field, id_field, record_lang, text_field


@record_format(
    "vicuna-bench",
    rank=21,
    sniff=lambda k: "question_id" in k and "text" in k and "answer_id" not in k and "model_id" not in k,
    help="older FastChat question file: question_id, text, category",
)
def convert(rec: dict[str, Any], n: int) -> Case:
    cid = id_field(rec, "question_id", n, required=True)
    text = text_field(rec, "text")
    return Case(
        id=cid,
        category=category_field(rec, "general"),
        lang=record_lang(rec, text),
        turns=[text],
        metadata={"format": "vicuna-bench"},
    )
