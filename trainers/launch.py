"""Run SFT from the command line, on one process or many (`accelerate launch`).

    python -m trainers.launch --config train.toml --base DIR --data ROWS.jsonl --out DIR
    accelerate launch --config_file docs/accelerate/ddp.yaml -m trainers.launch --config train.toml ...

ROWS.jsonl holds normalised rows, one `{"messages": [...]}` per line. Every rank loads the same rows and
trains its share of each batch; only the main process writes the model and the report (docs/distributed.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def read_rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not valid JSON ({e.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("messages"), list):
                raise ValueError(f"{path}:{n}: expected an object with a 'messages' list")
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainers.launch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, help="training TOML ([sft], [lora], [trl]); default: built-in defaults")
    parser.add_argument("--base", required=True, help="base model directory (or hub id)")
    parser.add_argument("--data", type=Path, required=True, help="normalised rows, JSONL of {'messages': [...]}")
    parser.add_argument("--out", type=Path, required=True, help="output directory for the model and report")
    parser.add_argument("--data-stats", type=Path, help="JSON file with the data-preparation report to embed")
    args = parser.parse_args(argv)

    from accelerate import PartialState
    from rich.console import Console

    from trainers.sft import run_training
    from trainers.train_config import config_table, load_train_config

    console = Console(stderr=True)
    try:
        config = load_train_config(args.config)
        if config.trajectory.every is not None:  # one process evaluates while the others would wait on it
            raise ValueError(f"{args.config}: [trajectory] evaluations run under `harness train` only (one process)")
        rows = read_rows(args.data)
        data_stats = json.loads(args.data_stats.read_text(encoding="utf-8")) if args.data_stats else None
    except (OSError, ValueError) as e:
        from rich.text import Text

        console.print(Text.assemble(("error: ", "red"), str(e)))  # inert: paths and values may hold brackets
        return 2
    # PartialState before training reads the torchrun/accelerate environment (rank, world size, backend).
    state = PartialState(cpu=not _cuda())
    if state.is_main_process:
        console.print(config_table(config))
    stats = run_training(args.base, rows, args.out, config, data_stats)
    if state.is_main_process:
        summary = {k: stats[k] for k in ("steps", "train_loss", "eval_loss", "tokens_per_second", "world_size")}
        print(f"saved {args.out} {json.dumps(summary)}", file=sys.stderr)
    return 0


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


if __name__ == "__main__":
    sys.exit(main())
