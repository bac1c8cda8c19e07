"""`harness train`: clean the data, fine-tune the base model with TRL, write the report, optionally compare.

    harness train --base base --data examples/demo-alpaca.jsonl --out runs/sft --compare

Steps, each visible on the terminal:
1. resolve `--base` like `harness compare` does (the demo's `base`, a harness.toml name, a directory,
   a hub id);
2. load every `--data` file (Alpaca, Dolly, ShareGPT, messages, prompt/completion; JSONL, JSON, Parquet,
   `hf:`), then clean it (`harness data clean`'s pipeline) unless `--no-clean`, decontaminating against
   `--against` suites (default: the built-in suites and any `--suite` to compare on). The kept rows and
   the cleaning report go to OUT/data/;
3. print the effective training configuration (`--config train.toml` or the defaults) and train
   (trainers/sft.py: loss on assistant tokens only, EOS learned, chat template added if missing);
   with `--eval-every N`, evaluate on `--eval-suite` (default: demo) at step 0 (the base), every N steps and
   on the saved output, one console line per point (trainers/trajectory.py);
4. OUT/ holds the model, its tokenizer and chat template, training_report.{json,md} (with the trajectory)
   and loss.png; `harness report OUT` shows the trajectory;
5. with `--compare`, run `harness compare BASE OUT` on `--suite` (default: demo).

Exit codes: 0 done (with --compare and --gate: 1 when the gate fails), 2 bad input or nothing to train on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from harness.api import save_results
from harness.cli.common import console, fail
from harness.cli.data import print_clean_summary
from harness.cli.evaluate import compare_models
from harness.cli.render import show_comparison
from harness.errors import HarnessError
from trainers.trajectory_options import TrajectoryOptions, knob_help

DataOpt = Annotated[
    list[str],
    typer.Option("--data", help="Training data file (JSONL, JSON, Parquet), FORMAT:PATH or hf:NAME[:split]; repeatable."),
]


def train(
    base: Annotated[str, typer.Option("--base", help="The model to fine-tune: base (the demo's), harness.toml name, dir, hub id.")],
    data: DataOpt,
    out: Annotated[Path, typer.Option("--out", help="Output directory: model, tokenizer, training report.")],
    config: Annotated[Path | None, typer.Option("--config", help="Training TOML with sections sft, lora, trl (docs/training.md); default: built-in defaults.")] = None,
    against: Annotated[
        list[str] | None,
        typer.Option("--against", help="Suite to decontaminate against (name, FORMAT:PATH); repeatable. Default: built-in suites + --suite."),
    ] = None,
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Train on the rows as loaded (no filters, dedup or decontamination).")] = False,
    near_threshold: Annotated[float, typer.Option("--near-threshold", help="Jaccard from which rows are near duplicates.")] = 0.8,
    max_per_category: Annotated[int | None, typer.Option("--max-per-category", help="Keep at most N rows per category.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite a model already in --out.")] = False,
    compare_after: Annotated[bool, typer.Option("--compare", help="Run `harness compare BASE OUT` when training is done.")] = False,
    suite: Annotated[list[str] | None, typer.Option("--suite", "-s", help="Suite for --compare; repeatable. Default: demo.")] = None,
    gate: Annotated[bool, typer.Option("--gate", help="With --compare: apply the CI gate; exit 1 if it fails.")] = False,
    json_path: Annotated[Path | None, typer.Option("--json", help="With --compare: write the results document here.")] = None,
    harness_config: Annotated[Path | None, typer.Option("--harness-config", help="harness.toml for model names and --compare.")] = None,
    eval_every: Annotated[int | None, typer.Option("--eval-every", help=knob_help("every"))] = None,
    eval_suite: Annotated[str | None, typer.Option("--eval-suite", help=knob_help("suite"))] = None,
    eval_limit: Annotated[int | None, typer.Option("--eval-limit", help=knob_help("limit"))] = None,
) -> None:
    """Fine-tune a base model on SFT data (cleaned first), write a training report, optionally compare."""
    from harness.api import load_config, resolve_models
    from trainers.data import CleanOptions
    from trainers.pipeline import check_base, check_out, default_against, select_rows, train_model, write_data
    from trainers.progress import make_progress
    from trainers.train_config import config_table, load_train_config

    con = console()
    try:
        cfg = load_config(harness_config)
        try:
            train_cfg = load_train_config(config)
        except ValueError as e:
            raise HarnessError(str(e)) from None
        check_out(out, force, train_cfg.sft.resume)
        (spec,) = resolve_models([base], cfg)
        if spec.source == "replay":
            raise HarnessError(f"--base {base}: a replay file has no weights to train")
        check_base(base, spec.path)
        con.print(Text.assemble(("base ", "bold"), spec.path, (f"  ({spec.source})", "dim")))
        train_cfg.trajectory = trajectory_options(train_cfg.trajectory, eval_every, eval_suite, eval_limit)
        recorder = None
        if train_cfg.trajectory.every is not None:
            from reports.train_trajectory import point_line
            from trainers.trajectory import prepare_trajectory

            recorder = prepare_trajectory(spec, train_cfg.trajectory, cfg, lambda p: con.print(Text(point_line(p))), out)
        evaluated = (suite or (["demo"] if compare_after else [])) + ([train_cfg.trajectory.suite] if recorder else [])
        refs = against if against is not None else default_against(evaluated)
        options = CleanOptions(near_threshold=near_threshold, max_per_category=max_per_category)
        rows = select_rows(data, clean_rows=not no_clean, against=refs, options=options)
        if rows.cleaned is None:
            con.print(Text(f"--no-clean: training on {len(rows.rows)} rows as loaded "
                           f"({len(rows.loaded.rejected)} rejected rows left out)", style="yellow"))
        else:
            print_clean_summary(con, rows.cleaned, rows.report)
        write_data(rows, out)
        con.print(config_table(train_cfg, title=f"training configuration ({train_cfg.source or 'defaults'})"))
        with make_progress(con) as progress:
            stats = train_model(spec.path, rows, out, train_cfg, progress, trajectory=recorder)
    except HarnessError as e:
        fail(e)
        return

    def num(key: str, fmt: str) -> str:
        v = stats.get(key)
        return "–" if v is None else format(v, fmt)

    con.print(Text.assemble(
        ("trained ", "bold green"), f"{stats['steps']} steps on {len(rows.rows)} rows in {num('seconds', '.1f')} s",
        f" · {num('tokens_per_second', ',.0f')} tokens/s · final loss {num('final_loss', '.3f')}"
        + (f" · eval loss {num('eval_loss', '.3f')}" if stats.get("eval_loss") is not None else ""),
    ))
    con.print(Text(f"model, tokenizer and chat template: {out}"))
    con.print(Text(f"report: {out / 'training_report.md'} (+ .json, loss.png)"))
    if stats.get("trajectory"):
        con.print(Text(f"trajectory: {len(stats['trajectory']['points'])} points in training_report.json; "
                       f"`harness report {out}` shows it (--html FILE for the chart)"))
    if compare_after:
        con.rule("harness compare")
        from trainers.pipeline import compare_target

        target, why = compare_target(out, stats)
        if why:
            con.print(Text(f"comparing {target}: {why}", style="dim"))
        try:
            results = compare_models(base, target, cfg, suite, gate=gate)
            if json_path:
                save_results(results, json_path)
        except HarnessError as e:
            fail(e)
            return
        show_comparison(con, results, examples=None, json_path=json_path, detail=False)  # the first screen; `harness report` for all


def trajectory_options(current: TrajectoryOptions, every: int | None, suite: str | None, limit: int | None) -> TrajectoryOptions:
    """[trajectory] from the training TOML with the --eval-* flags on top; the suite and limit need an interval."""
    import dataclasses

    if every is None and current.every is None and (suite is not None or limit is not None):
        raise HarnessError("--eval-suite/--eval-limit need --eval-every N (or [trajectory] every in the training TOML)")
    flags = {"every": every, "suite": suite, "limit": limit}
    return dataclasses.replace(current, **{k: v for k, v in flags.items() if v is not None})
