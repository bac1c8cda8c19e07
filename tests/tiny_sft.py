"""Shared by the SFT trainer tests: a tiny random base Llama (no chat template) and a few chat rows.

Hidden 64, one layer, a byte-level BPE tokenizer trained here on a few sentences: built in about a second,
nothing downloaded. Import as `from tiny_sft import ...` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

from pathlib import Path

import torch

from trainers.pretrain import PretrainOptions, build_model, save_base
from trainers.tokenizer import train_tokenizer

TEXTS = [
    "What is the capital of Italy? The capital of Italy is Rome.",
    "Write a Python function that adds two numbers.\ndef add(a, b):\n    return a + b",
    "法国的首都是巴黎。李白是唐朝的诗人。",
    "Dear Emma,\n\nThank you for your help.\n\nBest regards,\nSam",
] * 20

ROWS = [
    {"messages": [{"role": "user", "content": "What is the capital of Italy?"},
                  {"role": "assistant", "content": "The capital of Italy is Rome."}]},
    {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                  {"role": "user", "content": "My name is Sam."},
                  {"role": "assistant", "content": "Nice to meet you, Sam!"},
                  {"role": "user", "content": "What is my name?"},
                  {"role": "assistant", "content": "Your name is Sam."}]},
    {"messages": [{"role": "user", "content": "法国的首都是哪里？"},
                  {"role": "assistant", "content": "法国的首都是巴黎。"}]},
]

TINY = PretrainOptions(hidden_size=64, num_layers=1, intermediate_size=128, max_position_embeddings=256)


def build_tiny_base(out: Path, seed: int = 0) -> Path:
    """A tiny random base model saved the way the pretrainer saves it (float32, `<s>`/`</s>`, no template)."""
    torch.manual_seed(seed)
    tok = train_tokenizer(TEXTS, vocab_size=400, min_frequency=1)
    save_base(build_model(TINY, tok), tok, out)
    return out
