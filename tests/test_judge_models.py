"""A judge that is a real model, loaded locally (hf) and served (`vllm serve` on 127.0.0.1 through the
openai backend). The tiny judge is trained here to answer every grading prompt "Rating: [[7]]" and
every comparison "[[A]]": a position-biased judge, so the order swap must turn each of its pairwise
verdicts into a tie. Its verdicts are constant, not wise; what is tested is the plumbing."""

from __future__ import annotations

import pytest
from helpers import write_jsonl
from serving import vllm_serve
from tiny_models import build_tiny_chat
from typer.testing import CliRunner

import harness
from harness.cli import app
from harness.judge.templates import load_prompts

pytestmark = pytest.mark.slow
SUITE = [
    {"id": "a", "category": "chat", "lang": "en", "turns": ["hi"]},
    {"id": "b", "category": "chat", "lang": "en", "turns": ["name a fruit"]},
    {"id": "m", "category": "multiturn", "lang": "en", "turns": ["what is red", "count to three"]},
]


@pytest.fixture(scope="module")
def tiny_judge(tmp_path_factory):
    p = load_prompts("v1")
    pairs = []
    for q, a, other in (("hi", "hello there", "an apple"), ("what is red", "red is a colour", "one two three"),
                        ("name a fruit", "an apple", "hello there"), ("count to three", "one two three", "red is a colour")):
        pairs.append((p.single("en", [q], [], a, None).strip(), "Rating: 7"))
        pairs.append((p.pair("en", [q], [a], [other], None).strip(), "Verdict: A"))
    chat, _ = build_tiny_chat(tmp_path_factory.mktemp("judge"), pairs=pairs, max_positions=2048, answer_only=True, steps=150)
    return chat


@pytest.fixture
def suite(tmp_path):
    return write_jsonl(tmp_path / "suite.jsonl", SUITE)


def _check_constant_judge(r) -> None:
    assert r.judge.calls == 4 * 4 and r.judge.unparsed == 0 and r.judge.missing == 0
    for case in r.cases:
        for t in case.judge:
            assert (t.base.score, t.sft.score) == (7.0, 7.0)
            assert (t.pair.ab, t.pair.ba, t.pair.preference, t.pair.flipped) == ("A", "A", "tie", True)
    pw = r.judge.pairwise
    assert (pw.ties, pw.win_rate, pw.order_flips, pw.judged_turns) == (3, 0.5, 4, 4)
    score = next(m for m in r.judge.metrics if m.name == "judge:score")
    assert (score.delta, score.p_value, score.verdict) == (0.0, 1.0, "unchanged")


def test_a_local_judge_grades_every_turn_and_its_replies_are_cached(tiny_judge, tiny_raw, tiny_chat, suite, tmp_path):
    args = ["compare", str(tiny_raw), str(tiny_chat), "--suite", str(suite), "--backend", "hf", "--max-tokens", "8",
            "--judge", str(tiny_judge)]
    res = CliRunner().invoke(app, [*args, "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    r = harness.load_results(tmp_path / "r.json")
    assert r.judge.model.backend == "hf" and r.judge.generated == 16 and r.judge.cached == 0
    _check_constant_judge(r)
    res = CliRunner().invoke(app, [*args, "--json", str(tmp_path / "again.json")])
    assert res.exit_code == 0, res.output
    again = harness.load_results(tmp_path / "again.json")
    assert (again.judge.generated, again.judge.cached) == (0, 16)  # nothing asked twice
    assert [c.judge for c in again.cases] == [c.judge for c in r.cases]
    # a run of one model gets single-answer grades only
    res = CliRunner().invoke(app, ["run", str(tiny_chat), "--suite", str(suite), "--backend", "hf", "--max-tokens", "8",
                                   "--judge", str(tiny_judge), "--json", str(tmp_path / "run.json")])
    assert res.exit_code == 0, res.output
    run = harness.load_results(tmp_path / "run.json")
    assert run.judge.modes == ["single"] and run.judge.metrics[0].value == 7.0 and run.cases[0].judge[0].pair is None


@pytest.mark.vllm
def test_compare_with_a_served_judge(tiny_judge, tiny_raw, tiny_chat, suite, tmp_path):
    with vllm_serve(tiny_judge, "judge", tmp_path / "serve.log") as url:
        res = CliRunner().invoke(app, ["compare", str(tiny_raw), str(tiny_chat), "--suite", str(suite), "--backend", "hf",
                                       "--max-tokens", "8", "--judge", f"openai:judge@{url}", "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    r = harness.load_results(tmp_path / "r.json")
    assert r.judge.model.backend == "openai"
    _check_constant_judge(r)
