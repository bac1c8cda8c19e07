"""`harness gate`: the CI gate over a saved results file (exit 0 pass, 1 gate failed, 2 input error)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group

from harness import api
from harness.cli.common import HtmlOpt, JunitOpt, MdOpt, RulesOpt, console, fail
from harness.cli.render import gate_exit, write_reports
from harness.errors import HarnessError
from harness.outputs import check_outputs
from harness.results import ArmsComparison, Comparison


def gate(
    results_path: Annotated[Path, typer.Argument(help="Results JSON of `harness compare` (two models or more; `run`, with --baseline).")],
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
    pairs: Annotated[
        list[str] | None,
        typer.Option("--pair", help="N-arm results: gate this arm against the baseline; repeatable (default: [gate] pairs, else the last arm)."),
    ] = None,
) -> None:
    """CI gate: exit 0 when every rule holds, 1 when the gate fails, 2 on a usage or input error."""
    from harness.gate_rules import load_rules
    from reports.terminal import continuous_table, header, summary_table

    con = console()
    try:
        check_outputs(
            {"--html": html_path, "--md": md_path, "--junit": junit_path},
            {"the results file": results_path, "--baseline": baseline, "--rules": rules},
        )
        api.check_alpha(alpha)
        gate_cfg = load_rules(rules)
        results = api.load_results(results_path)
        if isinstance(results, ArmsComparison):
            if baseline is not None:
                raise HarnessError(f"{results_path}: an N-arm file is gated pair by pair against its own baseline arm (--pair ARM), not --baseline")
        elif pairs:
            raise HarnessError(f"{results_path}: --pair chooses among the arms of an N-arm file (harness compare A B C …); this one has two models")
        if baseline is not None:
            results = api.against_baseline(results, api.load_results(baseline), gate_cfg.alpha or alpha,
                                           new_name=str(results_path), old_name=str(baseline))
        elif not isinstance(results, (Comparison, ArmsComparison)):
            raise HarnessError(
                f"{results_path}: a {results.kind!r} results file has one model; gate it against "
                "a previous run with --baseline OLD.json, or gate `harness compare` results"
            )
        results.gate = api.gate(results, gate_cfg, alpha=alpha if gate_cfg.alpha is None else None,  # the file's alpha wins
                                pairs=pairs)
    except HarnessError as e:
        fail(e)
        return
    if not quiet and isinstance(results, ArmsComparison):
        from reports.arms import arm_labels
        from reports.arms_terminal import arms_header, arms_summary, arms_table

        doc = results.to_json()
        labels = arm_labels(doc)
        con.print(arms_header(doc, labels))
        con.print(arms_table(doc, labels, con.width))
        con.print(Group(*arms_summary(doc, labels)))
    elif not quiet:
        doc = results.to_json()
        con.print(header(doc))
        con.print(summary_table(doc, con.width))
        cont = continuous_table(doc, con.width)
        if cont is not None:
            con.print(cont)
    write_reports(con, results, html_path, md_path, junit_path)
    gate_exit(con, results.gate)
