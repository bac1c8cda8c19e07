"""`harness train` as steps a script can call too: check the output, load and clean the data, write
what will be trained on, train.

    from trainers.pipeline import select_rows, train_model, write_data
    data = select_rows(["examples/demo-alpaca.jsonl"], against=["demo"])
    write_data(data, Path("runs/sft"))
    stats = train_model(base_path, data, Path("runs/sft"), load_train_config(None))

The command line (harness/cli/train.py) prints between the steps; the steps print nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import HarnessError
from harness.outputs import write_named
from trainers.data import CleanOptions, CleanResult, Loaded, clean, load_examples
from trainers.train_config import TrainConfig


@dataclass
class TrainingData:
    """The rows to train on and the data report that goes into the training report."""

    rows: list[dict[str, Any]]  # {"messages": [...], "category"?, "source"}
    report: dict[str, Any]
    loaded: Loaded
    cleaned: CleanResult | None  # None: --no-clean


def check_out(out: Path, force: bool, resume: bool) -> None:
    """Refuse to overwrite a trained model unless asked to (or resuming)."""
    if out.exists() and not out.is_dir():
        raise HarnessError(f"--out {out} exists and is not a directory")
    if (out / "config.json").exists() and not (force or resume):
        raise HarnessError(f"{out} already holds a model; pass --force to overwrite it (or set resume = true in [sft])")


def check_base(ref: str, path: str) -> None:
    """Fail before cleaning and training when the base model cannot be read (a typo, no network)."""
    from transformers import AutoConfig

    try:
        AutoConfig.from_pretrained(path)
    except (OSError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise HarnessError(f"--base {ref}: cannot load a model from {path}: {first}") from None


def default_against(suites: list[str] | None) -> list[str]:
    """Decontaminate against every built-in suite and the suites the model will be compared on."""
    from harness.suites import builtin_suites

    refs = sorted(builtin_suites())
    return refs + [s for s in suites or [] if s not in refs]


def select_rows(
    data: list[str], *, clean_rows: bool = True, against: list[str] | None = None, options: CleanOptions | None = None
) -> TrainingData:
    """Load the data files and clean them (unless `clean_rows` is False): the rows to train on."""
    loaded = load_examples(data)
    if not clean_rows:
        from trainers.data.inspect import data_stats

        return TrainingData([ex.to_row() for ex in loaded.examples], {"cleaned": False, **data_stats(loaded)}, loaded, None)
    cleaned = clean(loaded.examples, loaded.rejected, options or CleanOptions(), against=against or [])
    report = {"cleaned": True, **cleaned.to_report(loaded.sources)}
    return TrainingData([ex.to_row() for ex in cleaned.kept], report, loaded, cleaned)


def write_data(data: TrainingData, out: Path) -> None:
    """OUT/data/train.jsonl and OUT/data/clean_report.json; no rows is an error (nothing trains on nothing)."""
    if not data.rows:
        raise HarnessError(
            "nothing to train on: no usable rows remained" + (" after cleaning" if data.cleaned is not None else "")
        )
    rows = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data.rows)
    write_named(out / "data" / "train.jsonl", rows, "training rows")
    write_named(out / "data" / "clean_report.json", json.dumps(data.report, ensure_ascii=False, indent=2) + "\n", "data report")


def compare_target(out: Path, stats: dict[str, Any]) -> tuple[str, str | None]:
    """(what `harness train --compare` compares with the base, why): the LoRA adapter when training kept
    one that every backend can serve (the base and the adapter then share one vLLM engine), else OUT/."""
    lora = stats.get("lora") or {}
    adapter = lora.get("adapter_dir")
    if adapter and lora.get("adapter_servable_by_vllm"):
        return adapter, "the adapter over the base (merge = false)"
    if adapter:
        return str(out), "the merged weights: the adapter adds tokens, which vLLM's LoRA cannot serve"
    return str(out), None


def train_model(
    base_path: str, data: TrainingData, out: Path, config: TrainConfig, progress: Any = None, trajectory: Any = None
) -> dict[str, Any]:
    """Fine-tune with TRL (trainers/sft.py) and write the model and training_report.{json,md}; returns the
    training stats. `trajectory`: a trainers.trajectory.TrajectoryRecorder (`prepare_trajectory`), whose
    points go into the report. Options SFTConfig rejects, unreadable weights or a full disk are HarnessErrors."""
    from trainers.sft import run_training

    hooks: dict[str, Any] = {}
    if trajectory is not None:
        from trainers.trajectory import TrajectoryCallback

        hooks = {"callbacks": [TrajectoryCallback(trajectory)], "after_save": trajectory.finish}
    try:
        return run_training(base_path, [{"messages": r["messages"]} for r in data.rows], out, config, data.report, progress,
                            **hooks)
    except (ValueError, OSError) as e:
        raise HarnessError(f"training failed ({config.source or 'default options'}): {e}") from None
