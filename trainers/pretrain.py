"""Pretrain a tiny Llama from scratch on plain documents (a plain, seeded PyTorch loop).

Each document is encoded as <s> text </s>, documents are concatenated and cut into fixed-length blocks
(standard packing), and the model learns next-token prediction on every token. The saved directory is a
normal transformers checkpoint (float32 safetensors + tokenizer + generation_config) that vLLM also loads.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from rich.progress import Progress
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerBase

from harness.config import available_cores
from trainers import copy_circuit


@dataclass
class PretrainOptions:
    hidden_size: int = field(default=256, metadata={"help": "model width; heads are 64 wide (vLLM CPU needs head_dim >= 64)"})
    num_layers: int = field(default=4, metadata={"help": "transformer blocks"})
    num_heads: int | None = field(default=None, metadata={"help": "attention heads of 64 dims each; None = hidden_size // 64"})
    intermediate_size: int = field(default=768, metadata={"help": "MLP width"})
    max_position_embeddings: int = field(default=1024, metadata={"help": "longest context the config allows (RoPE)"})
    seq_len: int = field(default=256, metadata={"help": "training block length in tokens"})
    batch_size: int = field(default=16, metadata={"help": "blocks per optimizer step"})
    epochs: float = field(default=2.0, metadata={"help": "passes over the packed corpus"})
    learning_rate: float = field(default=2e-3, metadata={"help": "peak AdamW learning rate"})
    min_lr_ratio: float = field(default=0.1, metadata={"help": "final learning rate as a share of the peak (cosine)"})
    warmup_steps: int = field(default=30, metadata={"help": "linear warm-up steps"})
    weight_decay: float = field(default=0.01, metadata={"help": "AdamW weight decay"})
    grad_clip: float = field(default=1.0, metadata={"help": "gradient norm clipping"})
    seed: int = field(default=0, metadata={"help": "seed for weights init and data order"})
    bf16_autocast: bool | None = field(default=None, metadata={"help": "bf16 matmuls (fp32 weights); None = when the CPU/GPU supports it"})
    threads: int | None = field(default=None, metadata={"help": "torch CPU threads; None = the cores this process may use"})
    copy_circuit: bool = field(default=False, metadata={"help": "wire an induction head in (trainers/copy_circuit.py): "
                                                                 "attention biases, untied lm_head"})


HEAD_DIM = 64


def build_model(opts: PretrainOptions, tokenizer: PreTrainedTokenizerBase) -> LlamaForCausalLM:
    heads = opts.num_heads or (2 if opts.copy_circuit else opts.hidden_size // HEAD_DIM)
    if heads < 1:
        raise ValueError(f"need at least one attention head of {HEAD_DIM} dims")
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=opts.hidden_size,
        intermediate_size=opts.intermediate_size,
        num_hidden_layers=opts.num_layers,
        num_attention_heads=heads,
        num_key_value_heads=heads,
        head_dim=HEAD_DIM,
        max_position_embeddings=opts.max_position_embeddings,
        rms_norm_eps=1e-5,
        # tied: a third of the weights at this size (vLLM's Llama supports tying); the copy circuit needs
        # its own output columns
        tie_word_embeddings=not opts.copy_circuit,
        attention_bias=opts.copy_circuit,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        dtype="float32",
    )
    model = LlamaForCausalLM(config)
    if opts.copy_circuit:
        copy_circuit.wire(model, copy_circuit.CircuitLayout(hidden_size=opts.hidden_size), tokenizer.bos_token_id)
    return model


def pack(docs: Sequence[str], tokenizer: PreTrainedTokenizerBase, seq_len: int) -> torch.Tensor:
    """<s> doc </s> for every document, concatenated and cut into [n_blocks, seq_len] (remainder dropped)."""
    eos = tokenizer.eos_token_id
    ids: list[int] = []
    for enc in tokenizer(list(docs), add_special_tokens=True)["input_ids"]:  # the post-processor adds <s>
        ids.extend(enc)
        ids.append(eos)
    n = len(ids) // seq_len
    return torch.tensor(ids[: n * seq_len], dtype=torch.long).view(n, seq_len)


def lr_at(step: int, total: int, opts: PretrainOptions) -> float:
    if step < opts.warmup_steps:
        return opts.learning_rate * (step + 1) / opts.warmup_steps
    t = (step - opts.warmup_steps) / max(1, total - opts.warmup_steps)
    floor = opts.min_lr_ratio
    return opts.learning_rate * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def _use_bf16(opts: PretrainOptions, device: torch.device) -> bool:
    if opts.bf16_autocast is not None:
        return opts.bf16_autocast
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    # Without native bf16 (AVX512-BF16 / AMX) the CPU emulates it and autocast becomes slower, not faster.
    return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())


@torch.no_grad()
def mean_loss(model: LlamaForCausalLM, tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> float:
    """Average per-token loss on short texts (each encoded as <s> text), e.g. fact sentences."""
    model.eval()
    device = next(model.parameters()).device
    total, count = 0.0, 0
    for text in texts:
        ids = torch.tensor([tokenizer(text)["input_ids"]], device=device)
        out = model(input_ids=ids, labels=ids)
        n = ids.shape[1] - 1
        total += out.loss.item() * n
        count += n
    return total / max(1, count)


def pretrain(
    docs: Sequence[str],
    tokenizer: PreTrainedTokenizerBase,
    out_dir: str | Path,
    opts: PretrainOptions | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Train a fresh model on `docs` and save it (with `tokenizer`) to `out_dir`. Returns training stats."""
    opts = opts or PretrainOptions()
    torch.set_num_threads(opts.threads or available_cores())
    torch.manual_seed(opts.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    bf16 = _use_bf16(opts, device)

    blocks = pack(docs, tokenizer, opts.seq_len)
    model = build_model(opts, tokenizer).to(device)
    layout = copy_circuit.layout_of(model)
    freezer = copy_circuit.Freezer(model, layout) if layout else None
    optim = torch.optim.AdamW(model.parameters(), lr=opts.learning_rate, betas=(0.9, 0.95),
                              weight_decay=opts.weight_decay)
    steps_per_epoch = max(1, len(blocks) // opts.batch_size)
    total = max(1, round(steps_per_epoch * opts.epochs))
    gen = torch.Generator().manual_seed(opts.seed)  # data order depends on the seed only
    order = torch.empty(0, dtype=torch.long)

    task = progress.add_task("pretraining", total=total, info="") if progress else None
    model.train()
    start, losses = time.perf_counter(), []
    for step in range(total):
        if len(order) < opts.batch_size:
            order = torch.cat([order, torch.randperm(len(blocks), generator=gen)])
        idx, order = order[: opts.batch_size], order[opts.batch_size:]
        batch = blocks[idx].to(device)
        for group in optim.param_groups:
            group["lr"] = lr_at(step, total, opts)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
            loss = model(input_ids=batch, labels=batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), opts.grad_clip)
        optim.step()
        optim.zero_grad(set_to_none=True)
        if freezer is not None:
            freezer.restore()
        losses.append(loss.item())
        if progress is not None and task is not None:
            progress.update(task, advance=1, info=f"loss {sum(losses[-20:]) / len(losses[-20:]):.3f}")
    seconds = time.perf_counter() - start

    model.eval()
    save_base(model, tokenizer, out_dir)
    return {
        "params": sum(p.numel() for p in model.parameters()),
        "vocab_size": len(tokenizer),
        "tokens": int(blocks.numel()),
        "steps": total,
        "final_loss": sum(losses[-20:]) / len(losses[-20:]),
        "seconds": seconds,
        "bf16_autocast": bf16,
        "options": asdict(opts),
    }


def save_base(model: LlamaForCausalLM, tokenizer: PreTrainedTokenizerBase, out_dir: str | Path) -> None:
    """float32 safetensors + tokenizer + a generation config that stops at </s>."""
    out = Path(out_dir)
    model = model.to("cpu", dtype=torch.float32)
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
