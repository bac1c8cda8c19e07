"""Showing results on the terminal and writing them to files: shared by compare, run, report, gate
and train --compare (each renderer lives in reports/; this module only routes)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from harness.cli.common import fail
from harness.errors import HarnessError
from harness.results import ArmsComparison, Comparison, GateResult, RunResult


def write_reports(
    con: Console, results: Comparison | ArmsComparison, html_path: Path | None, md_path: Path | None,
    junit_path: Path | None,
) -> None:
    """--html / --md / --junit; an unwritable path is an input error (exit 2)."""
    from reports.junit import write_junit

    if isinstance(results, ArmsComparison):
        from reports.arms_html import write_html
        from reports.arms_markdown import write_markdown
    else:
        from reports.html import write_html
        from reports.markdown import write_markdown
    try:
        for path, writer, what in (
            (html_path, write_html, "HTML report"),
            (md_path, write_markdown, "Markdown summary"),
            (junit_path, write_junit, "JUnit XML"),
        ):
            if path:
                writer(path, results)  # with the gate recorded in it, if any
                con.print(f"{what} written to [bold]{escape(str(path))}[/]")
    except HarnessError as e:
        fail(e)


def print_gate(con: Console, gate: GateResult) -> None:
    from reports.terminal import safe

    t = Table(title="Gate", title_justify="left", show_header=False, box=None, padding=(0, 1))
    t.add_column(no_wrap=True)
    t.add_column()
    for rule in gate.rules:
        label = Text("✓ " if rule.passed else "✗ ", style="green" if rule.passed else "bold red")
        label.append_text(safe(rule.rule))
        detail = Text()
        detail.append_text(safe(f"[{rule.source}] "))
        detail.stylize("dim")
        if rule.passed:
            detail.append_text(safe(rule.detail))
        else:
            for i, f in enumerate(rule.failures or [rule.detail]):
                if i:
                    detail.append("\n")
                line = safe(f)
                line.stylize("red")
                detail.append_text(line)
        t.add_row(label, detail)
    con.print(t)
    failed = gate.failed()
    if failed:
        con.print(Text(f"gate FAILED: {len(failed)} of {len(gate.rules)} rule(s) broken", style="bold red"))
    else:
        con.print(Text(f"gate passed: {len(gate.rules)} rule(s) hold", style="bold green"))


def gate_exit(con: Console, gate: GateResult | None) -> None:
    """Print the gate's verdicts; exit 1 when it failed (the only way a command exits 1)."""
    if gate is None:
        return
    print_gate(con, gate)
    if not gate.passed:
        raise typer.Exit(1)


def show_comparison(
    con: Console,
    results: Comparison,
    *,
    examples: int | None = None,
    json_path: Path | None = None,
    html_path: Path | None = None,
    md_path: Path | None = None,
    junit_path: Path | None = None,
    apply_gate: bool = True,
    detail: bool = True,
) -> None:
    """The terminal report (everything with `detail`, else the first screen: `harness compare` and `harness
    report` without --detail), then the files asked for, then the gate (exit 1 when it failed)."""
    from reports.terminal import render_compare

    render_compare(results, con, examples, detail=detail)
    if json_path:
        con.print(f"results written to [bold]{escape(str(json_path))}[/]")
    write_reports(con, results, html_path, md_path, junit_path)
    if apply_gate:
        gate_exit(con, results.gate)


def show_arms(
    con: Console,
    results: ArmsComparison,
    *,
    examples: int | None = None,
    json_path: Path | None = None,
    html_path: Path | None = None,
    md_path: Path | None = None,
    junit_path: Path | None = None,
    apply_gate: bool = True,
    detail: bool = False,
) -> None:
    """An N-arm result: the arms' first screen (with `detail`, each pair's full two-arm report too)."""
    from reports.arms_terminal import render_arms

    render_arms(results, con, detail=detail, n_examples=examples)
    if json_path:
        con.print(f"results written to [bold]{escape(str(json_path))}[/]")
    write_reports(con, results, html_path, md_path, junit_path)
    if apply_gate:
        gate_exit(con, results.gate)


def show_run(con: Console, results: RunResult, json_path: Path | None = None) -> None:
    from reports.terminal import render_run

    render_run(results, con)
    if json_path:
        con.print(f"results written to [bold]{escape(str(json_path))}[/]")


def show_trajectory(
    con: Console, path: Path, html_path: Path | None, md_path: Path | None, junit_path: Path | None, alpha: float | None
) -> None:
    """`harness report OUT/` (or OUT/training_report.json): the trajectory table, and --html (with charts) / --md."""
    from harness.outputs import check_outputs
    from harness.trajectory import load_trajectory
    from reports.train_trajectory import render_terminal, write_html
    from reports.train_trajectory import write_markdown as write_trajectory_md

    try:
        if junit_path is not None or alpha is not None:
            raise HarnessError("--junit and --alpha need compare results; a training report has a trajectory only")
        check_outputs({"--html": html_path, "--md": md_path}, {"the training report": path})
        trajectory = load_trajectory(path)
        render_terminal(trajectory, con)
        if html_path:
            write_html(html_path, trajectory, source=str(path))
            con.print(f"HTML report written to [bold]{escape(str(html_path))}[/]")
        if md_path:
            write_trajectory_md(md_path, trajectory)
            con.print(f"Markdown summary written to [bold]{escape(str(md_path))}[/]")
    except HarnessError as e:
        fail(e)
