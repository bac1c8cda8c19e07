"""The scorer registry.

A scorer is a small function registered by decorator. It takes a case, the model's generation and
the scoring options (`ScoringConfig`, passed explicitly, never global) and returns a list of checks, each with `passed` and a reason. A scorer that
returns no checks does not apply to that case (e.g. coherence on a single-turn prompt), and
the case is left out of that metric's denominator.

Adding a scorer: one file in this package with `@scorer("name")`, plus its import below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.config import DEFAULT_SCORING, ScoringConfig
from harness.records import Case, Check, Generation

ScorerFn = Callable[[Case, Generation, ScoringConfig], list[Check]]


@dataclass(frozen=True)
class Scorer:
    name: str  # the metric family, e.g. "directness"
    fn: ScorerFn
    help: str
    # Reported, but not gated by the default rule: a family whose measured precision is not yet
    # good enough for a CI verdict (an explicit gate rule can still name it).
    advisory: bool = False
    # (check name, kwargs) -> what is wrong with a declared check, or None: suites are checked on load.
    validate: Callable[[str, Any], str | None] | None = None


REGISTRY: dict[str, Scorer] = {}


def scorer(
    name: str, help: str = "", advisory: bool = False, validate: Callable[[str, Any], str | None] | None = None
) -> Callable[[ScorerFn], ScorerFn]:
    """Register `fn` as the scorer of metric family `name`."""

    def register(fn: ScorerFn) -> ScorerFn:
        if name in REGISTRY:
            raise ValueError(f"scorer {name!r} registered twice")
        REGISTRY[name] = Scorer(
            name=name, fn=fn, help=help or (fn.__doc__ or "").strip(), advisory=advisory, validate=validate
        )
        return fn

    return register


def score_case(
    case: Case, gen: Generation, cfg: ScoringConfig = DEFAULT_SCORING, names: list[str] | None = None
) -> dict[str, list[Check]]:
    """Run every registered scorer (or `names`) on one case with the options `cfg`; families with no
    checks are omitted."""
    out: dict[str, list[Check]] = {}
    for name in names or list(REGISTRY):
        checks = REGISTRY[name].fn(case, gen, cfg)
        if checks:
            out[name] = checks
    return out


def check_spec_error(check_id: str, kwargs: Any) -> str | None:
    """What is wrong with a declared check (unknown id of a known family, bad kwargs), else None.
    Ids of families we do not know (IFEval's, others') are left to their scorers."""
    family, _, name = check_id.partition(":")
    s = REGISTRY.get(family)
    if s is None or s.validate is None or not name:
        return None
    return s.validate(name, kwargs if isinstance(kwargs, dict) else {})


def family_passed(checks: list[Check]) -> bool:
    """A case passes a metric family when every one of its checks passes."""
    return all(c.passed for c in checks)


# Registration lines: one per scorer module.
from harness.scorers import coherence, correctness, directness, format, ifeval, relevance  # noqa: E402,F401
