"""The wired copy circuit of the demo base (trainers/copy_circuit.py): it copies before any training,
training leaves it as wired, and it survives a save and a load as a plain Llama."""

from __future__ import annotations

import pytest
import torch
from transformers import AutoModelForCausalLM

from tests.tiny_models import BASE_TEXTS
from trainers import copy_circuit
from trainers.pretrain import PretrainOptions, build_model, save_base
from trainers.tokenizer import train_tokenizer

OPTS = PretrainOptions(hidden_size=160, num_layers=2, intermediate_size=128, copy_circuit=True)


def tiny_tokenizer():
    torch.manual_seed(0)  # the model built next starts from the same weights whatever ran before
    return train_tokenizer(BASE_TEXTS, vocab_size=400, min_frequency=1)


def _repeat(tok, n: int = 30, seed: int = 0) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    seg = 10 + torch.randperm(len(tok) - 10, generator=gen)[:n]  # distinct tokens: one place to copy from
    return torch.cat([torch.tensor([tok.bos_token_id]), seg, seg])[None]


def _copied(model, ids: torch.Tensor) -> float:
    """Share of the second run's tokens that the model predicts first (greedy) from the first run."""
    n = (ids.shape[1] - 1) // 2
    with torch.no_grad():
        logits = model(ids).logits[0]
    pred = logits[n + 1:-1].argmax(-1)
    return (pred == ids[0, n + 2:]).float().mean().item()


def test_a_fresh_wired_model_copies_a_repeated_run_and_an_unwired_one_does_not():
    tok = tiny_tokenizer()
    ids = _repeat(tok)
    assert _copied(build_model(OPTS, tok).eval(), ids) > 0.9
    plain = PretrainOptions(hidden_size=128, num_layers=2, intermediate_size=128)
    assert _copied(build_model(plain, tok).eval(), ids) < 0.2


def test_the_layout_keeps_its_blocks_apart():
    layout = copy_circuit.CircuitLayout(hidden_size=160, code_dims=24)
    blocks = [layout.learned, layout.c, layout.p, layout.o]
    assert [(b.start, b.stop) for b in blocks] == [(0, 88), (88, 112), (112, 136), (136, 160)]


def test_training_moves_the_rest_and_not_the_wired_weights():
    tok = tiny_tokenizer()
    model = build_model(OPTS, tok)
    layout = copy_circuit.layout_of(model)
    freezer = copy_circuit.Freezer(model, layout)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    optim = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    ids = _repeat(tok, seed=1)
    for _ in range(3):
        model(input_ids=ids, labels=ids).loss.backward()
        optim.step()
        optim.zero_grad()
        freezer.restore()
    masks = copy_circuit.frozen_masks(model, layout)
    for name, p in model.named_parameters():
        if name in masks:
            assert torch.equal(p.detach()[masks[name]], before[name][masks[name]]), name
    moved = [n for n, p in model.named_parameters() if not torch.equal(p.detach(), before[n])]
    assert "model.layers.1.mlp.up_proj.weight" in moved and "model.embed_tokens.weight" in moved
    assert _copied(model.eval(), _repeat(tok)) > 0.9


def test_a_saved_wired_model_loads_as_llama_with_its_layout(tmp_path):
    tok = tiny_tokenizer()
    model = build_model(OPTS, tok).eval()
    save_base(model, tok, tmp_path / "m")
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path / "m").eval()
    assert loaded.config.model_type == "llama" and loaded.config.attention_bias
    assert copy_circuit.layout_of(loaded) == copy_circuit.layout_of(model)
    ids = _repeat(tok, seed=2)
    assert _copied(loaded, ids) == _copied(model, ids) > 0.9


def test_sft_of_a_wired_base_keeps_the_circuit_as_wired(tmp_path):
    """train_sft finds the layout in the config and keeps the wired entries (weight decay included)."""
    from tests.tiny_models import ROWS
    from trainers.sft import SFTOptions, train_sft

    tok = tiny_tokenizer()
    base = build_model(OPTS, tok).eval()
    save_base(base, tok, tmp_path / "base")
    train_sft(tmp_path / "base", ROWS * 4, tmp_path / "sft",
              SFTOptions(max_steps=3, batch_size=4, learning_rate=1e-2, weight_decay=0.1))
    sft = AutoModelForCausalLM.from_pretrained(tmp_path / "sft")
    layout = copy_circuit.layout_of(sft)
    assert layout == copy_circuit.layout_of(base)
    masks = copy_circuit.frozen_masks(base, layout)
    new, old = dict(sft.named_parameters()), dict(base.named_parameters())
    vocab = old["model.embed_tokens.weight"].shape[0]  # SFT adds the two chat tokens after these rows
    for name, m in masks.items():
        a, b = new[name].detach()[:vocab], old[name].detach()[:vocab]
        assert torch.equal(a[m[:vocab]], b[m[:vocab]]), name
    assert not torch.equal(new["model.layers.1.mlp.down_proj.weight"], old["model.layers.1.mlp.down_proj.weight"])


@pytest.mark.vllm
def test_vllm_runs_a_wired_model_as_transformers_does(tmp_path):
    """The wired base is a plain Llama to vLLM (attention biases, untied head, 160 wide, 2 heads of 64):
    greedy continuations match transformers', and both say back a line said before."""
    from harness.config import RunConfig
    from harness.records import Case, ModelSpec
    from harness.runners import run_model

    tok = tiny_tokenizer()
    save_base(build_model(OPTS, tok).eval(), tok, tmp_path / "m")
    line = "Rome is the capital of Italy. Dear Emma, thank you."
    cases = [Case(id="r", category="factual", lang="en", turns=[f"{line}\n{line}\n{line[:12]}"])]
    model = ModelSpec(name="m", path=str(tmp_path / "m"), source="local")
    texts = {b: run_model(model, cases, RunConfig(backend=b, max_tokens=8)).generations["r"].texts
             for b in ("vllm", "hf")}
    assert texts["vllm"] == texts["hf"]
    said = texts["hf"][0].strip()
    assert len(said) >= 12 and said in line, texts  # an untrained model can only have copied it
