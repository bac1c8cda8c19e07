"""The `harness` command line (typer + rich)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from harness.config import HarnessConfig, RunConfig, load_config
from harness.errors import HarnessError

app = typer.Typer(
    help="Measure what supervised fine-tuning changed: directness, format, multi-turn coherence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
suites_app = typer.Typer(help="List and inspect evaluation suites.", invoke_without_command=True)
demo_app = typer.Typer(help="The embedded demo pair (a tiny base model and its SFT).", no_args_is_help=True)
app.add_typer(suites_app, name="suites")
app.add_typer(demo_app, name="demo")

STATE = {"debug": False, "no_color": False}
DEFAULT_SUITES = ["demo"]

SuiteOpt = Annotated[
    list[str] | None,
    typer.Option("--suite", "-s", help="Built-in suite name, FORMAT:PATH or a file; repeatable. Default: demo."),
]
CategoryOpt = Annotated[list[str] | None, typer.Option("--category", help="Only these categories; repeatable.")]
LangOpt = Annotated[list[str] | None, typer.Option("--lang", help="Only these languages (en, zh); repeatable.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", help="At most N cases (after filters).")]
JsonOpt = Annotated[Path | None, typer.Option("--json", help="Write the results document here.")]
BackendOpt = Annotated[str | None, typer.Option("--backend", help="vllm | hf | replay (default: vllm if installed).")]
MaxTokOpt = Annotated[int | None, typer.Option("--max-tokens", help="Token cap per turn (default 128).")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Sampling seed (default 0).")]
TempOpt = Annotated[float | None, typer.Option("--temperature", help="0 = greedy (default).")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="harness.toml to read (default ./harness.toml).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Generate again even if cached.")]


def console() -> Console:
    no_color = STATE["no_color"] or bool(os.environ.get("NO_COLOR"))
    return Console(no_color=no_color, highlight=False, soft_wrap=False)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain output without colours.")] = False,
) -> None:
    STATE["debug"] = debug
    STATE["no_color"] = no_color


def fail(err: Exception) -> None:
    if STATE["debug"]:
        raise err
    Console(stderr=True, no_color=STATE["no_color"], highlight=False, soft_wrap=True).print(f"[bold red]error:[/] {err}", markup=True)
    raise typer.Exit(2)


def _run_config(
    cfg: HarnessConfig,
    backend: str | None,
    max_tokens: int | None,
    seed: int | None,
    temperature: float | None,
    no_cache: bool,
) -> RunConfig:
    run = cfg.run
    updates = {"backend": backend, "max_tokens": max_tokens, "seed": seed, "temperature": temperature}
    run = replace(run, **{k: v for k, v in updates.items() if v is not None})
    if no_cache:
        run = replace(run, use_cache=False)
    if run.max_tokens < 1:
        raise HarnessError("--max-tokens must be at least 1")
    return run


def _progress(con: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=con,
        transient=False,
        disable=not con.is_terminal,
    )


def _load_cases(suites: list[str], category: list[str] | None, lang: list[str] | None, limit: int | None):
    from harness.suites import filter_cases, load_suites

    cases = filter_cases(load_suites(suites), category, lang, limit)
    if not cases:
        raise HarnessError("no cases left after --category/--lang/--limit filters")
    return cases


def _generate(con: Console, specs, cases, run: RunConfig):
    """Run each model in turn (one engine at a time), then score, with progress bars."""
    from harness.compare import score_run
    from harness.runners import run_model

    runs, scored = [], []
    with _progress(con) as prog:
        for spec in specs:
            task = prog.add_task(f"{spec.name}: starting", total=None)

            def update(phase: str, done: int, total: int, task=task) -> None:
                prog.update(task, description=f"{phase}", completed=done, total=total)

            r = run_model(spec, cases, run, progress=update)
            prog.update(task, description=f"{spec.name}: done ({r.backend})", completed=1, total=1)
            runs.append(r)
        for r in runs:
            task = prog.add_task(f"scoring {r.spec.name}", total=len(cases))
            scored.append(
                score_run(cases, r, progress=lambda d, t, task=task: prog.update(task, completed=d, total=t))
            )
    return runs, scored


def _resolve(con: Console, cfg: HarnessConfig, refs: list[str]):
    from harness.models import resolve_model

    specs = [resolve_model(r, cfg) for r in refs]
    for s in specs:
        con.print(f"[bold]{s.name}[/] → {s.path} [dim]({s.source})[/]")
    return specs


@app.command()
def compare(
    base: Annotated[str, typer.Argument(help="The model before SFT: harness.toml name, dir, hub id, replay:FILE.")],
    sft: Annotated[str, typer.Argument(help="The model after SFT.")],
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
    examples: Annotated[int, typer.Option("--examples", help="Side-by-side examples to show.")] = 4,
) -> None:
    """Run BASE and SFT on the same cases, score both, and show what changed."""
    from harness.compare import build_results
    from reports.json_report import write_results
    from reports.terminal import render_compare

    con = console()
    try:
        cfg = load_config(config)
        run = _run_config(cfg, backend, max_tokens, seed, temperature, no_cache)
        suites = suite or DEFAULT_SUITES
        cases = _load_cases(suites, category, lang, limit)
        specs = _resolve(con, cfg, [base, sft])
        (base_run, sft_run), (base_scored, sft_scored) = _generate(con, specs, cases, run)
        settings = {"max_tokens": run.max_tokens, "temperature": run.temperature, "seed": run.seed, "history": "own"}
        results = build_results(cases, base_run, sft_run, base_scored, sft_scored, suites, settings)
        if json_path:
            write_results(json_path, results)
    except HarnessError as e:
        fail(e)
        return
    render_compare(results, con, examples)
    if json_path:
        con.print(f"results written to [bold]{json_path}[/]")


@app.command("run")
def run_cmd(
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
) -> None:
    """Run one model on a suite and score it."""
    from harness.compare import build_run_results
    from reports.json_report import write_results
    from reports.terminal import render_run

    con = console()
    try:
        cfg = load_config(config)
        run = _run_config(cfg, backend, max_tokens, seed, temperature, no_cache)
        suites = suite or DEFAULT_SUITES
        cases = _load_cases(suites, category, lang, limit)
        specs = _resolve(con, cfg, [model])
        (r,), (scored,) = _generate(con, specs, cases, run)
        settings = {"max_tokens": run.max_tokens, "temperature": run.temperature, "seed": run.seed, "history": "own"}
        results = build_run_results(cases, r, scored, suites, settings)
        if json_path:
            write_results(json_path, results)
    except HarnessError as e:
        fail(e)
        return
    render_run(results, con)
    if json_path:
        con.print(f"results written to [bold]{json_path}[/]")


@app.command()
def report(
    results_path: Annotated[Path, typer.Argument(help="A results JSON written by compare or run.")],
    examples: Annotated[int, typer.Option("--examples", help="Side-by-side examples to show.")] = 4,
) -> None:
    """Render saved results again, without generating."""
    from reports.json_report import read_results
    from reports.terminal import render_compare, render_run

    con = console()
    try:
        results = read_results(results_path)
    except HarnessError as e:
        fail(e)
        return
    if results.get("kind") == "run":
        render_run(results, con)
    else:
        render_compare(results, con, examples)


@suites_app.callback()
def suites_list(ctx: typer.Context) -> None:
    """List the built-in suites with counts per category and language."""
    if ctx.invoked_subcommand:
        return
    from harness.suites import builtin_suites, load_suite

    con = console()
    t = Table(title="Built-in suites", title_justify="left")
    for col in ("suite", "cases", "by category", "by language", "file"):
        t.add_column(col)
    try:
        for name, path in builtin_suites().items():
            cases = load_suite(name)
            cats = ", ".join(f"{k} {v}" for k, v in Counter(c.category for c in cases).items())
            langs = ", ".join(f"{k} {v}" for k, v in Counter(c.lang for c in cases).items())
            t.add_row(name, str(len(cases)), cats, langs, str(path))
    except HarnessError as e:
        fail(e)
        return
    con.print(t)


@suites_app.command("show")
def suites_show(
    name: Annotated[str, typer.Argument(help="Suite name or FORMAT:PATH.")],
    n: Annotated[int, typer.Option("-n", help="How many cases to print.")] = 5,
    category: CategoryOpt = None,
    lang: LangOpt = None,
) -> None:
    """Print a few cases of a suite."""
    from reports.terminal import safe

    con = console()
    try:
        cases = _load_cases([name], category, lang, n)
    except HarnessError as e:
        fail(e)
        return
    for c in cases:
        con.print(f"[bold]{c.id}[/] [dim]{c.category} · {c.lang}[/]")
        for t in c.turns:
            con.print("  user: ", safe(t, 300))
        if c.reference:
            con.print("  reference: ", safe(c.reference))
        if c.checks:
            con.print("  checks: " + ", ".join(ch.id for ch in c.checks))


@demo_app.command("build")
def demo_build(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if built.")] = False,
    reduced: Annotated[bool, typer.Option("--reduced", help="A smaller, faster pair (for tests).")] = False,
) -> None:
    """Build the demo pair: pretrain a tiny base model, then SFT it with the project's trainer."""
    from harness.demo.build import build_demo

    con = console()
    try:
        base, sft = build_demo(reduced=reduced, force=force, console=con)
    except HarnessError as e:
        fail(e)
        return
    con.print(f"base: {base}\nsft:  {sft}")




if __name__ == "__main__":
    sys.exit(app())
