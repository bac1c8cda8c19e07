"""Replay pre-generated outputs (`replay:FILE`): outputs from an API, a serving stack, an old run.

One JSON object per line (a JSON array file works too). Accepted rows:

- ours:      `{"id": ..., "output": "..."}` or `{"id": ..., "turns": ["...", "..."]}`
- FastChat:  `{"question_id": ..., "text": "..."}` (Vicuna-bench answers) and
             `{"question_id": ..., "choices": [{"turns": ["...", "..."]}]}` (MT-Bench answers)
- IFEval:    `{"prompt": "...", "response": "..."}` (matched by prompt text)
- chat:      `{"messages": [...]}` / `{"conversations": [...]}`: the assistant messages are the
             outputs, the user messages the prompts

A row is matched to a case by id (`id`, `question_id`, `key` or `case_id`; a case renamed
`suite/id` by load_suites still matches its original id), else by its prompt text when it carries
one (`prompt`, or the user turns of a chat row) - whitespace-normalised, all user turns compared.

Mismatches are reported as notes with counts and the first ids: cases with no output, outputs
with no case, duplicate outputs (the first is kept), outputs with fewer turns than their case
(the case is left out: its last answer would be scored against the wrong turn), skipped lines.
`strict=True` (`--strict`) turns any of these into an error.

Replayed turns carry finish_reason "unknown": whether the producing model stopped on its own is
not known, and must not be counted as a stop (even when the file claims one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, where
from harness.records import FINISH_UNKNOWN, Case, Generation, TurnOutput

ID_KEYS = ("id", "question_id", "key", "case_id")
TEXT_KEYS = ("output", "response", "completion", "text")
SHOW = 5  # ids quoted per note
_WS = re.compile(r"\s+")


@dataclass
class ReplayRow:
    location: str  # file:line
    id: str | None
    outputs: list[str]
    prompts: list[str] = field(default_factory=list)

    @property
    def prompt_key(self) -> str | None:
        return prompt_key(self.prompts) if self.prompts else None


def prompt_key(turns: list[str]) -> str:
    return "\x1e".join(_WS.sub(" ", t).strip() for t in turns)


class RowError(Exception):
    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _str_list(v: Any, name: str) -> list[str]:
    if not isinstance(v, list) or not v:
        raise RowError(name, "must be a non-empty list of strings")
    for i, t in enumerate(v):
        if not isinstance(t, str):
            raise RowError(f"{name}[{i}]", f"must be a string, got {type(t).__name__}")
    return list(v)


def _chat(messages: Any, name: str, role_key: str, text_key: str) -> tuple[list[str], list[str]]:
    if not isinstance(messages, list) or not messages:
        raise RowError(name, "must be a non-empty list of messages")
    users: list[str] = []
    outs: list[str] = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get(text_key), str):
            raise RowError(f"{name}[{i}].{text_key}", "each message needs a string")
        role = str(m.get(role_key, "")).lower()
        if role in ("user", "human"):
            users.append(m[text_key])
        elif role in ("assistant", "gpt", "model", "chatgpt", "bot"):
            outs.append(m[text_key])
    if not outs:
        raise RowError(name, "no assistant message: nothing to replay")
    return users, outs


def parse_row(row: Any) -> tuple[str | None, list[str], list[str]]:
    """(id, outputs, prompts) of one replay row; RowError naming the field otherwise."""
    if not isinstance(row, dict):
        raise RowError(None, f"expected a JSON object, got {type(row).__name__}")
    rid = None
    for k in ID_KEYS:
        v = row.get(k)
        if isinstance(v, str | int) and not isinstance(v, bool) and str(v).strip():
            rid = str(v).strip()
            break
    prompts: list[str] = []
    p = row.get("prompt")
    if isinstance(p, str) and p.strip():
        prompts = [p]
    elif isinstance(p, list) and p and all(isinstance(t, str) for t in p):
        prompts = list(p)

    if "choices" in row:
        choices = row["choices"]
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise RowError("choices", "must be a non-empty list of objects")
        c0 = choices[0]
        if "turns" in c0:
            return rid, _str_list(c0["turns"], "choices[0].turns"), prompts
        msg = c0.get("message")
        if isinstance(msg, dict) and isinstance(msg.get("content"), str):
            return rid, [msg["content"]], prompts
        if isinstance(c0.get("text"), str):
            return rid, [c0["text"]], prompts
        raise RowError("choices[0]", "expected 'turns' (FastChat), 'message.content' or 'text'")
    if "turns" in row:
        return rid, _str_list(row["turns"], "turns"), prompts
    for key, rk, tk in (("messages", "role", "content"), ("conversations", "from", "value")):
        if key in row:
            users, outs = _chat(row[key], key, rk, tk)
            return rid, outs, prompts or users
    for k in TEXT_KEYS:
        if k in row:
            v = row[k]
            if not isinstance(v, str):
                raise RowError(k, f"must be a string, got {type(v).__name__}")
            if k == "text" and "category" in row and not ({"answer_id", "model_id"} & set(row)):
                raise RowError("text", "this looks like a FastChat question file, not answers: pass it with --suite")
            return rid, [v], prompts
    raise RowError(
        "output", f"no output found; expected one of {', '.join(TEXT_KEYS)}, turns, choices[0].turns, messages"
    )


def read_replay(path: Path, skipped: list[str] | None = None) -> list[ReplayRow]:
    """Every usable row of a replay file; unusable lines go to `skipped` (file:line: field: why)."""
    from harness.suites import LoadLog, iter_records

    log = LoadLog()
    rows: list[ReplayRow] = []
    for lineno, obj in iter_records(path, log):
        try:
            rid, outs, prompts = parse_row(obj)
        except RowError as e:
            log.skip(where(path, lineno, e.field), e.message)
            continue
        if rid is None and not prompts:
            log.skip(where(path, lineno, "id"), f"no id ({', '.join(ID_KEYS)}) and no prompt to match by")
            continue
        rows.append(ReplayRow(where(path, lineno), rid, outs, prompts))
    if skipped is not None:
        skipped.extend(log.skipped)
    return rows


def _first(ids: list[str]) -> str:
    return ", ".join(ids[:SHOW]) + (" …" if len(ids) > SHOW else "")


def check_replay_file(file: str | Path) -> Path:
    """The replay file, or a HarnessError saying what is wrong with the path."""
    path = Path(file)
    if path.is_dir():
        raise HarnessError(f"{path}: is a directory; replay:FILE needs a JSONL or JSON file of model outputs")
    if not path.is_file():
        raise HarnessError(f"replay file not found: {path}")
    return path


def replay_generations(file: str, cases: list[Case], strict: bool = False) -> tuple[dict[str, Generation], list[str]]:
    """Match a replay file's outputs to `cases`: (generations by case id, notes on mismatches)."""
    path = check_replay_file(file)
    skipped: list[str] = []
    rows = read_replay(path, skipped)
    if not rows:
        detail = f" ({'; '.join(skipped[:3])})" if skipped else ""
        raise HarnessError(f"{path}: no usable outputs{detail}")

    by_id: dict[str, ReplayRow] = {}
    by_prompt: dict[str, ReplayRow] = {}
    duplicates: list[str] = []
    dup_rows: set[int] = set()
    for r in rows:
        if r.id is not None:
            if r.id in by_id:
                duplicates.append(r.id)
                dup_rows.add(id(r))
                continue
            by_id[r.id] = r
        elif r.prompt_key is not None:
            if r.prompt_key in by_prompt:
                duplicates.append(f"{r.location} (prompt {r.prompts[0][:40]!r})")
                dup_rows.add(id(r))
                continue
            by_prompt[r.prompt_key] = r
        if r.prompt_key is not None:
            by_prompt.setdefault(r.prompt_key, r)

    gens: dict[str, Generation] = {}
    used: set[int] = set()
    missing: list[str] = []
    short: list[str] = []
    long_: list[str] = []
    by_prompt_n = 0
    for c in cases:
        keys = [c.id]
        if c.suite and c.id.startswith(f"{c.suite}/"):
            keys.append(c.id[len(c.suite) + 1 :])
        row = next((by_id[k] for k in keys if k in by_id), None)
        if row is None:
            row = by_prompt.get(prompt_key(c.turns))
            by_prompt_n += row is not None
        if row is None:
            missing.append(c.id)
            continue
        used.add(id(row))
        outs = row.outputs
        if len(outs) < len(c.turns):
            short.append(c.id)
            continue
        if len(outs) > len(c.turns):
            long_.append(c.id)
            outs = outs[: len(c.turns)]
        gens[c.id] = Generation(c.id, [TurnOutput(text=t, finish_reason=FINISH_UNKNOWN) for t in outs])

    unmatched = [
        r.id or f"{r.location} (prompt {r.prompts[0][:40]!r})"
        for r in rows
        if id(r) not in used and id(r) not in dup_rows
    ]
    if not gens:
        case_ids = _first([c.id for c in cases])
        row_ids = _first([r.id or r.location for r in rows])
        raise HarnessError(
            f"{path}: none of its {len(rows)} output(s) match a case of the suite by id or prompt "
            f"(outputs: {row_ids}; cases: {case_ids}): is it the right --suite?"
        )

    problems: list[str] = []
    if missing:
        problems.append(f"{len(missing)} case(s) have no replayed output (first: {_first(missing)})")
    if unmatched:
        problems.append(f"{len(unmatched)} replayed output(s) match no case (first: {_first(unmatched)})")
    if duplicates:
        problems.append(
            f"{len(duplicates)} duplicate replayed output(s) ignored, the first kept (first: {_first(duplicates)})"
        )
    if short:
        problems.append(
            f"{len(short)} case(s) have fewer replayed turns than user turns and are left out (first: {_first(short)})"
        )
    if long_:
        problems.append(
            f"{len(long_)} replayed output(s) have more turns than their case; extra turns ignored (first: {_first(long_)})"
        )
    if skipped:
        problems.append(f"{len(skipped)} line(s) of {path} skipped (first: {'; '.join(skipped[:3])})")
    if strict and problems:
        raise HarnessError(f"replay {path} does not match the suite (--strict): " + "; ".join(problems))
    notes = list(problems)
    if by_prompt_n:
        notes.append(f"{by_prompt_n} output(s) matched to their case by prompt text")
    return gens, notes
