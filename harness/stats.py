"""Paired statistics for before/after comparisons on the same cases."""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import binomtest

ALPHA = 0.05
FEW_DISCORDANT = 10  # below this, say the sample is small instead of pretending precision


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


def mcnemar_exact(base: list[bool], sft: list[bool]) -> PairedBinary:
    """McNemar's exact test: a two-sided binomial test on the discordant pairs."""
    if len(base) != len(sft):
        raise ValueError("paired lists differ in length")
    fixes = sum(1 for b, s in zip(base, sft, strict=True) if not b and s)
    regressions = sum(1 for b, s in zip(base, sft, strict=True) if b and not s)
    d = fixes + regressions
    p = binomtest(fixes, d, 0.5).pvalue if d else 1.0
    return PairedBinary(len(base), sum(base), sum(sft), fixes, regressions, float(p) if base else None)


def verdict(delta: float, p_value: float | None, alpha: float = ALPHA) -> str:
    if p_value is None or p_value >= alpha or delta == 0:
        return "unchanged"
    return "improved" if delta > 0 else "regressed"
