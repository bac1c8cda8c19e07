"""Directness: does the model answer and stop, instead of echoing, continuing or looping?

Runs on every case. Each sub-check looks at every user turn's answer and yields one Check per
check id for the case (the reason names the turn when the case has several):

- directness:echo          the answer starts by repeating the prompt
- directness:continuation  the output goes on with new questions or a fabricated next turn
- directness:stopped       the model stopped by itself (omitted when stopping is unknown)
- directness:repetition    the output loops (repeated n-grams or sentences)
- directness:empty         the answer is empty or whitespace only

A new sub-check is one function `(prompt, answer, turn_output, ctx) -> TurnVerdict | None`
added to `TURN_CHECKS`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from harness.config import ScoringConfig
from harness.records import FINISH_LENGTH, FINISH_STOP, Case, Check, Generation, TurnOutput
from harness.scorers import scorer
from harness.scorers.text import (
    CJK_RANGES,
    is_question,
    line_number,
    nfkc,
    scoring_config,
    snippet,
    split_sentences,
    strip_code_blocks,
    tokens,
    turn_label,
)


@dataclass
class TurnVerdict:
    passed: bool
    reason: str
    value: float | None = None


@dataclass
class TurnContext:
    cfg: ScoringConfig
    case: Case
    gen: Generation
    index: int  # 0-based turn index


TurnCheck = Callable[[str, str, TurnOutput, TurnContext], "TurnVerdict | None"]


# ---------------------------------------------------------------------------------------------
# echo

# Tokens for echo alignment: words, CJK characters, and sentence-final punctuation (normalised to
# ? ! .), so that "法国的首都是哪里？" echoed keeps its "?" while the answer "法国的首都是巴黎。" does not.
_ECHO_TOKEN_RE = re.compile(f"([{CJK_RANGES}]+)|([^\\W_{CJK_RANGES}]+(?:['’.,][^\\W_{CJK_RANGES}]+)*|[?!]|\\.(?!\\d))")
_END_TOKENS = frozenset("?!.")
# A long prompt is judged by its start: alignment cost grows with the square of the length.
ECHO_PROMPT_CHARS = 2000
ECHO_MAX_TOKENS = 256


@lru_cache(maxsize=4096)
def _prompt_echo_tokens(prompt: str) -> tuple[str, ...]:
    """The prompt's echo tokens (memoised: every model is scored on the same prompts)."""
    return tuple(_echo_tokens(prompt[:ECHO_PROMPT_CHARS])[:ECHO_MAX_TOKENS])


def _echo_tokens(text: str) -> list[str]:
    out: list[str] = []
    for cjk, other in _ECHO_TOKEN_RE.findall(nfkc(text).casefold().replace("。", ".")):
        if cjk:
            out.extend(cjk)
        else:
            out.append(other)
    return out


def echo_ratio(prompt: str, answer: str, prompt_tokens: Sequence[str] | None = None) -> float:
    """Share of the prompt's tokens that the answer repeats at its start (0.0 .. 1.0).

    The prompt's tokens are aligned with the answer's first tokens (a few leading tokens such as
    "Q:" may precede). Only prompt sentences repeated through to their end count, so an answer
    that restates the question ("法国的首都是巴黎。" for "法国的首都是哪里？", "The capital of France
    is ..." for "What is the capital of France?") is not an echo, while a verbatim copy is.
    """
    P = list(prompt_tokens if prompt_tokens is not None else _prompt_echo_tokens(prompt))[:ECHO_MAX_TOKENS]
    if not P:
        return 0.0
    A = _echo_tokens(answer[: min(len(prompt), ECHO_PROMPT_CHARS) * 2 + 40])[: len(P) * 2 + 8]
    if not A:
        return 0.0
    if A[: len(P)] == P:
        return 1.0  # verbatim echo
    # Quick reject: the answer's first tokens share nothing with the prompt's first tokens.
    if not set(P[:4]) & set(A[:4]):
        return 0.0
    window = A[: len(P) + max(2, len(P) // 4) + 3]
    # Quick reject: an echo repeats some prompt sentence end in place, i.e. one of the prompt's
    # (token, end) bigrams appears in the window.
    last = len(P) - 1
    ends = {(P[e - 1], P[e]) for e in range(1, len(P)) if P[e] in _END_TOKENS or e == last}
    if len(P) > 1 and not ends.intersection(zip(window, window[1:], strict=False)):
        return 0.0
    blocks = [b for b in SequenceMatcher(None, P, window, autojunk=False).get_matching_blocks() if b.size]
    if not blocks or blocks[0].a > 2 or blocks[0].b > 3:
        return 0.0
    # P index -> answer index of its match
    pos: dict[int, int] = {}
    for b in blocks:
        for k in range(b.size):
            pos[b.a + k] = b.b + k
    # The furthest prompt sentence end repeated in place: its last two tokens matched consecutively
    # (a lone "." matched far away does not count) and the answer span not much longer than the prompt's.
    reach = -1
    for e in range(last, -1, -1):
        if not (P[e] in _END_TOKENS or e == last):
            continue
        if e not in pos:
            continue
        if e > 0 and (e - 1 not in pos or pos[e - 1] != pos[e] - 1):
            continue
        if pos[e] + 1 > (e + 1) * 1.25 + 3:
            continue
        reach = e
        break
    if reach < 0:
        return 0.0
    matched = sum(1 for i in pos if i <= reach)
    return matched / len(P)


def check_echo(prompt: str, answer: str, out: TurnOutput, ctx: TurnContext) -> TurnVerdict | None:
    P = _prompt_echo_tokens(prompt)
    n_prompt = sum(1 for t in P if t not in _END_TOKENS)
    if n_prompt < ctx.cfg.echo_min_prompt_tokens:
        return TurnVerdict(True, f"prompt too short ({n_prompt} tokens) to judge an echo", 0.0)
    if not answer.strip():
        return TurnVerdict(True, "no echo (empty answer)", 0.0)
    ratio = echo_ratio(prompt, answer, P)
    pct = round(ratio * 100)
    if ratio >= ctx.cfg.echo_min_ratio:
        return TurnVerdict(False, f"output starts by repeating {pct}% of the prompt", ratio)
    if ratio > 0:
        return TurnVerdict(
            True, f"repeats {pct}% of the prompt at its start (echo from {round(ctx.cfg.echo_min_ratio * 100)}%)", ratio
        )
    return TurnVerdict(True, "does not start by repeating the prompt", ratio)


# ---------------------------------------------------------------------------------------------
# continuation

# A line start (or right after a sentence end); quote/heading marks allowed, not bullets or bold
# ("- User: a person who..." in a glossary is not a turn).
_LINE_START = r"(?:^|(?<=[.!?。！？]))[ \t>#]*"
# A fabricated next user turn: always a continuation.
_USER_TURN_RE = re.compile(
    _LINE_START
    + r"(?:user|human|用户|人类|提问者)[ \t]*[:：]"
    + r"|^[ \t]*#{2,}\s*(?:instruction|input|human|user|question)\b"
    + r"|<\|(?:user|im_start|start_header_id|prompter)\|>|\[INST\]|<start_of_turn>",
    re.I | re.M,
)
# Question-style labels: a continuation unless the prompt asked for questions (a quiz, an FAQ).
_QUESTION_LABEL_RE = re.compile(
    _LINE_START + r"(?:q\d*|question[ \t]*\d*|问|问题|提问)[ \t]*[:：]",
    re.I | re.M,
)
_ASKS_FOR_QUESTIONS_RE = re.compile(
    r"\b(?:write|list|generate|give|create|suggest|ask|come up with|make|draft|prepare|propose|pose)\b"
    r"[^.?!\n]{0,40}\bquestions?\b|\b(?:quiz|faq|q\s*&\s*a|trivia|riddles?|interview questions?)\b"
    r"|(?:提出|列出|写|出|生成|给出|设计|准备|想)[^。？！\n]{0,12}(?:问题|题目|问答)|出题|面试题|测验|谜语|问我|提问|常见问题",
    re.I,
)
_ADDRESSES_USER_RE = re.compile(r"\byou(?:r|rs|rself|'re|'ve|'d|'ll|’re|’ve|’d|’ll)?\b|你|您", re.I)
_HEADING_RE = re.compile(r"^\s*(?:#+\s|\*\*.*\*\*\s*$)")


_NUMBERED_PROMPT_LINE_RE = re.compile(r"^[ \t]*(?:\d{1,3}|[qQ]\d{1,3})[.)、:：．]", re.M)


@lru_cache(maxsize=4096)
def asks_for_questions(prompt: str) -> bool:
    """The prompt itself asks for questions (quiz, FAQ, interview questions, 出题...)."""
    return _ASKS_FOR_QUESTIONS_RE.search(prompt) is not None


_TRANSFORMS_TEXT_RE = re.compile(
    r"translat|how (?:do|would) (?:you|i|we) say|\bsay\b.{0,60}\bin (?:english|chinese|french|german|spanish|japanese)"
    r"|re-?write|rephrase|paraphrase|reword|correct the grammar|proofread"
    r"|翻译|译成|译为|怎么说|用\S{1,6}说|改写|重写|转述|润色|改成",
    re.I,
)


@lru_cache(maxsize=4096)
def transforms_given_text(prompt: str) -> bool:
    """Translate / rewrite tasks: the answer mirrors the given text, questions included."""
    return _TRANSFORMS_TEXT_RE.search(prompt) is not None


@lru_cache(maxsize=4096)
def poses_several_questions(prompt: str) -> bool:
    """The prompt holds 2+ questions or numbered items, so labels like "Q2:" may answer them."""
    return prompt.count("?") + prompt.count("？") >= 2 or len(_NUMBERED_PROMPT_LINE_RE.findall(prompt)) >= 2


def check_continuation(prompt: str, answer: str, out: TurnOutput, ctx: TurnContext) -> TurnVerdict | None:
    body = strip_code_blocks(answer[: ctx.cfg.scan_max_chars])
    if not body.strip():
        return TurnVerdict(True, "no continuation (empty answer)", 0.0)
    m = _USER_TURN_RE.search(body)
    if m:
        return TurnVerdict(
            False, f"fabricates a next turn: {m.group(0).strip()!r} at line {line_number(body, m.start())}", 1.0
        )
    m = _QUESTION_LABEL_RE.search(body)
    if m and not asks_for_questions(prompt) and not poses_several_questions(prompt):
        return TurnVerdict(
            False,
            f"goes on with a new question: {m.group(0).strip()!r} at line {line_number(body, m.start())}",
            1.0,
        )
    if "?" not in body and "？" not in body:
        return TurnVerdict(True, "answers without new questions or turns", 0.0)
    if asks_for_questions(prompt):
        return TurnVerdict(True, "the prompt asks for questions; questions are the answer", 0.0)
    if transforms_given_text(prompt):
        return TurnVerdict(True, "a translate/rewrite task: questions may be part of the answer", 0.0)
    sentences = split_sentences(body)
    if not sentences:
        return TurnVerdict(True, "no sentences", 0.0)
    first = sentences[0]
    if is_question(first) and not _ADDRESSES_USER_RE.search(first) and not _HEADING_RE.match(first):
        # A lone opening question answered right after ("Why did the chicken cross the road? To
        # get to the other side!") is fine; one that restates the prompt, is all there is, or is
        # followed by another question is a continuation.
        q_toks = set(tokens(first))
        restates = bool(q_toks) and len(q_toks & set(tokens(prompt))) >= 0.5 * len(q_toks)
        alone = len(sentences) == 1
        then_question = len(sentences) > 1 and is_question(sentences[1])
        if restates or alone or then_question:
            return TurnVerdict(False, f"opens with a question instead of an answer: {snippet(first)!r}", 1.0)
    # Markdown headings ("## Why does it matter?") structure an answer; they are not new questions.
    questions = [
        s
        for s in sentences
        if ("?" in s or "？" in s) and is_question(s) and not _ADDRESSES_USER_RE.search(s) and not _HEADING_RE.match(s)
    ]
    share = len(questions) / len(sentences)
    if len(questions) >= ctx.cfg.continuation_min_questions and share >= ctx.cfg.continuation_min_question_share:
        return TurnVerdict(
            False,
            f"goes on with {len(questions)} new questions in {len(sentences)} sentences "
            f"(e.g. {snippet(questions[0], 50)!r})",
            share,
        )
    if questions:
        return TurnVerdict(
            True, f"{len(questions)} question(s) in {len(sentences)} sentences, not a continuation", share
        )
    return TurnVerdict(True, "answers without new questions or turns", 0.0)


# ---------------------------------------------------------------------------------------------
# stopped


def check_stopped(prompt: str, answer: str, out: TurnOutput, ctx: TurnContext) -> TurnVerdict | None:
    if out.finish_reason == FINISH_STOP:
        return TurnVerdict(True, "stopped by itself", 1.0)
    if out.finish_reason == FINISH_LENGTH:
        cap = ctx.gen.max_tokens or out.output_tokens
        where = f"the {cap}-token cap" if cap else "the token cap"
        return TurnVerdict(False, f"ran to {where} without stopping", 0.0)
    return None  # unknown (replayed output): the check is omitted


# ---------------------------------------------------------------------------------------------
# repetition


def repeated_ngram_ratio(toks: tuple[str, ...] | list[str], n: int) -> float:
    """(n-grams - distinct n-grams) / n-grams; 0.0 when there are none."""
    n = max(1, n)
    total = len(toks) - n + 1
    if total <= 0:
        return 0.0
    grams = set(zip(*(toks[i:] for i in range(n)), strict=False))
    return (total - len(grams)) / total


_TRAILING = ".!?。！？…,，;；:： \t\"'”’」』)）*"


def check_repetition(prompt: str, answer: str, out: TurnOutput, ctx: TurnContext) -> TurnVerdict | None:
    cfg = ctx.cfg
    text = answer[: cfg.scan_max_chars]
    toks = tokens(text)
    n = max(1, cfg.repetition_ngram)
    total = len(toks) - n + 1
    ratio = repeated_ngram_ratio(toks, n) if total >= cfg.repetition_min_ngrams else 0.0
    if ratio > cfg.repetition_max_ratio:
        return TurnVerdict(False, f"loops: {round(ratio * 100)}% of its {n}-grams are repeats", ratio)
    sentences = split_sentences(strip_code_blocks(text))
    max_repeats = cfg.repetition_max_sentence_repeats
    if len(sentences) > max_repeats:
        # Cheap key first (case and trailing punctuation aside); only repeated keys are tokenised.
        counts = Counter(s.casefold().rstrip(_TRAILING) for s in sentences)
        for key, times in counts.most_common():
            if times <= max_repeats:
                break
            if len(tokens(key)) >= cfg.repetition_min_sentence_tokens:
                return TurnVerdict(False, f"loops: the sentence {snippet(key, 50)!r} appears {times} times", ratio)
    return TurnVerdict(True, f"no looping ({round(ratio * 100)}% repeated {n}-grams)", ratio)


# ---------------------------------------------------------------------------------------------
# empty


def check_empty(prompt: str, answer: str, out: TurnOutput, ctx: TurnContext) -> TurnVerdict | None:
    if answer.strip():
        return TurnVerdict(True, "non-empty answer", 1.0)
    return TurnVerdict(False, "empty answer" if not answer else "answer is whitespace only", 0.0)


TURN_CHECKS: dict[str, TurnCheck] = {
    "directness:echo": check_echo,
    "directness:continuation": check_continuation,
    "directness:stopped": check_stopped,
    "directness:repetition": check_repetition,
    "directness:empty": check_empty,
}


def combine(check_id: str, verdicts: list[tuple[int, TurnVerdict]], n_turns: int) -> Check | None:
    """One Check per id for the case: passes when every turn passes; the reason names failing turns."""
    if not verdicts:
        return None
    if n_turns <= 1 and len(verdicts) == 1:
        v = verdicts[0][1]
        return Check(id=check_id, passed=v.passed, reason=v.reason, value=v.value)
    failed = [(i, v) for i, v in verdicts if not v.passed]
    values = [v.value for _, v in verdicts if v.value is not None]
    if failed:
        reason = "; ".join(f"{turn_label(i, 2)}{v.reason}" for i, v in failed)
        # the worst value among the failing turns (echo ratio, repetition share...)
        fvalues = [v.value for _, v in failed if v.value is not None]
        value = fvalues[0] if fvalues else None
        return Check(id=check_id, passed=False, reason=reason, value=value)
    if len(verdicts) == 1:
        i, v = verdicts[0]
        return Check(id=check_id, passed=True, reason=f"{turn_label(i, 2)}{v.reason}", value=v.value)
    return Check(
        id=check_id,
        passed=True,
        reason=f"all {len(verdicts)} turns: {verdicts[-1][1].reason}"
        if len(verdicts) == n_turns
        else f"turns {', '.join(str(i + 1) for i, _ in verdicts)}: {verdicts[-1][1].reason}",
        value=max(values) if values else None,
    )


@scorer("directness", help="answers and stops: no echo, no continuation, stops, no looping, not empty")
def score_directness(case: Case, gen: Generation) -> list[Check]:
    """Answers and stops: no echo, no continuation, stops by itself, no looping, not empty."""
    cfg = scoring_config()
    outs = list(gen.turns)
    n_turns = max(len(case.turns), len(outs))
    if not outs:
        return [Check(id="directness:empty", passed=False, reason="no answer was generated", value=0.0)]
    per_id: dict[str, list[tuple[int, TurnVerdict]]] = {cid: [] for cid in TURN_CHECKS}
    for i, out in enumerate(outs):
        prompt = case.turns[i] if i < len(case.turns) else ""
        answer = out.text if isinstance(out.text, str) else ""
        ctx = TurnContext(cfg=cfg, case=case, gen=gen, index=i)
        for cid, fn in TURN_CHECKS.items():
            v = fn(prompt, answer, out, ctx)
            if v is not None:
                per_id[cid].append((i, v))
    checks = []
    for cid, verdicts in per_id.items():
        c = combine(cid, verdicts, n_turns)
        if c is not None:
            checks.append(c)
    return checks
