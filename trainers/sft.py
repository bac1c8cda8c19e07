"""Supervised fine-tuning of a causal LM on chat rows, with TRL's SFTTrainer.

`train_sft(base_path, rows, out_dir, options)` is the project's SFT core: rows are
`{"messages": [{"role": ..., "content": ...}, ...]}`; the loss is on assistant tokens only (including the
`<|im_end|>` that ends each assistant turn, see `trainers.chat_template`). The output directory is a
plain transformers checkpoint (model + tokenizer with chat template + generation_config) that
transformers and vLLM both load.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from datasets import Dataset
from rich.progress import Progress
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    PrinterCallback,
    set_seed,
)
from trl import SFTConfig, SFTTrainer

from trainers.chat_template import DEFAULT_CHAT_TEMPLATE, IM_END, add_chat_template, set_eos
from trainers.pretrain import cpu_count
from trainers.progress import RichStepCallback


@dataclass
class SFTOptions:
    epochs: float = field(default=3.0, metadata={"help": "passes over the SFT rows"})
    learning_rate: float = field(default=5e-4, metadata={"help": "peak learning rate (tiny models want far more than TRL's 2e-5)"})
    batch_size: int = field(default=16, metadata={"help": "rows per device per step"})
    gradient_accumulation_steps: int = field(default=1, metadata={"help": "steps accumulated per optimizer update"})
    warmup_ratio: float = field(default=0.05, metadata={"help": "share of the steps spent warming up the learning rate"})
    lr_scheduler_type: str = field(default="cosine", metadata={"help": "transformers scheduler name"})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay"})
    max_length: int = field(default=512, metadata={"help": "longest tokenized row; longer rows are truncated"})
    max_steps: int = field(default=-1, metadata={"help": "stop after this many steps (-1 = use epochs)"})
    seed: int = field(default=0, metadata={"help": "seed for init, data order and dropout"})
    logging_steps: int = field(default=10, metadata={"help": "steps between loss logs"})
    group_by_length: bool = field(default=True, metadata={"help": "batch rows of similar length (less padding, much faster on CPU)"})
    bf16: bool | None = field(default=None, metadata={"help": "bf16 mixed precision; None = only on a CUDA GPU that supports it"})
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads; None = the cores this process may use"})
    chat_template: str | None = field(default=None, metadata={"help": "Jinja chat template; None = keep the model's, else ChatML"})


def prepare_chat_model(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, chat_template: str | None = None
) -> None:
    """Give a base model a chat template (and chat tokens) if it has none; honour an explicit template."""
    if tokenizer.chat_template is None:
        add_chat_template(model, tokenizer, chat_template or DEFAULT_CHAT_TEMPLATE)
    elif chat_template is not None:
        tokenizer.chat_template = chat_template
    if tokenizer.pad_token is None:
        # A pad distinct from eos keeps eos labels from being confused with padding.
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token


def build_trainer(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    rows: Sequence[dict[str, Any]],
    output_dir: str,
    opts: SFTOptions,
    progress: Progress | None = None,
) -> SFTTrainer:
    """The configured SFTTrainer (tokenization happens here: `trainer.train_dataset` holds the labels)."""
    cuda = torch.cuda.is_available()
    bf16 = opts.bf16 if opts.bf16 is not None else bool(cuda and torch.cuda.is_bf16_supported())
    args = SFTConfig(
        output_dir=output_dir,
        num_train_epochs=opts.epochs,
        max_steps=opts.max_steps,
        per_device_train_batch_size=opts.batch_size,
        gradient_accumulation_steps=opts.gradient_accumulation_steps,
        learning_rate=opts.learning_rate,
        lr_scheduler_type=opts.lr_scheduler_type,
        warmup_steps=opts.warmup_ratio,  # a float < 1 is a ratio in transformers 5
        weight_decay=opts.weight_decay,
        max_length=opts.max_length,
        seed=opts.seed,
        data_seed=opts.seed,
        logging_steps=opts.logging_steps,
        assistant_only_loss=True,
        packing=False,
        use_cpu=not cuda,
        bf16=bf16,  # TRL defaults to True, which fails on CPU
        fp16=False,
        gradient_checkpointing=False,  # TRL turns it on by default; it only costs time on a tiny model
        save_strategy="no",
        report_to="none",
        disable_tqdm=progress is not None,
        dataloader_num_workers=0,
        train_sampling_strategy="group_by_length" if opts.group_by_length else "random",
    )
    dataset = Dataset.from_list([{"messages": list(r["messages"])} for r in rows])
    callbacks = [RichStepCallback(progress, "SFT")] if progress is not None else None
    trainer = SFTTrainer(model=model, args=args, train_dataset=dataset, processing_class=tokenizer, callbacks=callbacks)
    if progress is not None:
        trainer.remove_callback(PrinterCallback)  # with tqdm off, HF prints every log dict; the bar shows the loss
    return trainer


def train_sft(
    base_path: str | Path,
    rows: Sequence[dict[str, Any]],
    out_dir: str | Path,
    options: SFTOptions | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Fine-tune the model at `base_path` on chat `rows`; save the result to `out_dir`. Returns stats."""
    opts = options or SFTOptions()
    if not rows:
        raise ValueError("train_sft: no rows to train on")
    torch.set_num_threads(opts.threads or cpu_count())
    set_seed(opts.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(base_path))
    model = AutoModelForCausalLM.from_pretrained(str(base_path), dtype=torch.float32)
    prepare_chat_model(model, tokenizer, opts.chat_template)

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sft-") as scratch:
        trainer = build_trainer(model, tokenizer, rows, scratch, opts, progress)
        result = trainer.train()
    seconds = time.perf_counter() - start

    model = trainer.model
    save_chat_model(model, tokenizer, out_dir)
    return {
        "rows": len(rows),
        "steps": result.global_step,
        "train_loss": result.training_loss,
        "seconds": seconds,
        "options": asdict(opts),
    }


def save_chat_model(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, out_dir: str | Path) -> None:
    """Save weights (float32 safetensors), tokenizer + chat template, and a generation config that stops
    at the chat eos and at the base model's `</s>`."""
    out = Path(out_dir)
    im_end = tokenizer.convert_tokens_to_ids(IM_END)
    if tokenizer.eos_token_id is not None:
        eos = tokenizer.eos_token_id
        extra = [im_end] if im_end is not None and im_end != tokenizer.unk_token_id else []
        if tokenizer.bos_token == "<s>":
            extra.append(tokenizer.convert_tokens_to_ids("</s>"))
        set_eos(model, eos, extra=extra)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.bos_token_id = tokenizer.bos_token_id
    model.to("cpu", dtype=torch.float32).save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
