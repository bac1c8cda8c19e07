"""`alpaca:` Alpaca-style instruction data (`alpaca_data.json` is a JSON array; JSONL works too).

Records: `instruction`, `input` (may be empty), `output`.

Maps to: id = the record's `id` when present, else its 1-based record number; category
`instruction` (or the record's own `category`); turns = [instruction + blank line + input];
references = [output] (golden); reference = output only when short
(_common.SHORT_REFERENCE_CHARS, one line): a long output is a sample answer, not a string the
model's answer must contain. lang guessed from the prompt.
"""

from __future__ import annotations

from typing import Any

from harness.records import Case
from harness.suites import record_format
from harness.suites._common import category_field, id_field, join_prompt, record_lang, short_reference, text_field


@record_format(
    "alpaca",
    rank=41,
    sniff=lambda k: "instruction" in k and "output" in k,
    help="Alpaca: instruction, input, output (output -> reference when short, else golden reference)",
)
def convert(rec: dict[str, Any], n: int) -> Case:
    instruction = text_field(rec, "instruction")
    extra = text_field(rec, "input", required=False, allow_empty=True)
    output = text_field(rec, "output", required=False, allow_empty=True)
    prompt = join_prompt(instruction, extra)
    return Case(
        id=id_field(rec, "id", n),
        category=category_field(rec, "instruction"),
        lang=record_lang(rec, prompt),
        turns=[prompt],
        reference=short_reference(output),
        references=[output] if output and output.strip() else [],
        metadata={"format": "alpaca"},
    )
