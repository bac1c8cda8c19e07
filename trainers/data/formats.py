"""Training-data formats: each turns one record into an `Example` (a validated chat) or says why not.

A format is one function registered with `@data_format(name, sniff=..., rank=...)`:
`convert(record) -> list of {"role", "content"}` raising `RecordError(field, why)` on bad input.
Files are sniffed from the keys of their first record (lowest rank first), like suites are
(harness/suites/__init__.py); `FORMAT:PATH` names the format instead.

The same public formats as the suite loaders read, but here the answers are the point: every
row must end with an assistant message, roles must alternate user/assistant after an optional
leading system message, and anything else is a `Rejected` row naming file:line, the field and
the reason. An empty final answer is *not* rejected here: it loads, and cleaning drops it as
`empty_answer`, so the report counts it with the other quality drops.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from harness.suites import RecordError
from harness.suites._common import _content, record_lang
from harness.suites._common import text_field as _text_field

SYSTEM, USER, ASSISTANT = "system", "user", "assistant"
Message = dict[str, str]
ConvertFn = Callable[[dict[str, Any]], list[Message]]


@dataclass
class Example:
    """One training conversation, normalised: system?, then user/assistant pairs, ending with assistant."""

    messages: list[Message]
    source: str  # "file:line" (Parquet and hub rows: the 1-based row number)
    category: str | None = None
    lang: str = "en"
    id: str = ""
    format: str = ""

    @property
    def prompt(self) -> str:
        """Everything before the final answer, as text (what "the same question" compares)."""
        return "\n\n".join(m["content"] for m in self.messages[:-1])

    @property
    def answer(self) -> str:
        return self.messages[-1]["content"]

    @property
    def user_text(self) -> str:
        return "\n\n".join(m["content"] for m in self.messages if m["role"] == USER)

    def to_row(self) -> dict[str, Any]:
        """The JSONL row the SFT trainer reads (trainers/sft.py) plus where it came from."""
        row: dict[str, Any] = {"messages": self.messages}
        if self.category:
            row["category"] = self.category
        row["source"] = self.source
        return row


@dataclass
class Rejected:
    """A row that could not become an Example: kept in the report, never silently dropped."""

    source: str
    field: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: " + (f"field '{self.field}': " if self.field else "") + self.reason


@dataclass
class DataFormat:
    name: str
    convert: ConvertFn
    sniff: Callable[[Mapping[str, Any]], bool]
    help: str = ""
    rank: int = 50


FORMATS: dict[str, DataFormat] = {}


def data_format(
    name: str, *, sniff: Callable[[Mapping[str, Any]], bool], help: str, rank: int = 50
) -> Callable[[ConvertFn], ConvertFn]:
    def register(fn: ConvertFn) -> ConvertFn:
        FORMATS[name] = DataFormat(name, fn, sniff, help, rank)
        return fn

    return register


def sniff_format(keys: Mapping[str, Any]) -> str | None:
    for fmt in sorted(FORMATS.values(), key=lambda f: f.rank):
        if fmt.sniff(keys):
            return fmt.name
    return None


def to_example(rec: Any, fmt: str, source: str) -> Example:
    """Convert and validate one record; RecordError says which field is wrong and why."""
    if not isinstance(rec, dict):
        raise RecordError(None, f"expected a JSON object, got {type(rec).__name__}")
    messages = validate(FORMATS[fmt].convert(rec))
    category = rec.get("category")
    user = "\n".join(m["content"] for m in messages if m["role"] == USER)
    rid = rec.get("id")
    return Example(
        messages=messages,
        source=source,
        category=category.strip() if isinstance(category, str) and category.strip() else None,
        lang=record_lang(rec, user),
        id=str(rid).strip() if isinstance(rid, str | int) and not isinstance(rid, bool) and str(rid).strip() else source,
        format=fmt,
    )


def validate(messages: list[Message]) -> list[Message]:
    """system? (user assistant)+ : the shape SFT needs; anything else names the message at fault."""
    if not messages:
        raise RecordError(None, "no messages")
    expected = USER
    for i, m in enumerate(messages):
        role = m["role"]
        if role == SYSTEM:
            if i != 0:
                raise RecordError(f"messages[{i}]", "roles out of order: a system message only comes first")
            continue
        if role != expected:
            raise RecordError(f"messages[{i}]", f"roles out of order: expected {expected}, got {role}")
        if role == USER and not m["content"].strip():
            raise RecordError(f"messages[{i}]", "empty user message")
        expected = ASSISTANT if role == USER else USER
    if messages[-1]["role"] != ASSISTANT:
        raise RecordError(f"messages[{len(messages) - 1}]", "the last turn must be the assistant's answer")
    return messages


def text_field(rec: dict[str, Any], key: str, required: bool = True, allow_empty: bool = False) -> str | None:
    """The suites' text_field, but a number is not text here: training rows must say what they mean."""
    v = rec.get(key)
    if isinstance(v, int | float):
        raise RecordError(key, f"must be a string, got {type(v).__name__}")
    return _text_field(rec, key, required, allow_empty)


def _system(rec: dict[str, Any]) -> list[Message]:
    s = text_field(rec, "system", required=False)
    return [{"role": SYSTEM, "content": s}] if s else []


def _answer(rec: dict[str, Any], key: str) -> str:
    # An empty answer loads (and is dropped by cleaning as empty_answer); a missing one cannot.
    return text_field(rec, key, allow_empty=True) or ""


def _pair(rec: dict[str, Any], prompt: str, answer: str) -> list[Message]:
    return [*_system(rec), {"role": USER, "content": prompt}, {"role": ASSISTANT, "content": answer}]


def _join(instruction: str, extra: str | None) -> str:
    return f"{instruction}\n\n{extra}" if extra and extra.strip() else instruction


@data_format("dolly", rank=40, sniff=lambda k: "instruction" in k and ("context" in k or "response" in k),
             help="Dolly: instruction, context, response, category")
def dolly(rec: dict[str, Any]) -> list[Message]:
    instruction = text_field(rec, "instruction")
    context = text_field(rec, "context", required=False, allow_empty=True)
    return _pair(rec, _join(instruction, context), _answer(rec, "response"))


@data_format("alpaca", rank=41, sniff=lambda k: "instruction" in k and "output" in k,
             help="Alpaca: instruction, input, output")
def alpaca(rec: dict[str, Any]) -> list[Message]:
    instruction = text_field(rec, "instruction")
    extra = text_field(rec, "input", required=False, allow_empty=True)
    return _pair(rec, _join(instruction, extra), _answer(rec, "output"))


PAIR_KEYS = (("prompt", "completion"), ("prompt", "response"), ("question", "answer"))


@data_format("pairs", rank=60, sniff=lambda k: any(p in k and a in k for p, a in PAIR_KEYS),
             help="prompt/completion, prompt/response or question/answer pairs")
def pairs(rec: dict[str, Any]) -> list[Message]:
    for p, a in PAIR_KEYS:
        if p in rec and a in rec:
            return _pair(rec, text_field(rec, p), _answer(rec, a))
    have = "prompt" if "prompt" in rec else "question" if "question" in rec else None
    raise RecordError(
        "completion" if have == "prompt" else "answer" if have == "question" else "prompt",
        "missing (expected prompt/completion, prompt/response or question/answer)",
    )


def chat(rec: dict[str, Any], key: str, role_key: str, text_key: str, roles: dict[str, str]) -> list[Message]:
    raw = rec.get(key)
    if not isinstance(raw, list) or not raw:
        raise RecordError(key, "missing" if raw is None else "must be a non-empty list of messages")
    out: list[Message] = []
    for i, m in enumerate(raw):
        here = f"{key}[{i}]"
        if not isinstance(m, dict):
            raise RecordError(here, f"expected an object, got {type(m).__name__}")
        r = m.get(role_key)
        if not isinstance(r, str) or not r.strip():
            raise RecordError(f"{here}.{role_key}", "missing")
        role = roles.get(r.strip().lower())
        if role is None:
            raise RecordError(f"{here}.{role_key}", f"unknown role {r!r}; known: {', '.join(sorted(roles))}")
        if m.get(text_key) is None:
            raise RecordError(f"{here}.{text_key}", "missing")
        out.append({"role": role, "content": _content(m[text_key], f"{here}.{text_key}")})
    try:
        return validate(out)
    except RecordError as e:  # name the field as the file spells it
        raise RecordError((e.field or key).replace("messages", key, 1), e.message) from None


SHAREGPT_ROLES = {"human": USER, "user": USER, "gpt": ASSISTANT, "assistant": ASSISTANT, "system": SYSTEM}
MESSAGES_ROLES = {"user": USER, "assistant": ASSISTANT, "system": SYSTEM, "developer": SYSTEM}


@data_format("sharegpt", rank=30, sniff=lambda k: "conversations" in k,
             help="ShareGPT: conversations [{from: human|user|gpt|assistant|system, value}]")
def sharegpt(rec: dict[str, Any]) -> list[Message]:
    return chat(rec, "conversations", "from", "value", SHAREGPT_ROLES)


@data_format("messages", rank=31, sniff=lambda k: "messages" in k,
             help="OpenAI-style chat: messages [{role: system|user|assistant, content}]")
def messages(rec: dict[str, Any]) -> list[Message]:
    return chat(rec, "messages", "role", "content", MESSAGES_ROLES)
