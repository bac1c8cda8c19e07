"""Correctness: does the answer contain the expected answer?

Runs only on cases with a `reference`.

- correctness:contains  the normalised last answer contains the normalised reference or one of
                        its aliases (text.normalize: case-fold, NFKC full-width -> half-width,
                        ASCII and CJK punctuation stripped, whitespace collapsed, thousands
                        separators removed: "6,300" == "6300"). Latin/digit references match on
                        word boundaries ("4" is not found in "14").
- correctness:exact     the normalised answer equals the normalised reference or an alias
- correctness:f1        token F1 with the best of reference/aliases (Latin words, one token per
                        CJK character); passes at `[scoring] correctness_f1_min`; value = F1

Which variants are checks of the `correctness` family is `[scoring] correctness_variants`
(default `["contains"]`): the family passes when every listed variant passes, so the headline
keeps meaning "the answer contains the reference" unless a suite asks for more. All three are
always available as functions (`match_exact`, `match_contains`, `token_f1`) and through the
`evaluate` module `harness/metrics/correctness`.

A new check is one function `(case, answer) -> Check` in `CHECKS`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from harness.config import DEFAULT_SCORING, ScoringConfig
from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.text import contains_normalized, normalize, snippet, tokens

FAMILY = "correctness"


def check_contains(case: Case, answer: str) -> Check:
    cid = f"{FAMILY}:contains"
    wanted = [str(x) for x in [case.reference, *(case.aliases or [])] if x is not None and str(x).strip()]
    hay = normalize(answer)
    for cand in wanted:
        needle = normalize(cand)
        # A reference made only of punctuation normalises to nothing: compare it raw.
        found = contains_normalized(hay, needle) if needle else cand.strip() in answer
        if found:
            via = "" if cand == wanted[0] else f" (alias of {snippet(wanted[0], 40)!r})"
            return Check(id=cid, passed=True, reason=f"found {snippet(cand, 40)!r}{via} in the answer", value=1.0)
    shown = " / ".join(repr(snippet(c, 40)) for c in wanted[:6]) + (" …" if len(wanted) > 6 else "")
    where = "the answer is empty" if not answer.strip() else f"answer starts {snippet(answer, 50)!r}"
    return Check(id=cid, passed=False, reason=f"looked for {shown}: not found ({where})", value=0.0)


def _wanted(case: Case) -> list[str]:
    return [str(x) for x in [case.reference, *(case.aliases or [])] if x is not None and str(x).strip()]


def match_exact(answer: str, references: list[str]) -> str | None:
    """The first reference/alias equal to the answer after normalisation, else None."""
    hay = normalize(answer)
    for cand in references:
        needle = normalize(cand)
        if (needle and hay == needle) or (not needle and answer.strip() == cand.strip()):
            return cand
    return None


def match_contains(answer: str, references: list[str]) -> str | None:
    """The first reference/alias found in the answer after normalisation (word boundaries), else None."""
    hay = normalize(answer)
    for cand in references:
        needle = normalize(cand)
        if contains_normalized(hay, needle) if needle else cand.strip() in answer:
            return cand
    return None


def token_f1(answer: str, references: list[str]) -> tuple[float, str | None]:
    """(best token F1, the reference giving it) over references/aliases (SQuAD-style, zh-aware tokens)."""
    a = Counter(tokens(normalize(answer)))
    best, which = 0.0, None
    n_a = sum(a.values())
    for cand in references:
        r = Counter(tokens(normalize(cand)))
        n_r = sum(r.values())
        common = sum((a & r).values())
        if not n_a or not n_r or not common:
            continue
        prec, rec = common / n_a, common / n_r
        f1 = 2 * prec * rec / (prec + rec)
        if f1 > best:
            best, which = f1, cand
    return best, which


def check_exact(case: Case, answer: str) -> Check:
    cid = f"{FAMILY}:exact"
    wanted = _wanted(case)
    hit = match_exact(answer, wanted)
    if hit is not None:
        return Check(id=cid, passed=True, reason=f"the answer is exactly {snippet(hit, 40)!r} (normalised)", value=1.0)
    return Check(id=cid, passed=False, reason=f"the answer {snippet(answer, 40)!r} is not exactly {snippet(wanted[0], 40)!r}", value=0.0)


def check_f1(case: Case, answer: str, cfg: ScoringConfig = DEFAULT_SCORING) -> Check:
    cid = f"{FAMILY}:f1"
    f1, which = token_f1(answer, _wanted(case))
    floor = cfg.correctness_f1_min
    ok = f1 >= floor
    against = f" against {snippet(which, 40)!r}" if which else ""
    return Check(id=cid, passed=ok, reason=f"token F1 {f1:.2f}{against} (pass at {floor})", value=round(f1, 4))


CHECKS: dict[str, Callable[..., Check]] = {"contains": check_contains, "exact": check_exact, "f1": check_f1}


@scorer(FAMILY, help="the last answer contains the reference answer (or an alias), normalised for zh and en")
def score_correctness(case: Case, gen: Generation, cfg: ScoringConfig = DEFAULT_SCORING) -> list[Check]:
    """The last answer contains the reference answer (or an alias), normalised for zh and en."""
    if case.reference is None or not str(case.reference).strip():
        return []
    answer = gen.turns[-1].text if gen.turns else ""
    if not isinstance(answer, str):
        answer = ""
    variants = [v for v in cfg.correctness_variants if v in CHECKS] or ["contains"]
    checks = [CHECKS[v](case, answer, cfg) if v == "f1" else CHECKS[v](case, answer) for v in variants]
    for c in checks:
        c.turn = max(1, len(gen.turns))
    return checks
