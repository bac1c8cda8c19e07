"""Clean SFT data: quality filters, exact and near duplicates, conflicts, decontamination, balance.

    loaded = load_examples(["alpaca.json", "chats.jsonl"])
    result = clean(loaded.examples, loaded.rejected, CleanOptions(), against=["core"])
    result.kept            # Examples to train on, in input order
    result.to_report()     # JSON-able: counts, drops per reason with examples, conflicts, ...

Steps run in this order, each on the rows the previous ones kept: filters (filters.py), exact
duplicates, near duplicates (near_dup.py), conflicting answers, decontamination against
evaluation suites (decontam.py), per-category caps. Every row read is accounted for exactly once:
kept + dropped + rejected == read (checked on every call). See docs/data-cleaning.md.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from harness.records import Case
from trainers.data.decontam import SuiteRef, build_index, contaminated
from trainers.data.filters import quality_problem
from trainers.data.formats import Example, Rejected
from trainers.data.near_dup import near_duplicates
from trainers.data.options import CleanOptions
from trainers.data.text import normalize, tokens

SCHEMA = "harness.data-clean/v1"
REASONS = (
    "empty_answer",
    "placeholder_answer",
    "answer_too_short",
    "answer_too_long",
    "repetitive_answer",
    "restated_question",
    "exact_duplicate",
    "near_duplicate",
    "conflicting_answer",
    "contaminated",
    "category_cap",
)
NO_CATEGORY = "(none)"
EXCERPT = 200


@dataclass
class Drop:
    example_source: str
    reason: str
    detail: str
    kept_source: str | None = None  # duplicates and conflicts: the row kept in this one's place
    example: Example | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"source": self.example_source, "detail": self.detail}
        if self.kept_source:
            d["kept_source"] = self.kept_source
        if self.example is not None:
            d["prompt"] = _cut(self.example.prompt)
            d["answer"] = _cut(self.example.answer)
        return d


@dataclass
class Conflict:
    """One question answered differently by several rows."""

    prompt: str
    sources: list[str]
    answers: list[str]
    kept: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt": _cut(self.prompt),
            "rows": [{"source": s, "answer": _cut(a)} for s, a in zip(self.sources, self.answers, strict=True)],
            "kept": self.kept,
        }


@dataclass
class CleanResult:
    kept: list[Example]
    drops: list[Drop]
    rejected: list[Rejected]
    conflicts: list[Conflict]
    decontamination: list[SuiteRef]
    options: CleanOptions
    rows_read: int
    steps: list[dict[str, Any]]  # per step: rows in, rows dropped, seconds
    before: dict[str, dict[str, int]]
    after: dict[str, dict[str, int]]

    def dropped(self) -> Counter:
        return Counter(d.reason for d in self.drops)

    def to_report(self, sources: Sequence[Any] = ()) -> dict[str, Any]:
        by_reason: dict[str, list[Drop]] = defaultdict(list)
        for d in self.drops:
            by_reason[d.reason].append(d)
        step_in = {s["step"]: s["in"] for s in self.steps}
        counts = self.dropped()

        def rate(step: str, reason: str) -> float | None:
            n = step_in.get(step)
            return round(counts[reason] / n, 6) if n else None

        return {
            "schema": SCHEMA,
            "counts": {
                "read": self.rows_read,
                "kept": len(self.kept),
                "rejected": len(self.rejected),
                "dropped": len(self.drops),
            },
            "inputs": [s.to_dict() if hasattr(s, "to_dict") else s for s in sources],
            "dropped": {
                r: {"count": counts[r], "examples": [d.to_dict() for d in by_reason[r][: self.options.report_examples]]}
                for r in REASONS
            },
            "rejected": [{"source": r.source, "field": r.field, "reason": r.reason} for r in self.rejected],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "decontamination": [s.to_dict() for s in self.decontamination],
            "distribution": {"before": self.before, "after": self.after},
            "duplicate_rate": {"exact": rate("exact_duplicates", "exact_duplicate"), "near": rate("near_duplicates", "near_duplicate")},
            "steps": self.steps,
            "options": asdict(self.options),
        }


def _cut(text: str, limit: int = EXCERPT) -> str:
    return text if len(text) <= limit else text[:limit] + f"… [{len(text) - limit} more chars]"


def conversation_key(ex: Example, upto: int | None = None) -> str:
    """Hash of the normalised conversation (roles included): equal for rows that differ only in
    case, spacing, punctuation or Unicode width."""
    parts = (f"{m['role']}\x1f{normalize(m['content'])}" for m in ex.messages[:upto])
    return hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()


def distribution(examples: Sequence[Example]) -> dict[str, dict[str, int]]:
    cats = Counter(e.category or NO_CATEGORY for e in examples)
    langs = Counter(e.lang for e in examples)
    return {"category": dict(cats.most_common()), "lang": dict(langs.most_common())}


def full_text(ex: Example) -> str:
    return "\n".join(m["content"] for m in ex.messages)


class _Pipeline:
    """The rows still alive, and every drop with its reason, as the steps run."""

    def __init__(self, examples: Sequence[Example]) -> None:
        self.examples = examples
        self.alive = list(range(len(examples)))
        self.drops: list[Drop] = []
        self.steps: list[dict[str, Any]] = []

    def run(self, name: str, step) -> None:
        t0, before = time.perf_counter(), len(self.alive)
        dropped = step(self.alive) or {}
        self.alive = [i for i in self.alive if i not in dropped]
        self.steps.append({"step": name, "in": before, "dropped": len(dropped), "seconds": round(time.perf_counter() - t0, 3)})

    def drop(self, out: dict[int, Drop], i: int, reason: str, detail: str, kept: int | None = None) -> None:
        ex = self.examples[i]
        d = Drop(ex.source, reason, detail, self.examples[kept].source if kept is not None else None, ex)
        out[i] = d
        self.drops.append(d)


def clean(
    examples: Sequence[Example],
    rejected: Sequence[Rejected] = (),
    options: CleanOptions | None = None,
    against: Sequence[str] = (),
    notes: list[str] | None = None,
    suites: Sequence[tuple[str, list[Case]]] | None = None,
) -> CleanResult:
    """Run every cleaning step; `against` names evaluation suites (harness.suites refs) to
    decontaminate against (or pass them loaded as `suites`: (ref, cases) pairs)."""
    opts = options or CleanOptions()
    p = _Pipeline(examples)

    def filters(alive: list[int]) -> dict[int, Drop]:
        out: dict[int, Drop] = {}
        for i in alive:
            problem = quality_problem(examples[i], opts)
            if problem:
                p.drop(out, i, *problem)
        return out

    def exact(alive: list[int]) -> dict[int, Drop]:
        out: dict[int, Drop] = {}
        first: dict[str, int] = {}
        for i in alive:
            k = conversation_key(examples[i])
            if k in first:
                p.drop(out, i, "exact_duplicate", "same normalised conversation", first[k])
            else:
                first[k] = i
        return out

    def near(alive: list[int]) -> dict[int, Drop]:
        out: dict[int, Drop] = {}
        # Rows of a reported conflict are the user's to resolve: near-dedup would silently keep one
        # answer ("The capital of China is Helsinki." differs from the right one by a word).
        alive = [i for i in alive if i not in in_conflict]
        found = find_near_duplicates([examples[i] for i in alive], opts)
        for nd in found:
            i, k = alive[nd.index], alive[nd.kept]
            p.drop(out, i, "near_duplicate", f"MinHash Jaccard ~{nd.jaccard:.2f} with {examples[k].source}", k)
        return out

    conflicts: list[Conflict] = []
    in_conflict: set[int] = set()

    def conflicting(alive: list[int]) -> dict[int, Drop]:
        out: dict[int, Drop] = {}
        groups: dict[str, list[int]] = defaultdict(list)
        for i in alive:
            groups[conversation_key(examples[i], -1)].append(i)
        for rows in groups.values():
            if not _disagree([examples[i].answer for i in rows], opts):
                continue
            kept = rows[:1] if opts.drop_conflicts else rows
            in_conflict.update(kept)
            conflicts.append(
                Conflict(
                    examples[rows[0]].prompt,
                    [examples[i].source for i in rows],
                    [examples[i].answer for i in rows],
                    [examples[i].source for i in kept],
                )
            )
            if opts.drop_conflicts:
                for i in rows[1:]:
                    p.drop(out, i, "conflicting_answer", f"same question as {examples[rows[0]].source}, another answer", rows[0])
        return out

    refs: list[SuiteRef] = []

    def decontaminate(alive: list[int]) -> dict[int, Drop]:
        loaded = list(suites) if suites is not None else _load_suites(against, notes)
        if not loaded:
            return {}
        index = build_index(loaded, opts.decontam_ngram, opts.decontam_ngram_zh, opts.decontam_min_tokens)
        refs.extend(index.refs)
        out: dict[int, Drop] = {}
        for j, hit in sorted(contaminated([full_text(examples[i]) for i in alive], index, opts.decontam_template_rows).items()):
            ref = index.refs[hit.suite]
            ref.rows_dropped += 1
            what = "contains the prompt of" if hit.whole else f"shares a {hit.n}-token n-gram with"
            p.drop(out, alive[j], "contaminated", f"{what} {ref.ref} case {hit.case_id}")
        return out

    def cap(alive: list[int]) -> dict[int, Drop]:
        out: dict[int, Drop] = {}
        if opts.max_per_category is None:
            return out
        by_cat: dict[str, list[int]] = defaultdict(list)
        for i in alive:
            by_cat[examples[i].category or NO_CATEGORY].append(i)
        rng = random.Random(opts.seed)
        for cat in sorted(by_cat):
            rows = by_cat[cat]
            if len(rows) <= opts.max_per_category:
                continue
            keep = set(rng.sample(rows, opts.max_per_category))
            for i in rows:
                if i not in keep:
                    p.drop(out, i, "category_cap", f"category {cat!r}: {len(rows)} rows, cap {opts.max_per_category}")
        return out

    p.run("filters", filters)
    if opts.exact_dedup:
        p.run("exact_duplicates", exact)
    p.run("conflicts", conflicting)
    if opts.near_dedup:
        p.run("near_duplicates", near)
    p.run("decontamination", decontaminate)
    p.run("category_cap", cap)

    kept = [examples[i] for i in p.alive]
    result = CleanResult(
        kept=kept,
        drops=p.drops,
        rejected=list(rejected),
        conflicts=conflicts,
        decontamination=refs,
        options=opts,
        rows_read=len(examples) + len(rejected),
        steps=p.steps,
        before=distribution(examples),
        after=distribution(kept),
    )
    check_accounting(result, examples)
    return result


def _shingle_set(text: str, n: int) -> frozenset[tuple[str, ...]]:
    toks = tokens(text)  # words, and CJK characters one by one
    return frozenset(zip(*(toks[i:] for i in range(n)), strict=False)) if len(toks) >= n else frozenset([tuple(toks)])


def _disagree(answers: Sequence[str], opts: CleanOptions) -> bool:
    """Two of the answers disagree: they are no near duplicates of each other (exact 5-gram Jaccard
    under the near-duplicate threshold) and neither one's words contain the other's. "The capital of
    China is Helsinki." disagrees with "...Beijing."; a long answer reworded in places, or one with
    "Thanks!" added, is the same answer (a near duplicate), not a conflict."""
    distinct = sorted({normalize(a) for a in answers})
    if len(distinct) < 2:
        return False
    words = [frozenset(tokens(a)) for a in distinct]
    grams = [_shingle_set(a, opts.shingle_words) for a in distinct]
    for j in range(len(distinct)):
        for k in range(j + 1, len(distinct)):
            if words[j] <= words[k] or words[k] <= words[j]:
                continue
            union = len(grams[j] | grams[k])
            if union and len(grams[j] & grams[k]) / union >= opts.near_threshold:
                continue
            return True
    return False


def find_near_duplicates(examples: Sequence[Example], opts: CleanOptions) -> list:
    """Near duplicates among `examples` (whole conversations) under the options' MinHash settings."""
    return near_duplicates(
        [full_text(e) for e in examples],
        [e.lang for e in examples],
        threshold=opts.near_threshold,
        num_perm=opts.num_perm,
        n=opts.shingle_words,
        n_zh=opts.shingle_chars_zh,
        seed=opts.minhash_seed,
        false_negative_weight=opts.lsh_false_negative_weight,
    )


def check_accounting(result: CleanResult, examples: Sequence[Example]) -> None:
    """Every row read is kept, dropped once or rejected: nothing vanishes, nothing counts twice."""
    dropped = Counter(id(d.example) for d in result.drops)
    kept = Counter(id(e) for e in result.kept)
    twice = [e.source for e in examples if dropped[id(e)] + kept[id(e)] != 1]
    total = len(result.kept) + len(result.drops) + len(result.rejected)
    if twice or total != result.rows_read:
        raise AssertionError(
            f"cleaning lost track of rows: kept {len(result.kept)} + dropped {len(result.drops)} + rejected "
            f"{len(result.rejected)} = {total} != read {result.rows_read}; rows not counted exactly once: {twice[:5]}"
        )


def _load_suites(refs: Sequence[str], notes: list[str] | None) -> list[tuple[str, list[Case]]]:
    from harness.suites import load_suites

    return [(ref, load_suites([ref], notes=notes if notes is not None else [])) for ref in refs]
