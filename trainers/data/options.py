"""The knobs of data cleaning (`harness data clean`, `harness train`): one dataclass, with a help
text per field. Its own module because both the cleaning pipeline (clean.py) and the per-row
filters it runs (filters.py) read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CleanOptions:
    min_answer_chars: int = field(default=1, metadata={"help": "shortest answer kept, in non-space characters (1: a one-digit answer is a real answer)"})
    max_answer_chars: int = field(default=20_000, metadata={"help": "longest answer kept, in non-space characters (0 = no limit)"})
    repeat_sentences: int = field(default=3, metadata={"help": "an answer saying one sentence this many times is repetitive"})
    min_repeated_sentence_chars: int = field(default=10, metadata={"help": "shorter sentences (list markers, 'Yes.') may repeat freely"})
    loop_ngram: int = field(default=4, metadata={"help": "word n-gram used to detect looping English answers"})
    loop_ngram_zh: int = field(default=6, metadata={"help": "character n-gram used to detect looping Chinese answers"})
    loop_coverage: float = field(default=0.5, metadata={"help": "repetitive when repeated n-grams cover this share of the answer's tokens"})
    loop_min_tokens: int = field(default=16, metadata={"help": "answers shorter than this (tokens) are not checked for loops"})
    restate_jaccard: float = field(default=0.9, metadata={"help": "restated question: token-sequence similarity (difflib ratio) of answer and question at least this"})
    restate_new_share: float = field(default=0.1, metadata={"help": "... and at most this share of the answer's tokens are new"})
    exact_dedup: bool = field(default=True, metadata={"help": "drop exact duplicates (normalised text of the whole conversation)"})
    near_dedup: bool = field(default=True, metadata={"help": "drop near duplicates (MinHash LSH)"})
    near_threshold: float = field(default=0.8, metadata={"help": "Jaccard similarity of shingle sets from which rows are near duplicates"})
    num_perm: int = field(default=128, metadata={"help": "MinHash permutations"})
    shingle_words: int = field(default=5, metadata={"help": "near-dup shingles: word n-grams for English and other spaced languages"})
    shingle_chars_zh: int = field(default=5, metadata={"help": "near-dup shingles: character n-grams for Chinese, Japanese, Korean"})
    lsh_false_negative_weight: float = field(default=0.9, metadata={"help": "LSH band tuning: weight of missed pairs vs extra candidates (candidates are verified)"})
    minhash_seed: int = field(default=1, metadata={"help": "seed of the MinHash permutations"})
    drop_conflicts: bool = field(default=False, metadata={"help": "same question, different answers: keep only the first (default: keep all, report)"})
    decontam_ngram: int = field(default=13, metadata={"help": "decontamination: word n-gram shared with a suite prompt"})
    decontam_ngram_zh: int = field(default=8, metadata={"help": "decontamination: character n-gram for Chinese suite prompts"})
    decontam_template_rows: int = field(default=10, metadata={"help": "a shared n-gram in this many training rows or more is a phrasing template, not a leak (0 = count every shared n-gram)"})
    decontam_min_tokens: int = field(default=4, metadata={"help": "suite prompts shorter than this (tokens) are not matched"})
    max_per_category: int | None = field(default=None, metadata={"help": "keep at most this many rows per category (None = no cap)"})
    seed: int = field(default=0, metadata={"help": "seed for choosing which rows a category cap keeps"})
    report_examples: int = field(default=3, metadata={"help": "examples quoted per drop reason in the report"})
