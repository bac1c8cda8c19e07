"""The one tiny-model factory of the tests: a Llama built in seconds, nothing downloaded.

`tiny_model` makes the tokenizer and the random weights with the project's own pretraining code
(trainers/tokenizer.py, trainers/pretrain.py: hidden 64, one layer, one head of 64 dims, as vLLM's CPU
attention needs). Two ways to use it:

- `build_tiny_base(out)`: untrained, saved the way the pretrainer saves a base model (float32,
  `<s>`/`</s>`, no chat template): the input of the SFT trainer tests.
- `build_tiny_chat(root, pairs)`: made chat-ready the way SFT does it (trainers/chat_template.py), then
  trained briefly to answer `pairs` and stop at `<|im_end|>`; saved twice: with the chat template and,
  the same weights, without it (a "raw" model). conftest's `tiny_chat`/`tiny_raw` fixtures are these.

Import as `from tiny_models import ...` (pytest puts tests/ on sys.path).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from transformers import LlamaForCausalLM, PreTrainedTokenizerFast

from trainers.chat_template import add_chat_template
from trainers.pretrain import PretrainOptions, build_model, save_base
from trainers.tokenizer import EOS, train_tokenizer

# What the SFT trainer tests train on: English, code, Chinese and a letter (byte-level BPE covers all).
BASE_TEXTS = [
    "What is the capital of Italy? The capital of Italy is Rome.",
    "Write a Python function that adds two numbers.\ndef add(a, b):\n    return a + b",
    "法国的首都是巴黎。李白是唐朝的诗人。",
    "Dear Emma,\n\nThank you for your help.\n\nBest regards,\nSam",
] * 20

# Chat rows for the SFT trainer tests: single-turn, multi-turn with a system message, Chinese.
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

# What `tiny_chat` answers (tests check these exact answers).
PAIRS = [
    ("hi", "hello there"),
    ("what is red", "red is a colour"),
    ("name a fruit", "an apple"),
    ("count to three", "one two three"),
]


def tiny_model(
    texts: list[str], vocab_size: int, max_positions: int = 256, tie_embeddings: bool = True, seed: int = 0
) -> tuple[LlamaForCausalLM, PreTrainedTokenizerFast]:
    """Random tiny Llama weights and a byte-level BPE tokenizer trained on `texts` (deterministic per seed)."""
    torch.manual_seed(seed)
    tok = train_tokenizer(texts, vocab_size=vocab_size, min_frequency=1)
    tok.model_max_length = max_positions
    opts = PretrainOptions(hidden_size=64, num_layers=1, intermediate_size=128, max_position_embeddings=max_positions)
    model = build_model(opts, tok)
    if not tie_embeddings:
        model.config.tie_word_embeddings = False
        model = LlamaForCausalLM(model.config)
    return model, tok


def build_tiny_base(out: Path, seed: int = 0) -> Path:
    """An untrained base model saved the way the pretrainer saves it (float32, `<s>`/`</s>`, no template)."""
    model, tok = tiny_model(BASE_TEXTS, vocab_size=400, seed=seed)
    save_base(model, tok, out)
    return out


def build_tiny_chat(
    root: Path, pairs: list[tuple[str, str]] = PAIRS, max_positions: int = 256, answer_only: bool = False, steps: int = 120
) -> tuple[Path, Path]:
    """A tiny chat model trained to answer `pairs`: (chat dir, raw dir). `answer_only`: the loss on the answers
    alone (for long prompts, whose own tokens would otherwise take the whole of a tiny model's capacity)."""
    corpus = [f"{q}\n{a}" for q, a in pairs] * 20 + ["the quick brown fox jumps over the lazy dog"] * 5
    # Untied, lr 5e-3: every pair learnt for every seed tried (at 1e-2 two seeds in five missed some; tied,
    # the tiny judge of test_judge_models.py answered a turn it was not trained on out of format).
    model, tok = tiny_model(corpus, vocab_size=300, max_positions=max_positions, tie_embeddings=False)
    add_chat_template(model, tok)  # <|im_start|>/<|im_end|>, <|im_end|> the eos, </s> a second stop
    chats = [[{"role": "user", "content": q}, {"role": "assistant", "content": a}] for q, a in pairs]
    ids = [tok(tok.apply_chat_template(c, tokenize=False), add_special_tokens=False)["input_ids"] for c in chats]
    width = max(map(len, ids))
    batch = torch.tensor([x + [tok.pad_token_id] * (width - len(x)) for x in ids])
    labels = batch.clone()
    labels[batch == tok.pad_token_id] = -100
    if answer_only:
        for i, (q, _) in enumerate(pairs):
            asked = tok.apply_chat_template([{"role": "user", "content": q}], tokenize=False, add_generation_prompt=True)
            labels[i, : len(tok(asked, add_special_tokens=False)["input_ids"])] = -100
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3)
    model.train()
    for _ in range(steps):
        model(input_ids=batch, labels=labels).loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    chat_dir, raw_dir = root / "tiny-chat", root / "tiny-raw"
    model.save_pretrained(chat_dir)
    tok.save_pretrained(chat_dir)
    # The raw model: the same weights and stop tokens, prompted as plain text (no template, eos </s>).
    model.save_pretrained(raw_dir)
    tok.chat_template = None
    tok.eos_token = EOS
    tok.save_pretrained(raw_dir)
    cfg_path = raw_dir / "tokenizer_config.json"
    data = json.loads(cfg_path.read_text())
    data.pop("chat_template", None)
    cfg_path.write_text(json.dumps(data))
    (raw_dir / "chat_template.jinja").unlink(missing_ok=True)
    return chat_dir, raw_dir
