"""Text-shape checks that follow-up requests ask for (zh and en), added to the format family:

- format:poem             `lines` (exact count of verse lines; a title line is not counted) or, without
                          it, at least 3 short lines of verse (<= 80 characters, or <= 24 CJK
                          characters; Chinese verse written on one line counts its 。，-separated lines)
- format:sentence_starts  `letter` or `word`, `unit` sentence (default) | line: every sentence (line)
                          starts with it; markdown marks, list numbers and quotes before it are ignored
- format:starts_with      `phrase`: the answer opens with the phrase (case, width and punctuation aside)
- format:ends_with        `phrase`: the answer closes with the phrase (trailing punctuation, quotes aside)
- format:case             `case` upper | lower: no lower-case (upper-case) Latin letter outside code

Each check is `(text, kwargs) -> (passed, reason, value)`, like every format check.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from harness.scorers.text import (
    CJK_RANGES,
    KwargError,
    has_cjk,
    int_kwarg,
    normalize,
    snippet,
    split_sentences,
    strip_code_blocks,
)

Verdict = tuple[bool, str, float | None]


def _str_kwarg(kwargs: Mapping[str, Any], name: str) -> str:
    v = kwargs.get(name)
    if not isinstance(v, str) or not v.strip():
        raise KwargError(f"kwarg '{name}' must be a non-empty string, got {v!r}")
    return v.strip()


# ---------------------------------------------------------------------------------------------
# poem

_TITLE_LINE_RE = re.compile(r"^\s*(?:#+\s+.*|\*\*[^*]+\*\*|__[^_]+__|《[^》]+》|<<[^>]+>>|title\s*[:：].*|标题\s*[:：].*)\s*$", re.I)
_UNTITLED_HEAD_RE = re.compile(f"^(?:[{CJK_RANGES}]{{1,12}}|[^\\W\\d_]+(?:[ '-][^\\W_]+){{0,5}})$")
_ZH_VERSE_SPLIT_RE = re.compile(r"(?<=[，。！？；、,.!?;])")
_CJK_RE = re.compile(f"[{CJK_RANGES}]")


def verse_lines(text: str) -> list[str]:
    """Non-empty lines of the answer, without a leading title line; Chinese verse written as one
    line of short clauses is split at its punctuation."""
    lines = [ln.strip() for ln in strip_code_blocks(text).splitlines() if ln.strip()]
    if len(lines) > 1 and _TITLE_LINE_RE.match(lines[0]):
        lines = lines[1:]
    out: list[str] = []
    for ln in lines:
        if len(_CJK_RE.findall(ln)) >= 10:  # zh verse written as one line: its clauses are the lines
            parts = [p.strip() for p in _ZH_VERSE_SPLIT_RE.split(ln) if p.strip()]
            if len(parts) > 1 and all(len(_CJK_RE.findall(p)) <= 12 for p in parts):
                out.extend(parts)
                continue
        out.append(ln)
    return out


def _is_verse_line(line: str) -> bool:
    cjk = len(_CJK_RE.findall(line))
    return cjk <= 24 if cjk else len(line) <= 80


def check_poem(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    lines = verse_lines(text)
    if "lines" in kwargs and kwargs["lines"] is not None:
        want = int_kwarg(kwargs, "lines", minimum=1)
        if len(lines) == want + 1 and _UNTITLED_HEAD_RE.match(lines[0]):
            lines = lines[1:]  # a short first line without final punctuation: the title
        ok = len(lines) == want and all(_is_verse_line(ln) for ln in lines)
        if ok:
            return True, f"{want} lines of verse", float(len(lines))
        long = [ln for ln in lines if not _is_verse_line(ln)]
        why = f", {len(long)} of them prose-length" if long else ""
        return False, f"{len(lines)} lines{why}; a {want}-line poem was asked for", float(len(lines))
    verse = [ln for ln in lines if _is_verse_line(ln)]
    if len(lines) >= 3 and len(verse) >= 0.8 * len(lines):
        return True, f"{len(lines)} short lines of verse", float(len(lines))
    if len(lines) < 3:
        return False, f"{len(lines)} line(s): not verse (a poem was asked for)", float(len(lines))
    return False, f"{len(lines) - len(verse)} of {len(lines)} lines are prose-length: not verse", float(len(lines))


# ---------------------------------------------------------------------------------------------
# sentence_starts

# What may stand before a sentence's first word: markdown, list marks, numbers, quotes, brackets.
_LEAD_RE = re.compile(r"^(?:[\s>#*_\-•·~`\"'“”‘’「」『』（()\[\]]+|\d{1,3}[.)、:：]\s*|[（(]?\d{1,3}[)）]\s*)+")


def _lead_stripped(s: str) -> str:
    return _LEAD_RE.sub("", s, count=1)


def _units(text: str, unit: str) -> list[str]:
    body = strip_code_blocks(text)
    if unit == "line":
        parts = [ln.strip() for ln in body.splitlines()]
    else:
        parts = list(split_sentences(body))
    out = []
    for p in parts:
        core = _lead_stripped(p).strip()
        if core and re.search(r"\w", core):  # a line of only marks or emoji is no sentence
            out.append(core)
    return out


def starts_with_word(sentence: str, word: str) -> bool:
    s, w = normalize(sentence), normalize(word)
    if not w or not s.startswith(w):
        return False
    rest = s[len(w) :]
    return not rest or not (w[-1].isalnum() and not _CJK_RE.match(w[-1])) or not rest[0].isalnum()


def check_sentence_starts(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    unit = kwargs.get("unit", "sentence") or "sentence"
    if unit not in ("sentence", "line"):
        raise KwargError(f"kwarg 'unit' must be 'sentence' or 'line', got {unit!r}")
    letter, word = kwargs.get("letter"), kwargs.get("word")
    if letter is not None:
        letter = _str_kwarg(kwargs, "letter")
        if len(letter) != 1:
            raise KwargError(f"kwarg 'letter' must be one character, got {letter!r}")
        what = f"the letter {letter!r}"
        ok_fn = lambda s: s[:1].casefold() == letter.casefold()  # noqa: E731
    else:
        word = _str_kwarg(kwargs, "word")
        what = repr(word)
        ok_fn = lambda s: starts_with_word(s, word)  # noqa: E731
    units = _units(text, unit)
    if not units:
        return False, f"no {unit}s to check", 0.0
    bad = [s for s in units if not ok_fn(s)]
    share = 1 - len(bad) / len(units)
    if not bad:
        return True, f"all {len(units)} {unit}(s) start with {what}", 1.0
    return False, f"{len(bad)} of {len(units)} {unit}(s) do not start with {what} (e.g. {snippet(bad[0], 40)!r})", share


# ---------------------------------------------------------------------------------------------
# starts_with / ends_with

_TRAIL_RE = re.compile(r"[\s\"'“”‘’」』）)\]*_~`.!?。！？…]+$")


def check_starts_with(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    phrase = _str_kwarg(kwargs, "phrase")
    body = _lead_stripped(strip_code_blocks(text).strip())
    if starts_with_word(body, phrase):
        return True, f"opens with {snippet(phrase, 40)!r}", 1.0
    return False, f"opens with {snippet(body, 40)!r}, not {snippet(phrase, 40)!r}", 0.0


def check_ends_with(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    phrase = _str_kwarg(kwargs, "phrase")
    body = _TRAIL_RE.sub("", text.strip())
    want = normalize(phrase)
    got = normalize(body)
    if want and got.endswith(want):
        return True, f"closes with {snippet(phrase, 40)!r}", 1.0
    tail = body[-40:] if len(body) > 40 else body
    return False, f"closes with {snippet(tail, 40)!r}, not {snippet(phrase, 40)!r}", 0.0


# ---------------------------------------------------------------------------------------------
# case


def check_case(text: str, kwargs: Mapping[str, Any]) -> Verdict:
    want = kwargs.get("case")
    if want not in ("upper", "lower"):
        raise KwargError(f"kwarg 'case' must be 'upper' or 'lower', got {want!r}")
    body = strip_code_blocks(text)
    letters = [ch for ch in body if ch.isalpha() and ch.isascii()]
    if not letters:
        if has_cjk(body):
            return False, "no Latin letters (Chinese text has no letter case)", 0.0
        return False, "no letters", 0.0
    wrong = [ch for ch in letters if (ch.islower() if want == "upper" else ch.isupper())]
    share = 1 - len(wrong) / len(letters)
    if not wrong:
        return True, f"all {len(letters)} letters are {want}-case", 1.0
    return False, f"{len(wrong)} of {len(letters)} letters are not {want}-case", share


SHAPE_CHECKS = {
    "poem": check_poem,
    "sentence_starts": check_sentence_starts,
    "starts_with": check_starts_with,
    "ends_with": check_ends_with,
    "case": check_case,
}
