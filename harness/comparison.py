"""Score generations and assemble the results document (schema harness.results/v1).

The JSON shape is a contract read by later tools and CI scripts: extend it, never break it.
See docs/results-schema.md.

Metric rows are computed from the document's own `cases` (`rows_from_cases`), so the same code
serves `compare`, re-rendering an older file, and `harness gate --baseline` (the new run's SFT
side against a previous run's SFT side).
"""

from __future__ import annotations

import datetime as _dt
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from harness import __version__
from harness.config import DEFAULT_SCORING, RunConfig, ScoringConfig
from harness.per_turn import per_turn_rows, per_turn_values
from harness.provenance import training_provenance
from harness.records import Case, Check, Generation
from harness.runners import ModelRun
from harness.scorers import REGISTRY, family_passed
from harness.scorers.parallel import score_cases
from harness.stats import (
    ALPHA,
    BOOTSTRAP_RESAMPLES,
    BOOTSTRAP_SEED,
    CI_LEVEL,
    FEW_DISCORDANT,
    bootstrap_ci,
    clustered_mean,
    holm,
    mcnemar_p,
    row_significant,
    row_verdict,
    wilcoxon_signed_rank,
)

SCHEMA = "harness.results/v1"
Scores = dict[str, list[Check]]  # family -> checks, for one case and one model
LENGTH_METRIC = "length:output_tokens"
VALUE_SUFFIX = ":value"
ALL = "all"


@dataclass
class Scored:
    case: Case
    gen: Generation
    scores: Scores


def score_run(
    cases: list[Case],
    run: ModelRun,
    cfg: ScoringConfig = DEFAULT_SCORING,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Scored]:
    pairs = [(case, run.generations[case.id]) for case in cases if case.id in run.generations]
    scores = score_cases(pairs, cfg, progress=progress)
    return {case.id: Scored(case, gen, s) for (case, gen), s in zip(pairs, scores, strict=True)}


def run_settings(run: RunConfig) -> dict[str, Any]:
    """The generation settings a results document records (`settings`): what changes the outputs."""
    return {"max_tokens": run.max_tokens, "temperature": run.temperature, "seed": run.seed, "history": run.history}


def model_record(run: ModelRun, cases: list[Case] | None = None) -> dict[str, Any]:
    return {
        "name": run.spec.name,
        "path": run.spec.path,
        **({"adapter": run.spec.adapter} if run.spec.adapter else {}),  # LoRA/PEFT adapter over `path`
        "source": run.spec.source,
        "backend": run.backend,
        "prompt_format": run.prompt_format,
        "max_tokens": run.max_tokens,
        "notes": run.notes,
        "generated_turns": run.generated_turns,
        "cached_turns": run.cached_turns,
        "seconds": round(run.seconds, 3),
        "engine": run.engine,  # the engine's effective settings (dtype, parallelism, options from harness.toml)
        # decontamination of its training data against the evaluated suites (None: no training report)
        "training": training_provenance(run.spec, cases or []),
    }


def _side(s: Scored) -> dict[str, Any]:
    return {
        "outputs": s.gen.texts,
        "finish_reasons": [t.finish_reason for t in s.gen.turns],
        "output_tokens": [t.output_tokens for t in s.gen.turns],
        "scores": {fam: 1.0 if family_passed(checks) else 0.0 for fam, checks in s.scores.items()},
        "checks": [{**c.to_dict(), "family": fam} for fam, checks in s.scores.items() for c in checks],
    }


def _case_head(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "suite": case.suite,
        "category": case.category,
        "lang": case.lang,
        "prompt": case.prompt,
        "turns": case.turns,
        "reference": case.reference,
    }


# ---------------------------------------------------------------------------------------------
# Observations: what one side of one case says about every metric


@dataclass
class Observation:
    binary: dict[str, bool] = field(default_factory=dict)
    continuous: dict[str, float] = field(default_factory=dict)
    # family -> [(check id, passed, loose)] for instruction-level accuracy
    instructions: dict[str, list[tuple[str, bool, bool | None]]] = field(default_factory=dict)
    family_of: dict[str, str] = field(default_factory=dict)  # metric -> its family


def check_family(check: dict[str, Any]) -> str:
    """The family a check dict belongs to: its `family` field, else (files written before it existed) the
    prefix of its id (`directness:echo` -> `directness`)."""
    fam = check.get("family")
    return str(fam) if fam else str(check.get("id", "")).partition(":")[0]


def observe(side: dict[str, Any] | None) -> Observation:
    """Turn one side of a results case (`cases[].base`, `.sft` or `.output`) into metric values."""
    obs = Observation()
    if not side:
        return obs
    scores = side.get("scores") or {}
    for fam, v in scores.items():
        obs.binary[fam] = v is not None and float(v) >= 1.0 - 1e-9
        obs.family_of[fam] = fam
    passed: dict[str, bool] = {}
    values: dict[str, list[float]] = {}
    family_of = obs.family_of
    instructions = obs.instructions
    for c in side.get("checks") or ():
        cid = c.get("id")
        if not cid:
            continue
        cid = str(cid)
        fam = c.get("family") or cid.partition(":")[0]
        p = bool(c.get("passed"))
        # IFEval-style checks carry `strict`/`loose`; `passed` is the strict verdict otherwise.
        strict = c.get("strict")
        ok = p if strict is None else bool(strict)
        passed[cid] = passed.get(cid, True) and p
        if cid not in family_of:
            family_of[cid] = fam
        if fam in instructions:
            instructions[fam].append((cid, ok, c.get("loose")))
        else:
            instructions[fam] = [(cid, ok, c.get("loose"))]
        v = c.get("value")
        if v is not None and type(v) in (int, float) and math.isfinite(v):
            values.setdefault(cid, []).append(float(v))
    for cid, ok_all in passed.items():
        if cid not in obs.binary:
            obs.binary[cid] = ok_all
    for cid, vs in values.items():
        name = cid + VALUE_SUFFIX
        obs.continuous[name] = sum(vs) / len(vs)
        obs.family_of[name] = obs.family_of.get(cid, cid.partition(":")[0])
    tokens = side.get("output_tokens") or []
    if tokens and isinstance(tokens[-1], (int, float)) and not isinstance(tokens[-1], bool):
        obs.continuous[LENGTH_METRIC] = float(tokens[-1])
        obs.family_of[LENGTH_METRIC] = "length"
    return obs


def _metric_order(observations: Iterable[Observation]) -> tuple[list[str], dict[str, str]]:
    """Each family, then its sub-checks, then their `:value` metrics; length last."""
    families: dict[str, None] = {}
    members: dict[str, dict[str, None]] = {}
    kind: dict[str, str] = {}
    for o in observations:
        for name in o.binary:
            fam = o.family_of.get(name, name)
            kind[name] = "binary"
            if name == fam:
                families.setdefault(fam)
            else:
                families.setdefault(fam)
                members.setdefault(fam, {}).setdefault(name)
        for name in o.continuous:
            fam = o.family_of.get(name, name.partition(":")[0])
            kind.setdefault(name, "continuous")
            families.setdefault(fam)
            members.setdefault(fam, {}).setdefault(name)
    order: list[str] = []
    for fam in families:
        if fam in kind:
            order.append(fam)
        ms = members.get(fam, {})
        order += [m for m in ms if kind[m] == "binary"]
        order += [m for m in ms if kind[m] == "continuous" and m != LENGTH_METRIC]
    if LENGTH_METRIC in kind:
        order = [m for m in order if m != LENGTH_METRIC] + [LENGTH_METRIC]
    return order, kind


def _redundant_value(name: str, pairs: list[tuple[Observation, Observation]]) -> bool:
    """A check's `value` that only repeats pass/fail (1.0/0.0) adds no row of its own."""
    cid = name[: -len(VALUE_SUFFIX)]
    for pair in pairs:
        for o in pair:
            if name in o.continuous:
                v, p = o.continuous[name], o.binary.get(cid)
                if p is None or v != (1.0 if p else 0.0):
                    return False
    return True


def slices_of(cases: list[dict[str, Any]]) -> list[tuple[str, str, np.ndarray]]:
    """(category, lang, mask) for all/all, each category, and each language (when there are 2+)."""
    cats = np.array([str(c.get("category", "")) for c in cases], dtype=object)
    langs = np.array([str(c.get("lang", "")) for c in cases], dtype=object)
    out = [(ALL, ALL, np.ones(len(cases), dtype=bool))]
    for cat in dict.fromkeys(cats.tolist()):
        out.append((cat, ALL, cats == cat))
    lang_list = list(dict.fromkeys(langs.tolist()))
    if len(lang_list) > 1:
        for lang in lang_list:
            out.append((ALL, lang, langs == lang))
    return out


def stats_settings(alpha: float = ALPHA, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED) -> dict:
    return {
        "alpha": alpha,
        "ci_level": CI_LEVEL,
        "bootstrap": {
            "resamples": resamples,
            "seed": seed,
            "method": "paired percentile, one joint resampling of the cases for every row",
        },
        "binary_test": "mcnemar_exact",
        "continuous_test": "wilcoxon",
        "correction": "holm",
        "correction_family": "every row of one (category, lang) slice; the headline family is category=all, lang=all",
        "few_discordant": FEW_DISCORDANT,
    }


def _metric_arrays(
    obs: list[tuple[Observation, Observation]], name: str, continuous: bool
) -> tuple[np.ndarray, np.ndarray]:
    n = len(obs)
    b = np.full(n, np.nan)
    s = np.full(n, np.nan)
    for i, (ob, os_) in enumerate(obs):
        src_b = ob.continuous if continuous else ob.binary
        vb = src_b.get(name)
        if vb is None:
            continue
        vs = (os_.continuous if continuous else os_.binary).get(name)
        if vs is None:
            continue
        b[i] = vb
        s[i] = vs
    return b, s


def rows_from_cases(
    cases: list[dict[str, Any]],
    base_key: str = "base",
    sft_key: str = "sft",
    alpha: float = ALPHA,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> list[dict[str, Any]]:
    """Paired metric rows from results cases: one per metric x slice (all/all, categories, languages).

    Binary metrics (a family's or a check's pass/fail): McNemar exact. Continuous metrics
    (last-turn output tokens, checks' numeric `value`): Wilcoxon signed-rank. Every row: a paired
    bootstrap CI of the mean difference, Holm's correction within its slice, and a verdict.
    """
    obs = [(observe(c.get(base_key)), observe(c.get(sft_key))) for c in cases]
    advisory = {name for name, s in REGISTRY.items() if s.advisory}
    order, kind = _metric_order(o for pair in obs for o in pair)
    order = [m for m in order if not (m.endswith(VALUE_SUFFIX) and _redundant_value(m, obs))]
    ids = [str(c.get("id")) for c in cases]
    rows: list[dict[str, Any]] = []
    diff_cols: list[np.ndarray] = []
    slices = slices_of(cases)
    family_of: dict[str, str] = {}
    for pair in obs:
        for o in pair:
            for k, v in o.family_of.items():
                family_of.setdefault(k, v)
    instructions = {f: _instruction_pairs(obs, f) for f in order if family_of.get(f) == f and kind[f] == "binary"}
    for name in order:
        continuous = kind[name] == "continuous"
        b, s = _metric_arrays(obs, name, continuous)
        paired_all = ~np.isnan(b)
        family = family_of.get(name, name)
        for category, lang, mask in slices:
            m = mask & paired_all
            n = int(m.sum())
            if n == 0:
                continue
            bv, sv = b[m], s[m]
            row: dict[str, Any] = {
                "name": name,
                "category": category,
                "lang": lang,
                "family": family,
                "kind": "continuous" if continuous else "binary",
            }
            if family in advisory:
                row["advisory"] = True
            if continuous:
                t = wilcoxon_signed_rank(bv, sv)
                row.update(
                    test="wilcoxon",
                    direction="none",
                    base=round(t.base_mean, 4),
                    sft=round(t.sft_mean, 4),
                    delta=round(t.sft_mean - t.base_mean, 4),
                    p_value=t.p_value,
                    n=n,
                    fixes=[],
                    regressions=[],
                    nonzero=t.nonzero,
                    increases=t.increases,
                    decreases=t.decreases,
                    small_sample=t.nonzero < FEW_DISCORDANT,
                )
                if t.nonzero < FEW_DISCORDANT:
                    row["small_sample_note"] = f"only {t.nonzero} pair(s) differ: too few for precise inference"
            else:
                where = np.flatnonzero(m)
                fixed = where[(bv == 0) & (sv == 1)]
                broke = where[(bv == 1) & (sv == 0)]
                base_pass, sft_pass = int(bv.sum()), int(sv.sum())
                discordant = len(fixed) + len(broke)
                row.update(
                    test="mcnemar_exact",
                    direction="higher",
                    base=round(base_pass / n, 4),
                    sft=round(sft_pass / n, 4),
                    delta=round((sft_pass - base_pass) / n, 4),
                    p_value=mcnemar_p(len(fixed), len(broke)),
                    n=n,
                    fixes=[ids[i] for i in fixed],
                    regressions=[ids[i] for i in broke],
                    discordant=discordant,
                    small_sample=discordant < FEW_DISCORDANT,
                )
                if discordant < FEW_DISCORDANT:
                    row["small_sample_note"] = f"only {discordant} discordant pair(s): too few for precise inference"
                if name in instructions:
                    inst = _instruction_level(instructions[name], m)
                    if inst:
                        row.update(inst)
            diff_cols.append(np.where(m, s - b, np.nan))
            rows.append(row)
    # One joint paired bootstrap for every row: the same resamples of the cases serve all rows.
    if rows:
        low, high = bootstrap_ci(np.stack(diff_cols, axis=1), resamples=resamples, seed=seed)
        for row, lo, hi in zip(rows, low, high, strict=True):
            row["ci_low"] = None if math.isnan(lo) else round(float(lo), 4)
            row["ci_high"] = None if math.isnan(hi) else round(float(hi), 4)
    # Holm within each slice: every row of the slice with a p-value is one test of the family.
    by_slice: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_slice.setdefault((row["category"], row["lang"]), []).append(row)
    for family_rows in by_slice.values():
        adjusted = holm([r["p_value"] for r in family_rows])
        m_tests = sum(1 for x in family_rows if x["p_value"] is not None)
        for r, p in zip(family_rows, adjusted, strict=True):
            r["p_adjusted"] = p
            r["holm_m"] = m_tests
    for row in rows:
        row["significant"] = row_significant(row, alpha)
        row["verdict"] = row_verdict(row, alpha)
    return [_ordered(r) for r in rows]


_ROW_KEYS = (
    "name", "category", "lang", "family", "kind", "test", "direction", "base", "sft", "delta",
    "ci_low", "ci_high", "p_value", "p_adjusted", "holm_m", "significant", "verdict", "n",
    "fixes", "regressions", "discordant", "nonzero", "increases", "decreases", "small_sample",
    "small_sample_note", "advisory",
)


def _ordered(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in _ROW_KEYS if k in row}
    out.update({k: v for k, v in row.items() if k not in out})
    return out


@dataclass
class _Instructions:
    """Every instruction (check) of one family, paired base/sft, with the case it belongs to."""

    case: np.ndarray  # case index per instruction (the cluster)
    base: np.ndarray
    sft: np.ndarray
    base_loose: np.ndarray | None  # None unless every pair carries `loose` on both sides
    sft_loose: np.ndarray | None
    several: np.ndarray  # per case: does the family have more than one check there?


def _instruction_pairs(obs: list[tuple[Observation, Observation]], family: str) -> _Instructions:
    case, bl, sl, blo, slo = [], [], [], [], []
    several = np.zeros(len(obs), dtype=bool)
    all_loose = True
    for i, (ob, os_) in enumerate(obs):
        bi = ob.instructions.get(family, [])
        si = os_.instructions.get(family, [])
        if len(bi) > 1 or len(si) > 1:
            several[i] = True
        seen: dict[tuple[str, int], tuple[bool, bool | None]] = {}
        count: dict[str, int] = {}
        for cid, ok, loose in bi:  # pair instructions by (id, occurrence)
            k = count.get(cid, 0)
            count[cid] = k + 1
            seen[(cid, k)] = (ok, loose)
        count = {}
        for cid, ok, loose in si:
            k = count.get(cid, 0)
            count[cid] = k + 1
            prev = seen.get((cid, k))
            if prev is None:
                continue
            case.append(i)
            bl.append(prev[0])
            sl.append(ok)
            if prev[1] is None or loose is None:
                all_loose = False
            else:
                blo.append(prev[1])
                slo.append(loose)
    arr = lambda x: np.asarray(x, dtype=float)  # noqa: E731
    return _Instructions(
        np.asarray(case, dtype=int), arr(bl), arr(sl),
        arr(blo) if all_loose and blo else None, arr(slo) if all_loose and slo else None, several,
    )


def _instruction_level(inst: _Instructions, mask: np.ndarray) -> dict[str, Any] | None:
    """Instruction-level accuracy of a family whose cases carry several checks (clusters = cases)."""
    if not inst.case.size or not (inst.several & mask).any():
        return None
    sel = mask[inst.case]
    if not sel.any():
        return None
    clusters = inst.case[sel]

    def block(bv: np.ndarray, sv: np.ndarray) -> dict[str, Any]:
        cb, cs, cd = clustered_mean(bv, clusters), clustered_mean(sv, clusters), clustered_mean(sv - bv, clusters)
        r4 = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {
            "base": r4(cb.mean), "base_se": r4(cb.se), "sft": r4(cs.mean), "sft_se": r4(cs.se),
            "delta": r4(cd.mean), "delta_se": r4(cd.se), "n_instructions": cd.n, "n_prompts": cd.n_clusters,
        }

    out: dict[str, Any] = {"instruction_level": block(inst.base[sel], inst.sft[sel])}
    if inst.base_loose is not None and inst.sft_loose is not None:
        out["instruction_level_loose"] = block(inst.base_loose[sel], inst.sft_loose[sel])
    return out


def metric_names(*scoreds: dict[str, Scored]) -> list[str]:
    """Families first, then each sub-check id, in first-seen order."""
    families: dict[str, None] = {}
    checks: dict[str, None] = {}
    for scored in scoreds:
        for s in scored.values():
            for fam, cs in s.scores.items():
                families.setdefault(fam)
                for c in cs:
                    checks.setdefault(c.id)
    return [*families, *(c for c in checks if c not in families)]


def case_docs(cases: list[Case], base: dict[str, Scored], sft: dict[str, Scored]) -> list[dict[str, Any]]:
    both = [c for c in cases if c.id in base and c.id in sft]
    return [{**_case_head(c), "base": _side(base[c.id]), "sft": _side(sft[c.id])} for c in both]


def paired_rows(
    base: dict[str, Scored], sft: dict[str, Scored], cases: list[Case], alpha: float = ALPHA
) -> list[dict[str, Any]]:
    """One row per metric x slice: shares passing (or means), delta, CI, p, Holm p, verdict."""
    return rows_from_cases(case_docs(cases, base, sft), alpha=alpha)


def document_head(kind: str, suites: list[str], settings: dict[str, Any]) -> dict[str, Any]:
    """The fields every results document starts with."""
    return {
        "schema": SCHEMA,
        "kind": kind,
        "harness_version": __version__,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "suites": suites,
        "settings": settings,
    }


def build_results(
    cases: list[Case],
    base_run: ModelRun,
    sft_run: ModelRun,
    base: dict[str, Scored],
    sft: dict[str, Scored],
    suites: list[str],
    settings: dict[str, Any],
    alpha: float = ALPHA,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """The compare document; `notes` (e.g. suite records skipped while loading) lead its notes."""
    both = [c for c in cases if c.id in base and c.id in sft]
    notes = list(notes or [])
    if len(both) < len(cases):
        notes.append(f"{len(cases) - len(both)} case(s) lack an output from one model and are left out")
    docs = case_docs(both, base, sft)
    t0 = time.perf_counter()
    metrics = rows_from_cases(docs, alpha=alpha)
    stats = {**stats_settings(alpha), "seconds": round(time.perf_counter() - t0, 3)}
    return {
        **document_head("compare", suites, settings),
        "stats": stats,
        "n_cases": len(both),
        "notes": notes,
        "models": {"base": model_record(base_run, both), "sft": model_record(sft_run, both)},
        "metrics": metrics,
        "per_turn": per_turn_rows(docs, alpha=alpha),
        "cases": docs,
    }


def recompute_stats(results: dict[str, Any], alpha: float | None = None) -> dict[str, Any]:
    """Statistics of a compare document again from its cases (older files, or another alpha)."""
    if results.get("kind") != "compare":
        return results
    a = alpha if alpha is not None else (results.get("stats") or {}).get("alpha", ALPHA)
    t0 = time.perf_counter()
    metrics = rows_from_cases(results.get("cases") or [], alpha=a)
    per_turn = per_turn_rows(results.get("cases") or [], alpha=a)
    from harness.judge import summarise

    return summarise({
        **results, "metrics": metrics, "per_turn": per_turn,
        "stats": {**stats_settings(a), "seconds": round(time.perf_counter() - t0, 3)},
    }, a)


def needs_stats(results: dict[str, Any]) -> bool:
    """True for a compare document written before rows carried CIs and corrected p-values."""
    rows = results.get("metrics") or []
    return results.get("kind") == "compare" and bool(results.get("cases")) and (
        not rows or any("p_adjusted" not in r or "ci_low" not in r for r in rows)
    )


def build_run_results(
    cases: list[Case], run: ModelRun, scored: dict[str, Scored], suites: list[str], settings: dict[str, Any],
    notes: list[str] | None = None,
) -> dict[str, Any]:
    done = [c for c in cases if c.id in scored]
    notes = list(notes or [])  # the model's own notes (fallbacks, skipped prompts) are in `model.notes`
    if len(done) < len(cases):
        notes.append(f"{len(cases) - len(done)} case(s) have no output and are left out")
    docs = [{**_case_head(c), "output": _side(scored[c.id])} for c in done]
    return {
        **document_head("run", suites, settings),
        "n_cases": len(done),
        "notes": notes,
        "model": model_record(run, done),
        "metrics": run_rows(docs),
        "per_turn": per_turn_values(docs),
        "cases": docs,
    }


def run_rows(cases: list[dict[str, Any]], key: str = "output") -> list[dict[str, Any]]:
    """Single-model rows {name, category, lang, kind, value, n}: shares passing, or means."""
    obs = [observe(c.get(key)) for c in cases]
    order, kind = _metric_order(obs)
    pairs = [(o, o) for o in obs]
    order = [m for m in order if not (m.endswith(VALUE_SUFFIX) and _redundant_value(m, pairs))]
    rows = []
    slices = slices_of(cases)
    for name in order:
        continuous = kind[name] == "continuous"
        vals = np.array(
            [float((o.continuous if continuous else o.binary).get(name, np.nan)) for o in obs], dtype=float
        )
        for category, lang, mask in slices:
            m = mask & ~np.isnan(vals)
            if m.any():
                rows.append(
                    {
                        "name": name,
                        "category": category,
                        "lang": lang,
                        "kind": "continuous" if continuous else "binary",
                        "value": round(float(vals[m].mean()), 4),
                        "n": int(m.sum()),
                    }
                )
    return rows
