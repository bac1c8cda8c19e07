"""Decontamination: training rows that share an n-gram with an evaluation suite's prompts.

A suite prompt of at least n tokens contributes its n-grams (n = 13 words for English, 8
characters for Chinese by default); a shorter one (but at least `min_tokens` long) contributes
itself whole, so a training row that contains it verbatim matches. Token n-grams are compared as
64-bit hashes over the normalised token stream (text.py: casefolded, punctuation ignored), for all
training rows at once with numpy. Prompts *and* answers of a training row are checked: a copied
benchmark question in an answer leaks as much as in a prompt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from harness.records import Case
from harness.suites.fingerprint import prompt_hashes, prompts_fingerprint
from trainers.data.text import TokenHasher, concat, is_char_lang, ngram_hashes, tokens


@dataclass
class SuiteRef:
    ref: str
    cases: int
    prompts_sha256: str
    rows_dropped: int = 0
    # per-prompt hashes: a later compare of part of the suite (--limit, --category) can still tell
    # that its prompts were checked (harness/provenance.py)
    prompt_hashes: list[str] = field(default_factory=list)
    template_ngrams_ignored: int = 0  # shared n-grams too common in the training data to be a leak

    def to_dict(self) -> dict:
        return {"ref": self.ref, "cases": self.cases, "prompts_sha256": self.prompts_sha256,
                "rows_dropped": self.rows_dropped, "template_ngrams_ignored": self.template_ngrams_ignored,
                "prompt_hashes": self.prompt_hashes}


@dataclass
class Hit:
    suite: int  # index into the SuiteRef list
    case_id: str
    n: int  # the n-gram length that matched
    whole: bool  # the whole (short) suite prompt matched


@dataclass
class SuiteIndex:
    """Hashed n-grams of suite prompts, per n-gram length: hash -> the first case that has it."""

    refs: list[SuiteRef] = field(default_factory=list)
    grams: dict[int, dict[int, Hit]] = field(default_factory=dict)


def build_index(
    suites: Sequence[tuple[str, list[Case]]], n: int = 13, n_zh: int = 8, min_tokens: int = 4
) -> SuiteIndex:
    index = SuiteIndex()
    hasher = TokenHasher()
    for s, (ref, cases) in enumerate(suites):
        index.refs.append(SuiteRef(ref, len(cases), prompts_fingerprint(cases), prompt_hashes=prompt_hashes(cases)))
        for c in cases:
            nn = n_zh if is_char_lang(c.lang) else n
            for turn in c.turns:
                toks = hasher(tokens(turn))
                if len(toks) < min_tokens:
                    continue  # "hi" or "2+2?" in a training row is no evidence of a leak
                size = min(nn, len(toks))
                flat, offsets = concat([toks])
                hashes, _ = ngram_hashes(flat, offsets, size)
                table = index.grams.setdefault(size, {})
                for h in hashes.tolist():
                    table.setdefault(h, Hit(s, c.id, size, size < nn))
    return index


def contaminated(texts: Sequence[str], index: SuiteIndex, template_rows: int = 0) -> dict[int, Hit]:
    """Row index -> the first suite prompt it shares an n-gram with (rows that share none are absent).

    `template_rows` > 0: a shared n-gram found in that many training rows or more is a phrasing template
    ("的首都是哪座城市", "What is the capital of") rather than a leak, and does not count; a leaked prompt
    still shares its rarer n-grams (the entity, the specifics). Whole short prompts always count.
    Ignored templates are tallied on the suite's SuiteRef."""
    if not index.grams or not texts:
        return {}
    hasher = TokenHasher()
    flat, offsets = concat([hasher(tokens(t)) for t in texts])
    found: dict[int, Hit] = {}
    for size in sorted(index.grams, reverse=True):
        table = index.grams[size]
        hashes, rows = ngram_hashes(flat, offsets, size)
        keys = np.fromiter(table.keys(), dtype=np.uint64, count=len(table))
        hit = np.isin(hashes, keys)
        hh, rr = hashes[hit], rows[hit]
        if template_rows > 0 and len(hh):
            pairs = np.unique(np.stack([hh, rr.astype(np.uint64)]), axis=1)  # distinct (hash, row)
            uniq, counts = np.unique(pairs[0], return_counts=True)
            common = uniq[counts >= template_rows]
            if len(common):
                for h in common.tolist():
                    if not table[h].whole:
                        index.refs[table[h].suite].template_ngrams_ignored += 1
                keep = ~np.isin(hh, common) | np.fromiter((table[h].whole for h in hh.tolist()), dtype=bool, count=len(hh))
                hh, rr = hh[keep], rr[keep]
        for h, r in zip(hh.tolist(), rr.tolist(), strict=True):
            found.setdefault(r, table[h])
    return found
