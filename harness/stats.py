"""Paired statistics for before/after comparisons on the same cases.

Everything here is pure (numbers in, numbers out) and knows nothing about suites or models:

- `mcnemar_exact`: binary outcomes, exact two-sided binomial test on the discordant pairs;
- `wilcoxon_signed_rank`: continuous outcomes, Wilcoxon signed-rank test on the differences;
- `bootstrap_ci`: paired bootstrap percentile CIs of the mean difference for every row of a
  report at once: one seeded joint resampling of the cases, one matrix product per block;
- `holm`: Holm's step-down correction of a family of p-values;
- `clustered_mean` / `clustered_accuracy`: a mean with a cluster-robust standard error
  (IFEval instruction-level accuracy, clusters = prompts);
- `is_significant` / `verdict`: the one significance rule (corrected p < alpha and the CI excludes 0)
  and the improved / regressed / unchanged verdict built on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import binom, rankdata, wilcoxon

ALPHA = 0.05
FEW_DISCORDANT = 10  # below this, say the sample is small instead of pretending precision
BOOTSTRAP_RESAMPLES = 10_000
BOOTSTRAP_SEED = 0
CI_LEVEL = 0.95
# Resampled count matrices are built in blocks of about this many cells (cache-sized for bincount).
_BINCOUNT_CELLS = 1 << 16
_GEMM_ROWS = 512


@dataclass
class PairedBinary:
    n: int
    base_pass: int
    sft_pass: int
    fixes: int  # fail -> pass
    regressions: int  # pass -> fail
    p_value: float | None

    @property
    def discordant(self) -> int:
        return self.fixes + self.regressions


def mcnemar_p(fixes: int, regressions: int) -> float:
    """Two-sided exact McNemar p-value from the discordant counts.

    Under H0 the fixes among the d discordant pairs are Binomial(d, 1/2); the distribution is
    symmetric, so the two-sided exact p is min(1, 2 * P(X <= min(fixes, regressions))), the
    same value as scipy's binomtest(fixes, d, 0.5).
    """
    d = fixes + regressions
    if d == 0:
        return 1.0
    return float(min(1.0, 2.0 * binom.cdf(min(fixes, regressions), d, 0.5)))


def mcnemar_exact(base: Sequence[bool], sft: Sequence[bool]) -> PairedBinary:
    """McNemar's exact test: a two-sided binomial test on the discordant pairs."""
    if len(base) != len(sft):
        raise ValueError("paired lists differ in length")
    b = np.asarray(base, dtype=bool)
    s = np.asarray(sft, dtype=bool)
    fixes = int((~b & s).sum())
    regressions = int((b & ~s).sum())
    return PairedBinary(
        int(b.size), int(b.sum()), int(s.sum()), fixes, regressions, mcnemar_p(fixes, regressions) if b.size else None
    )


@dataclass
class PairedContinuous:
    n: int
    base_mean: float
    sft_mean: float
    nonzero: int  # pairs whose difference is not zero (the ones the test uses)
    increases: int
    decreases: int
    p_value: float | None


EXACT_MAX = 50  # up to this many non-zero differences the exact null distribution is used


def signed_rank_exact_p(d: np.ndarray) -> float:
    """Exact two-sided p of the signed-rank statistic, ties included.

    Under H0 each non-zero difference is positive or negative with probability 1/2, independently;
    the statistic T+ (sum of the midranks of the positive ones) then has the distribution of a
    sum of random subsets of the ranks. Doubled midranks are integers, so the distribution is
    counted exactly by dynamic programming (at most 2^50 patterns: exact in int64).
    """
    ranks2 = np.rint(2 * rankdata(np.abs(d))).astype(np.int64)
    total = int(ranks2.sum())
    counts = np.zeros(total + 1, dtype=np.int64)
    counts[0] = 1
    for r in ranks2:
        counts[r:] = counts[r:] + counts[: total + 1 - r].copy()
    t_obs = int(ranks2[d > 0].sum())
    dist = np.abs(2 * np.arange(total + 1) - total)  # |2 T+ - sum| in doubled units
    extreme = dist >= abs(2 * t_obs - total)
    return float(counts[extreme].sum() / counts.sum())


def wilcoxon_signed_rank(base: Sequence[float], sft: Sequence[float]) -> PairedContinuous:
    """Wilcoxon signed-rank test on sft - base (zero differences dropped, two-sided).

    Deterministic in every case: up to 50 non-zero differences the exact null distribution
    (ties included, `signed_rank_exact_p`); above, the normal approximation with tie correction
    (scipy). All differences zero: p = 1.
    """
    b = np.asarray(base, dtype=float)
    s = np.asarray(sft, dtype=float)
    if b.shape != s.shape:
        raise ValueError("paired lists differ in length")
    n = int(b.size)
    if n == 0:
        return PairedContinuous(0, math.nan, math.nan, 0, 0, 0, None)
    d = s - b
    nz = d[d != 0]
    nonzero = int(nz.size)
    p = 1.0
    if 0 < nonzero <= EXACT_MAX:
        p = signed_rank_exact_p(nz)
    elif nonzero:
        p = float(wilcoxon(nz, zero_method="wilcox", alternative="two-sided", method="asymptotic").pvalue)
        if math.isnan(p):
            p = 1.0
    return PairedContinuous(
        n, float(b.mean()), float(s.mean()), nonzero, int((d > 0).sum()), int((d < 0).sum()), min(1.0, p)
    )


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjustment; None entries are not tests and stay None.

    With m tests sorted ascending, p_(i) becomes max_{j<=i} min(1, (m - j + 1) p_(j)).
    Controls the family-wise error rate under any dependence between the tests.
    """
    idx = [i for i, p in enumerate(p_values) if p is not None]
    out: list[float | None] = [None] * len(p_values)
    if not idx:
        return out
    p = np.array([p_values[i] for i in idx], dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.maximum.accumulate(scaled)
    for k, pos in enumerate(order):
        out[idx[pos]] = float(adjusted[k])
    return out


def _count_blocks(rng: np.random.Generator, n: int, resamples: int):
    """Yield (rows, n) float32 matrices: how often each case is drawn in each resample."""
    chunk = max(1, min(_GEMM_ROWS, _BINCOUNT_CELLS // max(n, 1)))
    block: list[np.ndarray] = []
    rows = 0
    done = 0
    while done < resamples:
        c = min(chunk, resamples - done)
        idx = rng.integers(0, n, size=(c, n))
        idx += (np.arange(c) * n)[:, None]  # resample k's draws land in bins [k*n, (k+1)*n)
        block.append(np.bincount(idx.ravel(), minlength=c * n).reshape(c, n).astype(np.float32))
        rows += c
        done += c
        if rows >= _GEMM_ROWS or done == resamples:
            yield np.concatenate(block) if len(block) > 1 else block[0]
            block, rows = [], 0


def _percentiles(stats: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Column-wise percentile CI of a (resamples, rows) matrix (reordered in place); NaN/inf
    entries (resamples that drew no case of the row) are ignored."""
    tail = 100 * (1 - level) / 2
    r = stats.shape[1]
    low = np.full(r, np.nan)
    high = np.full(r, np.nan)
    finite = np.isfinite(stats)
    full = finite.all(axis=0)
    if full.all():  # the usual case: no copy, the matrix is ours to reorder
        low[:], high[:] = np.percentile(stats, [tail, 100 - tail], axis=0, overwrite_input=True)
        return low, high
    if full.any():
        low[full], high[full] = np.percentile(stats[:, full], [tail, 100 - tail], axis=0, overwrite_input=True)
    for j in np.flatnonzero(~full):
        col = stats[finite[:, j], j]
        if col.size:
            low[j], high[j] = np.percentile(col, [tail, 100 - tail])
    return low, high


def bootstrap_ci(
    diffs: np.ndarray,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    level: float = CI_LEVEL,
) -> tuple[np.ndarray, np.ndarray]:
    """Paired bootstrap percentile CIs of the mean difference, for many rows at once.

    `diffs` is (n_cases, n_rows): the per-case difference sft - base of each row, NaN where the
    row does not apply to the case (another category, metric not applicable, no pair). One seeded
    resampling of the n cases with replacement is shared by every row (a joint paired bootstrap):
    in each resample a row's statistic is the mean difference over the drawn cases it applies to.
    The resamples are count matrices (how often each case is drawn) multiplied with the
    differences in one matrix product per block. Returns (low, high); NaN for a row with no case.
    """
    diffs = np.asarray(diffs, dtype=float)
    if diffs.ndim == 1:
        diffs = diffs[:, None]
    n, r = diffs.shape
    if n == 0 or r == 0:
        return np.full(r, np.nan), np.full(r, np.nan)
    mask = ~np.isnan(diffs)
    counts_per_row = mask.sum(axis=0)
    # Centre each row so float32 sums stay accurate, add the mean back at the end.
    centre = np.where(counts_per_row > 0, np.nansum(diffs, axis=0) / np.maximum(counts_per_row, 1), 0.0)
    values = np.where(mask, diffs - centre, 0.0).astype(np.float32)
    # Rows sharing the same applicability share one mask column.
    masks, mask_of_row = np.unique(mask.T, axis=0, return_inverse=True)
    design = np.concatenate([values, masks.T.astype(np.float32)], axis=1)
    rng = np.random.default_rng(seed)
    stats = np.empty((resamples, r), dtype=np.float32)
    which = mask_of_row.ravel()
    at = 0
    for counts in _count_blocks(rng, n, resamples):
        prod = counts @ design
        k = counts.shape[0]
        with np.errstate(invalid="ignore", divide="ignore"):
            np.divide(prod[:, :r], prod[:, r:][:, which], out=stats[at : at + k])
        at += k
    low, high = _percentiles(stats, level)
    return low + centre, high + centre


@dataclass
class ClusteredMean:
    mean: float
    se: float | None  # cluster-robust standard error; None with fewer than 2 clusters
    n: int  # observations (instructions)
    n_clusters: int  # clusters (prompts)


def clustered_mean(values: Sequence[float], clusters: Sequence[object]) -> ClusteredMean:
    """Mean of `values` with a cluster-robust (CR1) standard error.

    SE^2 = G/(G-1) * sum_g (sum_{i in g} (v_i - mean))^2 / N^2 for G clusters and N values.
    With one value per cluster this is the usual s/sqrt(N). Observations within a prompt are
    correlated (one answer fails several of its instructions together), so treating them as
    independent would understate the uncertainty.
    """
    v = np.asarray(values, dtype=float)
    if v.size != len(clusters):
        raise ValueError("values and clusters differ in length")
    if v.size == 0:
        return ClusteredMean(math.nan, None, 0, 0)
    arr = np.asarray(clusters)
    if arr.dtype.kind not in "iu":
        arr = np.asarray([str(c) for c in clusters])
    _, inverse = np.unique(arr, return_inverse=True)
    inverse = inverse.ravel()
    g = int(inverse.max()) + 1
    mean = float(v.mean())
    if g < 2:
        return ClusteredMean(mean, None, int(v.size), g)
    sums = np.bincount(inverse, weights=v - mean, minlength=g)
    var = g / (g - 1) * float((sums**2).sum()) / v.size**2
    return ClusteredMean(mean, math.sqrt(var), int(v.size), g)


def clustered_accuracy(values: Sequence[bool], clusters: Sequence[object]) -> ClusteredMean:
    """Instruction-level accuracy (share of passed instructions), SE clustered by prompt."""
    return clustered_mean([1.0 if v else 0.0 for v in values], clusters)


def ci_excludes_zero(ci_low: float | None, ci_high: float | None) -> bool:
    if ci_low is None or ci_high is None or math.isnan(ci_low) or math.isnan(ci_high):
        return False
    return ci_low > 0 or ci_high < 0


def is_significant(
    p_adjusted: float | None, ci_low: float | None, ci_high: float | None, alpha: float = ALPHA
) -> bool:
    """The one significance rule of the harness (compare, per-turn rows, gate and every report use it):
    the multiplicity-corrected p-value is below alpha AND the paired bootstrap CI of the difference
    excludes 0. A row without a CI (no case to resample) or without a p-value is not significant."""
    return p_adjusted is not None and p_adjusted < alpha and ci_excludes_zero(ci_low, ci_high)


def verdict(
    delta: float | None,
    p_adjusted: float | None,
    alpha: float = ALPHA,
    ci_low: float | None = None,
    ci_high: float | None = None,
    direction: str = "higher",
) -> str:
    """`improved`/`regressed` when the change is significant (`is_significant`) and higher/lower is
    better; `unchanged` otherwise (also for rows with no better direction, e.g. output length)."""
    if not delta or direction not in ("higher", "lower") or not is_significant(p_adjusted, ci_low, ci_high, alpha):
        return "unchanged"
    better = delta > 0 if direction == "higher" else delta < 0
    return "improved" if better else "regressed"


def row_significant(row: Mapping[str, Any], alpha: float = ALPHA) -> bool:
    """`is_significant` of a metric row (older rows without `p_adjusted` use their raw p-value)."""
    return is_significant(row.get("p_adjusted", row.get("p_value")), row.get("ci_low"), row.get("ci_high"), alpha)


def row_verdict(row: Mapping[str, Any], alpha: float = ALPHA) -> str:
    """`verdict` of a metric row decided at `alpha` (the gate re-decides rows at its own alpha)."""
    return verdict(
        row.get("delta"), row.get("p_adjusted", row.get("p_value")), alpha, row.get("ci_low"), row.get("ci_high"),
        row.get("direction", "higher"),
    )


def format_p(p: float | None) -> str:
    """A p-value as every report and message shows it: 3 decimals, `<0.001` below, `—` for none."""
    if p is None:
        return "—"
    return "<0.001" if p < 0.001 else f"{p:.3f}"
