"""N-arm comparison (`harness compare A B C …`, `harness.compare_arms`): any number of models on the same
cases, every arm paired with one baseline arm (docs/arms.md; the document's shape: docs/results-schema.md).

Each pair's rows are exactly those of a two-arm comparison (`rows_from_cases`, `per_turn_rows`: McNemar /
Wilcoxon, the joint paired bootstrap CI), then Holm is applied again across the pairs: the family of one
(category, lang) slice is every row of that slice in every pair (the headline family: category=all,
lang=all × all arms), and the per-turn rows of all pairs are one family. Verdicts then follow the one rule
of harness/stats.py. From the pairs: a trajectory per family (the pass rate in each arm with a bootstrap
CI), the forgetting list (every row `regressed` in some arm) and, when the arms hold a prompt arm of the
baseline's model, the share of the SFT gain the prompt alone reaches.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any

import numpy as np

from harness.comparison import (
    ALL,
    Scored,
    _case_head,
    _side,
    document_head,
    model_record,
    observe,
    rows_from_cases,
    stats_settings,
)
from harness.errors import HarnessError
from harness.per_turn import per_turn_rows
from harness.records import Case, ModelSpec
from harness.runners import ModelRun
from harness.stats import ALPHA, bootstrap_ci, holm, row_significant, row_verdict, verdict

CORRECTION_FAMILY = (
    "every row of one (category, lang) slice in every pair (arm vs baseline); the headline family is "
    "category=all, lang=all over all arms; per-turn rows: one family over all pairs"
)


# ---------------------------------------------------------------------------------------------
# arms: names and the baseline


def _identity(spec: ModelSpec) -> tuple[Any, ...]:
    """What makes two arms the same arm: the same weights prompted the same way."""
    return (spec.path, spec.adapter, spec.prompt_format, spec.backend, spec.max_tokens, spec.served_model, spec.base_url)


def _short(spec: ModelSpec) -> str:
    """The last two components of the arm's directory (`sft/checkpoint-50`), with its prompt format."""
    parts = Path(spec.adapter or spec.path).parts[-2:]
    name = "/".join(parts) or spec.name
    return name if spec.prompt_format in ("auto", "", None) else f"{name}@{spec.prompt_format}"


def named_arms(specs: Sequence[ModelSpec]) -> list[ModelSpec]:
    """The specs with distinct names: a name given twice becomes its directory's last two components;
    the same model with the same prompt format twice is an error (it would be compared with itself)."""
    seen: dict[tuple[Any, ...], str] = {}
    for s in specs:
        key = _identity(s)
        if key in seen:
            raise HarnessError(
                f"model {s.name!r} is the same arm as {seen[key]!r} (same weights, same prompt format): give each arm once"
            )
        seen[key] = s.name
    names = [s.name for s in specs]
    out = [s if names.count(s.name) == 1 else replace(s, name=_short(s)) for s in specs]
    final = [s.name for s in out]
    dup = sorted({n for n in final if final.count(n) > 1})
    if dup:
        raise HarnessError(f"arms named {', '.join(map(repr, dup))} more than once: name them in harness.toml ([models.NAME])")
    return out


def display_names(names: Sequence[str]) -> dict[str, str]:
    """Each arm's name as reports and gate messages show it: a path (a directory, replay:FILE) by the
    shortest tail of components that tells the arms apart (`checkpoint-50`, `sft/checkpoint-50`)."""
    parts = {n: PurePath(n.removeprefix("replay:")).parts if "/" in n else (n,) for n in names}
    for k in range(1, max((len(p) for p in parts.values()), default=1) + 1):
        labels = {n: "/".join(p[-k:]) for n, p in parts.items()}
        if len(set(labels.values())) == len(set(names)):
            return labels
    return {n: n for n in names}


def find_arm(names: Sequence[str], wanted: str, what: str) -> str:
    """The arm `wanted` names: its name, or its display name (`checkpoint-50` for runs/sft/checkpoint-50)."""
    if wanted in names:
        return wanted
    short = [n for n, label in display_names(names).items() if label == wanted]
    if len(short) == 1:
        return short[0]
    raise HarnessError(f"{what} {wanted!r} is not one of the arms: {', '.join(display_names(names).values())}")


def baseline_index(names: Sequence[str], refs: Sequence[Any], baseline: str | int | None) -> int:
    """The baseline's position: None = the first arm; an int = its index; a str = an arm's name or the
    reference as it was given."""
    if baseline is None:
        return 0
    if isinstance(baseline, bool) or not isinstance(baseline, (int, str)):
        raise HarnessError(f"baseline must be an arm's name or index, got {baseline!r}")
    if isinstance(baseline, int):
        if not -len(names) <= baseline < len(names):
            raise HarnessError(f"baseline index {baseline} is out of range: there are {len(names)} arms")
        return baseline % len(names)
    for i, ref in enumerate(refs):
        if baseline == (ref if isinstance(ref, str) else getattr(ref, "name", None)):
            return i
    return list(names).index(find_arm(names, baseline, "--baseline"))


# ---------------------------------------------------------------------------------------------
# the document


def build_arms_results(
    cases: list[Case],
    runs: list[tuple[ModelRun, dict[str, Scored]]],
    baseline: int,
    suites: list[str],
    settings: dict[str, Any],
    alpha: float = ALPHA,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """The N-arm document (`kind: "arms"`): the cases every arm answered, each stored once."""
    done = [c for c in cases if all(c.id in scored for _, scored in runs)]
    notes = list(notes or [])
    if len(done) < len(cases):
        notes.append(f"{len(cases) - len(done)} case(s) lack an output from some arm and are left out")
    names = [r.spec.name for r, _ in runs]
    docs = [{**_case_head(c), "arms": {n: _side(scored[c.id]) for n, (_, scored) in zip(names, runs, strict=True)}}
            for c in done]
    doc = {
        **document_head("arms", suites, settings),
        "stats": {},
        "n_cases": len(done),
        "notes": notes,
        "baseline": names[baseline],
        "arms": [model_record(r, done) for r, _ in runs],
        "cases": docs,
    }
    return arms_stats(doc, alpha)


def pair_cases(cases: list[dict[str, Any]], baseline: str, arm: str) -> list[dict[str, Any]]:
    """The cases as a two-arm document has them: `base` = the baseline's side, `sft` = the arm's."""
    return [{**{k: v for k, v in c.items() if k != "arms"}, "base": c["arms"][baseline], "sft": c["arms"][arm]}
            for c in cases]


def arms_stats(doc: dict[str, Any], alpha: float | None = None) -> dict[str, Any]:
    """The document's statistics (pairs, trajectory, forgetting, prompt share) computed from its cases."""
    a = alpha if alpha is not None else (doc.get("stats") or {}).get("alpha", ALPHA)
    t0 = time.perf_counter()
    cases = doc.get("cases") or []
    names = [m["name"] for m in doc["arms"]]
    baseline = doc["baseline"]
    pairs = []
    for arm in names:
        if arm == baseline:
            continue
        docs = pair_cases(cases, baseline, arm)
        pairs.append({"arm": arm, "metrics": rows_from_cases(docs, alpha=a), "per_turn": per_turn_rows(docs, alpha=a)})
    holm_across(pairs, a)
    out = {key: v for key, v in doc.items() if key not in ("cases", "gate")}
    trajectory = trajectories(cases, names, pairs)
    out.update(
        pairs=pairs,
        trajectory=trajectory,
        forgetting=forgetting(pairs),
        prompt_share=prompt_shares(doc["arms"], baseline, pairs, trajectory),
        stats={**stats_settings(a), "correction_family": CORRECTION_FAMILY, "seconds": round(time.perf_counter() - t0, 3)},
    )
    if "gate" in doc:
        out["gate"] = doc["gate"]
    out["cases"] = cases
    return out


def holm_across(pairs: list[dict[str, Any]], alpha: float) -> None:
    """Holm again over the pairs (in place): one family per (category, lang) slice across every pair's
    rows, one for every pair's per-turn rows; significance and verdicts re-decided by the one rule."""
    slices: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for p in pairs:
        for r in p["metrics"]:
            slices.setdefault((r["category"], r["lang"]), []).append(r)
    for rows in slices.values():
        m = sum(1 for r in rows if r["p_value"] is not None)
        for r, adj in zip(rows, holm([r["p_value"] for r in rows]), strict=True):
            r["p_adjusted"], r["holm_m"] = adj, m
            r["significant"] = row_significant(r, alpha)
            r["verdict"] = row_verdict(r, alpha)
    turns = [r for p in pairs for r in p["per_turn"]]
    for r, adj in zip(turns, holm([r["p_value"] for r in turns]), strict=True):
        r["p_adjusted"] = adj
        r["verdict"] = verdict(r["delta"], adj, alpha, r["ci_low"], r["ci_high"], "higher")


def _families(pairs: list[dict[str, Any]]) -> list[str]:
    """The families with a headline pass-rate row, in the rows' order."""
    fams: dict[str, None] = {}
    for p in pairs:
        for r in p["metrics"]:
            if r["name"] == r.get("family") and r["kind"] == "binary" and r["category"] == ALL and r["lang"] == ALL:
                fams.setdefault(r["name"])
    return list(fams)


def trajectories(cases: list[dict[str, Any]], names: list[str], pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each family's pass rate in every arm with a 95% bootstrap percentile CI (one seeded joint resampling
    of the cases for every family and arm, as the pair rows' CIs and the judge's win rate have). A family
    counts the cases every arm was scored on for it (a scorer may not apply to one arm's answer), so the
    points of a trajectory are rates on the same cases."""
    fams = _families(pairs)
    if not fams or not cases:
        return []
    obs = [{n: observe(c["arms"].get(n)) for n in names} for c in cases]
    cols = []
    for fam in fams:
        common = [all(fam in o[n].binary for n in names) for o in obs]
        for n in names:
            cols.append(np.array([float(o[n].binary[fam]) if ok else np.nan for o, ok in zip(obs, common, strict=True)]))
    values = np.stack(cols, axis=1)
    low, high = bootstrap_ci(values)
    r4 = lambda x: None if math.isnan(x) else round(float(x), 4)  # noqa: E731
    out, k = [], 0
    for fam in fams:
        points = []
        for n in names:
            col = values[:, k]
            have = ~np.isnan(col)
            points.append({"arm": n, "rate": r4(col[have].mean()) if have.any() else None,
                           "ci_low": r4(low[k]), "ci_high": r4(high[k]), "n": int(have.sum())})
            k += 1
        out.append({"family": fam, "points": points})
    return out


def forgetting(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every row that fell significantly from the baseline in some arm (verdict `regressed` in its pair):
    a family, a sub-check or a slice (correctness on the factual category)."""
    out = []
    for p in pairs:
        for r in p["metrics"]:
            if r.get("verdict") != "regressed":
                continue
            row = {"arm": p["arm"], "name": r["name"], "category": r["category"], "lang": r["lang"],
                   "family": r.get("family"), "baseline": r.get("base"), "value": r.get("sft"), "delta": r.get("delta"),
                   "ci_low": r.get("ci_low"), "ci_high": r.get("ci_high"), "p_adjusted": r.get("p_adjusted"),
                   "n": r.get("n", 0), "regressions": r.get("regressions", [])}
            if r.get("advisory"):
                row["advisory"] = True
            out.append(row)
    return out


def _same_model(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a.get("path"), a.get("adapter")) == (b.get("path"), b.get("adapter"))


def prompt_shares(
    arms: list[dict[str, Any]], baseline: str, pairs: list[dict[str, Any]], trajectory: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per family, (prompt − raw) / (sft − raw) for each prompt arm: raw = the baseline, a prompt arm = the
    baseline's model (same path and adapter) with another prompt format, sft = the last arm of another
    model. The share is None unless sft improved significantly over raw (its verdict is `improved`).
    The three rates are the trajectory's (the cases all arms were scored on), so the line and the arms
    table show the same numbers; a pair's rows may count other cases where a scorer skips an answer."""
    base = next(a for a in arms if a["name"] == baseline)
    prompts = [a for a in arms if a["name"] != baseline and _same_model(a, base)
               and a.get("prompt_format") != base.get("prompt_format")]
    others = [a for a in arms if not _same_model(a, base)]
    if not prompts or not others:
        return []
    sft = others[-1]["name"]
    rows = {p["arm"]: {r["name"]: r for r in p["metrics"] if r["category"] == ALL and r["lang"] == ALL} for p in pairs}
    rates = {(t["family"], pt["arm"]): pt["rate"] for t in trajectory for pt in t["points"]}
    out = []
    for fam in _families(pairs):
        s = rows[sft].get(fam)
        for p in prompts:
            pr = rows[p["name"]].get(fam)
            if s is None or pr is None:
                continue
            raw, prompt, tuned = rates.get((fam, baseline)), rates.get((fam, p["name"])), rates.get((fam, sft))
            if raw is None or prompt is None or tuned is None:
                continue
            share, note = None, None
            if s.get("verdict") == "improved" and tuned != raw:
                share = round((prompt - raw) / (tuned - raw), 4)
            else:
                note = "no SFT gain" if (s.get("delta") or 0) <= 0 else "the SFT gain is not significant"
            row = {"family": fam, "raw_arm": baseline, "prompt_arm": p["name"], "sft_arm": sft,
                   "raw": raw, "prompt": prompt, "sft": tuned, "share": share}
            if note:
                row["note"] = note
            out.append(row)
    return out
