"""Coherence: does the model keep a multi-turn conversation straight?

Runs only on multi-turn cases (len(case.turns) > 1); single-turn cases get no checks.

- coherence:recall     (declared, kwargs `keywords`, optional 1-based `turn`, default the last)
                       the answer to that turn contains one of the keywords (normalised:
                       case-, width- and punctuation-insensitive; zh and en)
- coherence:role_leak  (always) no answer of the dialogue contains a fabricated user/assistant
                       turn, a speaker tag or a chat-template token; the reason quotes what
                       leaked and in which turn
- coherence:follow_up  (declared, kwargs `entities`, optional `min_entities` (default 1) and
                       `turn`) the answer to that turn mentions the conversation's subject (one of
                       the expected entities, normalised); without `entities`, cosine similarity
                       to the conversation from a local sentence-transformers model
                       (`[scoring] embedding_model`, never downloaded) when one is configured
- coherence:consistency (always, when checkable) no answer restates a numeric fact the model
                       itself stated in an earlier turn with a different number ("X is N" /
                       "X是N"); omitted when no such fact was stated

A dialogue passes a check only when every turn passes it: its score is the minimum over turns.

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
    int_kwarg,
    line_number,
    normalize,
    pick_turn,
    scoring_config,
    snippet,
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


# ---------------------------------------------------------------------------------------------
# follow_up: the answer to turn k stays on the conversation's subject


def _similarity(a: str, b: str) -> float | None:
    """Cosine similarity from a local sentence-transformers model ([scoring] embedding_model), or None."""
    model = _embedder()
    if model is None:
        return None
    try:
        va, vb = model.encode([a[:2000], b[:2000]], normalize_embeddings=True)
        return float((va * vb).sum())
    except Exception:
        return None


_EMBEDDER: dict[str, Any] = {}


def _embedder() -> Any:
    path = scoring_config().embedding_model
    if not path:
        return None
    if path not in _EMBEDDER:
        try:
            import os

            if not os.path.isdir(path):
                raise FileNotFoundError(path)  # local only: never downloaded
            from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

            _EMBEDDER[path] = SentenceTransformer(path, local_files_only=True)
        except Exception:
            _EMBEDDER[path] = None
    return _EMBEDDER[path]


def check_follow_up(case: Case, gen: Generation, kwargs: Mapping[str, Any]) -> Check:
    cid = f"{FAMILY}:follow_up"
    entities = kwargs.get("entities")
    if isinstance(entities, str):
        entities = [entities]
    if entities is not None and (not isinstance(entities, list | tuple) or not entities):
        raise KwargError("kwarg 'entities' must be a non-empty list of strings")
    ents = [str(e) for e in entities or () if e is not None and str(e).strip()]
    need = int_kwarg(kwargs, "min_entities", 1, minimum=1)
    idx, text = pick_turn(kwargs, gen)
    if ents:
        found = [e for e in ents if find_any(text, [e]) is not None]
        shown = ", ".join(repr(e) for e in ents[:5]) + (" …" if len(ents) > 5 else "")
        if len(found) >= min(need, len(ents)):
            return Check(id=cid, passed=True, reason=f"turn {idx + 1} stays on the subject: mentions {', '.join(map(repr, found[:3]))}", value=len(found) / len(ents))
        return Check(id=cid, passed=False, reason=f"turn {idx + 1} drifts off the subject: mentions {len(found)} of {shown}", value=len(found) / len(ents))
    context = "\n".join(t for t in case.turns[: idx + 1] if isinstance(t, str))
    sim = _similarity(context, text)
    if sim is None:
        raise KwargError("kwarg 'entities' is required (no local sentence-transformers model configured for similarity)")
    floor = scoring_config().follow_up_min_similarity
    ok = sim >= floor
    return Check(id=cid, passed=ok, reason=f"turn {idx + 1}: similarity {sim:.2f} to the conversation (floor {floor})", value=sim)


# ---------------------------------------------------------------------------------------------
# consistency: no contradiction with a checkable fact the model itself stated earlier

_NUM = r"(-?\d[\d,]*(?:\.\d+)?)"
_FACT_EN_RE = re.compile(
    r"\b((?:the\s+)?[A-Za-z][\w'-]*(?:\s+(?:of\s+)?[A-Za-z][\w'-]*){0,3}?)\s+(?:is|was|are|were|has|had|measures|equals|costs|weighs|lasts|takes)\s+"
    r"(?:about|around|approximately|roughly|nearly|almost|over|exactly|just|some|only)?\s*" + _NUM + r"(?!\d)",
    re.I,
)
_FACT_ZH_RE = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:是|为|有|约|大约|共|达|长|高|重)+(?:大约|约)?" + _NUM)
_STOP_KEYS = frozenset(
    {"it", "this", "that", "there", "which", "what", "he", "she", "they", "we", "you", "i", "answer", "result", "total",
     "the answer", "the result", "the total", "number", "the number", "sum", "the sum", "这", "那", "答案", "结果", "总共", "一共"}
)


def stated_facts(text: str) -> dict[str, tuple[float, str]]:
    """key -> (number, the words that state it) for 'X is N' / 'X是N' statements in `text`."""
    facts: dict[str, tuple[float, str]] = {}
    body = strip_code_blocks(text[:20_000])
    for rx in (_FACT_EN_RE, _FACT_ZH_RE):
        for m in rx.finditer(body):
            key = normalize(m.group(1))
            key = re.sub(r"^(?:the|a|an)\s+", "", key)
            if not key or key in _STOP_KEYS or len(key) < 2:
                continue
            try:
                val = float(m.group(2).replace(",", ""))
            except ValueError:
                continue
            facts.setdefault(key, (val, m.group(0).strip()))
    return facts


_CORRECTION_RE = re.compile(
    r"\b(?:actually|correction|i meant|sorry|wrong|instead|change|changed|update|updated|now|suppose|what if|if)\b"
    r"|其实|不对|错了|改成|改为|更正|换成|假如|如果|现在",
    re.I,
)


def _user_changed(case: Case, t0: int, i: int, val: float) -> bool:
    """A user turn after turn t0 (up to turn i) corrects, changes or supposes something, or gives the new number."""
    for k in range(t0 + 1, min(i, len(case.turns) - 1) + 1):
        turn = case.turns[k] if isinstance(case.turns[k], str) else ""
        nums = {float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", turn)}
        if _CORRECTION_RE.search(turn) or val in nums:
            return True
    return False


def check_consistency(case: Case, gen: Generation) -> Check | None:
    cid = f"{FAMILY}:consistency"
    known: dict[str, tuple[float, str, int]] = {}
    for i, out in enumerate(gen.turns):
        text = out.text if isinstance(out.text, str) else ""
        facts = stated_facts(text)
        for key, (val, said) in facts.items():
            if key in known and abs(known[key][0] - val) > 1e-9 * max(1.0, abs(val)):
                v0, said0, t0 = known[key]
                if _user_changed(case, t0, i, val):
                    known[key] = (val, said, i)  # the user corrected or changed it: a new fact, no contradiction
                    continue
                return Check(
                    id=cid,
                    passed=False,
                    reason=f"turn {i + 1} says {snippet(said, 50)!r} but turn {t0 + 1} said {snippet(said0, 50)!r}",
                    value=1.0,
                )
        for key, (val, said) in facts.items():
            known.setdefault(key, (val, said, i))
    if not known:
        return None  # nothing checkable was stated: not judged
    return Check(id=cid, passed=True, reason=f"no contradiction among {len(known)} numeric fact(s) stated across turns", value=0.0)


DECLARED_CHECKS: dict[str, Callable[[Case, Generation, Mapping[str, Any]], Check]] = {
    "recall": check_recall,
    "follow_up": check_follow_up,
}
ALWAYS_CHECKS: dict[str, Callable[[Case, Generation], Check | None]] = {
    "role_leak": check_role_leak,
    "consistency": check_consistency,
}


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
        c = fn2(case, gen)
        if c is not None:
            checks.append(c)
    return checks
