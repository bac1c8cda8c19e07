"""A LoRA/PEFT adapter as a model reference: `harness compare BASE runs/sft/adapter` (the base named in the
adapter's config) or [models.NAME] path = adapter, base = model. The hf backend applies it with peft, vLLM
with its LoRA support; both answer exactly as the merged weights do."""

import json
import shutil

import pytest
import torch
from helpers import write_jsonl

import harness
from harness.records import Case
from harness.runners import run_model

CASES = [Case(id=c, category="chat", lang="en", turns=[t]) for c, t in
         (("a", "hi"), ("b", "name a fruit"), ("c", "what is red"), ("d", "count to three"))]


@pytest.fixture(scope="module")
def adapter_and_merged(tiny_chat, tmp_path_factory):
    """A LoRA adapter over the tiny chat model with non-zero weights, and the same adapter merged."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    root = tmp_path_factory.mktemp("lora")
    torch.manual_seed(1)
    model = AutoModelForCausalLM.from_pretrained(tiny_chat, dtype=torch.float32)
    peft = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "down_proj"]))
    with torch.no_grad():
        for name, p in peft.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.5)  # B starts at zero: an untrained adapter would change nothing
    adapter = root / "adapter"
    peft.save_pretrained(adapter)
    cfg = json.loads((adapter / "adapter_config.json").read_text())
    cfg["base_model_name_or_path"] = str(tiny_chat)
    (adapter / "adapter_config.json").write_text(json.dumps(cfg))
    merged = root / "merged"
    peft.merge_and_unload().save_pretrained(merged)
    AutoTokenizer.from_pretrained(tiny_chat).save_pretrained(merged)
    shutil.copy(tiny_chat / "generation_config.json", merged / "generation_config.json")
    return adapter, merged


def _texts(run):
    return {k: g.texts for k, g in run.generations.items()}


def test_an_adapter_answers_like_its_merged_weights_on_hf(adapter_and_merged, tiny_chat):
    adapter, merged = adapter_and_merged
    cfg = harness.load_config(backend="hf", max_tokens=10)
    spec = harness.resolve_models([str(adapter)], cfg)[0]
    assert (spec.path, spec.adapter, spec.source) == (str(tiny_chat), str(adapter.resolve()), "adapter")
    with_adapter = run_model(spec, CASES, cfg.run)
    base = run_model(harness.resolve_models([str(tiny_chat)], cfg)[0], CASES, cfg.run)
    assert base.generated_turns == 4 and with_adapter.generated_turns == 4  # two models: nothing shared in the cache
    assert _texts(with_adapter) == _texts(run_model(harness.resolve_models([str(merged)], cfg)[0], CASES, cfg.run))
    assert _texts(with_adapter) != _texts(base)


def test_compare_base_with_its_adapter_and_the_recorded_adapter(adapter_and_merged, tiny_chat, tmp_path):
    adapter, _ = adapter_and_merged
    r = harness.compare(str(tiny_chat), str(adapter), suites=harness.load_cases(
        [str(_suite(tmp_path))]), config=harness.load_config(backend="hf", max_tokens=8))
    assert r.models.sft.adapter == str(adapter.resolve()) and r.models.sft.path == str(tiny_chat)
    assert r.models.base.adapter is None and "adapter" not in r.to_json()["models"]["base"]


def test_adapters_from_harness_toml_and_a_base_that_does_not_fit(adapter_and_merged, tiny_chat, tmp_path):
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    adapter, _ = adapter_and_merged
    other = tmp_path / "other"
    tok = AutoTokenizer.from_pretrained(tiny_chat)
    LlamaForCausalLM(LlamaConfig(vocab_size=len(tok), hidden_size=128, intermediate_size=128, num_hidden_layers=1,
                                 num_attention_heads=2, num_key_value_heads=2)).save_pretrained(other)
    tok.save_pretrained(other)
    toml = tmp_path / "harness.toml"
    toml.write_text(f'[models.sft]\npath = "{adapter}"\nbase = "{tiny_chat}"\n'
                    f'[models.wrong]\npath = "{adapter}"\nbase = "{other}"\n'
                    f'[models.notadapter]\npath = "{tiny_chat}"\nbase = "{tiny_chat}"\n')
    cfg = harness.load_config(toml, backend="hf", max_tokens=6)
    assert harness.resolve_models(["sft"], cfg)[0].adapter == str(adapter.resolve())
    with pytest.raises(harness.HarnessError, match=r"the adapter .* does not fit the base model .*other.*set \[models.NAME\] base"):
        run_model(harness.resolve_models(["wrong"], cfg)[0], CASES[:1], cfg.run)
    with pytest.raises(harness.HarnessError, match="path must be an adapter directory"):
        harness.resolve_models(["notadapter"], cfg)
    orphan = tmp_path / "orphan"
    orphan.mkdir()
    (orphan / "adapter_config.json").write_text(json.dumps({"r": 4}))
    with pytest.raises(harness.HarnessError, match="does not name its base model"):
        harness.resolve_models([str(orphan)], cfg)


@pytest.mark.vllm
def test_vllm_serves_the_adapter_with_lora(adapter_and_merged):
    adapter, merged = adapter_and_merged
    cfg = harness.load_config(backend="vllm", max_tokens=10)
    served = run_model(harness.resolve_models([str(adapter)], cfg)[0], CASES, cfg.run)
    assert served.engine["enable_lora"] is True and served.engine["max_lora_rank"] == 8
    hf = run_model(harness.resolve_models([str(merged)], cfg)[0], CASES, harness.with_run(cfg.run, backend="hf"))
    assert _texts(served) == _texts(hf)


def _suite(tmp_path):
    return write_jsonl(tmp_path / "s.jsonl", [{"id": c.id, "category": "chat", "lang": "en", "turns": c.turns} for c in CASES])


@pytest.mark.vllm
def test_a_base_and_its_adapter_share_one_vllm_engine(adapter_and_merged, tiny_chat, tmp_path, monkeypatch):
    import harness.runners.vllm_engine as ve

    adapter, merged = adapter_and_merged
    starts = []
    real = ve.load_llm
    monkeypatch.setattr(ve, "load_llm", lambda spec, settings: starts.append(settings) or real(spec, settings))
    cfg = harness.load_config(backend="vllm", max_tokens=10)
    r = harness.compare(str(tiny_chat), str(adapter), suites=harness.load_cases([str(_suite(tmp_path))]), config=cfg)
    assert len(starts) == 1 and starts[0]["enable_lora"] is True  # one engine start for both sides
    assert any("one vLLM engine served" in n for n in r.models.sft.notes)
    hf = harness.load_config(backend="hf", max_tokens=10)
    base_hf = run_model(harness.resolve_models([str(tiny_chat)], hf)[0], CASES, hf.run)
    merged_hf = run_model(harness.resolve_models([str(merged)], hf)[0], CASES, hf.run)
    assert {c.id: c.base.outputs for c in r.cases} == _texts(base_hf)  # the base without the adapter ...
    assert {c.id: c.sft.outputs for c in r.cases} == _texts(merged_hf)  # ... and with it, from one engine
