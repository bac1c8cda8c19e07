"""`harness suites` (list the built-in suites) and `harness suites show` (print a few cases)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from harness.api import load_cases
from harness.cli.common import CategoryOpt, LangOpt, console, fail, print_notes
from harness.errors import HarnessError

suites_app = typer.Typer(help="List and inspect evaluation suites.", invoke_without_command=True)


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
        selected = load_cases([name], category, lang, n)
        print_notes(selected.notes)
        cases = selected.cases
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
