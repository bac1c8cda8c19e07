"""Directness: does the model answer and stop, instead of echoing, continuing or looping?

Runs on every case. Each sub-check judges every user turn's answer and yields one Check per turn
it applies to, carrying that `turn` (1-based):

- directness:echo          the answer starts by repeating the prompt
- directness:continuation  the output goes on with new questions or a fabricated next turn
- directness:stopped       the model stopped by itself (omitted when stopping is unknown)
- directness:repetition    the output loops (repeated n-grams or sentences)
- directness:empty         the answer is empty or whitespace only
- directness:preamble      the answer opens with meta-talk instead of an answer ("This question
                           concerns…", "这个问题涉及…", "Question: … Answer: …" scaffolding)
- directness:executes      the prompt asks to *do* something (write a letter/email, implement code,
                           translate, list, summarize, rewrite, write a poem…) and the answer does
                           it: code for code, a salutation or closing for a letter, the target
                           language for a translation; fails when it explains how/what instead
                           ("A thank-you letter is…", "To write an email, …", "感谢信是一种…").
                           Omitted when the prompt asks nothing to be done
- directness:answer_first  (last turn, needs `reference`) the reference or an alias is in the first
                           sentence (a lone "Sure!"/"好的。" before it is allowed); omitted when the
                           reference is nowhere in the answer (correctness reports that)
- directness:concise       (last turn, needs a reference: the golden `references` answer if any,
                           else `reference`) words <= max(concise_min_words, concise_max_ratio x
                           the reference's words); value = the ratio

The family `directness` passes when no sub-check fails: its metric is the share of cases with no
directness failure, and each sub-check is reported on its own.

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

from harness.config import DEFAULT_SCORING, ScoringConfig
from harness.records import FINISH_LENGTH, FINISH_STOP, Case, Check, Generation, TurnOutput
from harness.scorers import scorer
from harness.scorers.dialogue import conversation
from harness.scorers.implied import task_kind
from harness.scorers.text import (
    CJK_RANGES,
    count_words,
    find_any,
    is_question,
    line_number,
    nfkc,
    snippet,
    split_sentences,
    strip_code_blocks,
    tokens,
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
    # Quick reject on the answer's first few tokens only (most answers are no echo).
    if not set(P[:4]) & set(_echo_tokens(answer[:120])[:4]):
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
    if reach < 0 or _addressed_back(P, A, pos, reach):
        return 0.0
    matched = sum(1 for i in pos if i <= reach)
    return matched / len(P)


# A statement said back to the user in the second person ("My name is Olivia." -> "Hello, your name is
# Olivia.", "我住在杭州。" -> "你住在杭州。") acknowledges it; an echo keeps the speaker's own words.
_FIRST_PERSON = frozenset({"i", "my", "me", "mine", "we", "our", "us", "我"})
_SECOND_PERSON = frozenset({"you", "your", "yours", "你", "您"})


def _addressed_back(P: Sequence[str], A: Sequence[str], pos: dict[int, int], reach: int) -> bool:
    """Some first-person word of the echoed prompt span is unmatched, and where it would sit in the
    answer (between the matches around it) stands a second-person word."""
    for i in range(reach + 1):
        if P[i] not in _FIRST_PERSON or i in pos:
            continue
        lo = max((pos[j] for j in range(i) if j in pos), default=-1)
        hi = min((pos[j] for j in range(i + 1, reach + 1) if j in pos), default=len(A))
        if any(t in _SECOND_PERSON for t in A[lo + 1:hi]):
            return True
    return False


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


# ---------------------------------------------------------------------------------------------
# preamble: meta-talk about the question/task instead of an answer

_PREAMBLE_EN_RE = re.compile(
    r"^(?:this|the|your) (?:question|request|task|prompt|exercise|problem|query) (?:concerns|is about|asks|is asking|relates to|deals with|involves|touches on|is related to|is a (?:common|good|classic|typical|simple))"
    r"|^(?:this|that|it) is (?:a|an) (?:common|classic|typical|interesting|good|great|simple|everyday|popular|frequent|standard) (?:\w+ ){0,2}(?:question|task|request|exercise|problem|topic)\b"
    r"|^(?:this|that|it) is (?:a|an) (?:question|task|request|exercise) (?:of|about|that|which|many|often|from|in|for|people)\b"
    r"|^(?:questions|requests|tasks|exercises|problems) (?:like|such as) (?:this|these)"
    r"|^this (?:kind|type|sort) of (?:question|task|request|exercise|problem)"
    r"|^(?:to (?:think about|answer|approach|consider|understand) (?:this|the|your) (?:question|problem|task|request))"
    r"|^before (?:writing|answering|we answer|i answer|starting)\b"
    r"|^this exercise is about\b"
    r"|^(?:let me|let's|i will|i'll|i am going to|i'm going to) (?:first )?(?:think about|explain what|consider|restate|analy[sz]e) (?:this|the|your) (?:question|task|request)",
    re.I,
)
_PREAMBLE_ZH_RE = re.compile(
    r"^(?:这个|该|此|本|您的|你的)(?:问题|题目|任务|请求|练习|要求)(?:涉及|是关于|关于|考查|考察|属于|主要|问的是|询问|需要)"
    r"|^这是(?:一个|一道|一类)?(?:常见的|常识|典型的|经典的|简单的|有趣的|很好的|逻辑|基础|日常)?(?:\S{0,4})(?:问题|任务|练习|题目|写作任务|要求)"
    r"|^这(?:类|种|样的)(?:问题|要求|任务|练习|题目)"
    r"|^要(?:思考|回答|解决|理解)这(?:个|道)?(?:问题|题)"
    r"|^(?:动笔|写作|回答)之前"
    r"|^很多(?:课本|教材|书)里都有这(?:样|种)的练习"
    r"|^这个练习是关于"
)
_SCAFFOLD_RE = re.compile(r"^[ \t>*#]*(?:question|q|问题|问)[ \t]*\d*[ \t]*[:：]", re.I)
_SCAFFOLD_ANSWER_RE = re.compile(r"(?:^|\n)[ \t>*#]*(?:answer|a|答案|答|回答)[ \t]*[:：]", re.I)


def check_preamble(prompt: str, answer: str, out: TurnOutput, ctx: TurnContext) -> TurnVerdict | None:
    body = answer.lstrip()[:2000]
    if not body:
        return TurnVerdict(True, "no preamble (empty answer)", 0.0)
    if _SCAFFOLD_RE.match(body) and _SCAFFOLD_ANSWER_RE.search(body):
        return TurnVerdict(False, f"'Question: … Answer: …' scaffolding instead of an answer: {snippet(body, 50)!r}", 1.0)
    first = split_sentences(body[:600])
    head = (first[0] if first else body).lstrip(" \t>#*_")
    if _PREAMBLE_EN_RE.match(head) or _PREAMBLE_ZH_RE.match(head):
        return TurnVerdict(False, f"opens with meta-talk instead of an answer: {snippet(head, 60)!r}", 1.0)
    return TurnVerdict(True, "opens with the answer, not meta-talk", 0.0)


# ---------------------------------------------------------------------------------------------
# executes: asked to do something (write, implement, translate, list, summarize, rewrite), it does it

_EXPLAINS_EN_RE = re.compile(
    r"^(?:an? |the )?(?:[\w-]+ ){0,3}(?:letter|email|e-mail|function|class|program|script|summary|translation|list|poem|haiku|story|essay|notice|invitation|apology|slogan)s? "
    r"(?:is|are|usually|should|can|must|often|typically|generally|has|have|means|begins?|starts?|ends?|uses?)\b"
    r"|^(?:to|when you) (?:write|implement|create|translate|summari[sz]e|rewrite|draft|compose|make|define)\b"
    r"|^(?:here are )?(?:some |a few )?(?:tips|steps|guidelines|rules|things to (?:remember|consider)|advice) (?:for|on|to|about|when)\b"
    r"|^(?:writing|implementing|translating|summari[sz]ing|rewriting|drafting|composing) (?:an? |the )?\w+",
    re.I,
)
_EXPLAINS_ZH_RE = re.compile(
    r"^(?:\S{0,6})(?:信|书信|感谢信|邀请信|道歉信|邮件|函数|类|程序|摘要|总结|翻译|诗歌?|故事|通知|作文|口号)(?:是|一般|通常|应该|要|可以|需要|由|包括|指)"
    r"|^(?:写|编写|翻译|总结|概括|改写)\S{0,10}(?:时|之前|的时候)"
    r"|^(?:在Python中|Python中)，?(?:用|使用)"
)
_CODE_LINE_RE = re.compile(r"^\s*(?:def |class |function |public |private |static |fn |func |#include|import |from \S+ import|const |let |var |SELECT |CREATE |return\b)", re.M)


def _executes_verdict(kind: str, why: str, prompt: str, answer: str) -> TurnVerdict:
    from harness.scorers.format import _CLOSING_RE, check_language, code_fences, count_list_items, find_salutation

    body = answer.strip()
    first = (split_sentences(strip_code_blocks(body)[:600]) or ("",))[0].lstrip(" \t>#*_")
    explains = bool(_EXPLAINS_EN_RE.match(first) or _EXPLAINS_ZH_RE.match(first))
    if kind == "code":
        if code_fences(body) or _CODE_LINE_RE.search(body):
            return TurnVerdict(True, f"asked for code ({why!r}) and gives code", 1.0)
        return TurnVerdict(False, f"asked for code ({why!r}) but gives no code" + (f": explains instead ({snippet(first, 50)!r})" if explains else ""), 0.0)
    if kind == "letter":
        sal = find_salutation(body[:5000])
        closing = _CLOSING_RE.search(body)
        if sal or closing:
            return TurnVerdict(True, f"asked for a letter ({why!r}) and writes one", 1.0)
        if explains:
            return TurnVerdict(False, f"asked for a letter ({why!r}) but explains instead: {snippet(first, 50)!r}", 0.0)
        return TurnVerdict(False, f"asked for a letter ({why!r}) but writes no salutation or closing", 0.0)
    if kind == "translate":
        m = re.search(r"(chinese|mandarin|中文|汉语)|(english|英文|英语)", why, re.I)
        if m:
            lang = "zh" if m.group(1) else "en"
            ok, reason, _ = check_language(body, {"lang": lang})
            if ok:
                return TurnVerdict(True, f"asked to translate ({why!r}) and answers in the target language", 1.0)
            if explains:
                return TurnVerdict(False, f"asked to translate ({why!r}) but explains instead: {snippet(first, 50)!r}", 0.0)
            return TurnVerdict(False, f"asked to translate ({why!r}) but the answer is not in the target language ({reason})", 0.0)
    if explains:
        return TurnVerdict(False, f"asked to {kind} ({why!r}) but explains how instead: {snippet(first, 50)!r}", 0.0)
    if kind == "list" and count_list_items(body)[0] < 2:
        return TurnVerdict(True, f"asked for a list ({why!r}); no list, but no explanation either (not judged a failure)", 0.5)
    return TurnVerdict(True, f"asked to {kind} ({why!r}) and does it", 1.0)


def check_executes(prompt: str, answer: str, out: TurnOutput, ctx: TurnContext) -> TurnVerdict | None:
    task = task_kind(prompt)
    if task is None:
        return None  # the prompt asks nothing to be done: not judged
    if not answer.strip():
        return TurnVerdict(False, f"asked to {task[0]} ({task[1]!r}) but the answer is empty", 0.0)
    return _executes_verdict(task[0], task[1], prompt, answer[: ctx.cfg.scan_max_chars])


TURN_CHECKS: dict[str, TurnCheck] = {
    "directness:echo": check_echo,
    "directness:continuation": check_continuation,
    "directness:stopped": check_stopped,
    "directness:repetition": check_repetition,
    "directness:empty": check_empty,
    "directness:preamble": check_preamble,
    "directness:executes": check_executes,
}


# ---------------------------------------------------------------------------------------------
# answer_first / concise: need a reference (the last turn's)

_COURTESY_RE = re.compile(
    r"^(?:sure|certainly|of course|okay|ok|yes|no|great question|good question|absolutely|definitely|well|"
    r"好的|当然|可以|是的|没问题|嗯)[\s!！.。,，:：]*$",
    re.I,
)


def check_answer_first(case: Case, answer: str) -> Check | None:
    wanted = [str(x) for x in [case.reference, *(case.aliases or [])] if x is not None and str(x).strip()]
    if not wanted or find_any(answer, wanted) is None:
        return None  # no reference, or not in the answer at all: correctness reports that
    sentences = split_sentences(strip_code_blocks(answer)[:4000])
    if len(sentences) > 1 and _COURTESY_RE.match(sentences[0]):
        sentences = sentences[1:]  # "Sure! Paris." still answers first
    first = sentences[0] if sentences else ""
    hit = find_any(first, wanted)
    cid = "directness:answer_first"
    if hit is not None:
        return Check(id=cid, passed=True, reason=f"the first sentence gives {hit!r}", value=1.0)
    idx = next((i for i, sent in enumerate(sentences) if find_any(sent, wanted) is not None), len(sentences))
    return Check(
        id=cid,
        passed=False,
        reason=f"the answer {wanted[0]!r} first appears in sentence {idx + 1}, not the first ({snippet(first, 50)!r})",
        value=0.0,
    )


def check_concise(case: Case, answer: str, cfg: ScoringConfig) -> Check | None:
    golden = case.references[-1] if case.references and len(case.references) >= len(case.turns) else None
    ref = golden if isinstance(golden, str) and golden.strip() else case.reference
    if not ref or not str(ref).strip():
        return None
    ref_n = max(1, count_words(str(ref)))
    n = count_words(answer)
    limit = max(cfg.concise_min_words, round(ref_n * cfg.concise_max_ratio))
    ratio = n / ref_n
    cid = "directness:concise"
    what = "golden answer" if ref is golden else "reference"
    if n <= limit:
        return Check(id=cid, passed=True, reason=f"{n} words, {ratio:.1f}x the {what}'s {ref_n} (limit {limit})", value=ratio)
    return Check(id=cid, passed=False, reason=f"{n} words, {ratio:.1f}x the {what}'s {ref_n}: over the limit of {limit}", value=ratio)


@scorer("directness", help="answers and stops: no echo, no continuation, stops, no looping, not empty")
def score_directness(case: Case, gen: Generation, cfg: ScoringConfig = DEFAULT_SCORING) -> list[Check]:
    """Answers and stops: no echo, no continuation, stops by itself, no looping, not empty (every turn)."""
    if not gen.turns:
        return [Check(id="directness:empty", passed=False, reason="no answer was generated", value=0.0, turn=1)]
    checks = []
    for t in conversation(case, gen):
        ctx = TurnContext(cfg=cfg, case=case, gen=gen, index=t.index)
        for cid, fn in TURN_CHECKS.items():
            v = fn(t.prompt, t.answer, t.output, ctx)
            if v is not None:
                checks.append(Check(id=cid, passed=v.passed, reason=v.reason, value=v.value, turn=t.number))
    last = gen.turns[-1].text if isinstance(gen.turns[-1].text, str) else ""
    if len(gen.turns) >= len(case.turns) and last.strip():
        for extra in (check_answer_first(case, last), check_concise(case, last, cfg)):
            if extra is not None:
                extra.turn = len(gen.turns)
                checks.append(extra)
    return checks
