"""How long the paired statistics of one report take, on synthetic results of 1,000 and 10,000 cases.

    .venv/bin/python benchmarks/perf/stats_speed.py [N ...]

Each case looks like the demo's: 4 metric families with 1-5 checks each (some with a numeric
`value`), a last-turn token count, 5 categories and 2 languages, so one report has about
20 metrics x 8 slices = 160 rows, all bootstrapped (10,000 resamples) in one joint pass.
Prints the machine, n, the number of rows and seconds: the whole `rows_from_cases` (tests,
bootstrap, Holm, flips) and the bootstrap alone.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from harness.comparison import rows_from_cases  # noqa: E402
from harness.stats import BOOTSTRAP_RESAMPLES, bootstrap_ci  # noqa: E402

FAMILIES = {
    "directness": ["echo", "continuation", "stopped", "repetition", "empty"],
    "format": ["numbered_list", "max_words"],
    "coherence": ["recall", "role_leak"],
    "correctness": ["contains"],
}
CATEGORIES = ["factual", "instruction", "creative", "code", "reasoning"]


def synthetic_cases(n: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n):
        cat = CATEGORIES[i % len(CATEGORIES)]
        sides = {}
        for side, p_pass in (("base", 0.35), ("sft", 0.8)):
            checks, scores = [], {}
            for fam, ids in FAMILIES.items():
                if fam == "format" and cat != "instruction":
                    continue
                if fam == "coherence" and i % 4:
                    continue
                oks = rng.random(len(ids)) < p_pass
                for cid, ok in zip(ids, oks, strict=True):
                    c = {"id": f"{fam}:{cid}", "passed": bool(ok), "reason": "synthetic", "family": fam}
                    if cid in ("echo", "repetition", "max_words"):
                        c["value"] = float(rng.random())
                    checks.append(c)
                scores[fam] = float(oks.all())
            sides[side] = {
                "outputs": ["…"],
                "finish_reasons": ["stop"],
                "output_tokens": [int(rng.integers(5, 129))],
                "scores": scores,
                "checks": checks,
            }
        cases.append({"id": f"case-{i:05d}", "category": cat, "lang": "en" if i % 2 else "zh", **sides})
    return cases


def main(sizes: list[int]) -> None:
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(f"machine: {machine}, {os.cpu_count()} CPUs visible, python {platform.python_version()}, numpy {np.__version__}")
    print(f"{'n':>7} {'rows':>6} {'all stats (s)':>14} {'bootstrap only (s)':>19}")
    for n in sizes:
        cases = synthetic_cases(n)
        rows_from_cases(cases[:50], resamples=100)  # warm-up (imports, BLAS threads)
        t0 = time.perf_counter()
        rows = rows_from_cases(cases)
        total = time.perf_counter() - t0
        diffs = np.random.default_rng(0).normal(size=(n, len(rows)))
        t0 = time.perf_counter()
        bootstrap_ci(diffs, resamples=BOOTSTRAP_RESAMPLES)
        boot = time.perf_counter() - t0
        print(f"{n:>7} {len(rows):>6} {total:>14.3f} {boot:>19.3f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000])
