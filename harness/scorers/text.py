"""Shared text helpers for the scorers: normalisation, tokens, sentences, CJK detection, counting.

Everything here is pure, deterministic and safe on any input (empty, 1 MB, any unicode, mixed
Chinese/English). Model outputs are data: nothing here evaluates them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from harness.records import Generation

# ---------------------------------------------------------------------------------------------
# Character classes

# Han ideographs (incl. extension A, compatibility, extension B+), kana, CJK symbols are handled
# separately: these are the characters that carry meaning one by one, without spaces between words.
CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\u31f0-\u31ff\U00020000-\U0002fa1f"
_CJK_CHAR_RE = re.compile(f"[{CJK_RANGES}]")
_CJK_RUN_RE = re.compile(f"[{CJK_RANGES}]+")


def _build_punct_class() -> str:
    """A regex character class of every Unicode punctuation character (categories P*)."""
    ranges: list[tuple[int, int]] = []
    # The BMP only: a class with characters beyond U+FFFF compiles to a linear range scan in `re`
    # (10x slower); the few supplementary punctuation marks (Aegean, Brahmi...) are left as is.
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if unicodedata.category(chr(cp)).startswith("P"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = []
    for a, b in ranges:
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
    return "".join(parts)


PUNCT_CLASS = _build_punct_class()

# Words: runs of letters/digits that are not CJK (so Latin, Cyrillic, Hangul... words), with
# inner apostrophes/periods/commas kept ("don't", "3.14", "e.g"); each CJK character is a token.
_WORD = f"[^\\W_{CJK_RANGES}]+(?:['’.,][^\\W_{CJK_RANGES}]+)*"
_TOKEN_RE = re.compile(f"([{CJK_RANGES}]+)|({_WORD})")
# Latin-style words only (for English word counts).
_WORD_RE = re.compile(_WORD)
_WS_RE = re.compile(r"\s+")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# Punctuation runs. A decimal point becomes a space too ("3.14" -> "3 14") on both sides of a
# comparison, and word-boundary matching keeps "3 14" from matching "3 145".
_PUNCT_RE = re.compile(f"[{PUNCT_CLASS}]+")
# Whitespace touching a CJK character carries no meaning ("首都是 Paris" == "首都是Paris").
_CJK_SPACE_RE = re.compile(f"(?<=[{CJK_RANGES}])\\s+|\\s+(?=[{CJK_RANGES}])")
# A fence line: ``` or ~~~ (3+) at a line start, then an info string. Possessive quantifiers and
# line-start entries keep this linear on pathological input (a megabyte of backticks).
_FENCE_LINE_RE = re.compile(r"^[ \t]*+(`{3,}+|~{3,}+)([^\n]*+)$", re.M)


_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


def nfkc(text: str) -> str:
    """unicodedata NFKC (full-width -> half-width...), with fast paths for the common cases."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    t = text.translate(_FULLWIDTH)  # ＡＢＣ！？（） -> ABC!?(), the usual suspects in zh text
    if unicodedata.is_normalized("NFKC", t):
        return t
    return unicodedata.normalize("NFKC", t)


def is_cjk(ch: str) -> bool:
    """True for a Han ideograph or kana character."""
    return bool(ch) and _CJK_CHAR_RE.match(ch) is not None


def has_cjk(text: str) -> bool:
    return _CJK_CHAR_RE.search(text) is not None


def cjk_ratio(text: str) -> float:
    """Share of the non-space characters of `text` that are CJK (0.0 for empty text)."""
    n = count_chars(text)
    if not n:
        return 0.0
    return sum(len(m) for m in _CJK_RUN_RE.findall(text)) / n


def crosses_language(a: str, b: str) -> bool:
    """One text is mostly Chinese and the other mostly not (a translation shares no words with its source)."""
    return abs(cjk_ratio(a) - cjk_ratio(b)) > 0.5


_LATIN_ACCENTED_RE = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")


def _strip_latin_marks(text: str) -> str:
    """Drop accents from Latin letters ("São" -> "Sao"), leave other scripts' marks alone."""
    if not _LATIN_ACCENTED_RE.search(text):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    out = []
    prev = ""
    for ch in decomposed:
        if unicodedata.combining(ch) and prev and ord(prev) < 0x250:
            continue
        out.append(ch)
        prev = ch
    return unicodedata.normalize("NFC", "".join(out))


_CACHE_MAX_LEN = 4000  # only short texts are memoised (a few scorers normalise the same answer)


def normalize(text: str) -> str:
    """Normalise for matching, in a way that respects zh and en.

    NFKC (full-width -> half-width), case-fold, Latin accents dropped, thousands separators
    removed ("6,300" -> "6300"), punctuation (ASCII and CJK: 。，！？：；「」『』（）…) replaced by a
    space, whitespace collapsed, and whitespace next to CJK characters removed.
    """
    if not text:
        return ""
    if len(text) <= _CACHE_MAX_LEN:
        return _normalize_cached(text)
    return _normalize(text)


def _normalize(text: str) -> str:
    t = nfkc(text).casefold()
    if not t.isascii():
        t = _strip_latin_marks(t)
    t = _THOUSANDS_RE.sub("", t)
    t = _PUNCT_RE.sub(" ", t)
    t = _WS_RE.sub(" ", t).strip()
    if not t.isascii():
        t = _CJK_SPACE_RE.sub("", t)
    return t


_normalize_cached = lru_cache(maxsize=4096)(_normalize)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not is_cjk(ch)


def contains_normalized(haystack: str, needle: str) -> bool:
    """`needle` occurs in `haystack` (both already normalised) on word boundaries.

    A needle that starts/ends with a Latin letter or digit must not be glued to another one
    ("4" is not found in "14", "paris" is found in "巴黎paris"); CJK needles match anywhere.
    """
    if not needle:
        return False
    check_start = _is_word_char(needle[0])
    check_end = _is_word_char(needle[-1])
    start = 0
    n = len(needle)
    while True:
        i = haystack.find(needle, start)
        if i < 0:
            return False
        before_ok = not check_start or i == 0 or not _is_word_char(haystack[i - 1])
        after_ok = not check_end or i + n >= len(haystack) or not _is_word_char(haystack[i + n])
        if before_ok and after_ok:
            return True
        start = i + 1


def find_any(text: str, candidates: list[str]) -> str | None:
    """The first candidate whose normalised form occurs in normalised `text`, else None."""
    hay = normalize(text)
    for cand in candidates:
        if contains_normalized(hay, normalize(cand)):
            return cand
    return None


def tokens(text: str) -> tuple[str, ...]:
    """Case-folded, NFKC tokens: a Latin/other-script word or a single CJK character each."""
    if not text:
        return ()
    if len(text) <= _CACHE_MAX_LEN:
        return _tokens_cached(text)
    return _tokens(text)


def _tokens(text: str) -> tuple[str, ...]:
    t = nfkc(text).casefold()
    t = _THOUSANDS_RE.sub("", t)
    out: list[str] = []
    for cjk, word in _TOKEN_RE.findall(t):
        if cjk:
            out.extend(cjk)  # one token per CJK character
        else:
            out.append(word)
    return tuple(out)


_tokens_cached = lru_cache(maxsize=4096)(_tokens)


def count_words(text: str) -> int:
    """Words as a reader counts them: each space-separated word, plus each CJK character."""
    if not text:
        return 0
    return len(_WORD_RE.findall(text)) + sum(len(m) for m in _CJK_RUN_RE.findall(text))


def count_chars(text: str) -> int:
    """Characters excluding whitespace (how Chinese length limits are counted)."""
    if not text:
        return 0
    return len(text) - sum(len(m) for m in _WS_RE.findall(text))


# ---------------------------------------------------------------------------------------------
# Sentences and lines

_CLOSERS = "”’\"'」』）)】》〉\\]*"
_SENT_END_RE = re.compile(
    # the leading lookahead lets `re` skip ordinary characters fast
    # (a period run is only tried from its start, possessively: linear on "......x")
    f"(?=[。！？!?….\\n])(?:[。！？!?…]+[{_CLOSERS}]*|(?<!\\.)\\.++[{_CLOSERS}]*+(?=\\s|$)|\\n+)"
)
_QUESTION_END_RE = re.compile(f"[?？][{_CLOSERS}\\s]*$")


def split_sentences(text: str) -> tuple[str, ...]:
    """Split on sentence ends (. ! ? 。！？… and newlines); returns stripped, non-empty pieces.

    A period only ends a sentence before whitespace or the end ("3.14", "e.g.x" stay whole).
    """
    if not text:
        return ()
    if len(text) <= _CACHE_MAX_LEN:
        return _split_sentences_cached(text)
    return _split_sentences(text)


def _split_sentences(text: str) -> tuple[str, ...]:
    out = []
    start = 0
    for m in _SENT_END_RE.finditer(text):
        piece = text[start : m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return tuple(out)


_split_sentences_cached = lru_cache(maxsize=4096)(_split_sentences)


def is_question(sentence: str) -> bool:
    """The sentence ends with a question mark (ASCII or full-width), quotes/markup aside."""
    return _QUESTION_END_RE.search(sentence) is not None


def code_fences(text: str) -> list[tuple[str, int, int, str]]:
    """Fenced code blocks as (info string, block start, block end, code), in order.

    Fences open at a line start (any indentation) with ``` or ~~~ and close on a line holding the
    same character at least as many times and nothing else; an unclosed fence runs to the end.
    """
    if "```" not in text and "~~~" not in text:
        return []
    blocks: list[tuple[str, int, int, str]] = []
    opened: tuple[str, str, int, int] | None = None  # fence, info, block start, code start
    for m in _FENCE_LINE_RE.finditer(text):
        fence, info = m.group(1), m.group(2)
        if opened is None:
            if fence[0] == "`" and "`" in info:
                continue  # ```inline``` code, not a fence
            opened = (fence, info.strip(), m.start(), m.end() + 1)
        elif fence[0] == opened[0][0] and len(fence) >= len(opened[0]) and not info.strip():
            blocks.append((opened[1], opened[2], m.end(), text[opened[3] : m.start()]))
            opened = None
    if opened is not None:
        blocks.append((opened[1], opened[2], len(text), text[opened[3] :]))
    return blocks


def strip_code_blocks(text: str) -> str:
    """Remove fenced code blocks (``` or ~~~; an unclosed fence runs to the end)."""
    blocks = code_fences(text)
    if not blocks:
        return text
    parts = []
    pos = 0
    for _, start, end, _ in blocks:
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "\n".join(parts)


def snippet(text: str, limit: int = 60) -> str:
    """A one-line excerpt for reasons: whitespace collapsed, cut at `limit` characters."""
    t = _WS_RE.sub(" ", text).strip()
    return t if len(t) <= limit else t[: limit - 1] + "…"


def line_number(text: str, pos: int) -> int:
    """1-based line of character offset `pos`."""
    return text.count("\n", 0, pos) + 1


# ---------------------------------------------------------------------------------------------
# Declared checks: ids, kwargs, which turn


class KwargError(ValueError):
    """A declared check's kwargs are unusable; becomes a failed Check with this message."""


def int_kwarg(kwargs: Mapping[str, Any], name: str, default: int | None = None, minimum: int = 0) -> int:
    if name not in kwargs or kwargs[name] is None:
        if default is None:
            raise KwargError(f"kwarg '{name}' is required")
        return default
    v = kwargs[name]
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise KwargError(f"kwarg '{name}' must be an integer, got {v!r}")
    try:
        iv = int(v)
    except (TypeError, ValueError, OverflowError):
        raise KwargError(f"kwarg '{name}' must be an integer, got {v!r}") from None
    if iv != v and not isinstance(v, str):
        raise KwargError(f"kwarg '{name}' must be an integer, got {v!r}")
    if iv < minimum:
        raise KwargError(f"kwarg '{name}' must be >= {minimum}, got {iv}")
    return iv


def str_list_kwarg(kwargs: Mapping[str, Any], name: str, required: bool = True) -> list[str]:
    """A kwarg holding a non-empty list of non-empty strings (a lone string is a list of one)."""
    v = kwargs.get(name)
    if v is None and not required:
        return []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list | tuple) or not v or not all(isinstance(x, str) and x.strip() for x in v):
        raise KwargError(f"kwarg '{name}' must be a non-empty list of strings, got {v!r}")
    return list(v)


def spec_fields(spec: Any) -> tuple[str, Mapping[str, Any] | Any]:
    """(id, kwargs) of a CheckSpec (or a plain dict from a hand-built case)."""
    if isinstance(spec, Mapping):
        return str(spec.get("id", "")), spec.get("kwargs") or {}
    return str(getattr(spec, "id", "")), getattr(spec, "kwargs", None) or {}


def pick_turn(kwargs: Mapping[str, Any], gen: Generation) -> tuple[int, str]:
    """(0-based index, answer text) of the turn named by kwargs `turn` (1-based), default the last."""
    n = len(gen.turns)
    if "turn" in kwargs and kwargs["turn"] is not None:
        t = int_kwarg(kwargs, "turn", minimum=1)
        if t > n:
            raise KwargError(f"kwarg 'turn' is {t} but the model answered {n} turn(s)")
        idx = t - 1
    else:
        if n == 0:
            raise KwargError("the model produced no answer")
        idx = n - 1
    text = gen.turns[idx].text
    return idx, text if isinstance(text, str) else ""
