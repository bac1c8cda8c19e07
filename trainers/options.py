"""The options of one SFT run and what the [trl] table may add to them.

`SFTOptions` is the `[sft]` section, `LoraOptions` the `[lora]` section of a training TOML;
`check_trl_args` vets the `[trl]` section. They live apart from the trainer (sft.py) and the TOML
loader (train_config.py) because both need them: the trainer builds an SFTConfig from them and
re-checks [trl] when it is called directly, the loader validates a file against them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from trl import SFTConfig


@dataclass
class SFTOptions:
    epochs: float = field(default=3.0, metadata={"help": "passes over the SFT rows"})
    learning_rate: float = field(default=5e-4, metadata={"help": "peak learning rate (tiny models want far more than TRL's 2e-5)"})
    batch_size: int = field(default=16, metadata={"help": "rows per device per step"})
    gradient_accumulation_steps: int = field(default=1, metadata={"help": "steps accumulated per optimizer update"})
    warmup_ratio: float = field(default=0.05, metadata={"help": "share of the steps spent warming up the learning rate"})
    lr_scheduler_type: str = field(default="cosine", metadata={"help": "transformers scheduler name"})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay"})
    max_length: int = field(default=512, metadata={"help": "longest tokenized row (packed block length with packing); longer rows are truncated"})
    max_steps: int = field(default=-1, metadata={"help": "stop after this many steps (-1 = use epochs)"})
    seed: int = field(default=0, metadata={"help": "seed for init, data order, eval split and dropout"})
    logging_steps: int = field(default=10, metadata={"help": "steps between loss logs"})
    group_by_length: bool = field(default=True, metadata={"help": "batch rows of similar length (less padding, much faster on CPU)"})
    bf16: bool | None = field(default=None, metadata={"help": "bf16 mixed precision; None/'auto' = only on a CUDA GPU that supports it"})
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads; None/'auto' = the cores this process may use, shared between local ranks"})
    chat_template: str | None = field(default=None, metadata={"help": "Jinja chat template; None = keep the model's, else ChatML"})
    packing: bool = field(default=False, metadata={"help": "padding-free packing: rows share max_length blocks (TRL bfd); attention stays within each row"})
    eval_ratio: float = field(default=0.0, metadata={"help": "share of rows held out (seeded) for eval loss; 0 = no eval"})
    eval_steps: int | None = field(default=None, metadata={"help": "steps between eval losses; None/'auto' = logging_steps"})
    save_steps: int = field(default=0, metadata={"help": "steps between checkpoints in OUT/checkpoints; 0 = none"})
    save_total_limit: int = field(default=2, metadata={"help": "checkpoints kept in OUT/checkpoints (oldest deleted)"})
    resume: bool = field(default=False, metadata={"help": "continue from the newest checkpoint in OUT/checkpoints if there is one"})


@dataclass
class LoraOptions:
    enabled: bool = field(default=False, metadata={"help": "train a LoRA adapter instead of all weights"})
    r: int = field(default=16, metadata={"help": "LoRA rank"})
    alpha: int = field(default=32, metadata={"help": "LoRA scaling numerator (scale = alpha / r)"})
    dropout: float = field(default=0.05, metadata={"help": "dropout on the LoRA input"})
    target_modules: str | list[str] = field(default="all-linear", metadata={"help": "modules that get adapters; 'all-linear' = every linear layer but the output head"})
    merge: bool = field(default=True, metadata={"help": "true: OUT/ holds merged full weights only; false: also keep the unmerged adapter in OUT/adapter (OUT/ stays a loadable merged model)"})


# SFTConfig keywords set from [sft] (or from the --out dir); [trl] may not set them a second time.
MAPPED_TRL_KEYS = {
    "num_train_epochs": "epochs", "learning_rate": "learning_rate", "per_device_train_batch_size": "batch_size",
    "per_device_eval_batch_size": "batch_size", "gradient_accumulation_steps": "gradient_accumulation_steps",
    "warmup_steps": "warmup_ratio", "lr_scheduler_type": "lr_scheduler_type", "weight_decay": "weight_decay",
    "max_length": "max_length", "max_steps": "max_steps", "seed": "seed", "data_seed": "seed",
    "logging_steps": "logging_steps", "train_sampling_strategy": "group_by_length", "bf16": "bf16",
    "packing": "packing", "eval_steps": "eval_steps", "save_steps": "save_steps",
    "save_total_limit": "save_total_limit", "resume_from_checkpoint": "resume", "output_dir": None,
}


def check_trl_args(trl_args: dict[str, Any], source: str = "[trl]") -> None:
    """Raise a ValueError naming `source` and the key for a [trl] key SFTConfig lacks or [sft] owns."""
    valid = {f.name for f in dataclasses.fields(SFTConfig)}
    for key in trl_args:
        if key in MAPPED_TRL_KEYS:
            where = MAPPED_TRL_KEYS[key]
            hint = f"set [sft] {where} instead" if where else "the output directory comes from the --out argument"
            raise ValueError(f"{source}: [trl] {key} is managed by the harness; {hint}")
        if key not in valid:
            raise ValueError(
                f"{source}: [trl] {key} is not an SFTConfig/TrainingArguments field "
                "(see trl.SFTConfig and transformers.TrainingArguments for the valid names)"
            )
