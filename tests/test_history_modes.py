"""--history own|golden: what turn k is conditioned on, cache keys per mode, the CLI option."""

from __future__ import annotations

import harness.runners as runners
from harness.config import RunConfig
from harness.records import Case, ModelSpec, TurnOutput


class EchoEngine:
    """Answers each conversation with a transcript of what it was given (so the test can see it)."""

    backend = "hf"
    prompt_format = "chat"
    notes: list[str] = []
    calls = 0

    def __init__(self, *a, **k):
        pass

    max_context = None

    def generate(self, conversations, max_tokens, on_done=None):
        EchoEngine.calls += len(conversations)
        outs = [
            TurnOutput(f"ANSWER[{' | '.join(m['role'][0] + ':' + m['content'] for m in conv)}]", "stop")
            for conv in conversations
        ]
        for j, out in enumerate(outs):
            if on_done:
                on_done(j, out)
        return outs

    def close(self):
        pass


def _run(monkeypatch, tmp_path, history: str, cases):
    monkeypatch.setenv("HARNESS_HOME", str(tmp_path))
    monkeypatch.setattr(runners, "open_engine", lambda spec, backend, run: EchoEngine())
    monkeypatch.setattr(runners, "choose_backend", lambda spec, run: ("hf", None))
    spec = ModelSpec(name="m", path="some/model", source="hub")
    return runners.run_model(spec, cases, RunConfig(history=history))


CASES = [
    Case(id="a", category="multiturn", lang="en", turns=["My dog is Rex.", "What is my dog called?"],
         references=["Nice to meet Rex!", "Rex."]),
    Case(id="b", category="multiturn", lang="en", turns=["Hi.", "Bye."]),  # no golden answers
]


def test_own_history_continues_after_the_models_answers(monkeypatch, tmp_path):
    r = _run(monkeypatch, tmp_path, "own", CASES)
    second = r.generations["a"].turns[1].text
    assert "a:ANSWER[u:My dog is Rex.]" in second and "Nice to meet Rex!" not in second
    assert not any("golden" in n for n in r.notes)


def test_golden_history_uses_the_references_and_its_own_cache_keys(monkeypatch, tmp_path):
    EchoEngine.calls = 0
    own = _run(monkeypatch, tmp_path, "own", CASES)
    assert EchoEngine.calls == 4
    gold = _run(monkeypatch, tmp_path, "golden", CASES)
    second = gold.generations["a"].turns[1].text
    assert "a:Nice to meet Rex!" in second and "ANSWER[u:My dog is Rex.]" not in second
    # first turns are shared requests... but keyed by mode, so golden generates its own
    assert gold.generated_turns == 4 and EchoEngine.calls == 8
    assert any("lack a golden answer" in n and "b" in n for n in gold.notes)
    again = _run(monkeypatch, tmp_path, "golden", CASES)
    assert again.cached_turns == 4 and again.generated_turns == 0
    assert own.generations["a"].turns[0].text == gold.generations["a"].turns[0].text


def test_cli_history_option_is_validated(tmp_path):
    from typer.testing import CliRunner

    from harness.cli import app

    suite = tmp_path / "s.jsonl"
    suite.write_text('{"id": "x", "category": "factual", "lang": "en", "turns": ["Hi"]}\n')
    out = tmp_path / "o.jsonl"
    out.write_text('{"id": "x", "output": "Hello."}\n')
    res = CliRunner().invoke(app, ["run", f"replay:{out}", "--suite", str(suite), "--history", "weird"])
    assert res.exit_code == 2 and "--history must be one of own, golden" in res.output
    res = CliRunner().invoke(
        app, ["run", f"replay:{out}", "--suite", str(suite), "--history", "golden", "--json", str(tmp_path / "r.json")]
    )
    assert res.exit_code == 0, res.output
    import json

    assert json.loads((tmp_path / "r.json").read_text())["settings"]["history"] == "golden"
