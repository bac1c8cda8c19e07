"""Helpers shared by the public-format loaders: field access with file:line:field errors,
language guessing, the short-reference rule and chat-conversation parsing."""

from __future__ import annotations

import re
from typing import Any

from harness.suites import RecordError

# A public file's expected answer becomes `reference` (checked by "the answer contains it") only
# when it is short: at most this many characters, on one line. Longer answers (Alpaca outputs,
# Dolly responses, chat replies) are kept as golden `references` and in metadata, never as a
# string the model's answer would have to contain verbatim.
SHORT_REFERENCE_CHARS = 40

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def guess_lang(text: str) -> str:
    """`zh` when CJK ideographs outnumber Latin words, `ja`/`ko` for kana/hangul, else `en`."""
    if _KANA.search(text):
        return "ja"
    if len(_HANGUL.findall(text)) >= 2:
        return "ko"
    han = len(_HAN.findall(text))
    return "zh" if han and han >= len(_LATIN_WORD.findall(text)) else "en"


def record_lang(rec: dict[str, Any], text: str) -> str:
    """The record's own `lang`/`language` code when it has one, else a guess from the text."""
    for key in ("lang", "language"):
        v = rec.get(key)
        if isinstance(v, str) and 1 < len(v.strip()) <= 8:
            return v.strip()
    return guess_lang(text)


def text_field(rec: dict[str, Any], key: str, required: bool = True, allow_empty: bool = False) -> str | None:
    """A string field; a missing, non-string or empty one is a RecordError naming the field."""
    if key not in rec or rec[key] is None:
        if required:
            raise RecordError(key, "missing")
        return None
    v = rec[key]
    if not isinstance(v, str):  # a number where text belongs is bad data, not text to guess at
        raise RecordError(key, f"must be a string, got {type(v).__name__} {str(v)[:40]!r}")
    if not v.strip() and not allow_empty:
        if required:
            raise RecordError(key, "empty")
        return None
    return v


def id_field(rec: dict[str, Any], key: str, n: int, required: bool = False) -> str:
    """A record id (string or number) as a string; the 1-based record number when absent."""
    v = rec.get(key)
    if v is None or (isinstance(v, str) and not v.strip()):
        if required:
            raise RecordError(key, "missing")
        return str(n)
    if isinstance(v, bool) or not isinstance(v, str | int | float):
        raise RecordError(key, f"must be a string or a number, got {type(v).__name__}")
    return str(v).strip()


def category_field(rec: dict[str, Any], default: str) -> str:
    v = rec.get("category")
    return v.strip() if isinstance(v, str) and v.strip() else default


def short_reference(text: str | None) -> str | None:
    """`text` when it is short enough to be a `reference` (see SHORT_REFERENCE_CHARS), else None."""
    if text is None:
        return None
    t = text.strip()
    if not t or len(t) > SHORT_REFERENCE_CHARS or "\n" in t:
        return None
    return t


def join_prompt(instruction: str, extra: str | None) -> str:
    """Instruction plus its input/context as one user message (blank line between)."""
    extra = (extra or "").strip()
    return f"{instruction.strip()}\n\n{extra}" if extra else instruction.strip()


USER, ASSISTANT, SYSTEM = "user", "assistant", "system"


def _content(value: Any, field: str) -> str:
    """A message's text: a string, or OpenAI-style content parts with only text parts."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for j, p in enumerate(value):
            if isinstance(p, str):
                parts.append(p)
            elif isinstance(p, dict) and p.get("type") in ("text", "input_text") and isinstance(p.get("text"), str):
                parts.append(p["text"])
            else:
                kind = p.get("type") if isinstance(p, dict) else type(p).__name__
                raise RecordError(f"{field}[{j}]", f"only text content is supported, got {kind!r}")
        return "\n".join(parts)
    raise RecordError(field, f"must be a string, got {type(value).__name__}")


def parse_conversation(
    messages: Any, field: str, role_key: str, text_key: str, roles: dict[str, str]
) -> dict[str, Any]:
    """User turns, golden assistant replies per user turn, system prompt(s) of a chat record.

    Consecutive messages of one role are joined with a blank line; assistant messages before the
    first user message are kept in `leading` (the runner sends user turns only).
    """
    if not isinstance(messages, list) or not messages:
        raise RecordError(field, "must be a non-empty list of messages")
    turns: list[str] = []
    replies: list[str | None] = []
    system: list[str] = []
    leading: list[str] = []
    for i, m in enumerate(messages):
        here = f"{field}[{i}]"
        if not isinstance(m, dict):
            raise RecordError(here, f"expected an object, got {type(m).__name__}")
        raw_role = m.get(role_key)
        if not isinstance(raw_role, str):
            raise RecordError(f"{here}.{role_key}", "missing")
        role = roles.get(raw_role.strip().lower())
        if role is None:
            raise RecordError(f"{here}.{role_key}", f"unknown role {raw_role!r}; known: {', '.join(sorted(roles))}")
        if text_key not in m:
            raise RecordError(f"{here}.{text_key}", "missing")
        text = _content(m[text_key], f"{here}.{text_key}")
        if role == SYSTEM:
            if text.strip():
                system.append(text)
        elif role == USER:
            if not text.strip():
                raise RecordError(f"{here}.{text_key}", "empty user message")
            if turns and len(replies) < len(turns):
                turns[-1] += "\n\n" + text
            else:
                turns.append(text)
        elif not turns:
            leading.append(text)
        elif len(replies) < len(turns):
            replies.append(text)
        else:
            replies[-1] = f"{replies[-1]}\n\n{text}"
    if not turns:
        raise RecordError(field, "no user message")
    replies += [None] * (len(turns) - len(replies))
    return {"turns": turns, "replies": replies, "system": system, "leading": leading}


def conversation_metadata(conv: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    meta = dict(extra or {})
    if conv["system"]:
        meta["system"] = "\n\n".join(conv["system"])
    if conv["leading"]:
        meta["leading_assistant"] = conv["leading"]
    return meta
