"""Text normalisation, tokens and vectorised n-gram hashing shared by the cleaning steps.

One token stream serves English and Chinese alike: a CJK character is a token of its own, any
other run of word characters is a token. "Word n-grams" for English and "character n-grams" for
Chinese are then the same n-grams over this stream with a different n per language.

N-gram hashes are computed for many rows at once with numpy (a polynomial rolling hash over
64-bit token hashes): the Python work is one dict lookup per token, which is what keeps near-dup
and decontamination on 100,000 rows in seconds rather than minutes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import xxhash

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_TOKEN = re.compile(rf"[{CJK}]|[^\W{CJK}]+")
_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]+")
CHAR_LANGS = ("zh", "ja", "ko")  # languages without spaces between words: n-grams of characters

MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_ROLL = np.uint64(0x100000001B3)  # FNV prime: odd, so the rolling multiply loses no bits


def normalize(text: str) -> str:
    """NFKC, casefold, punctuation removed, whitespace collapsed: what "the same text" means here."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


def tokens(text: str) -> list[str]:
    """Tokens of the normalised text: CJK characters one by one, other words whole."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


class TokenHasher:
    """Stable 64-bit token hashes (xxh64), cached: a corpus repeats a small vocabulary."""

    def __init__(self) -> None:
        self.cache: dict[str, int] = {}

    def __call__(self, toks: Sequence[str]) -> list[int]:
        cache = self.cache
        out = []
        for t in toks:
            h = cache.get(t)
            if h is None:
                h = cache[t] = xxhash.xxh64_intdigest(t.encode())
            out.append(h)
        return out


def concat(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token hashes of many rows as one uint64 array plus row offsets (len(rows) + 1)."""
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter((h for r in rows for h in r), dtype=np.uint64, count=int(offsets[-1]))
    return flat, offsets


def ngram_hashes(flat: np.ndarray, offsets: np.ndarray, n: int | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(hash, row) of every n-gram that lies inside one row; `n` may differ per row (an array).

    A row shorter than its n gives no n-gram here (see `whole_hash` for those).
    """
    rows = len(offsets) - 1
    lengths = np.diff(offsets)
    per_row_n = np.broadcast_to(np.asarray(n, dtype=np.int64), (rows,))
    nmax = int(per_row_n.max()) if rows else 0
    total = len(flat)
    if total == 0 or nmax == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    row_of = np.repeat(np.arange(rows), lengths)
    start_ok = np.arange(total) + per_row_n[row_of] <= offsets[1:][row_of]
    padded = np.concatenate([flat, np.zeros(nmax, np.uint64)])
    # Polynomial hash sum(h[i+k] * P^(n-1-k)); rows with a smaller n stop adding terms early.
    with np.errstate(over="ignore"):
        h = padded[:total].copy()
        for k in range(1, nmax):
            more = per_row_n[row_of] > k
            h = np.where(more, h * _ROLL + padded[k : k + total], h)
        h ^= h >> np.uint64(29)  # mix the high bits down: the rolling multiply leaves low bits weak
    return h[start_ok], row_of[start_ok]


def whole_hash(hashes: Sequence[int]) -> int:
    """The rolling hash of a whole (short) token sequence, equal to its n-gram hash for n = len."""
    h = 0
    for x in hashes:
        h = (h * int(_ROLL) + x) & int(MASK64)
    return h ^ (h >> 29)


def is_char_lang(lang: str) -> bool:
    return lang in CHAR_LANGS
