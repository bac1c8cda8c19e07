"""Engine options from harness.toml ([run.engine], [models.NAME.engine] for vLLM; [run.hf], [models.NAME.hf]
for transformers): checked against vLLM's own EngineArgs, applied, recorded, and in the cache key
where they change outputs."""

import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

import harness
from harness.cli import app
from harness.engine_options import vllm_engine_keys
from harness.records import Case
from harness.runners import run_model
from reports.terminal import header

runner = CliRunner()
CASES = [Case(id="a", category="chat", lang="en", turns=["hi"]), Case(id="b", category="chat", lang="en", turns=["name a fruit"])]


def _toml(tmp_path, text):
    p = tmp_path / "harness.toml"
    p.write_text(text)
    return p


def test_vllm_keys_come_from_its_own_engine_args():
    keys = vllm_engine_keys()
    assert {"tensor_parallel_size", "gpu_memory_utilization", "max_model_len", "enable_prefix_caching"} <= keys
    import dataclasses

    from vllm.engine.arg_utils import EngineArgs

    assert keys == {f.name for f in dataclasses.fields(EngineArgs)}  # read from source == imported


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[run.engine]\ntensor_paralel_size = 2\n",
         r"harness.toml: \[run.engine\]: unknown key 'tensor_paralel_size': not a vLLM engine argument .*did you mean tensor_parallel_size"),
        ("[models.x]\npath = 'x'\n[models.x.engine]\ngpu_memory_util = 0.5\n",
         r"harness.toml: \[models.x.engine\]: unknown key 'gpu_memory_util'.*gpu_memory_utilization"),
        ("[run.hf]\nattention = 'eager'\n", r"\[run.hf\]: unknown key 'attention': not a from_pretrained option"),
        ("[run.engine]\ntrust_remote_code = true\n", r"\[run.engine\]: 'trust_remote_code' runs code .*\[models.NAME.engine\]"),
        ("[run.engine]\ndtype = 'half'\n", r"\[run.engine\]: 'dtype' is set by the harness \(use \[run\] dtype"),
        ("[run]\nengine = 3\n", r"\[run.engine\]: must be a table"),
    ],
)
def test_bad_engine_options_name_the_file_table_and_key(tmp_path, text, message):
    with pytest.raises(harness.HarnessError, match=message):
        harness.load_config(_toml(tmp_path, text))


def test_per_model_options_and_trust_remote_code(tmp_path):
    cfg = harness.load_config(_toml(tmp_path, "[run.engine]\nmax_num_seqs = 8\n[models.x]\npath = 'org/model'\n"
                                              "[models.x.engine]\ntrust_remote_code = true\nmax_num_seqs = 2\n"
                                              "[models.x.hf]\ndevice_map = 'auto'\n"))
    spec = harness.resolve_models(["x"], cfg)[0]
    assert spec.engine == {"trust_remote_code": True, "max_num_seqs": 2} and spec.hf == {"device_map": "auto"}
    from harness.runners.vllm_engine import engine_settings

    got = engine_settings(spec, cfg.run)
    assert got["max_num_seqs"] == 2 and got["trust_remote_code"] is True and got["seed"] == 0  # the model's table wins
    doc = {"models": {"base": {"name": "b", "engine": {}}, "sft": {"name": "x", "engine": got}}, "suites": [], "n_cases": 0}
    con = Console(width=200, record=True)
    con.print(header(doc))
    text = con.export_text()
    assert "trust_remote_code is on" in text and "max_num_seqs=2" in text


def test_hf_options_apply_are_recorded_and_key_the_cache(tmp_path, tiny_chat):
    toml = _toml(tmp_path, f"[models.m]\npath = '{tiny_chat}'\n[models.m.hf]\nattn_implementation = 'eager'\n")
    cfg = harness.load_config(toml, backend="hf", max_tokens=6)
    spec = harness.resolve_models(["m"], cfg)[0]
    first = run_model(spec, CASES, cfg.run)
    assert first.engine == {"dtype": "float32", "attn_implementation": "eager"} and first.generated_turns == 2
    assert run_model(spec, CASES, cfg.run).cached_turns == 2
    spec.hf = {"attn_implementation": "sdpa"}  # changes the numerics: never served from the other's cache
    assert run_model(spec, CASES, cfg.run).generated_turns == 2
    spec.hf = {"attn_implementation": "sdpa", "low_cpu_mem_usage": True}  # speed/memory only: same key
    assert run_model(spec, CASES, cfg.run).cached_turns == 2


def test_the_command_line_takes_tp_and_records_engine_settings(tmp_path, tiny_chat):
    suite = tmp_path / "s.jsonl"
    suite.write_text('{"id": "x", "category": "chat", "lang": "en", "turns": ["hi"]}\n')
    res = runner.invoke(app, ["run", str(tiny_chat), "--suite", str(suite), "--tp", "0"])
    assert res.exit_code == 2 and "--tp must be at least 1" in res.output
    res = runner.invoke(app, ["run", str(tiny_chat), "--suite", str(suite), "--backend", "hf", "--max-tokens", "4",
                              "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "r.json").read_text())["model"]["engine"] == {"dtype": "float32"}
    cfg = harness.load_config(backend="vllm")
    with pytest.raises(harness.HarnessError, match=r"run options: engine: unknown key 'tensor_parallel'.*did you mean tensor_parallel_size"):
        harness.with_run(cfg.run, engine={"tensor_parallel": 2})


@pytest.mark.vllm
def test_vllm_engine_options_reach_the_engine(tmp_path, tiny_chat):
    toml = _toml(tmp_path, "[run.engine]\nmax_num_seqs = 4\nenable_prefix_caching = false\n")
    cfg = harness.load_config(toml, backend="vllm", max_tokens=6, engine={"max_num_seqs": 4, "enable_prefix_caching": False,
                                                                          "tensor_parallel_size": 1})
    r = run_model(harness.resolve_models([str(tiny_chat)], cfg)[0], CASES, cfg.run)
    assert r.backend == "vllm" and r.engine["max_num_seqs"] == 4 and r.engine["enable_prefix_caching"] is False
    assert r.engine["tensor_parallel_size"] == 1 and r.engine["dtype"] == "float32"
    hf = run_model(harness.resolve_models([str(tiny_chat)], cfg)[0], CASES, harness.with_run(cfg.run, backend="hf"))
    assert [g.texts for g in r.generations.values()] == [g.texts for g in hf.generations.values()]
