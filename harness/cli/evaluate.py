"""`harness compare`, `harness run`, `harness report`: parse the flags, call harness.api, show the results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harness import api
from harness.cli.common import (
    BackendOpt,
    CategoryOpt,
    ConfigOpt,
    DetailOpt,
    ExamplesOpt,
    HistoryOpt,
    HtmlOpt,
    JsonOpt,
    JunitOpt,
    LangOpt,
    LimitOpt,
    MaxTokOpt,
    MdOpt,
    NoCacheOpt,
    ProgressBars,
    RulesOpt,
    SeedOpt,
    StrictOpt,
    SuiteOpt,
    TempOpt,
    console,
    fail,
    file_inputs,
    print_models,
    print_notes,
)
from harness.cli.render import show_arms, show_comparison, show_run, show_trajectory
from harness.config import HarnessConfig
from harness.errors import HarnessError
from harness.outputs import check_outputs
from harness.results import ArmsComparison, Comparison
from harness.trajectory import is_training_report

DpOpt = Annotated[int | None, typer.Option("--dp", help="N engine replicas per model on Ray (data parallel; RAY_ADDRESS for a cluster).")]
TpOpt = Annotated[int | None, typer.Option("--tp", help="vLLM: split each model over N GPUs (tensor_parallel_size).")]
AlphaOpt = Annotated[float, typer.Option("--alpha", help="Significance level for verdicts (default 0.05).")]
JudgeOpt = Annotated[
    str | None,
    typer.Option("--judge", help="A model judge (any model reference: openai:M@URL, a dir, replay:FILE); docs/judge.md."),
]
JudgeModeOpt = Annotated[
    str | None,
    typer.Option("--judge-mode", help="Comma-separated: single (1-10 grades), pairwise (base vs SFT), on_topic (is each "
                                      "answer about what was asked). Default single,pairwise; run: single."),
]
JudgeOutOpt = Annotated[
    Path | None, typer.Option("--judge-out", help="Save the judge's requests and replies (JSONL; replay them with --judge replay:FILE).")
]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before a judged run with many judge calls.")]


def flags_config(
    config: Path | None,
    backend: str | None = None,
    max_tokens: int | None = None,
    seed: int | None = None,
    temperature: float | None = None,
    no_cache: bool = False,
    history: str | None = None,
    strict: bool = False,
    tp: int | None = None,
    dp: int | None = None,
) -> HarnessConfig:
    """harness.toml with the command line's generation flags on top (flag errors name the flag)."""
    from harness.runners import HISTORY_MODES

    if max_tokens is not None and max_tokens < 1:
        raise HarnessError("--max-tokens must be at least 1")
    if history is not None and history not in HISTORY_MODES:
        raise HarnessError(f"--history must be one of {', '.join(HISTORY_MODES)}, got {history!r}")
    for flag, n in (("--tp", tp), ("--dp", dp)):
        if n is not None and n < 1:
            raise HarnessError(f"{flag} must be at least 1, got {n}")
    cfg = api.load_config(
        config, backend=backend, max_tokens=max_tokens, seed=seed, temperature=temperature,
        use_cache=False if no_cache else None, history=history, replay_strict=True if strict else None,
        data_parallel=dp,
    )
    if tp is not None:  # vLLM splits each model over this many GPUs
        cfg.run = api.with_run(cfg.run, engine={**cfg.run.engine, "tensor_parallel_size": tp})
    return cfg


def with_judge(cfg: HarnessConfig, judge: str | None, mode: str | None, out: Path | None) -> HarnessConfig:
    """The config with --judge, --judge-mode and --judge-out on top of [judge]."""
    from dataclasses import replace

    from harness.config import check_judge

    j = cfg.judge
    if judge is not None:
        j = replace(j, model=judge)
    if mode is not None:
        j = replace(j, modes=[m.strip() for m in mode.split(",") if m.strip()])
    if out is not None:
        j = replace(j, out=str(out))
    check_judge(j, "--judge-mode")
    if (mode is not None or out is not None) and j.model is None:
        raise HarnessError("--judge-mode/--judge-out need a judge: --judge MODEL or [judge] model in harness.toml")
    cfg.judge = j
    return cfg


def confirm_judge(cfg: HarnessConfig, selected: api.CaseSet, models: int, yes: bool) -> None:
    """Say what the judge will cost before anything runs; above [judge] confirm_above calls, ask (or, with
    no terminal to ask on, require --yes). Replayed judgements cost nothing and are not asked about."""
    import sys

    if cfg.judge.model is None:
        return
    plan = api.judge_plan(selected, cfg, models=models)
    free = cfg.judge.model.startswith("replay:")
    console().print(
        f"judge: {plan.calls} call(s) to {cfg.judge.model}"
        + ("" if free else f" (~{plan.prompt_tokens:,} prompt tokens, at most {plan.reply_tokens:,} reply tokens; cached calls are free)")
    )
    if free or yes or plan.calls <= cfg.judge.confirm_above:
        return
    if sys.stdin.isatty():
        if not typer.confirm(f"Make {plan.calls} judge calls?", default=False):
            raise HarnessError("stopped before judging (nothing was run)")
        return
    raise HarnessError(
        f"the judge would make {plan.calls} calls, more than [judge] confirm_above = {cfg.judge.confirm_above}: "
        "pass --yes to go ahead (or --limit to judge fewer cases)"
    )


def compare_models(
    base: str,
    sft: str,
    cfg: HarnessConfig,
    suites: list[str] | None,
    *,
    category: list[str] | None = None,
    lang: list[str] | None = None,
    limit: int | None = None,
    alpha: float = 0.05,
    rules: Path | None = None,
    gate: bool = False,
    yes: bool = True,
) -> Comparison:
    """The compare pipeline with the terminal around it (models, notes, progress bars); the gate's
    rules are read before anything is generated, so a bad rules file costs nothing."""
    from harness.gate_rules import load_rules

    con = console()
    api.check_alpha(alpha)
    gate_cfg = load_rules(rules) if gate or rules is not None else None
    selected = api.load_cases(suites, category, lang, limit, strict=cfg.run.replay_strict)
    print_notes(selected.notes)
    confirm_judge(cfg, selected, 2, yes)
    specs = api.resolve_models([base, sft], cfg)
    print_models(con, specs)
    with ProgressBars(con) as bars:
        results = api.compare(specs[0], specs[1], selected, cfg, alpha=alpha, progress=bars)
    if gate_cfg is not None:
        results.gate = api.gate(results, gate_cfg)
    return results


def compare(
    models: Annotated[
        list[str],
        typer.Argument(
            help="BASE SFT (harness.toml name, dir, hub id, replay:FILE), or more arms: A B C … "
            "(a quoted glob such as 'runs/sft/checkpoint-*' expands, checkpoints in step order).",
            show_default=False,
        ),
    ],
    suite: SuiteOpt = None,
    category: CategoryOpt = None,
    lang: LangOpt = None,
    limit: LimitOpt = None,
    json_path: JsonOpt = None,
    backend: BackendOpt = None,
    max_tokens: MaxTokOpt = None,
    seed: SeedOpt = None,
    temperature: TempOpt = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    history: HistoryOpt = None,
    examples: ExamplesOpt = None,
    detail: DetailOpt = False,
    strict: StrictOpt = False,
    html_path: HtmlOpt = None,
    md_path: MdOpt = None,
    junit_path: JunitOpt = None,
    gate: Annotated[bool, typer.Option("--gate", help="Apply the CI gate after comparing; exit 1 if it fails.")] = False,
    rules: RulesOpt = None,
    alpha: AlphaOpt = 0.05,
    tp: TpOpt = None,
    dp: DpOpt = None,
    judge: JudgeOpt = None,
    judge_mode: JudgeModeOpt = None,
    judge_out: JudgeOutOpt = None,
    yes: YesOpt = False,
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="With 3+ models: the arm every other is compared with (default: the first).")
    ] = None,
    pairs: Annotated[
        list[str] | None, typer.Option("--pair", help="With 3+ models and --gate: gate this arm against the baseline; repeatable (default: the last arm).")
    ] = None,
) -> None:
    """Run BASE and SFT (or any number of arms) on the same cases, score them, and show what changed."""
    from harness.models import expand_model_refs

    con = console()
    try:
        refs = expand_model_refs(models)
        if len(refs) < 2:
            raise HarnessError(f"compare needs at least two models, got {len(refs)}: {' '.join(refs) or 'none'}")
        arms = len(refs) > 2
        if arms and judge is not None:
            raise HarnessError("--judge compares two models; with 3+ arms compare the pair you want judged: harness compare A B --judge …")
        if pairs and not arms:
            raise HarnessError("--pair chooses among 3+ arms; with two models the gate takes the one pair")
        if not arms and baseline not in (None, refs[0]):
            refs = _swap(refs, baseline)  # --baseline names the model the other is compared with
        check_outputs(
            {"--json": json_path, "--html": html_path, "--md": md_path, "--junit": junit_path, "--judge-out": judge_out},
            {"--config": config, "--rules": rules, **file_inputs(suite, [*refs, *([judge] if judge else [])])},
        )
        cfg = flags_config(config, backend, max_tokens, seed, temperature, no_cache, history, strict, tp, dp)
        if arms:
            results: Comparison | ArmsComparison = compare_arms_models(
                refs, cfg, suite, baseline=baseline, pairs=pairs, category=category, lang=lang, limit=limit,
                alpha=alpha, rules=rules, gate=gate)
        else:
            cfg = with_judge(cfg, judge, judge_mode, judge_out)
            results = compare_models(refs[0], refs[1], cfg, suite, category=category, lang=lang, limit=limit,
                                     alpha=alpha, rules=rules, gate=gate, yes=yes)
        if json_path:
            api.save_results(results, json_path)
    except HarnessError as e:
        fail(e)
        return
    show = show_arms if isinstance(results, ArmsComparison) else show_comparison
    show(con, results, examples=examples, json_path=json_path, html_path=html_path, md_path=md_path,  # type: ignore[operator]
         junit_path=junit_path, detail=detail)


def _swap(refs: list[str], baseline: str) -> list[str]:
    if baseline != refs[1]:
        raise HarnessError(f"--baseline {baseline!r} is not one of the models: {', '.join(refs)}")
    return [refs[1], refs[0]]


def compare_arms_models(
    refs: list[str],
    cfg: HarnessConfig,
    suites: list[str] | None,
    *,
    baseline: str | None = None,
    pairs: list[str] | None = None,
    category: list[str] | None = None,
    lang: list[str] | None = None,
    limit: int | None = None,
    alpha: float = 0.05,
    rules: Path | None = None,
    gate: bool = False,
) -> ArmsComparison:
    """`harness compare A B C …` with the terminal around it (docs/arms.md); --pair implies --gate."""
    from harness.gate_rules import load_rules

    con = console()
    api.check_alpha(alpha)
    gate_cfg = load_rules(rules) if gate or rules is not None or pairs else None
    selected = api.load_cases(suites, category, lang, limit, strict=cfg.run.replay_strict)
    print_notes(selected.notes)
    specs = api.resolve_models(refs, cfg)
    print_models(con, specs)
    with ProgressBars(con) as bars:
        results = api.compare_arms(specs, baseline, selected, cfg, alpha=alpha, progress=bars)
    if gate_cfg is not None:
        results.gate = api.gate(results, gate_cfg, pairs=pairs)
    return results


def run(
    model: Annotated[str, typer.Argument(help="harness.toml name, dir, hub id, replay:FILE, base or sft.")],
    suite: SuiteOpt = None,
    category: CategoryOpt = None,
    lang: LangOpt = None,
    limit: LimitOpt = None,
    json_path: JsonOpt = None,
    backend: BackendOpt = None,
    max_tokens: MaxTokOpt = None,
    seed: SeedOpt = None,
    temperature: TempOpt = None,
    config: ConfigOpt = None,
    no_cache: NoCacheOpt = False,
    strict: StrictOpt = False,
    history: HistoryOpt = None,
    tp: TpOpt = None,
    dp: DpOpt = None,
    judge: JudgeOpt = None,
    judge_mode: JudgeModeOpt = None,
    judge_out: JudgeOutOpt = None,
    yes: YesOpt = False,
) -> None:
    """Run one model on a suite and score it."""
    con = console()
    try:
        check_outputs(
            {"--json": json_path, "--judge-out": judge_out},
            {"--config": config, **file_inputs(suite, [model, *([judge] if judge else [])])},
        )
        cfg = flags_config(config, backend, max_tokens, seed, temperature, no_cache, history, strict, tp, dp)
        cfg = with_judge(cfg, judge, judge_mode, judge_out)
        selected = api.load_cases(suite, category, lang, limit, strict=cfg.run.replay_strict)
        print_notes(selected.notes)
        confirm_judge(cfg, selected, 1, yes)
        specs = api.resolve_models([model], cfg)
        print_models(con, specs)
        with ProgressBars(con) as bars:
            results = api.run(specs[0], selected, cfg, progress=bars)
        if json_path:
            api.save_results(results, json_path)
    except HarnessError as e:
        fail(e)
        return
    show_run(con, results, json_path)


def report(
    results_path: Annotated[
        Path,
        typer.Argument(help="A results JSON written by compare (two models or more) or run; or a `harness train --out` "
                       "dir / its training_report.json (the trajectory)."),
    ],
    examples: ExamplesOpt = None,
    detail: DetailOpt = False,
    html_path: HtmlOpt = None,
    md_path: MdOpt = None,
    junit_path: JunitOpt = None,
    alpha: Annotated[
        float | None, typer.Option("--alpha", help="Recompute verdicts at this significance level.")
    ] = None,
) -> None:
    """Render saved results again, without generating (terminal, and --html/--md/--junit files); a training
    run's trajectory (`harness train --eval-every`) from its output directory."""
    con = console()
    if is_training_report(results_path):
        show_trajectory(con, results_path, html_path, md_path, junit_path, alpha)
        return
    try:
        check_outputs({"--html": html_path, "--md": md_path, "--junit": junit_path}, {"the results file": results_path})
        api.check_alpha(alpha)
        results = api.load_results(results_path)
        if isinstance(results, (Comparison, ArmsComparison)) and alpha is not None:
            results = api.restat(results, alpha)
    except HarnessError as e:
        fail(e)
        return
    if isinstance(results, ArmsComparison):
        show_arms(con, results, examples=examples, html_path=html_path, md_path=md_path, junit_path=junit_path,
                  apply_gate=False, detail=detail)
        return
    if not isinstance(results, Comparison):
        show_run(con, results)
        if html_path or md_path or junit_path:
            fail(HarnessError("--html/--md/--junit need compare results (a run file has one model only)"))
        return
    # A saved gate verdict is shown in the reports, but re-rendering is not gating: exit 0.
    show_comparison(con, results, examples=examples, html_path=html_path, md_path=md_path, junit_path=junit_path,
                    apply_gate=False, detail=detail)
