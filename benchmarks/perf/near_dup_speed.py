"""How fast near-duplicate detection is on 100,000 synthetic SFT rows (English and Chinese).

    .venv/bin/python benchmarks/perf/near_dup_speed.py [ROWS] [INJECTED]

Rows are random questions and answers (~70 English words from a 5,000-word vocabulary, or ~110
Chinese characters from 3,000): unrelated rows share almost no 5-gram. `INJECTED` of them are
copies of other rows with one answer token changed (their true 5-gram Jaccard is printed: ~0.82-1.0,
above the 0.8 default threshold). Prints the machine, the time and rows/s of `near_duplicates`
(shingling, MinHash signatures, LSH, verification) and of the whole `clean()` (decontaminated
against `core`), and injected vs found, with recall per band of true Jaccard.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from trainers.data.clean import CleanOptions, clean  # noqa: E402
from trainers.data.formats import Example  # noqa: E402
from trainers.data.near_dup import near_duplicates  # noqa: E402
from trainers.data.text import tokens  # noqa: E402

WORDS = [f"w{i:04d}" for i in range(5000)]
HAN = [chr(0x4E00 + i) for i in range(3000)]


def synthetic(rows: int, injected: int, seed: int = 0) -> tuple[list[Example], set[int]]:
    rng = random.Random(seed)
    base = rows - injected
    examples: list[Example] = []
    for i in range(base):
        if i % 2:
            q = "".join(rng.choices(HAN, k=rng.randint(15, 30)))
            a = "".join(rng.choices(HAN, k=rng.randint(70, 110)))
            lang = "zh"
        else:
            q = " ".join(rng.choices(WORDS, k=rng.randint(8, 16))) + "?"
            a = " ".join(rng.choices(WORDS, k=rng.randint(45, 70))) + "."
            lang = "en"
        examples.append(Example([{"role": "user", "content": q}, {"role": "assistant", "content": a}], f"syn:{i + 1}", None, lang, str(i)))
    copies: dict[int, int] = {}  # injected row -> the row it copies
    for src in rng.sample(range(base), injected):
        ex = examples[src]
        a = ex.messages[1]["content"]
        if ex.lang == "zh":
            chars = list(a)
            chars[rng.randrange(len(chars))] = rng.choice(HAN)
            a = "".join(chars)
        else:
            words = a.split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            a = " ".join(words)
        copies[len(examples)] = src
        msgs = [ex.messages[0], {"role": "assistant", "content": a}]
        examples.append(Example(msgs, f"syn:{len(examples) + 1}", None, ex.lang, str(len(examples))))
    return examples, copies


def true_jaccard(a: Example, b: Example, n: int = 5) -> float:
    def grams(e: Example) -> set[tuple[str, ...]]:
        toks = tokens("\n".join(m["content"] for m in e.messages))
        return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    injected = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    print(f"machine: {platform.platform()}, python {platform.python_version()}, {os.cpu_count()} CPUs "
          f"({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} usable), {platform.processor() or platform.machine()}")
    t = time.perf_counter()
    examples, copies = synthetic(rows, injected)
    print(f"generated {len(examples):,} rows ({injected:,} injected near duplicates) in {time.perf_counter() - t:.1f} s")
    truth = {c: true_jaccard(examples[c], examples[s]) for c, s in copies.items()}
    jac = sorted(truth.values())
    print(f"  true 5-gram Jaccard of injected pairs: min {jac[0]:.3f}, median {jac[len(jac) // 2]:.3f}, max {jac[-1]:.3f}")

    opts = CleanOptions()
    t = time.perf_counter()
    found = near_duplicates(
        ["\n".join(m["content"] for m in e.messages) for e in examples],
        [e.lang for e in examples],
        threshold=opts.near_threshold,
        num_perm=opts.num_perm,
        false_negative_weight=opts.lsh_false_negative_weight,
    )
    dt = time.perf_counter() - t
    dropped = {d.index for d in found}
    clusters = len({d.kept for d in found})
    print(f"near_duplicates: {dt:.1f} s, {len(examples) / dt:,.0f} rows/s (threshold {opts.near_threshold}, num_perm {opts.num_perm})")
    print(f"  injected {len(copies):,}; found {len(dropped):,} near-duplicate rows in {clusters:,} clusters; "
          f"true positives {len(dropped & copies.keys()):,}, "
          f"false positives {len(dropped - copies.keys()):,}, missed {len(copies.keys() - dropped):,}")
    for lo, hi in ((0.8, 0.85), (0.85, 0.9), (0.9, 1.01)):
        band = [c for c, j in truth.items() if lo <= j < hi]
        if band:
            hit = sum(c in dropped for c in band)
            print(f"  recall at true Jaccard [{lo:.2f}, {min(hi, 1):.2f}): {hit}/{len(band)} = {hit / len(band):.1%}")

    t = time.perf_counter()
    result = clean(examples, [], opts, against=["core"])  # decontamination timed too
    dt = time.perf_counter() - t
    steps = ", ".join(f"{s['step']} {s['seconds']:.1f}s" for s in result.steps)
    print(f"whole clean(): {dt:.1f} s, {len(examples) / dt:,.0f} rows/s; kept {len(result.kept):,}, dropped {dict(result.dropped())}")
    print(f"  steps: {steps}")
    # Rows of a conflict (same question, answers that disagree) are reported and kept, not near-deduped.
    in_conflict = sum(len(c.sources) for c in result.conflicts)
    print(f"  conflicts: {len(result.conflicts):,} questions ({in_conflict:,} rows) reported and kept")


if __name__ == "__main__":
    main()
