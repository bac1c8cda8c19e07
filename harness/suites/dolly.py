"""`dolly:` databricks-dolly-15k style records (JSONL).

Records: `instruction`, `context` (may be empty), `response`, `category` (open_qa,
closed_qa, summarization, creative_writing, ...).

Maps to: id = the record's `id` when present, else its 1-based record number; category as
given (default `instruction`); turns = [instruction + blank line + context]; references =
[response] (golden); reference = response only when short (_common.SHORT_REFERENCE_CHARS, one
line). lang guessed from the prompt.
"""

from __future__ import annotations

from typing import Any

from harness.records import Case
from harness.suites import record_format
from harness.suites._common import category_field, id_field, join_prompt, record_lang, short_reference, text_field


@record_format(
    "dolly",
    rank=40,
    sniff=lambda k: "instruction" in k and ("context" in k or "response" in k),
    help="Dolly: instruction, context, response, category (response -> reference when short)",
)
def convert(rec: dict[str, Any], n: int) -> Case:
    instruction = text_field(rec, "instruction")
    context = text_field(rec, "context", required=False, allow_empty=True)
    response = text_field(rec, "response", required=False, allow_empty=True)
    prompt = join_prompt(instruction, context)
    return Case(
        id=id_field(rec, "id", n),
        category=category_field(rec, "instruction"),
        lang=record_lang(rec, prompt),
        turns=[prompt],
        reference=short_reference(response),
        references=[response] if response and response.strip() else [],
        metadata={"format": "dolly"},
    )
