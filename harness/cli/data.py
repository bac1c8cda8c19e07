"""`harness data clean|inspect`: the SFT data-quality pipeline on the command line (trainers/data/).

Row text (prompts, answers, rejection reasons quoting
user data) is printed as inert `rich.text.Text`, cut short, never parsed as markup.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from harness.cli.common import console, fail
from harness.errors import HarnessError
from harness.outputs import write_named

data_app = typer.Typer(
    help="Check and clean SFT training data: formats, filters, duplicates, conflicts, decontamination.",
    no_args_is_help=True,
)

SHOW = 5  # rejected rows / conflicts listed in the terminal (the report has them all)
CUT = 100  # characters of row text shown per example

InputsArg = Annotated[
    list[str],
    typer.Argument(help="Training data: JSONL, JSON array or Parquet files, FORMAT:PATH, or hf:NAME[:split]."),
]


def print_clean_summary(con, result, report: dict) -> None:
    from reports.terminal import safe

    c = report["counts"]
    con.print(
        Text.assemble(
            ("read ", "bold"), str(c["read"]), ("  kept ", "bold"), (str(c["kept"]), "green"),
            ("  dropped ", "bold"), str(c["dropped"]), ("  rejected ", "bold"), (str(c["rejected"]), "yellow" if c["rejected"] else ""),
        )
    )
    if result.rejected:
        con.print(Text(f"rejected rows ({len(result.rejected)}):", style="bold yellow"))
        for r in result.rejected[:SHOW]:
            con.print(Text.assemble("  ", safe(str(r), 200)))
        if len(result.rejected) > SHOW:
            con.print(Text(f"  … {len(result.rejected) - SHOW} more in the report", style="dim"))
    drops = [(r, v) for r, v in report["dropped"].items() if v["count"]]
    if drops:
        t = Table(title="Dropped", title_justify="left")
        for col in ("reason", "rows", "example"):
            t.add_column(col, overflow="fold")
        for reason, v in drops:
            ex = v["examples"][0] if v["examples"] else {}
            cell = Text()
            cell.append(ex.get("source", ""), style="dim")
            cell.append(": ")
            cell.append_text(safe(ex.get("detail", ""), CUT))
            if ex.get("prompt") is not None:
                cell.append("\n  Q: ")
                cell.append_text(safe(ex["prompt"], CUT))
                cell.append("\n  A: ")
                cell.append_text(safe(ex.get("answer", ""), CUT))
            t.add_row(reason, str(v["count"]), cell)
        con.print(t)
    if result.conflicts:
        con.print(Text(f"conflicting answers: {len(result.conflicts)} question(s)", style="bold"))
        for cf in result.conflicts[:SHOW]:
            con.print(Text.assemble("  Q: ", safe(cf.prompt, CUT)))
            for s, a in zip(cf.sources, cf.answers, strict=True):
                mark = "kept" if s in cf.kept else "dropped"
                con.print(Text.assemble(f"    {s} ({mark}): ", safe(a, CUT)))
    for s in result.decontamination:
        con.print(
            Text(f"decontaminated against {s.ref} ({s.cases} cases, prompts {s.prompts_sha256[:12]}): {s.rows_dropped} row(s) dropped")
        )


@data_app.command("clean")
def clean_cmd(
    inputs: InputsArg,
    out: Annotated[Path, typer.Option("--out", help="Write the kept rows here (JSONL: messages, category, source).")],
    report_path: Annotated[Path, typer.Option("--report", help="Write the cleaning report here (JSON).")],
    against: Annotated[
        list[str] | None, typer.Option("--against", help="Evaluation suite to decontaminate against (name, FORMAT:PATH); repeatable.")
    ] = None,
    near_threshold: Annotated[float, typer.Option("--near-threshold", help="Jaccard from which rows are near duplicates.")] = 0.8,
    max_per_category: Annotated[int | None, typer.Option("--max-per-category", help="Keep at most N rows per category.")] = None,
    keep_conflicts: Annotated[
        bool, typer.Option("--keep-conflicts/--drop-conflicts", help="Same question, different answers: keep all (report) or the first.")
    ] = True,
    min_answer_chars: Annotated[int, typer.Option("--min-answer-chars", help="Shortest answer kept (non-space characters).")] = 1,
    max_answer_chars: Annotated[int, typer.Option("--max-answer-chars", help="Longest answer kept (0 = no limit).")] = 20_000,
) -> None:
    """Clean training data: write the kept rows, a JSON report, and print what was dropped and why."""
    from harness.outputs import check_outputs
    from trainers.data import CleanOptions, clean, load_examples

    con = console()
    try:
        check_outputs({"--out": out, "--report": report_path}, {f"input {i}": p for i, p in enumerate(inputs, 1)})
        if not 0.0 < near_threshold <= 1.0:
            raise HarnessError(f"--near-threshold must be in (0, 1], got {near_threshold}")
        if max_per_category is not None and max_per_category < 1:
            raise HarnessError("--max-per-category must be at least 1")
        opts = CleanOptions(
            near_threshold=near_threshold,
            max_per_category=max_per_category,
            drop_conflicts=not keep_conflicts,
            min_answer_chars=min_answer_chars,
            max_answer_chars=max_answer_chars,
        )
        loaded = load_examples(inputs)
        notes: list[str] = []
        result = clean(loaded.examples, loaded.rejected, opts, against=against or [], notes=notes)
        report = result.to_report(loaded.sources)
        write_named(report_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n", "report")
        print_clean_summary(con, result, report)
        if not result.kept:
            raise HarnessError(f"nothing usable remained after cleaning (see {report_path}); {out} not written")
        rows = "".join(json.dumps(ex.to_row(), ensure_ascii=False) + "\n" for ex in result.kept)
        write_named(out, rows, "cleaned rows")
    except HarnessError as e:
        fail(e)
        return
    con.print(Text(f"{len(result.kept)} rows written to {out}; report: {report_path}"))


@data_app.command("inspect")
def inspect_cmd(inputs: InputsArg) -> None:
    """Statistics of training data: rows, formats, categories, languages, lengths, duplicate rates."""
    from trainers.data import load_examples
    from trainers.data.inspect import data_stats

    con = console()
    try:
        loaded = load_examples(inputs)
        stats = data_stats(loaded)
    except HarnessError as e:
        fail(e)
        return

    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "—"

    t = Table(title="Training data", title_justify="left", show_header=False)
    t.add_column("stat", style="bold")
    t.add_column("value", overflow="fold")
    t.add_row("rows", f"{stats['rows']} ({stats['examples']} usable, {stats['rejected']} rejected)")
    for s in stats["sources"]:
        t.add_row(Text("  " + s["source"]), Text(f"{s['format']}: {s['rows']} rows, {s['rejected']} rejected"))
    t.add_row("formats", Text(counts(stats["format"])))
    t.add_row("categories", Text(counts(stats["category"])))
    t.add_row("languages", Text(counts(stats["lang"])))
    t.add_row("prompt chars", counts(stats["prompt_chars"]))
    t.add_row("answer chars", counts(stats["answer_chars"]))
    t.add_row("assistant turns", counts(stats["turns"]))
    t.add_row("exact duplicates", f"{100 * stats['exact_duplicate_rate']:.1f}%")
    t.add_row("near duplicates", f"{100 * stats['near_duplicate_rate']:.1f}% (incl. exact)")
    con.print(t)
    if loaded.rejected:
        from reports.terminal import safe

        con.print(Text(f"rejected rows ({len(loaded.rejected)}):", style="bold yellow"))
        for r in loaded.rejected[:SHOW]:
            con.print(Text.assemble("  ", safe(str(r), 200)))
