"""Correctness: does the answer contain the expected answer?

Runs only on cases with a `reference`.

- correctness:contains  the normalised last answer contains the normalised reference or one of
                        its aliases (text.normalize: case-fold, NFKC full-width -> half-width,
                        ASCII and CJK punctuation stripped, whitespace collapsed, thousands
                        separators removed: "6,300" == "6300"). Latin/digit references match on
                        word boundaries ("4" is not found in "14").

A new check is one function `(case, answer) -> Check` in `CHECKS`.
"""

from __future__ import annotations

from collections.abc import Callable

from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.text import contains_normalized, normalize, snippet

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


CHECKS: dict[str, Callable[[Case, str], Check]] = {"contains": check_contains}


@scorer(FAMILY, help="the last answer contains the reference answer (or an alias), normalised for zh and en")
def score_correctness(case: Case, gen: Generation) -> list[Check]:
    """The last answer contains the reference answer (or an alias), normalised for zh and en."""
    if case.reference is None or not str(case.reference).strip():
        return []
    answer = gen.turns[-1].text if gen.turns else ""
    if not isinstance(answer, str):
        answer = ""
    return [fn(case, answer) for fn in CHECKS.values()]
