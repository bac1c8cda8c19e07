"""The judge's numbers, computed from the per-case verdicts in a results document (so `restat` and a
re-read file give the same summary as the run that judged).

- `judge:score`: mean 1-10 grade per case (the mean over its judged turns). Compare: paired, the
  Wilcoxon signed-rank test on the per-case grades and a paired bootstrap CI of the mean difference.
- `judge:win_rate`: SFT's pairwise win rate over cases, (wins + ties/2) / n, where a case's outcome
  is the sign of its turns' preferences; the sign test (wins vs losses) and a bootstrap CI of
  (wins - losses) / n, the row's delta. `base` is base's win rate.
- `judge:on_topic` (mode on_topic): the share of cases whose every judged answer the judge called on
  topic. Compare: McNemar's exact test on the cases that changed, a paired bootstrap CI of the difference.
- The length-controlled win rate: a logistic fit of the outcome on the standardised length difference
  (SFT - base, characters); its prediction at equal length (AlpacaEval's length control, simplified).
The rows are advisory (a model's opinion): the default gate rule skips them. Significance follows the
harness' one rule (stats.is_significant), with Holm over the judge's own rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from harness.stats import ALPHA, bootstrap_ci, holm, mcnemar_exact, mcnemar_p, verdict, wilcoxon_signed_rank

OUTCOME = {"sft": 1.0, "tie": 0.0, "base": -1.0}
# Length bins of the SFT answer against base's: shorter than 0.8x, within, longer than 1.25x.
SHORTER, LONGER = 0.8, 1.25
RIDGE = 0.01  # keeps the length fit finite when one side wins every case


def _mean(xs: list[float]) -> float | None:
    return round(float(np.mean(xs)), 4) if xs else None


def _score(slot: dict[str, Any] | None) -> float | None:
    return slot.get("score") if isinstance(slot, dict) else None


def _case_grades(turns: list[dict[str, Any]], sides: tuple[str, ...]) -> dict[str, float] | None:
    """Mean grade per side over the turns every side got a grade on; None if there is none."""
    both = [t for t in turns if all(_score(t.get(s)) is not None for s in sides)]
    if not both:
        return None
    return {s: float(np.mean([_score(t[s]) for t in both])) for s in sides}


def _case_on_topic(turns: list[dict[str, Any]], sides: tuple[str, ...]) -> dict[str, bool] | None:
    """Per side, whether every turn all sides got a topic verdict on was on topic; None if there is none."""
    def said(t: dict[str, Any], side: str) -> bool | None:
        return ((t.get("topic") or {}).get(side) or {}).get("on_topic")

    both = [t for t in turns if all(said(t, s) is not None for s in sides)]
    if not both:
        return None
    return {s: all(said(t, s) for t in both) for s in sides}


def _case_outcome(turns: list[dict[str, Any]]) -> float | None:
    prefs = [(t.get("pair") or {}).get("preference") for t in turns]
    prefs = [p for p in prefs if p in OUTCOME]
    if not prefs:
        return None
    return float(np.sign(sum(OUTCOME[p] for p in prefs)))


def _length(case: dict[str, Any], side: str, turns: list[int]) -> float:
    outs = (case.get(side) or {}).get("outputs") or []
    return float(np.mean([len(outs[t - 1] or "") if t - 1 < len(outs) else 0 for t in turns]))


def _lc_fit(outcomes: np.ndarray, diffs: np.ndarray) -> tuple[float | None, float | None]:
    """Logistic fit of P(SFT preferred) on the standardised length difference (ties = 1/2)."""
    from scipy.optimize import minimize

    sd = float(diffs.std())
    if outcomes.size < 2 or sd == 0:
        return None, None
    z = diffs / sd
    y = (outcomes + 1) / 2

    def loss(b: np.ndarray) -> float:
        eta = b[0] + b[1] * z
        return float(np.sum(np.logaddexp(0, eta) - y * eta) + RIDGE * (b @ b))

    b = minimize(loss, np.zeros(2), method="BFGS").x
    return round(1 / (1 + math.exp(-b[0])), 4), round(float(b[1]), 4)


def _bins(outcomes: np.ndarray, ratios: np.ndarray) -> list[dict[str, Any]]:
    rows = []
    for name, mask in (
        (f"SFT shorter (< {SHORTER:g}x)", ratios < SHORTER),
        ("about as long", (ratios >= SHORTER) & (ratios <= LONGER)),
        (f"SFT longer (> {LONGER:g}x)", ratios > LONGER),
    ):
        o = outcomes[mask]
        wins, ties, losses = int((o > 0).sum()), int((o == 0).sum()), int((o < 0).sum())
        rows.append({"bin": name, "n": int(o.size), "wins": wins, "ties": ties, "losses": losses,
                     "win_rate": round((wins + ties / 2) / o.size, 4) if o.size else None})
    return rows


def _row(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "category": "all", "lang": "all", "family": "judge", "kind": "continuous",
            "direction": "higher", "advisory": True, **fields}


def compare_summary(cases: list[dict[str, Any]], alpha: float = ALPHA) -> dict[str, Any]:
    """metrics, pairwise and per_turn of a compare document's judge section."""
    judged = [c for c in cases if c.get("judge")]
    rows: list[dict[str, Any]] = []
    grades = [(c, g) for c in judged if (g := _case_grades(c["judge"], ("base", "sft"))) is not None]
    if grades:
        b = np.array([g["base"] for _, g in grades])
        s = np.array([g["sft"] for _, g in grades])
        w = wilcoxon_signed_rank(b, s)
        lo, hi = bootstrap_ci(s - b)
        rows.append(_row("judge:score", test="wilcoxon", base=round(w.base_mean, 4), sft=round(w.sft_mean, 4),
                         delta=round(w.sft_mean - w.base_mean, 4), ci_low=round(float(lo[0]), 4),
                         ci_high=round(float(hi[0]), 4), p_value=w.p_value, n=w.n, nonzero=w.nonzero,
                         increases=w.increases, decreases=w.decreases))
    topic = [t for c in judged if (t := _case_on_topic(c["judge"], ("base", "sft"))) is not None]
    if topic:
        m = mcnemar_exact([t["base"] for t in topic], [t["sft"] for t in topic])
        d = np.array([float(t["sft"]) - float(t["base"]) for t in topic])
        lo, hi = bootstrap_ci(d)
        rows.append(_row("judge:on_topic", kind="binary", test="mcnemar", base=round(m.base_pass / m.n, 4),
                         sft=round(m.sft_pass / m.n, 4), delta=round(float(d.mean()), 4), ci_low=round(float(lo[0]), 4),
                         ci_high=round(float(hi[0]), 4), p_value=m.p_value, n=m.n, increases=m.fixes,
                         decreases=m.regressions, nonzero=m.fixes + m.regressions))
    pairwise = None
    outcomes = [(c, o) for c in judged if (o := _case_outcome(c["judge"])) is not None]
    if outcomes:
        o = np.array([x for _, x in outcomes])
        wins, ties, losses = int((o > 0).sum()), int((o == 0).sum()), int((o < 0).sum())
        n = int(o.size)
        lo, hi = bootstrap_ci(o)
        win_rate = (wins + ties / 2) / n
        rows.append(_row("judge:win_rate", test="sign", base=round(1 - win_rate, 4), sft=round(win_rate, 4),
                         delta=round(float(o.mean()), 4), ci_low=round(float(lo[0]), 4), ci_high=round(float(hi[0]), 4),
                         p_value=mcnemar_p(wins, losses), n=n, increases=wins, decreases=losses, nonzero=wins + losses))
        turn_prefs = [t["pair"] for c in judged for t in c["judge"] if (t.get("pair") or {}).get("preference")]
        flips = sum(1 for p in turn_prefs if p.get("flipped"))
        judged_turns = [[t["turn"] for t in c["judge"] if (t.get("pair") or {}).get("preference")] for c, _ in outcomes]
        lb = np.array([_length(c, "base", ts) for (c, _), ts in zip(outcomes, judged_turns, strict=True)])
        ls = np.array([_length(c, "sft", ts) for (c, _), ts in zip(outcomes, judged_turns, strict=True)])
        lc, coef = _lc_fit(o, ls - lb)
        pairwise = {
            "n": n, "wins": wins, "ties": ties, "losses": losses, "win_rate": round(win_rate, 4),
            "judged_turns": len(turn_prefs), "order_flips": flips,
            "order_flip_rate": round(flips / len(turn_prefs), 4) if turn_prefs else None,
            "lc_win_rate": lc, "length_coef": coef, "length_unit": "characters",
            "length_bins": _bins(o, ls / np.maximum(lb, 1.0)),
        }
    adjusted = holm([r["p_value"] for r in rows])
    for r, p in zip(rows, adjusted, strict=True):
        r["p_adjusted"] = p
        r["holm_m"] = len(rows)
        r["verdict"] = verdict(r["delta"], p, alpha, r["ci_low"], r["ci_high"])
        r["significant"] = r["verdict"] != "unchanged"
    return {"metrics": rows, "pairwise": pairwise, "per_turn": _per_turn(judged, ("base", "sft"))}


def run_summary(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """metrics and per_turn of a run document's judge section (one model: mean grades)."""
    judged = [c for c in cases if c.get("judge")]
    grades = [g["output"] for c in judged if (g := _case_grades(c["judge"], ("output",))) is not None]
    rows = [_row("judge:score", value=_mean(grades), n=len(grades))] if grades else []
    topic = [t["output"] for c in judged if (t := _case_on_topic(c["judge"], ("output",))) is not None]
    if topic:
        rows.append(_row("judge:on_topic", kind="binary", value=round(sum(topic) / len(topic), 4), n=len(topic)))
    for r in rows:
        r.pop("direction")
    return {"metrics": rows, "per_turn": _per_turn(judged, ("output",))}


def _per_turn(judged: list[dict[str, Any]], sides: tuple[str, ...]) -> list[dict[str, Any]]:
    turns = sorted({t["turn"] for c in judged for t in c["judge"]})
    out = []
    for k in turns:
        slots = [t for c in judged for t in c["judge"] if t["turn"] == k]
        graded = [t for t in slots if all(_score(t.get(s)) is not None for s in sides)]
        row: dict[str, Any] = {"turn": k, "n": len(graded)}
        if sides == ("output",):
            row["value"] = _mean([_score(t["output"]) for t in graded])
        else:
            row["base"] = _mean([_score(t["base"]) for t in graded])
            row["sft"] = _mean([_score(t["sft"]) for t in graded])
            prefs = [(t.get("pair") or {}).get("preference") for t in slots]
            prefs = [p for p in prefs if p in OUTCOME]
            if prefs:
                wins, ties, losses = prefs.count("sft"), prefs.count("tie"), prefs.count("base")
                row.update(wins=wins, ties=ties, losses=losses, win_rate=round((wins + ties / 2) / len(prefs), 4))
                row["n"] = max(row["n"], len(prefs))
        out.append(row)
    return out


def counts(cases: list[dict[str, Any]]) -> tuple[int, int]:
    """(unparsed, missing): verdicts the judge gave but could not be read; requests with no reply."""
    unparsed = missing = 0
    for c in cases:
        for t in c.get("judge") or []:
            for side in ("base", "sft", "output"):
                for slot in (t.get(side), (t.get("topic") or {}).get(side)):
                    err = (slot or {}).get("error")
                    if err:
                        unparsed += err.startswith("unparsed")
                        missing += not err.startswith("unparsed")
            pair = t.get("pair") or {}
            for part in (pair.get("error") or "").split("; "):
                if part:
                    unparsed += "unparsed" in part
                    missing += "unparsed" not in part
    return unparsed, missing
