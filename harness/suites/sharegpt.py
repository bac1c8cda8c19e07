"""`sharegpt:` ShareGPT conversations (a JSON array or JSONL of `{id, conversations}`).

`conversations` is a list of `{from, value}` with `from` one of human/user (user turns),
gpt/assistant/chatgpt/bard/bing/model (assistant turns), system.

Maps to: id = the record's `id`, else its 1-based record number; turns = the user messages
(consecutive ones joined); references = the assistant reply after each user turn (golden,
None where there is none); reference = the last reply only when short
(_common.SHORT_REFERENCE_CHARS, one line); category = the record's `category`, else `multiturn`
for several user turns and `chat` for one; system prompts and assistant messages before the
first user turn go to metadata (`system`, `leading_assistant`); lang guessed.
"""

from __future__ import annotations

from typing import Any

from harness.records import Case
from harness.suites import RecordError, record_format
from harness.suites._common import (
    ASSISTANT,
    SYSTEM,
    USER,
    category_field,
    conversation_metadata,
    id_field,
    parse_conversation,
    record_lang,
    short_reference,
)

ROLES = {
    "human": USER,
    "user": USER,
    "prompter": USER,
    "gpt": ASSISTANT,
    "assistant": ASSISTANT,
    "chatgpt": ASSISTANT,
    "bard": ASSISTANT,
    "bing": ASSISTANT,
    "model": ASSISTANT,
    "bot": ASSISTANT,
    "system": SYSTEM,
}


def conversation_case(rec: dict[str, Any], n: int, conv: dict[str, Any], fmt: str) -> Case:
    turns, replies = conv["turns"], conv["replies"]
    return Case(
        id=id_field(rec, "id", n),
        category=category_field(rec, "multiturn" if len(turns) > 1 else "chat"),
        lang=record_lang(rec, "\n".join(turns)),
        turns=turns,
        reference=short_reference(replies[-1]),
        references=replies if any(r is not None for r in replies) else [],
        metadata=conversation_metadata(conv, {"format": fmt}),
    )


@record_format(
    "sharegpt",
    rank=30,
    sniff=lambda k: "conversations" in k,
    help="ShareGPT: conversations [{from, value}] (user turns; assistant replies -> golden references)",
)
def convert(rec: dict[str, Any], n: int) -> Case:
    if "conversations" not in rec:
        raise RecordError("conversations", "missing")
    conv = parse_conversation(rec["conversations"], "conversations", "from", "value", ROLES)
    return conversation_case(rec, n, conv, "sharegpt")
