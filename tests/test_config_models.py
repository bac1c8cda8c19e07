from pathlib import Path

import pytest

from harness.config import HarnessConfig, load_config
from harness.errors import HarnessError
from harness.models import resolve_model


def test_load_config_models_and_run(tmp_path, tiny_chat):
    cfg_file = tmp_path / "harness.toml"
    cfg_file.write_text(
        f"""
[models.mine]
path = "{tiny_chat}"
prompt_format = "raw"
max_tokens = 7

[models.old]
path = "replay:{tmp_path / 'old.jsonl'}"

[run]
max_tokens = 33
seed = 5
"""
    )
    (tmp_path / "old.jsonl").write_text('{"id": "a", "output": "x"}\n')
    cfg = load_config(cfg_file)
    assert cfg.run.max_tokens == 33 and cfg.run.seed == 5
    spec = resolve_model("mine", cfg)
    assert spec.source == "config" and spec.path == str(tiny_chat) and spec.prompt_format == "raw"
    assert spec.max_tokens == 7
    old = resolve_model("old", cfg)
    assert old.source == "replay" and old.path.endswith("old.jsonl")


def test_config_errors_name_file_and_field(tmp_path):
    bad = tmp_path / "harness.toml"
    bad.write_text('[models.x]\nprompt_format = "auto"\n')
    with pytest.raises(HarnessError, match=r"harness.toml: \[models.x\]: field 'path' is required"):
        load_config(bad)
    bad.write_text('[models.x]\npath = "a"\nprompt_format = "fancy"\n')
    with pytest.raises(HarnessError, match="prompt_format"):
        load_config(bad)
    bad.write_text("[run]\nmax_tokenz = 3\n")
    with pytest.raises(HarnessError, match="unknown field.*max_tokenz"):
        load_config(bad)
    bad.write_text("[run\n")
    with pytest.raises(HarnessError, match="invalid TOML"):
        load_config(bad)
    with pytest.raises(HarnessError, match="not found"):
        load_config(tmp_path / "missing.toml")


def test_resolve_local_hub_replay_and_unknown(tmp_path, tiny_raw):
    cfg = HarnessConfig()
    assert resolve_model(str(tiny_raw), cfg).source == "local"
    assert resolve_model("Qwen/Qwen2.5-0.5B", cfg).source == "hub"
    with pytest.raises(HarnessError, match="replay file not found"):
        resolve_model("replay:/nope.jsonl", cfg)
    with pytest.raises(HarnessError, match="unknown model 'nonsense'"):
        resolve_model("nonsense", cfg)
    (tmp_path / "notamodel").mkdir()
    with pytest.raises(HarnessError, match="no config.json"):
        resolve_model(str(tmp_path / "notamodel"), cfg)


def test_demo_names_use_the_builder_paths():
    calls = []

    def builder():
        calls.append(1)
        return Path("/demo/base"), Path("/demo/sft")

    cfg = HarnessConfig()
    assert resolve_model("base", cfg, demo_builder=builder).path == "/demo/base"
    assert resolve_model("sft", cfg, demo_builder=builder).source == "demo"
    assert len(calls) == 2
