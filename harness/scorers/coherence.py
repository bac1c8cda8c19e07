"""Coherence: does the model keep a multi-turn conversation straight, turn by turn?

Judged on every later answer with the conversation up to it (harness/scorers/dialogue.py); each
check carries its `turn`. Always, on multi-turn cases:

- coherence:role_leak   the answer holds no fabricated user/assistant turn, speaker tag or chat-template
                        token; the reason quotes what leaked and where
- coherence:consistency no answer restates a numeric fact the model itself stated earlier with a
                        different number ("X is N" / "X是N"), unless the user changed it; from the first
                        turn with such a fact on

Inferred from the conversation itself (no declaration needed; `[scoring] implied_checks`):

- coherence:builds_on / shorter / longer / drops / keeps   a later turn works on an earlier answer
                        ("Rewrite your previous response…", "Make it shorter", "把上面的内容翻译成英文",
                        "Remove the word 'very'"): harness/scorers/backref.py
- coherence:recall      a later turn asks for something the user stated ("What's my name?", "我对什么
                        过敏？"): the answer contains the value (harness/scorers/memory.py)

Declared by a suite (kwargs; optional 1-based `turn`, default the last):

- coherence:recall      `keywords`: the answer contains one of them (normalised, zh and en)
- coherence:follow_up   `entities` (optional `min_entities`): the answer mentions the subject; without
                        `entities`, cosine similarity to the conversation from a local
                        sentence-transformers model (`[scoring] embedding_model`, never downloaded)
- coherence:clarifies   the answer asks the user a question (an ambiguous request)
- coherence:builds_on `of`, shorter/longer `than`, drops/keeps `terms`: as inferred, declared

A dialogue passes a check only when every turn passes it. An explicit declaration at a turn
replaces the inferred check of the same id there. Unknown `coherence:*` ids give a failed check
saying the id is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from harness.config import DEFAULT_SCORING, ScoringConfig
from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.backref import (
    check_builds_on,
    check_drops,
    check_keeps,
    check_longer,
    check_shorter,
    check_stays_with,
    infer_backrefs,
    infer_follow_up,
)
from harness.scorers.dialogue import Turn, conversation
from harness.scorers.memory import recall_question, stated_values
from harness.scorers.text import (
    KwargError,
    find_any,
    int_kwarg,
    is_question,
    line_number,
    normalize,
    pick_turn,
    snippet,
    spec_fields,
    split_sentences,
    str_list_kwarg,
    strip_code_blocks,
)

Verdict = tuple[bool, str, float | None]

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


def check_recall(case: Case, gen: Generation, kwargs: Mapping[str, Any]) -> Check:
    cid = f"{FAMILY}:recall"
    keywords = str_list_kwarg(kwargs, "keywords")
    idx, text = pick_turn(kwargs, gen)
    hit = find_any(text, keywords)
    shown = ", ".join(repr(k) for k in keywords[:5]) + (" …" if len(keywords) > 5 else "")
    if hit is not None:
        return Check(id=cid, passed=True, reason=f"recalls {hit!r}", value=1.0, turn=idx + 1)
    return Check(id=cid, passed=False, reason=f"mentions none of {shown}", value=0.0, turn=idx + 1)


# ---------------------------------------------------------------------------------------------
# follow_up: the answer to turn k stays on the conversation's subject


def _similarity(a: str, b: str, embedding_model: str | None) -> float | None:
    """Cosine similarity from a local sentence-transformers model ([scoring] embedding_model), or None."""
    model = _embedder(embedding_model)
    if model is None:
        return None
    try:
        va, vb = model.encode([a[:2000], b[:2000]], normalize_embeddings=True)
        return float((va * vb).sum())
    except Exception:
        return None


_EMBEDDER: dict[str, Any] = {}


def _embedder(path: str | None) -> Any:
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


def check_follow_up(case: Case, gen: Generation, kwargs: Mapping[str, Any], cfg: ScoringConfig) -> Check:
    cid = f"{FAMILY}:follow_up"
    ents = str_list_kwarg(kwargs, "entities", required=False)
    need = int_kwarg(kwargs, "min_entities", 1, minimum=1)
    idx, text = pick_turn(kwargs, gen)
    if ents:
        found = [e for e in ents if find_any(text, [e]) is not None]
        shown = ", ".join(repr(e) for e in ents[:5]) + (" …" if len(ents) > 5 else "")
        if len(found) >= min(need, len(ents)):
            return Check(id=cid, passed=True, reason=f"stays on the subject: mentions {', '.join(map(repr, found[:3]))}", value=len(found) / len(ents), turn=idx + 1)
        return Check(id=cid, passed=False, reason=f"drifts off the subject: mentions {len(found)} of {shown}", value=len(found) / len(ents), turn=idx + 1)
    context = "\n".join(t for t in case.turns[: idx + 1] if isinstance(t, str))
    sim = _similarity(context, text, cfg.embedding_model)
    if sim is None:
        raise KwargError("kwarg 'entities' is required (no local sentence-transformers model configured for similarity)")
    floor = cfg.follow_up_min_similarity
    ok = sim >= floor
    return Check(id=cid, passed=ok, reason=f"similarity {sim:.2f} to the conversation (floor {floor})", value=sim, turn=idx + 1)


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


# ---------------------------------------------------------------------------------------------
# Per turn: role leaks and self-contradiction


def role_leak_checks(turns: list[Turn], max_chars: int) -> list[Check]:
    out = []
    for t in turns:
        hit = find_role_leak(t.answer, max_chars)
        if hit:
            out.append(Check(f"{FAMILY}:role_leak", False, f"leaks {hit[0]!r} (line {hit[1]})", 1.0, turn=t.number))
        else:
            out.append(Check(f"{FAMILY}:role_leak", True, "no speaker tags or template tokens", 0.0, turn=t.number))
    return out


def consistency_checks(case: Case, turns: list[Turn]) -> list[Check]:
    """From the second turn on, once a numeric fact was stated: does this answer contradict one?"""
    cid = f"{FAMILY}:consistency"
    known: dict[str, tuple[float, str, int]] = {}
    out = []
    for t in turns:
        facts = stated_facts(t.answer)
        clash = None
        if known:
            for key, (val, said) in facts.items():
                if key in known and abs(known[key][0] - val) > 1e-9 * max(1.0, abs(val)):
                    v0, said0, t0 = known[key]
                    if _user_changed(case, t0, t.index, val):
                        known[key] = (val, said, t.index)  # the user corrected or changed it: a new fact
                        continue
                    clash = (said, said0, t0)
                    break
            if clash:
                out.append(Check(cid, False, f"says {snippet(clash[0], 50)!r} but turn {clash[2] + 1} said {snippet(clash[1], 50)!r}", 1.0, turn=t.number))
            else:
                out.append(Check(cid, True, f"no contradiction with {len(known)} numeric fact(s) stated earlier", 0.0, turn=t.number))
        for key, (val, said) in facts.items():
            known.setdefault(key, (val, said, t.index))
    return out


# ---------------------------------------------------------------------------------------------
# Checks that run on one turn: declared by the suite, or inferred from the conversation


def check_clarifies(turn: Turn, kwargs: Mapping[str, Any]) -> Verdict:
    body = strip_code_blocks(turn.answer)
    questions = [s for s in split_sentences(body) if is_question(s)]
    if questions:
        return True, f"asks {snippet(questions[0], 60)!r}", 1.0
    return False, "asks no clarifying question (no sentence ends with ? / ？)", 0.0


def _cfg_call(name: str, cfg: ScoringConfig) -> Callable[[Turn, Mapping[str, Any]], Verdict | None]:
    return {
        "builds_on": lambda t, kw: check_builds_on(t, kw, cfg.builds_on_min_overlap),
        "shorter": lambda t, kw: check_shorter(t, kw, cfg.shorter_max_ratio),
        "longer": lambda t, kw: check_longer(t, kw, cfg.longer_min_ratio),
        "drops": check_drops,
        "keeps": check_keeps,
        "clarifies": check_clarifies,
        "follow_up": lambda t, kw: check_stays_with(t, kw, cfg.follow_up_min_overlap),
    }[name]


TURN_CHECKS = ("builds_on", "shorter", "longer", "drops", "keeps", "clarifies")
DECLARED_CHECKS: dict[str, Callable[[Case, Generation, Mapping[str, Any], ScoringConfig], Check]] = {
    "recall": lambda case, gen, kwargs, cfg: check_recall(case, gen, kwargs),
    "follow_up": check_follow_up,
}
ALWAYS_CHECKS = ("role_leak", "consistency")


def _turn_check(cid: str, turn: Turn, kwargs: Mapping[str, Any], cfg: ScoringConfig, because: str = "") -> Check | None:
    name = cid[len(FAMILY) + 1 :]
    v = _cfg_call(name, cfg)(turn, kwargs)
    if v is None:
        return None
    passed, reason, value = v
    if because:
        reason = f"implied by {snippet(because, 48)!r}: {reason}"
    return Check(cid, passed, reason, value, turn=turn.number)


def _declared(case: Case, gen: Generation, turns: list[Turn], cfg: ScoringConfig) -> tuple[list[Check], set[tuple[str, int]]]:
    checks: list[Check] = []
    at: set[tuple[str, int]] = set()
    known = ", ".join(f"{FAMILY}:{k}" for k in (*DECLARED_CHECKS, *TURN_CHECKS, *ALWAYS_CHECKS))
    for spec in case.checks or []:
        cid, kwargs = spec_fields(spec)
        if not cid.startswith(FAMILY + ":"):
            continue
        name = cid[len(FAMILY) + 1 :]
        if name in ALWAYS_CHECKS:
            continue  # runs anyway
        if name not in DECLARED_CHECKS and name not in TURN_CHECKS:
            checks.append(Check(id=cid, passed=False, reason=f"unknown check id {cid!r} (known: {known})"))
            continue
        if not isinstance(kwargs, Mapping):
            checks.append(Check(id=cid, passed=False, reason=f"kwargs must be an object, got {kwargs!r}"))
            continue
        try:
            idx, _ = pick_turn(kwargs, gen)
            at.add((cid, idx + 1))
            if name in DECLARED_CHECKS and not (name == "follow_up" and "of" in kwargs):
                checks.append(DECLARED_CHECKS[name](case, gen, kwargs, cfg))
                continue
            c = _turn_check(cid, turns[idx], kwargs, cfg)
            if c is None:
                c = Check(cid, True, "nothing to compare with (the earlier answer is empty, too short or in another language)", None, turn=idx + 1)
            checks.append(c)
        except KwargError as e:
            checks.append(Check(id=cid, passed=False, reason=str(e)))
    return checks, at


def _inferred(turns: list[Turn], declared_at: set[tuple[str, int]], cfg: ScoringConfig) -> list[Check]:
    checks: list[Check] = []
    for t in turns[1:]:
        implied = infer_backrefs(t)
        if not implied:
            follow = infer_follow_up(t)
            implied = [follow] if follow else []
        for imp in implied:
            if (imp.id, t.number) in declared_at:
                continue
            try:
                c = _turn_check(imp.id, t, imp.kwargs, cfg, imp.because)
            except KwargError:
                continue
            if c is not None:
                checks.append(c)
        if (f"{FAMILY}:recall", t.number) in declared_at:
            continue
        asked = recall_question(t.prompt, stated_values(t.earlier_prompts))
        if asked:
            keyword_lists, because = asked
            for keywords in keyword_lists:
                hit = find_any(t.answer, keywords)
                shown = ", ".join(repr(k) for k in keywords)
                reason = f"recalls {hit!r}" if hit else f"mentions none of {shown}, which the user stated earlier"
                checks.append(
                    Check(f"{FAMILY}:recall", hit is not None, f"implied by {snippet(because, 48)!r}: {reason}", 1.0 if hit else 0.0, turn=t.number)
                )
    return checks


def kwargs_error(name: str, kwargs: Mapping[str, Any]) -> str | None:
    """What is wrong with a declared coherence check's id or kwargs (checked when a suite is loaded)."""
    if name in ALWAYS_CHECKS:
        return None
    if name not in DECLARED_CHECKS and name not in TURN_CHECKS:
        known = ", ".join(f"{FAMILY}:{k}" for k in (*DECLARED_CHECKS, *TURN_CHECKS, *ALWAYS_CHECKS))
        return f"unknown check id '{FAMILY}:{name}' (known: {known})"
    try:
        for key in ("turn", "of", "than"):
            if key in kwargs:
                int_kwarg(kwargs, key, minimum=1)
        if name == "recall":
            str_list_kwarg(kwargs, "keywords")
        elif name == "follow_up":
            str_list_kwarg(kwargs, "entities", required=False)
        elif name in ("drops", "keeps"):
            str_list_kwarg(kwargs, "terms")
    except KwargError as e:
        return str(e)
    return None


@scorer(FAMILY, help="multi-turn: recalls earlier turns, builds on earlier answers, no fabricated turns or template tokens", validate=kwargs_error)
def score_coherence(case: Case, gen: Generation, cfg: ScoringConfig = DEFAULT_SCORING) -> list[Check]:
    """Multi-turn: every later answer recalls what the user said, builds on the earlier answer it
    was asked to rework, does not contradict itself, and fabricates no turns (checked per turn)."""
    turns = conversation(case, gen)
    checks, declared_at = _declared(case, gen, turns, cfg)
    if len(case.turns) <= 1 or not turns:
        # one turn: no conversation to keep straight; only a declared clarifying question applies
        return [c for c in checks if c.id == f"{FAMILY}:clarifies"]
    if cfg.implied_checks:
        checks += _inferred(turns, declared_at, cfg)
    checks += role_leak_checks(turns, cfg.scan_max_chars)
    checks += consistency_checks(case, turns)
    return checks
