"""Build the demo model pair: a tiny base model pretrained from scratch, and its SFT version.

    base_dir, sft_dir = ensure_demo()   # builds once (a few minutes on CPU), then returns at once

Layout: `$HARNESS_HOME/demo/<RECIPE_VERSION>/{base,sft,BUILD.json}`. A build goes into a temporary
sibling directory that is renamed into place only when complete (BUILD.json is written last), under a
file lock so concurrent processes build once. Changing anything that affects the models means bumping
RECIPE_VERSION, which makes `ensure_demo` build again into a new directory.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock
from rich.console import Console

from harness.config import harness_home

RECIPE_VERSION = "v1"
MARKER = "BUILD.json"


@dataclass(frozen=True)
class Recipe:
    """Every knob of a demo build. Imports of the trainers are deferred: they pull in torch."""

    name: str
    corpus_scale: float = field(metadata={"help": "multiplier on the number of generated documents"})
    vocab_size: int = field(metadata={"help": "BPE vocabulary size (before the two chat tokens)"})
    pretrain: dict[str, Any] = field(metadata={"help": "PretrainOptions overrides"})
    sft: dict[str, Any] = field(metadata={"help": "SFTOptions overrides"})
    sft_multiturn: int = field(default=600, metadata={"help": "multi-turn dialogues in the SFT data"})
    seed: int = field(default=0, metadata={"help": "one seed for corpus, weights, data order"})


# Tuned on 2 CPU cores: a 1.6M-parameter model trained for ~1,000 steps is the smallest budget at which it
# starts to copy names from its context (induction), which restating a question's subject and multi-turn
# recall both need. hidden 128 = 2 heads of 64 (vLLM's CPU attention wants head_dim >= 64).
FULL = Recipe(
    name="full",
    corpus_scale=1.0,
    vocab_size=4096,
    pretrain={"hidden_size": 128, "num_layers": 4, "intermediate_size": 512, "seq_len": 128, "batch_size": 16,
              "epochs": 4.5, "learning_rate": 3e-3},
    sft={"epochs": 3.0, "learning_rate": 1e-3, "batch_size": 16},
    sft_multiturn=600,
)
# The slow test's build: same pipeline, a smaller model and less data (about a minute on 2 cores).
REDUCED = Recipe(
    name="reduced",
    corpus_scale=0.3,
    vocab_size=2048,
    pretrain={"hidden_size": 128, "num_layers": 2, "intermediate_size": 256, "seq_len": 128, "batch_size": 16,
              "epochs": 2.0, "learning_rate": 3e-3},
    sft={"epochs": 2.0, "learning_rate": 1e-3, "batch_size": 16},
    sft_multiturn=120,
)


def demo_dir(home: str | Path | None = None, reduced: bool = False) -> Path:
    """Where the demo models of the current recipe live (or will live)."""
    root = Path(home) if home is not None else harness_home()
    return root / "demo" / (RECIPE_VERSION + ("-reduced" if reduced else ""))


def _paths(root: Path) -> tuple[Path, Path]:
    return root / "base", root / "sft"


def is_built(root: Path) -> bool:
    base, sft = _paths(root)
    return (root / MARKER).is_file() and (base / "config.json").is_file() and (sft / "config.json").is_file()


def ensure_demo(home: str | Path | None = None, reduced: bool = False, console: Console | None = None) -> tuple[Path, Path]:
    """(base_dir, sft_dir) of the demo models, building them first if they are missing."""
    root = demo_dir(home, reduced)
    if is_built(root):
        return _paths(root)
    return build_demo(home=home, reduced=reduced, force=False, console=console)


def build_demo(
    home: str | Path | None = None, reduced: bool = False, force: bool = False, console: Console | None = None
) -> tuple[Path, Path]:
    """Build (or with `force`, rebuild) the demo models; returns (base_dir, sft_dir)."""
    console = console or Console(stderr=True)
    root = demo_dir(home, reduced)
    root.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root.parent / f".{root.name}.lock")):
        if is_built(root) and not force:  # another process finished it while we waited for the lock
            return _paths(root)
        tmp = root.parent / f".tmp-{root.name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            _build_into(tmp, REDUCED if reduced else FULL, console)
            if root.exists():
                old = root.parent / f".old-{root.name}-{os.getpid()}"
                root.rename(old)
                shutil.rmtree(old, ignore_errors=True)
            tmp.rename(root)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    base, sft = _paths(root)
    console.print(f"[green]demo models built[/green] (recipe {RECIPE_VERSION}, {'reduced' if reduced else 'full'}):")
    console.print(f"  base: {base}\n  sft:  {sft}")
    return base, sft


def _build_into(out: Path, recipe: Recipe, console: Console) -> None:
    # Heavy imports here, so `import harness.demo` stays cheap for the CLI.
    import datasets
    import transformers

    from harness.demo.corpus import generate_corpus
    from harness.demo.sft_data import build_sft_rows
    from trainers.pretrain import PretrainOptions, pretrain
    from trainers.progress import make_progress
    from trainers.sft import SFTOptions, train_sft
    from trainers.tokenizer import train_tokenizer

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()  # "Loading weights" / "Writing model shards" bars
    datasets.disable_progress_bars()
    base_dir, sft_dir = _paths(out)
    out.mkdir(parents=True)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    with make_progress(console) as progress:
        task = progress.add_task("corpus", total=2, info="")
        docs = generate_corpus(seed=recipe.seed, scale=recipe.corpus_scale)
        progress.update(task, advance=1, info=f"{len(docs)} documents")
        rows = build_sft_rows(seed=recipe.seed, multiturn=recipe.sft_multiturn)
        progress.update(task, advance=1, info=f"{len(docs)} documents, {len(rows)} SFT rows")
        times["data"] = time.perf_counter() - t0

        task = progress.add_task("tokenizer", total=1, info="")
        tokenizer = train_tokenizer(docs, vocab_size=recipe.vocab_size)
        progress.update(task, advance=1, info=f"vocab {len(tokenizer)}")
        times["tokenizer"] = time.perf_counter() - t0 - times["data"]

        popts = PretrainOptions(seed=recipe.seed, **recipe.pretrain)
        pstats = pretrain(docs, tokenizer, base_dir, popts, progress)
        sopts = SFTOptions(seed=recipe.seed, **recipe.sft)
        sstats = train_sft(base_dir, rows, sft_dir, sopts, progress)
    times["pretrain"] = pstats["seconds"]
    times["sft"] = sstats["seconds"]
    times["total"] = time.perf_counter() - t0
    marker = {
        "recipe_version": RECIPE_VERSION,
        "recipe": asdict(recipe),
        "base": {k: v for k, v in pstats.items() if k != "options"},
        "sft": {k: v for k, v in sstats.items() if k != "options"},
        "seconds": times,
    }
    (out / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")  # last: marks the build complete
