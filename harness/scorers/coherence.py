"""Coherence: does the model keep a multi-turn conversation straight?

Runs only on multi-turn cases (len(case.turns) > 1); single-turn cases get no checks.

- coherence:recall     (declared, kwargs `keywords`, optional 1-based `turn`, default the last)
                       the answer to that turn contains one of the keywords (normalised:
                       case-, width- and punctuation-insensitive; zh and en)
- coherence:role_leak  (always) no answer of the dialogue contains a fabricated user/assistant
                       turn, a speaker tag or a chat-template token; the reason quotes what
                       leaked and in which turn

Unknown `coherence:*` ids declared by a suite give a failed check saying the id is unknown.
A new check is one function in `DECLARED_CHECKS` (declared) or `ALWAYS_CHECKS` (every dialogue).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.text import (
    KwargError,
    find_any,
    line_number,
    pick_turn,
    scoring_config,
    spec_fields,
    strip_code_blocks,
)

FAMILY = "coherence"

# Speaker tags at a line start (or right after a sentence end): a fabricated turn.
_SPEAKER_RE = re.compile(
    # no bullets or bold before the tag: "- AI: artificial intelligence" in a glossary is no leak
    r"(?:^|(?<=[.!?。！？]))[ \t>#]*"
    r"(?:user|human|assistant|ai|system|用户|助手|人类|系统|AI助手)"
    r"[ \t]*[:：]",
    re.I | re.M,
)
_SECTION_RE = re.compile(r"^[ \t]*#{2,}[ \t]*(?:instruction|response|input|human|assistant|user|system)\b", re.I | re.M)
# Chat-template tokens anywhere.
_TEMPLATE_RE = re.compile(
    r"<\|[A-Za-z_]{1,30}\|>|\[/?INST\]|<</?SYS>>|</?s>|<(?:start|end)_of_turn>|<eos>|<bos>|<\|endoftext\|>",
    re.I,
)
LEAK_PATTERNS = (_TEMPLATE_RE, _SECTION_RE, _SPEAKER_RE)


def find_role_leak(answer: str, max_chars: int = 100_000) -> tuple[str, int] | None:
    """(what leaked, 1-based line) of the first speaker tag / template token in `answer`, else None."""
    body = strip_code_blocks(answer[:max_chars])
    best: re.Match[str] | None = None
    for pat in LEAK_PATTERNS:
        m = pat.search(body)
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    return best.group(0).strip().lstrip(">*_- \t"), line_number(body, best.start())


def check_role_leak(case: Case, gen: Generation) -> Check:
    cfg = scoring_config()
    leaks = []
    for i, out in enumerate(gen.turns):
        text = out.text if isinstance(out.text, str) else ""
        hit = find_role_leak(text, cfg.scan_max_chars)
        if hit:
            leaks.append(f"turn {i + 1} leaks {hit[0]!r} (line {hit[1]})")
    if leaks:
        return Check(id=f"{FAMILY}:role_leak", passed=False, reason="; ".join(leaks), value=float(len(leaks)))
    return Check(
        id=f"{FAMILY}:role_leak",
        passed=True,
        reason=f"no speaker tags or template tokens in {len(gen.turns)} answer(s)",
        value=0.0,
    )


def check_recall(case: Case, gen: Generation, kwargs: Mapping[str, Any]) -> Check:
    cid = f"{FAMILY}:recall"
    keywords = kwargs.get("keywords")
    if isinstance(keywords, str):
        keywords = [keywords]
    if not isinstance(keywords, list | tuple) or not keywords:
        raise KwargError("kwarg 'keywords' must be a non-empty list of strings")
    keywords = [str(k) for k in keywords if k is not None and str(k).strip()]
    if not keywords:
        raise KwargError("kwarg 'keywords' must be a non-empty list of strings")
    idx, text = pick_turn(kwargs, gen)
    hit = find_any(text, keywords)
    shown = ", ".join(repr(k) for k in keywords[:5]) + (" …" if len(keywords) > 5 else "")
    if hit is not None:
        return Check(id=cid, passed=True, reason=f"turn {idx + 1} recalls {hit!r}", value=1.0)
    return Check(id=cid, passed=False, reason=f"turn {idx + 1} mentions none of {shown}", value=0.0)


DECLARED_CHECKS: dict[str, Callable[[Case, Generation, Mapping[str, Any]], Check]] = {"recall": check_recall}
ALWAYS_CHECKS: dict[str, Callable[[Case, Generation], Check]] = {"role_leak": check_role_leak}


@scorer(FAMILY, help="multi-turn: recalls earlier turns, no fabricated turns or template tokens")
def score_coherence(case: Case, gen: Generation) -> list[Check]:
    """Multi-turn only: recalls what earlier turns said; no fabricated turns or template tokens."""
    if len(case.turns) <= 1:
        return []
    checks: list[Check] = []
    for spec in case.checks or []:
        cid, kwargs = spec_fields(spec)
        if not cid.startswith(FAMILY + ":"):
            continue
        name = cid[len(FAMILY) + 1 :]
        if name in ALWAYS_CHECKS:
            continue  # runs anyway, once
        fn = DECLARED_CHECKS.get(name)
        if fn is None:
            known = ", ".join(f"{FAMILY}:{k}" for k in (*DECLARED_CHECKS, *ALWAYS_CHECKS))
            checks.append(Check(id=cid, passed=False, reason=f"unknown check id {cid!r} (known: {known})"))
            continue
        if not isinstance(kwargs, Mapping):
            checks.append(Check(id=cid, passed=False, reason=f"kwargs must be an object, got {kwargs!r}"))
            continue
        try:
            checks.append(fn(case, gen, kwargs))
        except KwargError as e:
            checks.append(Check(id=cid, passed=False, reason=str(e)))
    for fn2 in ALWAYS_CHECKS.values():
        checks.append(fn2(case, gen))
    return checks
