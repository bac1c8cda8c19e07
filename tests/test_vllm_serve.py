"""The openai backend against a real `vllm serve` of the tiny chat model, started on 127.0.0.1 by the
test and stopped by it: the served model answers the way the local backends do."""

import pytest
from serving import vllm_serve

import harness
from harness.records import Case
from harness.runners import run_model

pytestmark = [pytest.mark.vllm, pytest.mark.slow]
CASES = [
    Case(id="a", category="chat", lang="en", turns=["hi"]),
    Case(id="b", category="chat", lang="en", turns=["name a fruit"]),
    Case(id="m", category="multiturn", lang="en", turns=["what is red", "count to three"]),
]


@pytest.fixture(scope="module")
def served(tiny_chat, tmp_path_factory):
    with vllm_serve(tiny_chat, "tiny", tmp_path_factory.mktemp("serve") / "vllm-serve.log") as url:
        yield url


def test_a_served_model_answers_like_the_local_backends(served, tiny_chat):
    cfg = harness.load_config(max_tokens=12)
    served_run = run_model(harness.resolve_models([f"openai:tiny@{served}"], cfg)[0], CASES, cfg.run)
    assert served_run.backend == "openai" and served_run.prompt_format == "chat"
    local = run_model(harness.resolve_models([str(tiny_chat)], cfg)[0], CASES, harness.with_run(cfg.run, backend="hf"))
    assert {k: g.texts for k, g in served_run.generations.items()} == {k: g.texts for k, g in local.generations.items()}
    for g in served_run.generations.values():
        for t in g.turns:
            assert t.finish_reason in ("stop", "length") and t.output_tokens and t.output_tokens <= 12


def test_compare_a_served_model_from_the_command_line(served, tiny_chat, tmp_path):
    from typer.testing import CliRunner

    from harness.cli import app

    suite = tmp_path / "s.jsonl"
    suite.write_text('{"id": "x", "category": "chat", "lang": "en", "turns": ["hi"]}\n')
    res = CliRunner().invoke(app, ["compare", str(tiny_chat), f"openai:tiny@{served}", "--suite", str(suite),
                                   "--backend", "hf", "--max-tokens", "8", "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    r = harness.load_results(tmp_path / "r.json")
    assert (r.models.base.backend, r.models.sft.backend) == ("hf", "openai")
    assert r.case("x").base.outputs == r.case("x").sft.outputs  # the same weights, served or loaded
