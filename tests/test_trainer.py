"""The SFT trainer core: chat template, label masking (what is trained), and a quick real train_sft run.

Everything runs on a tiny random Llama and a tokenizer trained in the test: no downloads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from tiny_models import ROWS, build_tiny_base
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

from trainers.chat_template import DEFAULT_CHAT_TEMPLATE, IM_END, IM_START, add_chat_template
from trainers.options import SFTOptions
from trainers.pretrain import pack
from trainers.sft import build_trainer, prepare_chat_model, train_sft


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random base model (no chat template) saved the way the pretrainer saves it."""
    return build_tiny_base(tmp_path_factory.mktemp("base"))


def _load(path: Path):
    return AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32), AutoTokenizer.from_pretrained(str(path))


def test_base_tokenizer_adds_bos_and_has_no_chat_template(base_dir: Path) -> None:
    _, tok = _load(base_dir)
    assert tok.chat_template is None
    ids = tok("hello world")["input_ids"]
    assert ids[0] == tok.bos_token_id and ids.count(tok.bos_token_id) == 1
    assert (tok.bos_token, tok.eos_token, tok.unk_token, tok.pad_token) == ("<s>", "</s>", "<unk>", "<pad>")


def test_pack_wraps_every_document_in_bos_eos(base_dir: Path) -> None:
    _, tok = _load(base_dir)
    stream = [*tok("one doc")["input_ids"], tok.eos_token_id, *tok("another doc")["input_ids"], tok.eos_token_id]
    assert stream.count(tok.bos_token_id) == 2 and len(stream) >= 12
    for seq_len in (4, 5):  # the stream cut into full blocks, in order; the remainder is dropped
        blocks = pack(["one doc", "another doc"], tok, seq_len=seq_len)
        n = len(stream) // seq_len
        assert blocks.shape == (n, seq_len) and blocks.flatten().tolist() == stream[: n * seq_len]
    full = pack(["one doc", "another doc"], tok, seq_len=1).flatten().tolist()
    assert full.count(tok.bos_token_id) == 2 and full.count(tok.eos_token_id) == 2
    assert full[0] == tok.bos_token_id and full[-1] == tok.eos_token_id


def test_add_chat_template_sets_tokens_template_and_eos(base_dir: Path) -> None:
    model, tok = _load(base_dir)
    old_eos = tok.eos_token_id
    n_before = len(tok)
    add_chat_template(model, tok)
    assert len(tok) == n_before + 2
    assert model.get_input_embeddings().weight.shape[0] == len(tok)
    assert tok.chat_template == DEFAULT_CHAT_TEMPLATE
    im_end = tok.convert_tokens_to_ids(IM_END)
    assert tok.eos_token == IM_END and model.config.eos_token_id == im_end
    assert model.generation_config.eos_token_id[0] == im_end and old_eos in model.generation_config.eos_token_id
    # the special tokens are never split
    ids = tok(f"{IM_START}user\nhi{IM_END}", add_special_tokens=False)["input_ids"]
    assert ids[0] == tok.convert_tokens_to_ids(IM_START) and ids[-1] == im_end


def test_generation_prompt_renders_bos_once(base_dir: Path) -> None:
    model, tok = _load(base_dir)
    add_chat_template(model, tok)
    text = tok.apply_chat_template(ROWS[1]["messages"][:4], add_generation_prompt=True, tokenize=False)
    assert text.startswith("<s><|im_start|>system\n") and text.endswith("<|im_start|>assistant\n")
    ids = tok(text, add_special_tokens=False)["input_ids"]
    assert ids.count(tok.bos_token_id) == 1


def _segments(ids: list[int], tok) -> list[tuple[str, int, int]]:
    """(role, start, end) of each `<|im_start|>role ... <|im_end|>` span, end inclusive of <|im_end|>."""
    start_id, end_id = tok.convert_tokens_to_ids(IM_START), tok.convert_tokens_to_ids(IM_END)
    out = []
    for i, t in enumerate(ids):
        if t == start_id:
            j = ids.index(end_id, i)
            header = tok.decode(ids[i + 1 : j])
            role = header.split("\n", 1)[0]
            out.append((role, i, j))
    return out


def test_label_audit_only_assistant_turns_and_their_im_end_are_trained(base_dir: Path, tmp_path: Path) -> None:
    """Tokenise rows exactly as SFTTrainer does and audit its labels token by token."""
    model, tok = _load(base_dir)
    prepare_chat_model(model, tok)
    trainer = build_trainer(model, tok, ROWS, str(tmp_path), SFTOptions(max_steps=1, batch_size=2))
    ds = trainer.train_dataset
    assert len(ds) == len(ROWS)
    im_end = tok.convert_tokens_to_ids(IM_END)
    for row, ex in zip(ROWS, ds, strict=True):
        ids, labels = ex["input_ids"], ex["labels"]
        assert len(ids) == len(labels)
        assert ids.count(tok.bos_token_id) == 1 and ids[0] == tok.bos_token_id
        assert labels[0] == -100  # BOS is context, never a target
        assert any(label != -100 for label in labels), "example without trained tokens"
        segs = _segments(ids, tok)
        assert [s[0] for s in segs] == [m["role"] for m in row["messages"]]
        trained = {i for i, label in enumerate(labels) if label != -100}
        expected: set[int] = set()
        for (role, s, e), msg in zip(segs, row["messages"], strict=True):
            span = set(range(s, e + 1))
            if role == "assistant":
                assert ids[e] == im_end and e in trained, "the assistant's <|im_end|> must be trained"
                # header "<|im_start|>assistant\n" is context; content + <|im_end|> are targets
                content = [i for i in range(s, e + 1) if i in trained]
                assert tok.decode([ids[i] for i in content]) == msg["content"] + IM_END
                expected |= set(content)
            else:
                assert not (span & trained), f"{role} tokens must not be trained"
        assert trained == expected, "only assistant content and its <|im_end|> are trained"
        assert all(labels[i] == ids[i] for i in trained)


def test_train_sft_saves_a_chat_model(base_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "sft"
    stats = train_sft(base_dir, ROWS * 4, out, SFTOptions(max_steps=3, batch_size=4, logging_steps=1))
    assert stats["steps"] == 3
    tok = AutoTokenizer.from_pretrained(str(out))
    assert tok.chat_template is not None and "{% generation %}" in tok.chat_template
    assert tok.eos_token == IM_END and tok.bos_token == "<s>"
    gen = GenerationConfig.from_pretrained(str(out))
    eos = gen.eos_token_id if isinstance(gen.eos_token_id, list) else [gen.eos_token_id]
    assert tok.convert_tokens_to_ids(IM_END) in eos and tok.convert_tokens_to_ids("</s>") in eos
    model = AutoModelForCausalLM.from_pretrained(str(out), dtype=torch.float32)
    assert model.get_input_embeddings().weight.shape[0] == len(tok)
    assert any(p.suffix == ".safetensors" for p in out.iterdir())
    # generation through the chat template runs and the prompt holds exactly one BOS
    text = tok.apply_chat_template([ROWS[0]["messages"][0]], add_generation_prompt=True, tokenize=False)
    ids = tok(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
    assert ids[0].tolist().count(tok.bos_token_id) == 1
    new = model.generate(ids, max_new_tokens=4, do_sample=False, pad_token_id=tok.pad_token_id)
    assert new.shape[1] > ids.shape[1]


def test_train_sft_rejects_empty_rows(base_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        train_sft(base_dir, [], tmp_path / "x")
