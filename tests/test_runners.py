import json
import os

import pytest

from harness.config import RunConfig
from harness.prompting import render_ids, render_raw, resolve_prompt_format
from harness.records import Case, ModelSpec
from harness.runners import choose_backend, run_model
from harness.runners.cache import GenerationCache, model_fingerprint

CASES = [
    Case(id="s1", category="factual", lang="en", turns=["hi"]),
    Case(id="s2", category="factual", lang="en", turns=["what is red"]),
    Case(id="m1", category="multiturn", lang="en", turns=["hi", "name a fruit", "count to three"]),
    Case(id="m2", category="multiturn", lang="en", turns=["what is red", "hi"]),
]


def spec(path, **kw):
    return ModelSpec(name="tiny", path=str(path), source="local", **kw)


def test_prompt_formats(tiny_chat, tiny_raw):
    from transformers import AutoTokenizer

    chat_tok, raw_tok = AutoTokenizer.from_pretrained(tiny_chat), AutoTokenizer.from_pretrained(tiny_raw)
    assert resolve_prompt_format(chat_tok, "auto") == ("chat", None)
    assert resolve_prompt_format(raw_tok, "auto") == ("raw", None)
    fmt, note = resolve_prompt_format(raw_tok, "chat")
    assert fmt == "raw" and "no chat template" in note
    msgs = [{"role": "user", "content": "hi"}]
    ids = render_ids(chat_tok, msgs, "chat")
    assert ids.count(chat_tok.bos_token_id) == 1 and ids[0] == chat_tok.bos_token_id
    assert chat_tok.decode(ids).endswith("<|im_start|>assistant\n")
    assert render_raw(msgs + [{"role": "assistant", "content": "yo"}]) == "hi\nyo\n"
    raw_ids = render_ids(raw_tok, msgs, "raw")
    assert raw_ids[0] == raw_tok.bos_token_id and raw_tok.decode(raw_ids[1:]) == "hi\n"


def _check_run(r, max_tokens):
    gens = r.generations
    assert set(gens) == {c.id for c in CASES}
    for c in CASES:
        assert len(gens[c.id].turns) == len(c.turns)
        for t in gens[c.id].turns:
            assert t.finish_reason in ("stop", "length")
            assert t.prompt_tokens and t.output_tokens is not None
            if t.finish_reason == "length":
                assert t.output_tokens == max_tokens
    # The briefly trained chat model answers its training prompts and stops.
    assert gens["s1"].turns[0].text == "hello there" and gens["s1"].turns[0].finish_reason == "stop"
    assert gens["s2"].turns[0].text == "red is a colour"
    # Multi-turn: the later turn's prompt is longer, because it carries the model's own answers.
    m1 = gens["m1"].turns
    assert m1[1].prompt_tokens > m1[0].prompt_tokens + m1[0].output_tokens


def test_hf_backend_single_and_multi_turn(tiny_chat):
    run = RunConfig(backend="hf", max_tokens=12, batch_size=3)
    r = run_model(spec(tiny_chat), CASES, run)
    assert r.backend == "hf" and r.prompt_format == "chat"
    assert r.generated_turns == sum(len(c.turns) for c in CASES) and r.cached_turns == 0
    _check_run(r, 12)


def test_finish_reason_length_at_cap(tiny_chat):
    r = run_model(spec(tiny_chat), CASES[1:2], RunConfig(backend="hf", max_tokens=2))
    t = r.generations["s2"].turns[0]
    assert t.finish_reason == "length" and t.output_tokens == 2


def test_cache_reuses_and_resumes(tiny_chat, isolated_home):
    run = RunConfig(backend="hf", max_tokens=12)
    first = run_model(spec(tiny_chat), CASES[:2], run)
    assert first.generated_turns == 2
    # Every case already cached: no engine load at all, same outputs.
    again = run_model(spec(tiny_chat), CASES[:2], run)
    assert again.generated_turns == 0 and again.cached_turns == 2 and again.prompt_format == "chat"
    assert again.generations["s1"].turns[0].text == first.generations["s1"].turns[0].text
    # A torn last line (killed run) is ignored; the rest still counts.
    cache_file = isolated_home / "cache" / "generations" / f"{model_fingerprint(str(tiny_chat))}.jsonl"
    with cache_file.open("a") as f:
        f.write('{"key": "abc", "output": {"te')
    assert len(GenerationCache(cache_file).entries) == 2
    # A different cap is a different request.
    other = run_model(spec(tiny_chat), CASES[:2], RunConfig(backend="hf", max_tokens=3))
    assert other.generated_turns == 2


def test_choose_backend_falls_back(monkeypatch):
    import harness.runners as runners

    monkeypatch.setattr(runners, "vllm_available", lambda: False)
    b, note = choose_backend(ModelSpec("m", "x", "local"), RunConfig(backend="vllm"))
    assert b == "hf" and "vLLM is not installed" in note
    assert choose_backend(ModelSpec("m", "r.jsonl", "replay"), RunConfig())[0] == "replay"


def test_default_backend_is_vllm_on_a_gpu_and_hf_without_one(monkeypatch):
    import harness.runners as runners

    monkeypatch.setattr(runners, "vllm_available", lambda: True)
    monkeypatch.setattr(runners, "gpu_available", lambda: False)
    b, note = choose_backend(ModelSpec("m", "x", "local"), RunConfig())
    assert b == "hf" and "no GPU" in note and "--backend vllm forces" in note
    assert choose_backend(ModelSpec("m", "x", "local"), RunConfig(backend="vllm")) == ("vllm", None)
    assert choose_backend(ModelSpec("m", "x", "local", backend="vllm"), RunConfig()) == ("vllm", None)
    monkeypatch.setattr(runners, "gpu_available", lambda: True)
    assert choose_backend(ModelSpec("m", "x", "local"), RunConfig()) == ("vllm", None)


def test_replay_backend(tmp_path):
    f = tmp_path / "out.jsonl"
    f.write_text(
        json.dumps({"id": "s1", "output": "Paris."}) + "\n" + json.dumps({"id": "zz", "output": "?"}) + "\n"
    )
    r = run_model(ModelSpec("old", str(f), "replay"), CASES[:2], RunConfig())
    assert r.backend == "replay"
    assert r.generations["s1"].turns[0].finish_reason == "unknown"
    assert "s2" not in r.generations
    assert any("no replayed output" in n for n in r.notes) and any("match no case" in n for n in r.notes)


@pytest.mark.vllm
def test_vllm_backend_matches_expectations(tiny_chat):
    r = run_model(spec(tiny_chat), CASES, RunConfig(backend="vllm", max_tokens=12))
    assert r.backend == "vllm" and r.prompt_format == "chat"
    _check_run(r, 12)
    # Greedy decoding: vLLM and transformers agree on the tiny model.
    hf = run_model(spec(tiny_chat), CASES, RunConfig(backend="hf", max_tokens=12))
    assert [g.texts for g in r.generations.values()] == [g.texts for g in hf.generations.values()]


def test_engine_stderr_goes_to_a_log_and_its_tail_shows_on_failure(capfd, isolated_home, monkeypatch):
    import subprocess
    import sys

    from harness.runners.vllm_engine import engine_stderr_to_log

    monkeypatch.delenv("VLLM_LOGGING_LEVEL", raising=False)
    with engine_stderr_to_log():
        os.write(2, b"Triton is installed, but doesn't include CPU backend.\n")
        subprocess.run([sys.executable, "-c", "import sys; sys.stderr.write('engine process notice\\n')"], check=True)
    assert "Triton" not in capfd.readouterr().err
    (log,) = (isolated_home / "logs").glob("vllm-*.log")
    assert "Triton is installed" in log.read_text() and "engine process notice" in log.read_text()

    with pytest.raises(RuntimeError, match="no engine"), engine_stderr_to_log():
        os.write(2, b"Unsupported CPU attention configuration\n")
        raise RuntimeError("no engine")
    err = capfd.readouterr().err
    assert "Unsupported CPU attention configuration" in err and "vLLM start-up log" in err

    monkeypatch.setenv("VLLM_LOGGING_LEVEL", "INFO")  # the user asked to see everything
    with engine_stderr_to_log():
        os.write(2, b"visible\n")
    assert "visible" in capfd.readouterr().err


def test_generation_dtype_keeps_a_float32_checkpoint_in_float32_on_cpu(tmp_path):
    import json as _json
    from dataclasses import replace

    from harness.errors import HarnessError
    from harness.records import ModelSpec
    from harness.runners.dtype import generation_dtype

    def model(declared):
        d = tmp_path / str(declared)
        d.mkdir(exist_ok=True)
        (d / "config.json").write_text(_json.dumps({"dtype": declared} if declared else {}))
        return ModelSpec(name="m", path=str(d), source="local")

    run = RunConfig()
    assert generation_dtype(model("float32"), run, "vllm") == "float32"  # vLLM's CPU "auto" would be bfloat16
    assert generation_dtype(model("bfloat16"), run, "vllm") == "bfloat16"
    assert generation_dtype(model("float16"), run, "vllm") == "bfloat16"
    assert generation_dtype(model(None), run, "hf") == "float32"
    assert generation_dtype(model("bfloat16"), run, "hf") == "bfloat16"
    forced = replace(run, dtype="float16")
    assert generation_dtype(model("float32"), forced, "vllm") == "float16"
    with pytest.raises(HarnessError, match="dtype"):
        generation_dtype(model("float32"), replace(run, dtype="fp8"), "hf")


def test_hf_model_load_prints_no_progress_bar_and_restores_the_setting(tiny_chat, capfd):
    from transformers.utils import logging as hf_logging

    from harness.runners.hf_engine import HFEngine

    hf_logging.enable_progress_bar()
    engine = HFEngine(spec(tiny_chat), RunConfig(backend="hf"))
    engine.close()
    assert "Loading weights" not in capfd.readouterr().err  # transformers' bar, between the runner's own lines
    assert hf_logging.is_progress_bar_enabled()  # the caller's setting is left as it was
