"""Per-row quality filters: answers a model should not be trained to give.

`quality_problem(example, options)` -> (reason, detail) for the first filter the row fails, or
None. Every assistant turn is checked (a bad early answer teaches as much as a bad last one);
the length limits count non-space characters of each answer.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from trainers.data.formats import ASSISTANT, USER, Example
from trainers.data.options import CleanOptions
from trainers.data.text import is_char_lang, normalize, tokens

# Normalised (see text.normalize: casefolded, punctuation removed) answers that stand in for a
# real one. An answer of punctuation only ("...", "-", "?") normalises to "" and counts too.
# "None" / "无" are here because instruction datasets use them for "no output"; a question whose
# true answer is "none" is rarer than that, and loses little by being dropped.
PLACEHOLDERS = frozenset(
    {
        "todo", "tbd", "tba", "fixme", "n a", "na", "none", "null", "nan", "undefined",
        "noinput", "nooutput", "no input", "no output", "placeholder", "answer here",
        "your answer here", "insert answer here", "xxx", "same as above",
        "待补充", "待定", "无", "暂无", "略", "同上", "此处填写答案",
    }
)
LOREM = "lorem ipsum"
_SENTENCE = re.compile(r"[.!?。！？;；\n]+")
_SPACE = re.compile(r"\s+")
# Question words, left out of both texts when counting what the answer adds: an answer fills the slot
# a question word holds, so "拉脱维亚的首都是里加。" for "拉脱维亚的首都是哪里？" adds 里加 (the 里 of 哪里
# is no reuse), while an echo ("2加4等于多少") adds nothing once both lose the word.
_QUESTION_WORDS = re.compile(
    r"为什么|怎么样|怎么|怎样|如何|哪里|哪儿|哪个|哪些|哪|什么|多少|几|谁|吗|呢"
    r"|\b(?:what|which|where|who|whom|whose|when|why|how)\b",
    re.IGNORECASE,
)


def answers(ex: Example) -> list[tuple[str, str]]:
    """(question, answer) for every assistant turn: the user message just before it."""
    out, question = [], ""
    for m in ex.messages:
        if m["role"] == USER:
            question = m["content"]
        elif m["role"] == ASSISTANT:
            out.append((question, m["content"]))
    return out


def is_placeholder(answer: str) -> bool:
    n = normalize(answer)
    return not n or n in PLACEHOLDERS or n.startswith(LOREM)


def repetition(answer: str, lang: str, opts: CleanOptions) -> str | None:
    """Why the answer loops, or None: a sentence said `repeat_sentences` times, or repeated n-grams
    covering most of the text (degenerate generations like "the the the" or a paragraph pasted twice)."""
    sentences = [s for s in (normalize(x) for x in _SENTENCE.split(answer)) if len(s) >= opts.min_repeated_sentence_chars]
    if sentences:
        s, c = Counter(sentences).most_common(1)[0]
        if c >= opts.repeat_sentences:
            return f"a sentence repeated {c} times: {s[:60]!r}"
    toks = tokens(answer)
    n = opts.loop_ngram_zh if is_char_lang(lang) else opts.loop_ngram
    if len(toks) < max(opts.loop_min_tokens, 2 * n):
        return None
    seen: set[tuple[str, ...]] = set()
    covered = [False] * len(toks)
    for i in range(len(toks) - n + 1):
        g = tuple(toks[i : i + n])
        if g in seen:
            covered[i : i + n] = [True] * n
        else:
            seen.add(g)
    share = sum(covered) / len(toks)
    if share >= opts.loop_coverage:
        return f"repeated {n}-grams cover {share:.0%} of the answer"
    return None


def restates(question: str, answer: str, opts: CleanOptions) -> float | None:
    """How closely the answer repeats the question (token-sequence similarity) when it adds (almost)
    nothing new, else None. Sequences, not sets: "The capital of Mexico is Mexico City." reuses every
    word of "Which city is the capital of Mexico?" yet answers it."""
    a, q = tokens(answer), tokens(question)
    if not a or not q:
        return None
    if normalize(answer) == normalize(question):
        return 1.0
    added = set(tokens(_QUESTION_WORDS.sub(" ", answer))) - set(tokens(_QUESTION_WORDS.sub(" ", question)))
    if len(added) / len(set(a)) > opts.restate_new_share:
        return None
    similarity = SequenceMatcher(None, q, a, autojunk=False).ratio()
    return similarity if similarity >= opts.restate_jaccard else None


def quality_problem(ex: Example, opts: CleanOptions) -> tuple[str, str] | None:
    """(reason, detail) of the first quality filter `ex` fails, or None."""
    for turn, (question, answer) in enumerate(answers(ex), 1):
        at = f"answer {turn}: " if len(ex.messages) > 3 else ""
        chars = len(_SPACE.sub("", answer))
        if chars == 0:
            return "empty_answer", f"{at}the answer is empty"
        if is_placeholder(answer):
            return "placeholder_answer", f"{at}placeholder answer {answer.strip()[:40]!r}"
        if chars < opts.min_answer_chars:
            return "answer_too_short", f"{at}{chars} characters < {opts.min_answer_chars}"
        if opts.max_answer_chars and chars > opts.max_answer_chars:
            return "answer_too_long", f"{at}{chars} characters > {opts.max_answer_chars}"
        loop = repetition(answer, ex.lang, opts)
        if loop:
            return "repetitive_answer", at + loop
        jac = restates(question, answer, opts)
        if jac is not None:
            return "restated_question", f"{at}the answer restates the question (similarity {jac:.2f})"
    return None
