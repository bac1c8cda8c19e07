"""What every command group shares: the console, error exit, option types, progress bars, and
printing of notes, results and written files. No pipeline logic: that is harness/api.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

# Set once per invocation by the app callback (--debug, --no-color); read by console() and fail().
STATE = {"debug": False, "no_color": False}

SuiteOpt = Annotated[
    list[str] | None,
    typer.Option("--suite", "-s", help="Built-in suite name, FORMAT:PATH or a file; repeatable. Default: demo."),
]
CategoryOpt = Annotated[list[str] | None, typer.Option("--category", help="Only these categories; repeatable.")]
LangOpt = Annotated[list[str] | None, typer.Option("--lang", help="Only these languages (en, zh); repeatable.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", help="At most N cases (after filters).")]
JsonOpt = Annotated[Path | None, typer.Option("--json", help="Write the results document here.")]
BackendOpt = Annotated[str | None, typer.Option("--backend", help="vllm | hf (default: vllm on a GPU, hf without one; served models: openai:MODEL@URL).")]
MaxTokOpt = Annotated[int | None, typer.Option("--max-tokens", help="Token cap per turn (default 128).")]
SeedOpt = Annotated[int | None, typer.Option("--seed", help="Sampling seed (default 0).")]
TempOpt = Annotated[float | None, typer.Option("--temperature", help="0 = greedy (default).")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="harness.toml to read (default ./harness.toml).")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Generate again even if cached.")]
HtmlOpt = Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")]
MdOpt = Annotated[Path | None, typer.Option("--md", help="Write a Markdown summary here (PR comments, CI).")]
JunitOpt = Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here: a test per metric and gate rule.")]
RulesOpt = Annotated[Path | None, typer.Option("--rules", help="Gate rules file (TOML, docs/ci-gate.md); implies --gate.")]
ExamplesOpt = Annotated[
    int | None,
    typer.Option("--examples", help="Side-by-side examples to show (default 3; with --detail 4, after every regression)."),
]
DetailOpt = Annotated[
    bool,
    typer.Option(
        "--detail",
        help="The whole terminal report: sub-checks, measured values, per turn, category, language, IFEval, "
        "flips, the judge in full, all --examples N examples (default: the first screen only).",
    ),
]
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


def err_console() -> Console:
    no_color = STATE["no_color"] or bool(os.environ.get("NO_COLOR"))
    return Console(stderr=True, no_color=no_color, highlight=False, soft_wrap=True, emoji=False)


def fail(err: Exception) -> None:
    """Print a one-line error (the message may quote user data: printed as inert text) and exit 2."""
    if STATE["debug"]:
        raise err
    err_console().print(Text.assemble(("error: ", "bold red"), str(err)))
    raise typer.Exit(2)


def print_notes(notes: list[str]) -> None:
    for note in notes:
        err_console().print(Text.assemble(("note: ", "yellow"), note))


def progress_bars(con: Console) -> Progress:
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


class ProgressBars:
    """harness.api's progress callback drawn as rich bars: one per model generated, one per scoring."""

    def __init__(self, con: Console) -> None:
        self.progress = progress_bars(con)
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBars:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)

    def __call__(self, task: str, phase: str, done: int, total: int | None) -> None:
        if task not in self.tasks:
            self.tasks[task] = self.progress.add_task(phase, total=total)
        self.progress.update(self.tasks[task], description=phase, completed=done, total=total)


def print_models(con: Console, specs: list) -> None:
    for s in specs:
        con.print(f"[bold]{escape(s.name)}[/] → {escape(str(s.path))} [dim]({s.source})[/]")


def file_inputs(suites: list[str] | None, models: list[str]) -> dict[str, str]:
    """The files a command reads that a user might also name as an output (suites, replay files)."""
    out: dict[str, str] = {}
    for ref in suites or []:
        path = ref.split(":", 1)[1] if ":" in ref and not Path(ref).exists() else ref
        out[f"--suite {ref}"] = path
    for m in models:
        if m.startswith("replay:"):
            out[m] = m[len("replay:") :]
    return out
