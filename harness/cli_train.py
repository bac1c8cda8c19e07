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
4. OUT/ holds the model, its tokenizer and chat template, training_report.{json,md} and loss.png;
5. with `--compare`, run `harness compare BASE OUT` on `--suite` (default: demo).

Exit codes: 0 done (with --compare and --gate: 1 when the gate fails), 2 bad input or nothing to train on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from harness.errors import HarnessError

DataOpt = Annotated[
    list[str],
    typer.Option("--data", help="Training data file (JSONL, JSON, Parquet), FORMAT:PATH or hf:NAME[:split]; repeatable."),
]


def _default_against(suites: list[str] | None) -> list[str]:
    from harness.suites import builtin_suites

    refs = sorted(builtin_suites())
    return refs + [s for s in suites or [] if s not in refs]


def _check_out(out: Path, force: bool, resume: bool) -> None:
    if out.exists() and not out.is_dir():
        raise HarnessError(f"--out {out} exists and is not a directory")
    if (out / "config.json").exists() and not (force or resume):
        raise HarnessError(f"{out} already holds a model; pass --force to overwrite it (or set resume = true in [sft])")


def _check_base(base: str, path: str) -> None:
    """Fail before cleaning and training when the base model cannot be read (a typo, no network)."""
    from transformers import AutoConfig

    try:
        AutoConfig.from_pretrained(path)
    except (OSError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise HarnessError(f"--base {base}: cannot load a model from {path}: {first}") from None


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
) -> None:
    """Fine-tune a base model on SFT data (cleaned first), write a training report, optionally compare."""
    from harness.cli import _load_config, compare, console, fail
    from harness.cli_data import _print_summary, _write
    from harness.models import resolve_model
    from trainers.data import CleanOptions, clean, load_examples
    from trainers.train_config import config_table, load_train_config

    con = console()
    try:
        cfg = _load_config(harness_config)
        try:
            train_cfg = load_train_config(config)
        except ValueError as e:
            raise HarnessError(str(e)) from None
        _check_out(out, force, train_cfg.sft.resume)
        spec = resolve_model(base, cfg)
        if spec.source == "replay":
            raise HarnessError(f"--base {base}: a replay file has no weights to train")
        _check_base(base, spec.path)
        con.print(Text.assemble(("base ", "bold"), spec.path, (f"  ({spec.source})", "dim")))
        loaded = load_examples(data)
        if no_clean:
            from trainers.data.inspect import data_stats

            kept = loaded.examples
            report = {"cleaned": False, **data_stats(loaded)}
            con.print(Text(f"--no-clean: training on {len(kept)} rows as loaded ({len(loaded.rejected)} rejected rows left out)",
                           style="yellow"))
        else:
            refs = against if against is not None else _default_against(suite or (["demo"] if compare_after else []))
            result = clean(loaded.examples, loaded.rejected, CleanOptions(near_threshold=near_threshold,
                                                                         max_per_category=max_per_category), against=refs)
            report = {"cleaned": True, **result.to_report(loaded.sources)}
            _print_summary(con, result, report)
            kept = result.kept
        if not kept:
            raise HarnessError("nothing to train on: no usable rows remained" + ("" if no_clean else " after cleaning"))
        rows = [ex.to_row() for ex in kept]
        _write(out / "data" / "train.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "training rows")
        _write(out / "data" / "clean_report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n", "data report")
    except HarnessError as e:
        fail(e)
        return

    from trainers.progress import make_progress
    from trainers.sft import run_training

    con.print(config_table(train_cfg, title=f"training configuration ({train_cfg.source or 'defaults'})"))
    try:
        with make_progress(con) as progress:
            stats = run_training(spec.path, [{"messages": r["messages"]} for r in rows], out, train_cfg, report, progress)
    except (ValueError, OSError) as e:  # options SFTConfig rejects ([trl] values), unreadable weights, a full disk
        fail(HarnessError(f"training failed ({train_cfg.source or 'default options'}): {e}"))
        return
    def num(key: str, fmt: str) -> str:
        v = stats.get(key)
        return "–" if v is None else format(v, fmt)

    con.print(Text.assemble(
        ("trained ", "bold green"), f"{stats['steps']} steps on {len(rows)} rows in {num('seconds', '.1f')} s",
        f" · {num('tokens_per_second', ',.0f')} tokens/s · final loss {num('final_loss', '.3f')}"
        + (f" · eval loss {num('eval_loss', '.3f')}" if stats.get("eval_loss") is not None else ""),
    ))
    con.print(Text(f"model, tokenizer and chat template: {out}"))
    con.print(Text(f"report: {out / 'training_report.md'} (+ .json, loss.png)"))
    if compare_after:
        con.rule("harness compare")
        compare(base, str(out), suite=suite, category=None, lang=None, limit=None, json_path=json_path, backend=None,
                max_tokens=None, seed=None, temperature=None, config=harness_config, no_cache=False, history=None,
                examples=4, strict=False, html_path=None, md_path=None, junit_path=None, gate=gate, rules=None,
                alpha=0.05)
