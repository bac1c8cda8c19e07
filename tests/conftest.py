"""Shared fixtures: tiny models built on disk in seconds, an isolated HARNESS_HOME.

`tiny_chat` is a ~100K-parameter Llama (head_dim 64, as vLLM's CPU attention needs) briefly
trained to answer a handful of chat prompts and stop at <|im_end|>; `tiny_raw` is the same
weights without a chat template. Nothing is downloaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

CHAT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
PAIRS = [
    ("hi", "hello there"),
    ("what is red", "red is a colour"),
    ("name a fruit", "an apple"),
    ("count to three", "one two three"),
]


def _tokenizer(corpus: list[str]):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<s>", "</s>", "<pad>", "<unk>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(
        corpus,
        trainers.BpeTrainer(
            vocab_size=300, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
        ),
    )
    tok.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", 0)])
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
    )


def _build_tiny(
    root: Path, pairs: list[tuple[str, str]] = PAIRS, max_positions: int = 256, answer_only: bool = False, steps: int = 120
) -> tuple[Path, Path]:
    """A tiny Llama trained to answer `pairs`: (chat dir, raw dir). `answer_only`: the loss on the answers
    alone (for long prompts, whose own tokens would otherwise take the whole of a tiny model's capacity)."""
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    chats = [
        [{"role": "user", "content": q}, {"role": "assistant", "content": a}] for q, a in pairs
    ]
    tok = _tokenizer([f"{q}\n{a}" for q, a in pairs] * 20 + ["the quick brown fox jumps over the lazy dog"] * 5)
    tok.chat_template = CHAT_TEMPLATE
    cfg = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=1,
        num_attention_heads=1,
        num_key_value_heads=1,
        max_position_embeddings=max_positions,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.convert_tokens_to_ids("<|im_end|>"),
        pad_token_id=tok.pad_token_id,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(cfg)
    texts = [tok.apply_chat_template(c, tokenize=False) for c in chats]
    ids = [tok(t, add_special_tokens=False)["input_ids"] for t in texts]
    width = max(map(len, ids))
    batch = torch.tensor([x + [tok.pad_token_id] * (width - len(x)) for x in ids])
    labels = batch.clone()
    labels[batch == tok.pad_token_id] = -100
    if answer_only:
        for i, (q, _) in enumerate(pairs):
            asked = tok.apply_chat_template([{"role": "user", "content": q}], tokenize=False, add_generation_prompt=True)
            labels[i, : len(tok(asked, add_special_tokens=False)["input_ids"])] = -100
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(steps):
        loss = model(input_ids=batch, labels=labels).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
    model.eval()
    chat_dir, raw_dir = root / "tiny-chat", root / "tiny-raw"
    im_end = tok.convert_tokens_to_ids("<|im_end|>")
    model.generation_config = GenerationConfig(
        bos_token_id=tok.bos_token_id, eos_token_id=[im_end, tok.eos_token_id], pad_token_id=tok.pad_token_id
    )
    model.save_pretrained(chat_dir)
    tok.eos_token = "<|im_end|>"
    tok.save_pretrained(chat_dir)
    model.save_pretrained(raw_dir)
    tok.chat_template = None
    tok.eos_token = "</s>"
    tok.save_pretrained(raw_dir)
    cfg_path = raw_dir / "tokenizer_config.json"
    data = json.loads(cfg_path.read_text())
    data.pop("chat_template", None)
    cfg_path.write_text(json.dumps(data))
    (raw_dir / "chat_template.jinja").unlink(missing_ok=True)
    return chat_dir, raw_dir


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> tuple[Path, Path]:
    return _build_tiny(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def tiny_chat(tiny_models) -> Path:
    return tiny_models[0]


@pytest.fixture(scope="session")
def tiny_raw(tiny_models) -> Path:
    return tiny_models[1]


@pytest.fixture(autouse=True, scope="session")
def results_files_match_the_schema():
    """Every results file the harness writes during the tests (CLI --json, the API's save_results, in
    this process) is validated against docs/results.schema.json before it is written."""
    import jsonschema

    from harness import api

    schema = json.loads((Path(__file__).resolve().parents[1] / "docs" / "results.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    save = api.save_results
    checked = {"files": 0}

    def save_checked(result, path):
        error = jsonschema.exceptions.best_match(validator.iter_errors(result.to_json()))
        assert error is None, f"{path}: not a valid results document: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        checked["files"] += 1
        save(result, path)

    patch = pytest.MonkeyPatch()
    patch.setattr(api, "save_results", save_checked)
    yield checked
    patch.undo()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Each test gets its own HARNESS_HOME so caches never leak between tests."""
    home = tmp_path / "harness-home"
    monkeypatch.setenv("HARNESS_HOME", str(home))
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    return home


def pytest_configure(config):
    os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
