"""The `harness` command line (typer + rich)."""

from __future__ import annotations

import errno
import os
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from harness.config import HarnessConfig, RunConfig, load_config
from harness.errors import HarnessError
from harness.outputs import check_outputs

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
HtmlOpt = Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")]
MdOpt = Annotated[Path | None, typer.Option("--md", help="Write a Markdown summary here (PR comments, CI).")]
JunitOpt = Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here: a test per metric and gate rule.")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Gate rules file (TOML, docs/ci-gate.md); implies --gate.")]
HistoryOpt = Annotated[
    str | None,
    typer.Option(
        "--history",
        help="Multi-turn history: own (the model's earlier answers, default) or golden (the case's reference answers).",
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Errors instead of notes: replay outputs with no case, cases with no output, duplicates; "
        "skipped suite records.",
    ),
]


def console() -> Console:
    no_color = STATE["no_color"] or bool(os.environ.get("NO_COLOR"))
    return Console(no_color=no_color, highlight=False, soft_wrap=False)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain output without colours.")] = False,
) -> None:
    from harness.runners.vllm_engine import quiet_vllm

    STATE["debug"] = debug
    STATE["no_color"] = no_color
    quiet_vllm()  # before anything imports vllm (TRL does, in `harness train`)


def fail(err: Exception) -> None:
    if STATE["debug"]:
        raise err
    # The message may quote user data (paths, suite text): print it as inert text.
    err_console = Console(stderr=True, no_color=STATE["no_color"], highlight=False, soft_wrap=True, emoji=False)
    err_console.print(Text.assemble(("error: ", "bold red"), str(err)))
    raise typer.Exit(2)


def _load_config(path: Path | None) -> HarnessConfig:
    """Read harness.toml and put its [scoring] thresholds in force for the scorers."""
    from harness.scorers.text import set_scoring_config

    cfg = load_config(path)
    set_scoring_config(cfg.scoring)
    return cfg


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


def _with_history(run: RunConfig, history: str | None) -> RunConfig:
    """--history own|golden (default: harness.toml [run] history, else own)."""
    from harness.runners import HISTORY_MODES

    if history is not None:
        run = replace(run, history=history)
    if run.history not in HISTORY_MODES:
        raise HarnessError(f"--history must be one of {', '.join(HISTORY_MODES)}, got {run.history!r}")
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


def _load_cases(
    suites: list[str], category: list[str] | None, lang: list[str] | None, limit: int | None, strict: bool = False
):
    from harness.suites import filter_cases, load_suites

    """(cases, notes): notes say which suite records were skipped; they go into the results too."""
    if limit is not None and limit < 1:
        raise HarnessError(f"--limit must be at least 1, got {limit}")
    notes: list[str] = []
    cases = filter_cases(load_suites(suites, notes=notes, strict=strict), category, lang, limit)
    if notes:
        err = Console(stderr=True, no_color=STATE["no_color"], highlight=False, soft_wrap=True)
        for note in notes:
            err.print(f"[yellow]note:[/] {escape(note)}")
    if not cases:
        raise HarnessError("no cases left after --category/--lang/--limit filters")
    return cases, notes


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
    history: HistoryOpt = None,
    examples: Annotated[int, typer.Option("--examples", help="Side-by-side examples to show.")] = 4,
    strict: StrictOpt = False,
    html_path: HtmlOpt = None,
    md_path: MdOpt = None,
    junit_path: JunitOpt = None,
    gate: Annotated[bool, typer.Option("--gate", help="Apply the CI gate after comparing; exit 1 if it fails.")] = False,
    rules: RulesOpt = None,
    alpha: Annotated[float, typer.Option("--alpha", help="Significance level for verdicts (default 0.05).")] = 0.05,
) -> None:
    """Run BASE and SFT on the same cases, score both, and show what changed."""
    from harness.compare import build_results
    from reports.json_report import write_results
    from reports.terminal import render_compare

    con = console()
    try:
        check_outputs(
            {"--json": json_path, "--html": html_path, "--md": md_path, "--junit": junit_path},
            {"--config": config, "--rules": rules, **_file_inputs(suite, [base, sft])},
        )
        gate_cfg = _gate_config(gate or rules is not None, rules, alpha)  # a bad rules file fails before generating
        cfg = _load_config(config)
        run = _run_config(cfg, backend, max_tokens, seed, temperature, no_cache)
        run = _with_history(run, history)
        run = replace(run, replay_strict=True) if strict else run
        suites = suite or DEFAULT_SUITES
        cases, suite_notes = _load_cases(suites, category, lang, limit, run.replay_strict)
        specs = _resolve(con, cfg, [base, sft])
        (base_run, sft_run), (base_scored, sft_scored) = _generate(con, specs, cases, run)
        settings = {"max_tokens": run.max_tokens, "temperature": run.temperature, "seed": run.seed, "history": run.history}
        results = build_results(
            cases, base_run, sft_run, base_scored, sft_scored, suites, settings, alpha=alpha, notes=suite_notes
        )
        gate_result = _apply_gate(results, gate_cfg)
        if json_path:
            write_results(json_path, results)
    except HarnessError as e:
        fail(e)
        return
    render_compare(results, con, examples)
    if json_path:
        con.print(f"results written to [bold]{json_path}[/]")
    _write_reports(con, results, gate_result, html_path, md_path, junit_path)
    _gate_exit(con, gate_result)


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
    strict: StrictOpt = False,
    history: HistoryOpt = None,
) -> None:
    """Run one model on a suite and score it."""
    from harness.compare import build_run_results
    from reports.json_report import write_results
    from reports.terminal import render_run

    con = console()
    try:
        check_outputs({"--json": json_path}, {"--config": config, **_file_inputs(suite, [model])})
        cfg = _load_config(config)
        run = _run_config(cfg, backend, max_tokens, seed, temperature, no_cache)
        run = _with_history(run, history)
        run = replace(run, replay_strict=True) if strict else run
        suites = suite or DEFAULT_SUITES
        cases, suite_notes = _load_cases(suites, category, lang, limit, run.replay_strict)
        specs = _resolve(con, cfg, [model])
        (r,), (scored,) = _generate(con, specs, cases, run)
        settings = {"max_tokens": run.max_tokens, "temperature": run.temperature, "seed": run.seed, "history": run.history}
        results = build_run_results(cases, r, scored, suites, settings, notes=suite_notes)
        if json_path:
            write_results(json_path, results)
    except HarnessError as e:
        fail(e)
        return
    render_run(results, con)
    if json_path:
        con.print(f"results written to [bold]{json_path}[/]")


def _file_inputs(suites: list[str] | None, models: list[str]) -> dict[str, str]:
    """The files a command reads that a user might also name as an output (suites, replay files)."""
    out: dict[str, str] = {}
    for ref in suites or []:
        path = ref.split(":", 1)[1] if ":" in ref and not Path(ref).exists() else ref
        out[f"--suite {ref}"] = path
    for m in models:
        if m.startswith("replay:"):
            out[m] = m[len("replay:") :]
    return out


def _gate_config(enabled: bool, rules: Path | None, alpha: float | None = None):
    """The gate to apply (None when off); reading the rules file raises HarnessError (exit 2)."""
    if alpha is not None and not 0 < alpha < 1:
        raise HarnessError(f"--alpha must be between 0 and 1, got {alpha}")
    if not enabled:
        return None
    from harness.gate import load_rules

    return load_rules(rules)


def _apply_gate(results: dict, gate_cfg) -> dict | None:
    """Evaluate the gate and record it in the results document (field `gate`)."""
    if gate_cfg is None:
        return None
    from harness.gate import evaluate

    gate_result = evaluate(results, gate_cfg)
    results["gate"] = gate_result
    return gate_result


def _write_reports(con: Console, results: dict, gate_result: dict | None, html_path, md_path, junit_path) -> None:
    """--html / --md / --junit; an unwritable path is an input error (exit 2)."""
    from reports.html import write_html
    from reports.junit import write_junit
    from reports.markdown import write_markdown

    try:
        for path, writer, what in (
            (html_path, write_html, "HTML report"),
            (md_path, write_markdown, "Markdown summary"),
            (junit_path, write_junit, "JUnit XML"),
        ):
            if path:
                writer(path, results, gate_result)
                con.print(f"{what} written to [bold]{escape(str(path))}[/]")
    except HarnessError as e:
        fail(e)


def _print_gate(con: Console, gate_result: dict) -> None:
    from reports.terminal import safe

    t = Table(title="Gate", title_justify="left", show_header=False, box=None, padding=(0, 1))
    t.add_column(no_wrap=True)
    t.add_column()
    for rule in gate_result["rules"]:
        ok = rule["passed"]
        label = Text("✓ " if ok else "✗ ", style="green" if ok else "bold red")
        label.append_text(safe(rule["rule"]))
        detail = Text()
        detail.append_text(safe(f"[{rule['source']}] "))
        detail.stylize("dim")
        if ok:
            detail.append_text(safe(rule["detail"]))
        else:
            for i, f in enumerate(rule.get("failures") or [rule["detail"]]):
                if i:
                    detail.append("\n")
                line = safe(f)
                line.stylize("red")
                detail.append_text(line)
        t.add_row(label, detail)
    con.print(t)
    failed = [r for r in gate_result["rules"] if not r["passed"]]
    if failed:
        con.print(Text(f"gate FAILED: {len(failed)} of {len(gate_result['rules'])} rule(s) broken", style="bold red"))
    else:
        con.print(Text(f"gate passed: {len(gate_result['rules'])} rule(s) hold", style="bold green"))


def _gate_exit(con: Console, gate_result: dict | None) -> None:
    if gate_result is None:
        return
    _print_gate(con, gate_result)
    if not gate_result["passed"]:
        raise typer.Exit(1)


@app.command()
def report(
    results_path: Annotated[Path, typer.Argument(help="A results JSON written by compare or run.")],
    examples: Annotated[int, typer.Option("--examples", help="Side-by-side examples to show.")] = 4,
    html_path: HtmlOpt = None,
    md_path: MdOpt = None,
    junit_path: JunitOpt = None,
    alpha: Annotated[
        float | None, typer.Option("--alpha", help="Recompute verdicts at this significance level.")
    ] = None,
) -> None:
    """Render saved results again, without generating (terminal, and --html/--md/--junit files)."""
    from harness.compare import needs_stats, recompute_stats
    from reports.json_report import read_results
    from reports.terminal import render_compare, render_run

    con = console()
    try:
        check_outputs({"--html": html_path, "--md": md_path, "--junit": junit_path}, {"the results file": results_path})
        _gate_config(False, None, alpha)
        results = read_results(results_path)
        if results.get("kind") == "compare" and (alpha is not None or needs_stats(results)):
            results = recompute_stats(results, alpha)
    except HarnessError as e:
        fail(e)
        return
    if results.get("kind") == "run":
        render_run(results, con)
        if html_path or md_path or junit_path:
            fail(HarnessError("--html/--md/--junit need compare results (a run file has one model only)"))
        return
    render_compare(results, con, examples)
    _write_reports(con, results, results.get("gate"), html_path, md_path, junit_path)


@app.command("gate")
def gate_cmd(
    results_path: Annotated[Path, typer.Argument(help="Results JSON of `harness compare` (or `run`, with --baseline).")],
    rules: RulesOpt = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="A previous accepted run's results: compare its SFT side with this one's."),
    ] = None,
    html_path: HtmlOpt = None,
    md_path: MdOpt = None,
    junit_path: JunitOpt = None,
    alpha: Annotated[float | None, typer.Option("--alpha", help="Significance level (default: the results').")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the gate's verdicts, no summary table.")] = False,
) -> None:
    """CI gate: exit 0 when every rule holds, 1 when the gate fails, 2 on a usage or input error."""
    from harness.compare import needs_stats, recompute_stats
    from harness.gate import baseline_results
    from reports.json_report import read_results
    from reports.terminal import continuous_table, header, summary_table

    con = console()
    try:
        check_outputs(
            {"--html": html_path, "--md": md_path, "--junit": junit_path},
            {"the results file": results_path, "--baseline": baseline, "--rules": rules},
        )
        gate_cfg = _gate_config(True, rules, alpha)
        if gate_cfg.alpha is None and alpha is not None:
            gate_cfg.alpha = alpha
        results = read_results(results_path)
        if baseline is not None:
            results = baseline_results(results, read_results(baseline), gate_cfg.alpha,
                                       new_name=str(results_path), old_name=str(baseline))
        elif results.get("kind") != "compare":
            raise HarnessError(
                f"{results_path}: a {results.get('kind')!r} results file has one model; gate it against "
                "a previous run with --baseline OLD.json, or gate `harness compare` results"
            )
        elif needs_stats(results):
            results = recompute_stats(results, gate_cfg.alpha)
        gate_result = _apply_gate(results, gate_cfg)
    except HarnessError as e:
        fail(e)
        return
    if not quiet:
        con.print(header(results))
        con.print(summary_table(results, con.width))
        cont = continuous_table(results, con.width)
        if cont is not None:
            con.print(cont)
    _write_reports(con, results, gate_result, html_path, md_path, junit_path)
    _gate_exit(con, gate_result)


@suites_app.callback()
def suites_list(ctx: typer.Context) -> None:
    """List the built-in suites with counts per category and language, and the --suite formats."""
    if ctx.invoked_subcommand:
        return
    from harness.suites import BENCHMARKS_DIR, builtin_suites, format_help, load_suite

    con = console()
    t = Table(title="Built-in suites (--suite NAME)", title_justify="left")
    for col in ("suite", "cases", "multi-turn", "by language", "file"):
        t.add_column(col)
    grid = Table(title="Cases per category × language", title_justify="left")
    loaded: dict[str, list] = {}
    errors: list[str] = []
    for name, path in builtin_suites().items():
        try:
            cases = load_suite(name, notes=[])
        except HarnessError as e:
            errors.append(str(e))
            t.add_row(name, "—", "—", Text(f"error: {e}", style="red"), str(path))
            continue
        loaded[name] = cases
        langs = ", ".join(f"{k} {v}" for k, v in Counter(c.lang for c in cases).items())
        shown = path.relative_to(BENCHMARKS_DIR.parent) if path.is_relative_to(BENCHMARKS_DIR.parent) else path
        t.add_row(name, str(len(cases)), str(sum(c.multi_turn for c in cases)), langs, str(shown))
    langs_all = sorted({c.lang for cases in loaded.values() for c in cases})
    for col in ("suite", "category", *langs_all, "total"):
        grid.add_column(col, justify="left" if col in ("suite", "category") else "right")
    for name, cases in loaded.items():
        counts = Counter((c.category, c.lang) for c in cases)
        for i, cat in enumerate(dict.fromkeys(c.category for c in cases)):
            row = [counts.get((cat, lg), 0) for lg in langs_all]
            grid.add_row(name if i == 0 else "", cat, *(str(v) for v in row), str(sum(row)))
        per_lang = [sum(c.lang == lg for c in cases) for lg in langs_all]
        grid.add_row("", Text("all", style="bold"), *(str(v) for v in per_lang), str(len(cases)), end_section=True)
    con.print(t)
    if loaded:
        con.print(grid)
    f = Table(title="Formats (--suite FORMAT:PATH; the prefix may be left out for files)", title_justify="left")
    f.add_column("prefix")
    f.add_column("reads")
    for prefix, help_ in format_help():
        f.add_row(f"{prefix}:", help_)
    con.print(f)
    if errors:
        raise typer.Exit(2)


@suites_app.command("show")
def suites_show(
    name: Annotated[str, typer.Argument(help="Suite name, FORMAT:PATH, hf:NAME or a file.")],
    n: Annotated[int, typer.Option("-n", "--limit", help="How many cases to print.")] = 5,
    category: CategoryOpt = None,
    lang: LangOpt = None,
) -> None:
    """Print a few cases of a suite."""
    from reports.terminal import safe

    con = console()
    try:
        cases, _ = _load_cases([name], category, lang, n)
    except HarnessError as e:
        fail(e)
        return
    for c in cases:
        con.print(f"[bold]{escape(c.id)}[/] [dim]{escape(c.category)} · {escape(c.lang)} · {escape(c.source)}[/]")
        for i, t in enumerate(c.turns):
            con.print("  user: ", safe(t, 300))
            golden = c.references[i] if i < len(c.references) else None
            if golden and c.multi_turn:
                con.print("  golden: ", safe(golden, 200))
        if c.reference:
            aliases = f"  (aliases: {', '.join(c.aliases)})" if c.aliases else ""
            con.print("  reference: ", safe(c.reference + aliases))
        if c.checks:
            shown = ", ".join(ch.id + (f" {ch.kwargs}" if ch.kwargs else "") for ch in c.checks)
            con.print("  checks: ", safe(shown, 300))
        if c.metadata:
            con.print("  metadata: ", safe(str(c.metadata), 300))


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




from harness.cli_data import data_app  # noqa: E402
from harness.cli_train import train  # noqa: E402

app.add_typer(data_app, name="data")
app.command("train")(train)

def _print_error(prefix: str, message: str) -> None:
    err = Console(stderr=True, no_color=STATE["no_color"] or bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=True, emoji=False)
    err.print(Text.assemble((prefix, "bold red"), message))


def run(argv: list[str] | None = None) -> None:
    """The `harness` console script: every outcome maps to one documented exit code
    (harness/errors.py, docs/exit-codes.md), and nothing but a failed gate exits 1."""
    from harness.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK
    from harness.runners.lifetime import watch_interrupts

    watch_interrupts()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = app(args=argv, standalone_mode=False)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except HarnessError as e:
        if debug:
            raise
        _print_error("error: ", str(e))
        code = EXIT_INPUT
    except OSError as e:
        if e.errno == errno.EPIPE:  # the reader of our output went away (`| head`): not an error
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            code = EXIT_OK
        else:
            if debug:
                raise
            what = f"{e.filename}: " if e.filename else ""
            _print_error("error: ", f"{what}{e.strerror or e}")
            code = EXIT_INPUT
    except Exception as e:  # noqa: BLE001
        if callable(getattr(e, "show", None)) and isinstance(getattr(e, "exit_code", None), int):
            e.show()  # a usage error from the command-line parser ("No such option …")
            code = e.exit_code
        elif type(e).__name__ == "Abort":
            code = EXIT_INTERRUPTED
        else:
            if debug:
                raise
            _print_error(
                "internal error: ",
                f"{type(e).__name__}: {e} (a bug in sft-harness; run again with --debug for the traceback and report it)",
            )
            code = EXIT_INTERNAL
    if code == EXIT_INTERRUPTED:
        _print_error("interrupted: ", "stopped; finished generations are cached, run the same command again to resume")
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    run()
