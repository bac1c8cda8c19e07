"""`harness gate`: the CI gate over a saved results file (exit 0 pass, 1 gate failed, 2 input error)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harness import api
from harness.cli.common import HtmlOpt, JunitOpt, MdOpt, RulesOpt, console, fail
from harness.cli.render import gate_exit, write_reports
from harness.errors import HarnessError
from harness.outputs import check_outputs
from harness.results import Comparison


def gate(
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
        if baseline is not None:
            results = api.against_baseline(results, api.load_results(baseline), gate_cfg.alpha or alpha,
                                           new_name=str(results_path), old_name=str(baseline))
        elif not isinstance(results, Comparison):
            raise HarnessError(
                f"{results_path}: a {results.kind!r} results file has one model; gate it against "
                "a previous run with --baseline OLD.json, or gate `harness compare` results"
            )
        results.gate = api.gate(results, gate_cfg, alpha=alpha if gate_cfg.alpha is None else None)  # the file's alpha wins
    except HarnessError as e:
        fail(e)
        return
    if not quiet:
        doc = results.to_json()
        con.print(header(doc))
        con.print(summary_table(doc, con.width))
        cont = continuous_table(doc, con.width)
        if cont is not None:
            con.print(cont)
    write_reports(con, results, html_path, md_path, junit_path)
    gate_exit(con, results.gate)
