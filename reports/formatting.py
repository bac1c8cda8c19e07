"""How every renderer writes numbers and verdicts: one place, so the terminal, HTML, Markdown and
JUnit reports cannot drift apart.

Plain strings only (no Rich, no HTML): each renderer escapes the result for its own medium. The
p-value formatter is not here: it is the core's `harness.stats.format_p`, which the gate's messages
use too, so a p-value reads the same in a report and in a gate failure.
"""

from __future__ import annotations

import re
from typing import Any

from reports.document import case_change

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Unicode bidi overrides/isolates can reorder what the user sees: show them as escapes too.
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def visible_controls(text: str) -> str:
    """Control characters (tab and newline aside) and bidi overrides as visible escapes: \\x1b, \\u202e."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fmt_pct(v: float | None) -> str:
    """A share as a percentage with one decimal: 0.8123 -> "81.2%"."""
    return "—" if v is None else f"{100 * v:.1f}%"


def fmt_pct_se(v: float | None, se: float | None) -> str:
    """A share with its standard error in percentage points: "81.2% ± 3.4" (no "±" without an SE)."""
    return "—" if v is None else fmt_pct(v) + (f" ± {100 * se:.1f}" if se is not None else "")


def is_headline(r: dict[str, Any]) -> bool:
    """A row over all cases (no category or language slice)."""
    return r.get("category", "all") == "all" and r.get("lang", "all") == "all"


def is_continuous(r: dict[str, Any]) -> bool:
    """A row of measured values (means), not pass rates."""
    return r.get("kind") == "continuous"


def fmt_level(r: dict[str, Any], v: float | None) -> str:
    """A row's base/sft value: a share for binary metrics, a mean for continuous ones."""
    if v is None:
        return "—"
    return f"{v:.4g}" if is_continuous(r) else fmt_pct(v)


def fmt_delta(r: dict[str, Any], v: float | None) -> str:
    """A difference: percentage points for binary metrics, signed units for continuous ones."""
    if v is None:
        return "—"
    return f"{v:+.4g}" if is_continuous(r) else f"{100 * v:+.1f}"


def fmt_ci(r: dict[str, Any]) -> str:
    lo, hi = r.get("ci_low"), r.get("ci_high")
    if lo is None or hi is None:
        return "—"
    return f"[{fmt_delta(r, lo)}, {fmt_delta(r, hi)}]"


def verdict_text(r: dict[str, Any]) -> str:
    """The verdict as shown: the JSON's own word (improved / regressed / unchanged); a row without a better
    direction that moved significantly says which way, beside it."""
    v = r.get("verdict", "unchanged")
    if is_continuous(r) and r.get("direction", "none") == "none" and r.get("significant"):
        v += " (significantly " + ("higher" if (r.get("delta") or 0) > 0 else "lower") + "; neither is better)"
    if r.get("small_sample"):
        v += " (few pairs)"
    if r.get("advisory"):
        v += " (advisory)"
    return v


# ---------------------------------------------------------------------------------------------
# the model judge (results.judge, cases[i].judge): a model's opinion, shown apart from the checks

JUDGE_ROW_LABELS = {"judge:score": "mean grade, 1-10", "judge:win_rate": "SFT's pairwise win rate",
                    "judge:on_topic": "answers the judge calls on topic"}
PREFERENCE_TEXT = {"sft": "SFT preferred", "base": "base preferred", "tie": "tie"}


def judge_title(judge: dict[str, Any]) -> str:
    model = (judge.get("model") or {}).get("name") or "?"
    return f"Judge: a model's opinion ({model}, prompts {judge.get('prompt_version', '?')}) — advisory, not a check"


def judge_row(r: dict[str, Any]) -> dict[str, Any]:
    """A judge metric row as the shared formatters should show it: the win rate is a share (percent,
    Δ and CI in points); the grade a mean on the 1-10 scale, to two decimals."""
    if r.get("name") in ("judge:win_rate", "judge:on_topic"):
        return {**r, "kind": "binary"}
    view = dict(r)
    for key in ("base", "sft", "delta", "ci_low", "ci_high", "value"):
        if isinstance(view.get(key), float):
            view[key] = round(view[key], 2)
    return view


def judge_value_text(r: dict[str, Any]) -> str:
    """A run document's judge row (one model): "mean grade 7.50 / 10", or the share on topic."""
    if r.get("name") == "judge:on_topic":
        return f"{fmt_pct(r.get('value'))} of {r.get('n')} cases on topic"
    return f"mean grade {fmt_grade(r.get('value'))} / 10 over {r.get('n')} cases"


def judge_label(r: dict[str, Any]) -> str:
    desc = JUDGE_ROW_LABELS.get(r.get("name", ""))
    return f"{r.get('name')} ({desc})" if desc else str(r.get("name"))


def fmt_grade(v: float | None) -> str:
    """A mean grade on the 1-10 scale: 6.1775 -> "6.18"."""
    return "—" if v is None else f"{v:.2f}"


def fmt_wtl(row: dict[str, Any]) -> str:
    """Pairwise outcomes as "wins / ties / losses" (SFT's point of view)."""
    if row.get("wins") is None:
        return "—"
    return f"{row.get('wins', 0)} / {row.get('ties', 0)} / {row.get('losses', 0)}"


def judge_summary_lines(judge: dict[str, Any]) -> list[str]:
    """The judge section's sentences: pairwise outcomes, order flips, length control, calls."""
    out = []
    pw = judge.get("pairwise")
    if pw:
        out.append(
            f"pairwise, per case (each turn asked in both orders): SFT won {pw.get('wins', 0)}, tied "
            f"{pw.get('ties', 0)}, lost {pw.get('losses', 0)} of {pw.get('n', 0)}: win rate {fmt_pct(pw.get('win_rate'))}"
        )
        lc = f"length-controlled win rate {fmt_pct(pw.get('lc_win_rate'))} (raw {fmt_pct(pw.get('win_rate'))})"
        if pw.get("length_coef") is not None:
            lc += (f"; length effect: {pw['length_coef']:+.2f} log-odds of an SFT win per SD of the length "
                   f"difference ({pw.get('length_unit', 'characters')})")
        out.append(lc)
        turns = pw.get("judged_turns", 0)
        share = f" ({fmt_pct(pw.get('order_flip_rate'))})" if pw.get("order_flip_rate") is not None else ""
        out.append(
            f"order: verdict changed with the order on {pw.get('order_flips', 0)} of {turns} turns{share}, counted as ties"
        )
    out.append(
        f"calls {judge.get('calls', 0)} (generated {judge.get('generated', 0)}, cached {judge.get('cached', 0)}) · "
        f"unparsed {judge.get('unparsed', 0)} · missing {judge.get('missing', 0)}"
        + (" (raw replies kept in the JSON)" if judge.get("unparsed") else "")
    )
    tests = []
    names = {r.get("name") for r in judge.get("metrics") or []}
    if "judge:score" in names and any(r.get("p_value") is not None for r in judge.get("metrics") or []):
        tests.append("grade: Wilcoxon signed-rank")
    if "judge:win_rate" in names:
        tests.append("win rate: sign test")
    if "judge:on_topic" in names and any(r.get("p_value") is not None for r in judge.get("metrics") or []):
        tests.append("on topic: McNemar")
    if tests:
        tests.append(f"Holm over the judge's {len(names)} rows")
        out.append("; ".join(tests))
    return out


def answer_judgements(turn: dict[str, Any], who: str) -> tuple[bool, dict[str, Any] | None, dict[str, Any] | None]:
    """What to show under one answer: (show a grade line?, its grade slot, its topic verdict). A judge
    asked only whether answers are on topic gave no grades, so no "not judged" grade line."""
    topic = (turn.get("topic") or {}).get(who)
    return who in turn or not turn.get("topic"), turn.get(who), topic


def judgements_by_turn(case: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """A case's TurnJudgements by their 1-based turn."""
    return {t["turn"]: t for t in case.get("judge") or [] if isinstance(t, dict) and "turn" in t}


def grade_text(slot: dict[str, Any] | None) -> str:
    """One answer's grade as shown: "7/10"; an unreadable verdict as its error ("unparsed: …"), never a number."""
    if not slot:
        return "not judged"
    if slot.get("score") is not None:
        return f"{slot['score']:g}/10"
    err = str(slot.get("error") or "no grade")
    return err if err.startswith("unparsed") else f"no grade: {err}"


def preference_text(pair: dict[str, Any] | None) -> str:
    """A turn's pairwise verdict as shown; an order-dependent one says it counted as a tie."""
    if not pair:
        return "not judged"
    pref = pair.get("preference")
    if pref is None:
        return f"no preference ({pair.get('error') or 'no verdict'})"
    text = PREFERENCE_TEXT.get(pref, str(pref))
    if pair.get("flipped"):
        text += " (order-dependent: counted as a tie)"
    return text


def case_preference(case: dict[str, Any]) -> str | None:
    """The case's pairwise outcome (the sign of its turns' preferences, as in the judge's win rate)."""
    score = {"sft": 1, "tie": 0, "base": -1}
    prefs = [score[p] for t in case.get("judge") or [] if (p := (t.get("pair") or {}).get("preference")) in score]
    if not prefs:
        return None
    total = sum(prefs)
    return "sft" if total > 0 else "base" if total < 0 else "tie"


def clip(text: str, limit: int) -> str:
    """Text cut to `limit` characters, saying how much was left out."""
    return text if len(text) <= limit else text[:limit] + f" … [{len(text) - limit} more chars]"


def pick_examples(results: dict[str, Any], k: int = 4) -> list[dict[str, Any]]:
    """Every regression first, then the largest improvements, spread over categories and languages.

    `k` bounds the improvements; regressions are all shown (up to `max(k, 12)`)."""
    cases = results.get("cases", [])
    regressions = [c for c in cases if case_change(c)[1]]
    improved = sorted(
        (c for c in cases if case_change(c)[0] and not case_change(c)[1]), key=lambda c: -len(case_change(c)[0])
    )
    chosen: list[dict[str, Any]] = regressions[: max(k, 12)]
    budget = len(chosen) + k if regressions else k
    seen = {(c["category"], c["lang"]) for c in chosen}
    for c in improved:  # first pass: one per (category, language)
        if len(chosen) >= budget:
            break
        if (c["category"], c["lang"]) not in seen:
            chosen.append(c)
            seen.add((c["category"], c["lang"]))
    for c in improved:
        if len(chosen) >= budget:
            break
        if c not in chosen:
            chosen.append(c)
    return chosen


def check_family(check: dict[str, Any]) -> str:
    return check.get("family") or str(check.get("id", "")).partition(":")[0]


def telling_check(
    case: dict[str, Any], family: str, bad: str, good: str, weight: dict[str, int] | None = None
) -> dict[str, Any] | None:
    """The one failed check that best shows why `family` differs between the sides of a case: failed on
    `bad`'s side and passed on `good`'s (same check, same turn), the sub-check behind most of the family's
    change (`weight`: check id -> cases it flipped) first, then the case's own order. Falls back to any
    failed check of the family, then to any failed check."""
    weight = weight or {}
    passed = {(c.get("id"), c.get("turn")) for c in case[good].get("checks") or [] if c.get("passed")}
    failed = [c for c in case[bad].get("checks") or [] if not c.get("passed")]
    for tier in (
        [c for c in failed if check_family(c) == family and (c.get("id"), c.get("turn")) in passed],
        [c for c in failed if check_family(c) == family],
        failed,
    ):
        if tier:
            return max(tier, key=lambda c: weight.get(c.get("id", ""), 0))  # the first of equals: the case's order
    return None


def pick_first_screen(results: dict[str, Any], k: int = 3) -> list[dict[str, Any]]:
    """The few examples the terminal's first screen shows, chosen to tell the story: a regression first
    whenever a case regressed (one per family that regressed significantly, the non-advisory families
    before the advisory ones), then cases where base failed and SFT passes, one per family that improved
    (the most specific family first) and spread over categories and single/multi-turn cases.

    The first improvement shown, where one exists, is the chapter's lesson in one case: the base already
    had the answer (its correctness passed) but went on continuing text (directness failed), and the SFT
    answers it, passing every check (see `knew_the_answer`). Among the candidates of a family, cases whose
    SFT side passes every family go first: an "improved" example whose SFT answer is off topic tells the
    wrong story.

    Each pick: {"case", "change": "regressed" | "improved", "family": the family it shows, "check": the
    one most telling failed check (or None), "turn": the 1-based turn to show, "knew": True on the case
    where the base had the answer}."""
    if k <= 0:
        return []
    cases = results.get("cases") or []
    head = {r["name"]: r for r in results.get("metrics") or [] if is_headline(r) and not is_continuous(r)}
    regressed, improved = [], []
    for c in cases:
        fixed, broke = case_change(c)
        if broke:
            regressed.append((c, broke))
        elif fixed:
            improved.append((c, fixed))

    def row(f: str) -> dict[str, Any]:
        return head.get(f) or {}

    def reg_rank(f: str) -> tuple[bool, bool, int]:
        return bool(row(f).get("advisory")), row(f).get("verdict") != "regressed", -len(row(f).get("regressions") or [])

    def imp_rank(f: str) -> tuple[bool, bool, int]:
        return bool(row(f).get("advisory")), row(f).get("verdict") != "improved", len(row(f).get("fixes") or [])

    picks: list[dict[str, Any]] = []

    def fill(pool: list[tuple[dict[str, Any], list[str]]], themes: list[str], slots: int, change: str) -> None:
        bad, good = ("sft", "base") if change == "regressed" else ("base", "sft")
        weight = {n: len(r.get("regressions" if change == "regressed" else "fixes") or []) for n, r in head.items()}
        while len(picks) < slots:
            before = len(picks)
            # families that can show a category not on screen yet go first (coherence lives only in multi-turn
            # cases: after a multi-turn example it waits for a family that shows another kind of question)
            shown = {p["case"].get("category") for p in picks}
            fresh = {f for f in themes if any(f in fams and c.get("category") not in shown for c, fams in pool)}
            for fam in sorted(themes, key=lambda f: f not in fresh):
                if len(picks) >= slots:
                    break
                taken = {id(p["case"]) for p in picks}
                cands = [(c, fams) for c, fams in pool if fam in fams and id(c) not in taken]
                if not cands:
                    continue
                cats = {p["case"].get("category") for p in picks}
                shapes = {len(p["case"].get("turns") or ()) > 1 for p in picks}
                case, fams = min(cands, key=lambda cf: (change == "improved" and not clean(cf[0], good), cf[0].get("category") in cats,
                                                         (len(cf[0].get("turns") or ()) > 1) in shapes, -len(cf[1])))
                check = telling_check(case, fam, bad, good, weight)
                turn = check.get("turn") if check and isinstance(check.get("turn"), int) else 1
                picks.append({"case": case, "change": change, "family": fam, "check": check, "turn": turn})
            if len(picks) == before:
                return

    if regressed:
        themes = sorted(dict.fromkeys(f for _, broke in regressed for f in broke), key=reg_rank)
        serious = [f for f in themes if row(f).get("verdict") == "regressed" and not row(f).get("advisory")]
        slots = k if not improved else max(1, min(len(serious), k - 1))
        fill(regressed, themes, slots, "regressed")
    if improved:
        knew = [c for c, _ in improved if knew_the_answer(c)]
        if knew and len(picks) < k:
            case = min(knew, key=lambda c: len(c.get("turns") or ()))  # a single question reads fastest
            check = telling_check(case, "directness", "base", "sft")
            turn = check.get("turn") if check and isinstance(check.get("turn"), int) else 1
            picks.append({"case": case, "change": "improved", "family": "directness", "check": check, "turn": turn,
                          "knew": True})
        themes = sorted(dict.fromkeys(f for _, fixed in improved for f in fixed), key=imp_rank)
        fill(improved, themes, k, "improved")
    return picks


def clean(case: dict[str, Any], side: str) -> bool:
    """Whether every check family of the case passed in full on `side`."""
    return all(v >= 1 for v in (case[side].get("scores") or {}).values())


def knew_the_answer(case: dict[str, Any], a: str = "base", b: str = "sft") -> bool:
    """The base already gave the reference answer (correctness passed) but did not answer directly
    (directness failed), and the SFT passes both and everything else: SFT brought out what the base knew."""
    sa, sb = case[a].get("scores") or {}, case[b].get("scores") or {}
    return (sa.get("correctness", 0) >= 1 and sa.get("directness", 1) < 1 and sb.get("directness", 0) >= 1
            and clean(case, b))
