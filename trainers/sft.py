"""Supervised fine-tuning of a causal LM on chat rows, with TRL's SFTTrainer.

`train_sft(base_path, rows, out_dir, options)` is the project's SFT core: rows are
`{"messages": [{"role": ..., "content": ...}, ...]}`; the loss is on assistant tokens only (including the
`<|im_end|>` that ends each assistant turn, see `trainers.chat_template`). The output directory is a
plain transformers checkpoint (model + tokenizer with chat template + generation_config) that
transformers and vLLM both load. Optional: LoRA (merged into full weights, or also kept as an adapter),
a seeded held-out eval split, padding-free packing, checkpoints in OUT/checkpoints and resuming from them,
and any extra SFTConfig keyword. `run_training` adds the training report (trainers.report).

Works unchanged under `accelerate launch` (DDP): every rank trains; only the main process writes.
"""

from __future__ import annotations

import os
import platform
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
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
    TrainerCallback,
    set_seed,
)
from transformers.trainer_utils import get_last_checkpoint
from trl import SFTConfig, SFTTrainer

from harness.config import available_cores
from trainers import copy_circuit
from trainers.chat_template import DEFAULT_CHAT_TEMPLATE, IM_END, add_chat_template, set_eos
from trainers.options import LoraOptions, SFTOptions, check_trl_args  # SFTOptions: callers still import it from here
from trainers.progress import RichStepCallback
from trainers.report import write_report
from trainers.train_config import TrainConfig

CHECKPOINTS = "checkpoints"  # OUT/checkpoints: Trainer checkpoints (resume reads the newest)
ADAPTER = "adapter"  # OUT/adapter: the unmerged PEFT adapter when [lora] merge = false


def prepare_chat_model(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, chat_template: str | None = None
) -> list[int]:
    """Give a base model a chat template (and chat tokens) if it has none; honour an explicit template.
    Returns the ids of tokens added to the vocabulary (their embeddings are new and must be trained)."""
    added: list[int] = []
    if tokenizer.chat_template is None:
        n_before = len(tokenizer)
        ids = add_chat_template(model, tokenizer, chat_template or DEFAULT_CHAT_TEMPLATE)
        added = [i for i in ids if i >= n_before]
    elif chat_template is not None:
        tokenizer.chat_template = chat_template
    if tokenizer.pad_token is None:
        # A pad distinct from eos keeps eos labels from being confused with padding.
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    return added


def split_rows(rows: Sequence[dict[str, Any]], ratio: float, seed: int) -> tuple[list[dict], list[dict]]:
    """(train, eval): a seeded shuffle, at least one row on each side when ratio > 0. Same on every rank."""
    rows = list(rows)
    if ratio <= 0:
        return rows, []
    if not ratio < 1 or len(rows) < 2:
        raise ValueError(f"eval_ratio {ratio} needs 0 <= eval_ratio < 1 and at least 2 rows (got {len(rows)})")
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    n_eval = min(len(rows) - 1, max(1, round(len(rows) * ratio)))
    held = set(order[:n_eval])
    return [r for i, r in enumerate(rows) if i not in held], [r for i, r in enumerate(rows) if i in held]


class KeepWired(TrainerCallback):
    """Puts the copy circuit's wired weights back after each optimizer step (weight decay moves them)."""

    def __init__(self, freezer: copy_circuit.Freezer):
        self.freezer = freezer

    def on_step_end(self, args, state, control, **kwargs):  # noqa: ANN001, ANN003 - HF signature
        self.freezer.restore()


class CountingSFTTrainer(SFTTrainer):
    """SFTTrainer that also counts the tokens it trains on: input (non-padding) and labelled (assistant)
    tokens, summed over all ranks. The labelled total is logged, so it survives a resume."""

    session_tokens = 0
    labelled_tokens: int | None = None
    first_step: int | None = None

    def training_step(self, model, inputs, num_items_in_batch=None):  # noqa: ANN001 - HF signature
        if self.labelled_tokens is None:  # first step of this session: state is loaded by now (resume)
            self.first_step = self.state.global_step
            logged = [e["num_labelled_tokens"] for e in self.state.log_history if "num_labelled_tokens" in e]
            self.labelled_tokens = int(logged[-1]) if logged else 0
        labels = inputs["labels"]
        mask = inputs.get("attention_mask")
        seen = mask.sum() if mask is not None else torch.tensor(inputs["input_ids"].numel())  # padding-free
        counts = torch.stack([(labels != -100).sum(), seen.to(labels.device)]).to(self.accelerator.device)
        labelled, seen_all = self.accelerator.gather(counts.reshape(1, 2)).sum(dim=0).tolist()
        self.labelled_tokens += int(labelled)
        self.session_tokens += int(seen_all)
        return super().training_step(model, inputs, num_items_in_batch)

    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if "loss" in logs and self.labelled_tokens is not None:
            logs["num_labelled_tokens"] = self.labelled_tokens
        super().log(logs, start_time)


def build_trainer(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    rows: Sequence[dict[str, Any]],
    output_dir: str,
    opts: SFTOptions,
    progress: Progress | None = None,
    *,
    eval_rows: Sequence[dict[str, Any]] = (),
    peft_config: Any = None,
    trl_args: dict[str, Any] | None = None,
    callbacks: Sequence[TrainerCallback] = (),
) -> CountingSFTTrainer:
    """The configured SFTTrainer (tokenization happens here: `trainer.train_dataset` holds the labels);
    `callbacks` are added after the progress bar's (e.g. trainers.trajectory's evaluations)."""
    check_trl_args(trl_args or {})
    cuda = torch.cuda.is_available()
    bf16 = opts.bf16 if opts.bf16 is not None else bool(cuda and torch.cuda.is_bf16_supported())
    evaluate = len(eval_rows) > 0
    kwargs: dict[str, Any] = dict(
        output_dir=output_dir,
        num_train_epochs=opts.epochs,
        max_steps=opts.max_steps,
        per_device_train_batch_size=opts.batch_size,
        per_device_eval_batch_size=opts.batch_size,
        gradient_accumulation_steps=opts.gradient_accumulation_steps,
        learning_rate=opts.learning_rate,
        lr_scheduler_type=opts.lr_scheduler_type,
        warmup_steps=opts.warmup_ratio,  # a float < 1 is a ratio in transformers 5
        weight_decay=opts.weight_decay,
        max_length=opts.max_length,
        seed=opts.seed,
        data_seed=opts.seed,
        logging_steps=opts.logging_steps,
        logging_first_step=True,  # the loss curve starts at step 1
        assistant_only_loss=True,
        # bfd packing turns on padding-free batches: rows are concatenated without padding and
        # position_ids restart at 0 per row; transformers builds a block-diagonal causal mask from them,
        # so sdpa/eager on CPU give the same loss as unpacked batches (tested), not only FlashAttention.
        packing=opts.packing,
        padding_free=opts.packing,
        use_cpu=not cuda,
        bf16=bf16,  # TRL defaults to True, which fails on CPU
        fp16=False,
        gradient_checkpointing=False,  # TRL turns it on by default; it only costs time on a tiny model
        ddp_find_unused_parameters=False,  # every weight takes part in a causal LM's forward: skip DDP's extra graph walk
        eval_strategy="steps" if evaluate else "no",
        eval_steps=opts.eval_steps or opts.logging_steps,
        save_strategy="steps" if opts.save_steps > 0 else "no",
        save_steps=opts.save_steps or 500,
        save_total_limit=opts.save_total_limit,
        include_num_input_tokens_seen="non_padding",
        report_to="none",
        disable_tqdm=progress is not None,
        dataloader_num_workers=0,
        # packed blocks have near-equal lengths: grouping them buys nothing
        train_sampling_strategy="group_by_length" if opts.group_by_length and not opts.packing else "random",
    )
    kwargs.update(trl_args or {})  # [trl] goes through verbatim and wins over the defaults above
    try:
        args = SFTConfig(**kwargs)
    except (TypeError, ValueError) as e:
        raise ValueError(f"SFTConfig rejected the options ([sft]/[trl]): {e}") from e
    dataset = Dataset.from_list([{"messages": list(r["messages"])} for r in rows])
    eval_dataset = Dataset.from_list([{"messages": list(r["messages"])} for r in eval_rows]) if evaluate else None
    added = [RichStepCallback(progress, "SFT")] if progress is not None else []
    trainer = CountingSFTTrainer(
        model=model, args=args, train_dataset=dataset, eval_dataset=eval_dataset, processing_class=tokenizer,
        callbacks=[*added, *callbacks] or None, peft_config=peft_config,
    )
    if progress is not None:
        trainer.remove_callback(PrinterCallback)  # with tqdm off, HF prints every log dict; the bar shows the loss
    return trainer


def lora_config(lora: LoraOptions, added_ids: list[int], model: PreTrainedModel | None = None) -> Any:
    from peft import LoraConfig

    embeddings = ["embed_tokens", "lm_head"]  # Llama names; other architectures: found on the model
    if model is not None:
        wanted = {id(model.get_input_embeddings()): 0, id(model.get_output_embeddings()): 1}
        for name, module in model.named_modules():
            if id(module) in wanted:
                embeddings[wanted[id(module)]] = name.rsplit(".", 1)[-1]
    return LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=lora.target_modules,
        task_type="CAUSAL_LM",
        # Tokens added for the chat template start as sampled embeddings; LoRA alone would leave them frozen
        # and <|im_end|> hard to learn, so the embeddings and head train in full (kept tied when the model ties
        # them). PEFT's trainable_token_indices (only the new rows) would be smaller, but TRL 1.16's fused LM
        # head reads lm_head.weight directly and fails on (or bypasses) the trainable-tokens wrapper.
        modules_to_save=embeddings if added_ids else None,
        ensure_weight_tying=bool(added_ids),
    )


def loss_history(log_history: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per logged step: step, loss, eval_loss, learning_rate, tokens_seen (None where not logged)."""
    by_step: dict[int, dict[str, Any]] = {}
    keys = {"loss": "loss", "eval_loss": "eval_loss", "learning_rate": "learning_rate",
            "num_input_tokens_seen": "tokens_seen"}
    for entry in log_history:
        if "loss" not in entry and "eval_loss" not in entry:
            continue
        row = by_step.setdefault(int(entry["step"]), {"step": int(entry["step"]), **dict.fromkeys(keys.values())})
        for src, dst in keys.items():
            if src in entry:
                row[dst] = float(entry[src]) if dst != "tokens_seen" else int(entry[src])
    return [by_step[s] for s in sorted(by_step)]


def _threads(opts: SFTOptions) -> int:
    if opts.threads:
        return opts.threads
    local_ranks = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))  # set by torchrun / accelerate launch
    return max(1, available_cores() // local_ranks)


def _dataset_tokens(ds: Dataset | None) -> dict[str, int]:
    if ds is None or "labels" not in ds.column_names:
        return {"examples": 0 if ds is None else len(ds), "tokens": 0, "labelled_tokens": 0}
    tokens = labelled = 0
    for labels in ds["labels"]:
        tokens += len(labels)
        labelled += sum(1 for t in labels if t != -100)
    return {"examples": len(ds), "tokens": tokens, "labelled_tokens": labelled}


def _device() -> dict[str, Any]:
    if torch.cuda.is_available():
        return {"type": "cuda", "name": torch.cuda.get_device_name(0), "count": torch.cuda.device_count()}
    return {"type": "cpu", "name": platform.processor() or platform.machine(), "cores": available_cores()}


def train_sft(
    base_path: str | Path,
    rows: Sequence[dict[str, Any]],
    out_dir: str | Path,
    options: SFTOptions | None = None,
    progress: Progress | None = None,
    *,
    lora: LoraOptions | None = None,
    trl_args: dict[str, Any] | None = None,
    callbacks: Sequence[TrainerCallback] = (),
) -> dict[str, Any]:
    """Fine-tune the model at `base_path` on chat `rows`; save the result to `out_dir` (main process only).
    Returns stats (the same on every rank)."""
    opts = options or SFTOptions()
    if not rows:
        raise ValueError("train_sft: no rows to train on")
    torch.set_num_threads(_threads(opts))
    set_seed(opts.seed)
    tokenizer = AutoTokenizer.from_pretrained(str(base_path))
    model = AutoModelForCausalLM.from_pretrained(str(base_path), dtype=torch.float32)
    added = prepare_chat_model(model, tokenizer, opts.chat_template)
    train_rows, eval_rows = split_rows(rows, opts.eval_ratio, opts.seed)
    use_lora = lora is not None and lora.enabled
    layout = copy_circuit.layout_of(model)
    if layout is not None and not use_lora:  # a wired base (the demo's) keeps its circuit as it is
        callbacks = [*callbacks, KeepWired(copy_circuit.Freezer(model, layout))]
    peft_config = lora_config(lora, added, model) if use_lora else None

    out = Path(out_dir)
    keep_checkpoints = opts.save_steps > 0 or opts.resume
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sft-") as scratch:
        # Checkpoints live next to the model so `resume` finds them; without them, Trainer gets a scratch dir.
        workdir = str(out / CHECKPOINTS) if keep_checkpoints else scratch
        trainer = build_trainer(model, tokenizer, train_rows, workdir, opts, progress,
                                eval_rows=eval_rows, peft_config=peft_config, trl_args=trl_args, callbacks=callbacks)
        sharded = trainer.is_fsdp_enabled or trainer.is_deepspeed_enabled
        if use_lora and sharded:  # merging a sharded PeftModel on rank 0 is not implemented (untested ground)
            raise NotImplementedError("[lora] with FSDP/DeepSpeed is not supported here; launch LoRA runs with DDP")
        resume_from = get_last_checkpoint(workdir) if opts.resume and Path(workdir).is_dir() else None
        result = trainer.train(resume_from_checkpoint=resume_from)
        history = trainer.state.log_history
        if eval_rows and not any("eval_loss" in e and e["step"] == trainer.state.global_step for e in history):
            trainer.evaluate()  # a final eval loss, also when the last step is not a multiple of eval_steps
        train_data, eval_data = _dataset_tokens(trainer.train_dataset), _dataset_tokens(trainer.eval_dataset)
        acc = trainer.accelerator
        lora_stats = _lora_stats(lora, trainer.model, out, added) if use_lora else None  # before merging
        # Sharded weights (FSDP / ZeRO-3) are gathered on every rank; rank 0 saves them.
        state_dict = acc.get_state_dict(trainer.model_wrapped) if sharded else None
        # Which ranks took part (proof for the report that every process trained), gathered before saving.
        ranks = acc.gather(torch.tensor([acc.process_index], device=acc.device)).tolist()
        acc.wait_for_everyone()
        if acc.is_main_process:
            save_trained(trainer.model, tokenizer, out, lora if use_lora else None, state_dict=state_dict)
        acc.wait_for_everyone()
    seconds = time.perf_counter() - start

    state = trainer.state
    train_seconds = float(result.metrics.get("train_runtime", seconds))
    curve = loss_history(state.log_history)
    losses = [r["loss"] for r in curve if r["loss"] is not None]
    eval_losses = [r["eval_loss"] for r in curve if r["eval_loss"] is not None]
    session_steps = state.global_step - (trainer.first_step or 0)
    return {
        "rows": len(rows),
        "train_rows": len(train_rows),
        "eval_rows": len(eval_rows),
        "steps": result.global_step,
        "session_steps": session_steps,
        "epochs": state.epoch,
        "train_loss": result.training_loss,
        "final_loss": losses[-1] if losses else None,
        "eval_loss": eval_losses[-1] if eval_losses else None,
        "seconds": seconds,
        "train_seconds": train_seconds,
        "tokens_seen": int(state.num_input_tokens_seen),
        "session_tokens": trainer.session_tokens,
        "tokens_per_second": trainer.session_tokens / train_seconds if train_seconds > 0 else 0.0,
        "tokens_per_step": trainer.session_tokens / session_steps if session_steps else 0.0,
        "labelled_tokens": trainer.labelled_tokens or 0,
        "train_dataset": train_data,
        "eval_dataset": eval_data,
        "rows_dropped_without_labels": (len(train_rows) - train_data["examples"]) if not opts.packing else None,
        "log_history": curve,
        "world_size": trainer.accelerator.num_processes,
        "ranks": ranks,
        "distributed_type": str(trainer.accelerator.distributed_type).split(".")[-1],
        "device": _device(),
        "bf16": bool(trainer.args.bf16),
        "packing": bool(trainer.args.packing),
        "padding_free": bool(trainer.padding_free),
        "added_tokens": added,
        "resumed_from": resume_from,
        "checkpoints_dir": workdir if keep_checkpoints else None,
        "lora": lora_stats,
        "options": asdict(opts),
        "trl": dict(trl_args or {}),
    }


def _lora_stats(lora: LoraOptions, model: Any, out: Path, added: list[int]) -> dict[str, Any]:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return {
        **asdict(lora),
        "trainable_params": trainable,
        "total_params": sum(p.numel() for p in model.parameters()),
        "adapter_dir": None if lora.merge else str(out / ADAPTER),
        # vLLM's LoRA support cannot add vocabulary: an adapter with trained new-token rows only serves over a
        # base that already has them. The merged weights in OUT/ always work.
        "adapter_servable_by_vllm": (not lora.merge) and not added,
    }


def save_trained(
    model: Any, tokenizer: PreTrainedTokenizerBase, out: Path, lora: LoraOptions | None,
    state_dict: dict[str, Any] | None = None,
) -> None:
    """Write OUT/ as a plain chat model. With LoRA: merge the adapter into the weights first; when
    `lora.merge` is false also keep the unmerged adapter (+ tokenizer) in OUT/adapter."""
    if lora is not None:
        if not lora.merge:
            model.save_pretrained(out / ADAPTER)  # before merging: merge_and_unload folds the adapter away
            tokenizer.save_pretrained(out / ADAPTER)
        model = model.merge_and_unload()
    save_chat_model(model, tokenizer, out, state_dict=state_dict)


def save_chat_model(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, out_dir: str | Path,
    state_dict: dict[str, Any] | None = None,
) -> None:
    """Save weights (float32 safetensors), tokenizer + chat template, and a generation config that stops
    at the chat eos and at the base model's `</s>`. `state_dict`: the full weights gathered from sharded
    (FSDP / ZeRO-3) training."""
    out = Path(out_dir)
    set_chat_generation(model, tokenizer)
    if state_dict is not None:
        state_dict = {k: v.to("cpu", dtype=torch.float32) for k, v in state_dict.items()}
        model.save_pretrained(out, safe_serialization=True, state_dict=state_dict)
    else:
        model.to("cpu", dtype=torch.float32).save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)


def set_chat_generation(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase) -> None:
    """The generation settings a saved chat model carries: stop at the chat eos (and `</s>` of a `<s>` base),
    pad and bos from the tokenizer. In place, on the config only: the weights are untouched."""
    im_end = tokenizer.convert_tokens_to_ids(IM_END)
    if tokenizer.eos_token_id is not None:
        eos = tokenizer.eos_token_id
        extra = [im_end] if im_end is not None and im_end != tokenizer.unk_token_id else []
        if tokenizer.bos_token == "<s>":
            extra.append(tokenizer.convert_tokens_to_ids("</s>"))
        set_eos(model, eos, extra=extra)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.bos_token_id = tokenizer.bos_token_id


def run_training(
    base: str | Path,
    rows: Sequence[dict[str, Any]],
    out_dir: str | Path,
    config: TrainConfig | None = None,
    data_stats: dict[str, Any] | None = None,
    progress: Progress | None = None,
    *,
    callbacks: Sequence[TrainerCallback] = (),
    after_save: Callable[[Path, dict[str, Any]], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """prepare -> train -> save -> report: fine-tune `base` on normalised chat rows into `out_dir` and write
    training_report.{json,md} + loss.png there (main process only). Returns the training stats, with
    `report` (the report paths, on the main process). `after_save(out_dir, stats)` runs on the main process
    once the model is saved and returns more stats for the report (the trajectory's last point is
    evaluated there, on the saved weights)."""
    config = config or TrainConfig()
    stats = train_sft(base, rows, out_dir, config.sft, progress, lora=config.lora, trl_args=config.trl, callbacks=callbacks)
    if _is_main_process():
        if after_save is not None:
            stats.update(after_save(Path(out_dir), stats))
        stats["report"] = {k: str(v) for k, v in write_report(out_dir, stats, config, base, data_stats).items()}
    return stats


def _is_main_process() -> bool:
    from accelerate import PartialState

    return PartialState().is_main_process
