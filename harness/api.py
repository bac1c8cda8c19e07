"""The Python API: everything the `harness` command does, as functions returning typed results.

    import harness

    r = harness.compare("base", "sft", suites=["demo"])        # -> harness.Comparison
    r.metric("directness").verdict                             # "improved"
    a = harness.compare_arms(["base", "runs/sft/checkpoint-50", "sft"])  # -> harness.ArmsComparison
    g = harness.gate(r)                                        # -> harness.GateResult
    harness.save_results(r, "results.json")                    # the file `harness compare --json` writes

`run`, `compare`, `gate`, `load_results` take what the command line takes (model references: a
harness.toml name, a directory, a hub id, `replay:FILE`, the demo's `base`/`sft`; suites: built-in
names, files, FORMAT:PATH) or objects (`ModelSpec`, a `CaseSet` from `load_cases`). Options travel
as one typed config, `HarnessConfig` (what harness.toml fills: `run` generation settings, `scoring`
thresholds), passed down explicitly: nothing is installed globally, so two configurations can run
side by side in one process. The CLI (harness/cli/) is a thin shell over these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from harness.config import HarnessConfig, RunConfig
from harness.config import load_config as _read_config
from harness.errors import HarnessError
from harness.records import Case, ModelSpec
from harness.results import ArmsComparison, Comparison, GateResult, RunResult, parse_results
from harness.stats import ALPHA

DEFAULT_SUITES = ("demo",)

# progress(task, phase, done, total): task is "generate:NAME" or "score:NAME"; total None = unknown yet
Progress = Callable[[str, str, int, int | None], None]


@dataclass
class CaseSet:
    """Cases selected from suites, with the references they came from and the notes of loading them
    (records skipped, with the file and line); pass it as `suites=` to reuse one selection."""

    cases: list[Case]
    refs: list[str]
    notes: list[str] = field(default_factory=list)


def load_config(path: str | Path | None = None, **run: Any) -> HarnessConfig:
    """harness.toml (the given path, else ./harness.toml if present, else the defaults), with `run`
    fields overridden: `load_config(max_tokens=64, backend="hf", history="golden")`."""
    cfg = _read_config(path)
    if run:
        cfg.run = with_run(cfg.run, **run)
    return cfg


def with_run(run: RunConfig, **updates: Any) -> RunConfig:
    """`run` with some fields replaced (None values are ignored), checked like harness.toml's [run]."""
    from harness.config import _check_run_ranges
    from harness.runners import HISTORY_MODES

    known = {f.name for f in fields(RunConfig)}
    unknown = sorted(set(updates) - known)
    if unknown:
        raise HarnessError(f"unknown run option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    from harness.engine_options import check_options

    for kind in ("engine", "hf"):
        if updates.get(kind) is not None:
            updates[kind] = check_options(updates[kind], kind, f"run options: {kind}", per_model=False)
    run = replace(run, **{k: v for k, v in updates.items() if v is not None})
    if run.history not in HISTORY_MODES:
        raise HarnessError(f"history must be one of {', '.join(HISTORY_MODES)}, got {run.history!r}")
    _check_run_ranges(run, "run options")
    return run


def _config(config: HarnessConfig | str | Path | None) -> HarnessConfig:
    return config if isinstance(config, HarnessConfig) else _read_config(config)


def load_cases(
    suites: Sequence[str] | None = None,
    category: Sequence[str] | None = None,
    lang: Sequence[str] | None = None,
    limit: int | None = None,
    strict: bool = False,
) -> CaseSet:
    """The cases of `suites` (default: demo) after the filters; `strict` makes skipped records errors."""
    from harness.suites import filter_cases, load_suites

    if limit is not None and limit < 1:
        raise HarnessError(f"--limit must be at least 1, got {limit}")
    refs = list(suites or DEFAULT_SUITES)
    notes: list[str] = []
    cases = filter_cases(load_suites(refs, notes=notes, strict=strict), category, lang, limit)
    if not cases:
        raise HarnessError("no cases left after --category/--lang/--limit filters")
    return CaseSet(cases, refs, notes)


def resolve_models(refs: Sequence[str | ModelSpec], config: HarnessConfig | str | Path | None = None) -> list[ModelSpec]:
    """Model references as the CLI takes them, resolved (the demo pair is built on first use)."""
    from harness.demo.build import ensure_demo
    from harness.models import resolve_model

    cfg = _config(config)
    return [r if isinstance(r, ModelSpec) else resolve_model(r, cfg, demo_builder=ensure_demo) for r in refs]


def _cases(suites: Sequence[str] | CaseSet | None, cfg: HarnessConfig, **filters: Any) -> CaseSet:
    if isinstance(suites, CaseSet):
        return suites
    return load_cases(suites, strict=cfg.run.replay_strict, **filters)


def _generate_and_score(specs: list[ModelSpec], cases: list[Case], cfg: HarnessConfig, progress: Progress | None):
    """Each model in turn (one engine at a time), then scoring: [(ModelRun, {case id: Scored})]."""
    from harness.comparison import score_run
    from harness.runners.engine_pool import EnginePool

    runs = []
    pool = EnginePool(specs, cfg.run)
    try:
        for spec in specs:
            runs.append(_generate(spec, cases, cfg, progress, pool))
            pool.done(spec)
    finally:
        pool.close()
    out = []
    for r in runs:
        task = f"score:{r.spec.name}"
        update = None if progress is None else (lambda done, total, task=task, name=r.spec.name: progress(task, f"scoring {name}", done, total))
        out.append((r, score_run(cases, r, cfg.scoring, progress=update)))
    return out


def _generate(spec: ModelSpec, cases: list[Case], cfg: HarnessConfig, progress: Progress | None, pool: Any):
    from harness.runners import run_model

    task = f"generate:{spec.name}"
    update = None if progress is None else (lambda phase, done, total: progress(task, phase, done, total))
    if progress:
        progress(task, f"{spec.name}: starting", 0, None)
    r = run_model(spec, cases, cfg.run, progress=update, engines=pool)
    if progress:
        progress(task, f"{spec.name}: done ({r.backend})", 1, 1)
    return r


def _judge(
    doc: dict[str, Any], cases: list[Case], sides: dict[str, Any], judge: str | ModelSpec | None,
    cfg: HarnessConfig, alpha: float, progress: Progress | None,
) -> dict[str, Any]:
    """The document with the judge's verdicts added (`judge`, else `[judge] model`; none: unchanged)."""
    ref = judge if judge is not None else cfg.judge.model
    if ref is None:
        return doc
    from harness.judge import attach
    from harness.judge.grading import run_judge

    (spec,) = resolve_models([ref], cfg)
    done = {c["id"] for c in doc["cases"]}
    task = f"judge:{spec.name}"
    update = None if progress is None else (lambda phase, n, total: progress(task, f"judge {spec.name}: {phase}", n, total))
    judged = run_judge(spec, [c for c in cases if c.id in done], {k: r.generations for k, r in sides.items()}, cfg, update)
    return attach(doc, judged, alpha)


def judge_plan(
    suites: Sequence[str] | CaseSet | None, config: HarnessConfig | str | Path | None = None, models: int = 2, **filters: Any
):
    """What `--judge` will cost on these cases (calls, rough prompt tokens, reply tokens at most), before
    anything runs: answers are assumed at the token cap. `models`: 2 for compare, 1 for run."""
    from harness.judge.requests import effective_modes, plan

    cfg = _config(config)
    selected = _cases(suites, cfg, **filters)
    modes = effective_modes(cfg.judge.modes, models == 2)
    return plan(selected.cases, modes, models, cfg.run.max_tokens, cfg.judge.max_tokens)


def run(
    model: str | ModelSpec,
    suites: Sequence[str] | CaseSet | None = None,
    config: HarnessConfig | str | Path | None = None,
    *,
    category: Sequence[str] | None = None,
    lang: Sequence[str] | None = None,
    limit: int | None = None,
    judge: str | ModelSpec | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run one model on the suites and score it (`harness run MODEL`); `judge` (or `[judge] model`) adds
    a model judge's 1-10 grades (docs/judge.md)."""
    from harness.comparison import build_run_results, run_settings

    cfg = _config(config)
    selected = _cases(suites, cfg, category=category, lang=lang, limit=limit)
    specs = resolve_models([model], cfg)
    ((r, scored),) = _generate_and_score(specs, selected.cases, cfg, progress)
    doc = build_run_results(selected.cases, r, scored, selected.refs, run_settings(cfg.run), notes=selected.notes)
    doc = _judge(doc, selected.cases, {"output": r}, judge, cfg, ALPHA, progress)
    return RunResult.model_validate(doc)


def compare(
    base: str | ModelSpec,
    sft: str | ModelSpec,
    suites: Sequence[str] | CaseSet | None = None,
    config: HarnessConfig | str | Path | None = None,
    *,
    category: Sequence[str] | None = None,
    lang: Sequence[str] | None = None,
    limit: int | None = None,
    alpha: float = ALPHA,
    judge: str | ModelSpec | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Run BASE and SFT on the same cases, score both, and compare them pairwise (`harness compare`);
    `judge` (or `[judge] model`) adds a model judge's grades and pairwise preferences (docs/judge.md)."""
    from harness.comparison import build_results, run_settings

    check_alpha(alpha)
    cfg = _config(config)
    selected = _cases(suites, cfg, category=category, lang=lang, limit=limit)
    specs = resolve_models([base, sft], cfg)
    (b, b_scored), (s, s_scored) = _generate_and_score(specs, selected.cases, cfg, progress)
    doc = build_results(
        selected.cases, b, s, b_scored, s_scored, selected.refs, run_settings(cfg.run), alpha=alpha, notes=selected.notes
    )
    doc = _judge(doc, selected.cases, {"base": b, "sft": s}, judge, cfg, alpha, progress)
    return Comparison.model_validate(doc)


def compare_arms(
    models: Sequence[str | ModelSpec],
    baseline: str | int | None = None,
    suites: Sequence[str] | CaseSet | None = None,
    config: HarnessConfig | str | Path | None = None,
    *,
    category: Sequence[str] | None = None,
    lang: Sequence[str] | None = None,
    limit: int | None = None,
    alpha: float = ALPHA,
    progress: Progress | None = None,
) -> ArmsComparison:
    """Run every model (arm) on the same cases and pair each with the baseline (`harness compare A B C …`):
    `baseline` is an arm's name, the reference as given, or its index (default: the first arm). Holm runs
    over arms × metrics; `result.pair(arm)` is the two-arm comparison of the baseline with one arm
    (docs/arms.md)."""
    from harness.arms import baseline_index, build_arms_results, named_arms
    from harness.comparison import run_settings

    check_alpha(alpha)
    if len(models) < 2:
        raise HarnessError(f"compare_arms needs at least 2 models, got {len(models)}")
    cfg = _config(config)
    selected = _cases(suites, cfg, category=category, lang=lang, limit=limit)
    specs = named_arms(resolve_models(models, cfg))
    b = baseline_index([s.name for s in specs], list(models), baseline)
    runs = _generate_and_score(specs, selected.cases, cfg, progress)
    doc = build_arms_results(selected.cases, runs, b, selected.refs, run_settings(cfg.run), alpha=alpha, notes=selected.notes)
    return ArmsComparison.model_validate(doc)


def check_alpha(alpha: float | None) -> None:
    if alpha is not None and not 0 < alpha < 1:
        raise HarnessError(f"--alpha must be between 0 and 1, got {alpha}")


def gate(
    result: Comparison | RunResult | ArmsComparison,
    rules: str | Path | Any | None = None,
    *,
    baseline: Comparison | RunResult | None = None,
    alpha: float | None = None,
    pairs: Sequence[str] | None = None,
) -> GateResult:
    """Apply the CI gate (docs/ci-gate.md): the default rule (no metric regressed significantly) and
    the rules file's. `rules`: a gate.toml path or a `harness.gate_rules.GateConfig`; with `baseline`, the
    result's SFT side is gated against the baseline's (see `against_baseline`). An N-arm result is gated
    pair by pair: `pairs` (else `[gate] pairs`, else the last arm) against its baseline arm."""
    from harness.gate_rules import GateConfig, evaluate, load_rules

    check_alpha(alpha)
    cfg = rules if isinstance(rules, GateConfig) else load_rules(rules)
    if alpha is not None:
        cfg = replace(cfg, alpha=alpha)
    if isinstance(result, ArmsComparison):
        if baseline is not None:
            raise HarnessError("an N-arm result is gated pair by pair against its own baseline arm (pairs=...), not against another file")
        return _gate_arms(result, cfg, pairs)
    if pairs:
        raise HarnessError("--pair chooses pairs of an N-arm result (harness compare A B C …); this one has two models")
    if baseline is not None:
        result = against_baseline(result, baseline, alpha=cfg.alpha)
    elif not isinstance(result, Comparison):
        raise HarnessError(
            "a 'run' result has one model; gate it against a previous run (baseline=...), or gate compare results"
        )
    return GateResult.model_validate(evaluate(result.to_json(), cfg))


def _gate_arms(result: ArmsComparison, cfg: Any, pairs: Sequence[str] | None) -> GateResult:
    """The gate's rules on each chosen pair (`result.pair(arm)`), each rule named with its pair."""
    from harness.arms import display_names, find_arm
    from harness.gate_rules import evaluate

    others = [n for n in result.names if n != result.baseline]
    chosen = list(dict.fromkeys(find_arm(others, a, "--pair") for a in (pairs or cfg.pairs or others[-1:])))
    shown = display_names(result.names)
    rules: list[dict[str, Any]] = []
    alpha = None
    for arm in chosen:
        g = evaluate(result.pair(arm).to_json(), cfg)
        alpha = g["alpha"]
        rules += [{**r, "rule": f"{shown[arm]} vs {shown[result.baseline]}: {r['rule']}", "pair": arm} for r in g["rules"]]
    return GateResult.model_validate({"passed": all(r["passed"] for r in rules), "alpha": alpha, "mode": "arms",
                                      "rules_file": cfg.path, "rules": rules, "pairs": chosen})


def against_baseline(
    new: Comparison | RunResult,
    old: Comparison | RunResult,
    alpha: float | None = None,
    new_name: str = "NEW",
    old_name: str = "OLD",
) -> Comparison:
    """A comparison (kind "baseline") of OLD's SFT side (an accepted checkpoint) with NEW's, by case id."""
    from harness.gate_rules import baseline_results

    doc = baseline_results(new.to_json(), old.to_json(), alpha, new_name=new_name, old_name=old_name)
    return Comparison.model_validate(doc)


def restat(result: Comparison | ArmsComparison, alpha: float | None = None) -> Comparison | ArmsComparison:
    """The comparison's statistics computed again from its cases (at another alpha, or for files written
    before rows carried CIs and corrected p-values); an N-arm result's pairs, trajectory, forgetting and
    prompt share too."""
    from harness.comparison import recompute_stats

    check_alpha(alpha)
    if isinstance(result, ArmsComparison):
        from harness.arms import arms_stats

        return ArmsComparison.model_validate(arms_stats(result.to_json(), alpha))
    return Comparison.model_validate(recompute_stats(result.to_json(), alpha))


def load_results(path: str | Path) -> Comparison | RunResult | ArmsComparison:
    """A results file written by `compare`, `run` (or `save_results`), validated against the types; an
    older compare file without CIs gets its statistics computed. Errors name the file and the field."""
    from harness.comparison import needs_stats
    from harness.outputs import read_json

    p = Path(path)
    data = read_json(p, "results")
    result = parse_results(data, str(p))
    if isinstance(result, Comparison) and needs_stats(data):
        result = restat(result)
    return result


def save_results(result: Comparison | RunResult | ArmsComparison, path: str | Path) -> None:
    """Write the results document atomically (a crash never leaves half a file)."""
    import json

    from harness.outputs import write_atomic

    write_atomic(path, json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
