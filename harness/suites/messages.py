"""`messages:` OpenAI-style chat JSONL: `{"messages": [{"role": ..., "content": ...}, ...]}`.

Roles user, assistant, system (developer counts as system); content is a string or a list of
text parts. Maps exactly like `sharegpt:` (see harness/suites/sharegpt.py): user messages are
the turns, assistant replies the golden references, a short last reply the reference.
"""

from __future__ import annotations

from typing import Any

from harness.records import Case
from harness.suites import RecordError, record_format
from harness.suites._common import ASSISTANT, SYSTEM, USER, parse_conversation
from harness.suites.sharegpt import conversation_case

ROLES = {"user": USER, "human": USER, "assistant": ASSISTANT, "model": ASSISTANT, "system": SYSTEM, "developer": SYSTEM}


@record_format(
    "messages",
    rank=31,
    sniff=lambda k: "messages" in k,
    help="OpenAI-style chat JSONL: messages [{role, content}] (mapped like sharegpt)",
)
def convert(rec: dict[str, Any], n: int) -> Case:
    if "messages" not in rec:
        raise RecordError("messages", "missing")
    conv = parse_conversation(rec["messages"], "messages", "role", "content", ROLES)
    return conversation_case(rec, n, conv, "messages")
