"""Pass rates turn by turn (the MT-Bench habit of showing turn 1 and turn 2 side by side).

Over the multi-turn cases only (single-turn cases would swamp turn 1): for each metric family and
each turn t, a case's side passes at t when every check of that family judged on turn t passes;
the row `all` asks the same of every family. Checks without a `turn` (results written before
checks carried one) are left out, so an old file has no per-turn view.

Compare rows are paired by case like the headline rows (McNemar exact, a paired bootstrap CI of the
difference, Holm over the per-turn table, the verdict rule of harness/stats.py). They are a
breakdown: the gate reads the headline rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from harness.stats import ALPHA, FEW_DISCORDANT, bootstrap_ci, holm, mcnemar_p, verdict

ALL = "all"


def _turn_passes(side: dict[str, Any] | None) -> dict[tuple[str, int], bool]:
    """(family or "all", turn) -> passed, from one side's checks."""
    out: dict[tuple[str, int], bool] = {}
    for c in (side or {}).get("checks") or ():
        turn = c.get("turn")
        if not isinstance(turn, int) or isinstance(turn, bool):
            continue
        fam = str(c.get("family") or str(c.get("id", "")).partition(":")[0])
        ok = bool(c.get("strict") if c.get("strict") is not None else c.get("passed"))
        for key in ((fam, turn), (ALL, turn)):
            out[key] = out.get(key, True) and ok
    return out


def _multi_turn(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for c in cases if len(c.get("turns") or ()) > 1]


def _order(keys: set[tuple[str, int]]) -> list[tuple[str, int]]:
    fams = sorted({f for f, _ in keys} - {ALL})
    turns = sorted({t for _, t in keys})
    return [(f, t) for f in (ALL, *fams) for t in turns if (f, t) in keys]


def per_turn_rows(cases: list[dict[str, Any]], alpha: float = ALPHA) -> list[dict[str, Any]]:
    """Compare rows {family, turn, base, sft, delta, ci_low, ci_high, p_value, p_adjusted, n, fixes,
    regressions, verdict, small_sample} over the multi-turn cases of a compare document."""
    cases = _multi_turn(cases)
    pairs = [(_turn_passes(c.get("base")), _turn_passes(c.get("sft"))) for c in cases]
    keys = {k for b, s in pairs for k in b if k in s}
    rows: list[dict[str, Any]] = []
    cols = []
    for fam, turn in _order(keys):
        b = np.array([float(pb[(fam, turn)]) if (fam, turn) in pb and (fam, turn) in ps else np.nan for pb, ps in pairs])
        s = np.array([float(ps[(fam, turn)]) if (fam, turn) in pb and (fam, turn) in ps else np.nan for pb, ps in pairs])
        m = ~np.isnan(b)
        n = int(m.sum())
        fixed = [str(cases[i].get("id")) for i in np.flatnonzero(m & (b == 0) & (s == 1))]
        broke = [str(cases[i].get("id")) for i in np.flatnonzero(m & (b == 1) & (s == 0))]
        rows.append({
            "family": fam, "turn": turn, "base": round(float(b[m].mean()), 4), "sft": round(float(s[m].mean()), 4),
            "delta": round(float((s[m] - b[m]).mean()), 4), "p_value": mcnemar_p(len(fixed), len(broke)), "n": n,
            "fixes": fixed, "regressions": broke, "small_sample": len(fixed) + len(broke) < FEW_DISCORDANT,
        })
        cols.append(s - b)
    if not rows:
        return []
    low, high = bootstrap_ci(np.stack(cols, axis=1))
    for row, lo, hi, p in zip(rows, low, high, holm([r["p_value"] for r in rows]), strict=True):
        row["ci_low"] = None if math.isnan(lo) else round(float(lo), 4)
        row["ci_high"] = None if math.isnan(hi) else round(float(hi), 4)
        row["p_adjusted"] = p
        row["verdict"] = verdict(row["delta"], p, alpha, row["ci_low"], row["ci_high"], "higher")
    return rows


def per_turn_values(cases: list[dict[str, Any]], key: str = "output") -> list[dict[str, Any]]:
    """Run rows {family, turn, value, n}: the share of multi-turn cases passing each family at each turn."""
    passes = [_turn_passes(c.get(key)) for c in _multi_turn(cases)]
    keys = {k for p in passes for k in p}
    out = []
    for fam, turn in _order(keys):
        vals = [p[(fam, turn)] for p in passes if (fam, turn) in p]
        out.append({"family": fam, "turn": turn, "value": round(sum(vals) / len(vals), 4), "n": len(vals)})
    return out
