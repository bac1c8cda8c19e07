"""Replay of pre-generated outputs: our files, FastChat answer files, IFEval responses; matching by id
or prompt; mismatch notes and --strict; finish_reason stays unknown; compare end to end."""

import json
from pathlib import Path

import pytest
from helpers import write_jsonl
from typer.testing import CliRunner

from harness.cli import app
from harness.config import RunConfig
from harness.errors import HarnessError
from harness.records import Case, ModelSpec
from harness.runners import run_model
from harness.runners.replay import replay_generations
from harness.suites import load_suite, load_suites

DATA = Path(__file__).parent / "data" / "formats"
runner = CliRunner()

CASES = [
    Case(id="a", category="factual", lang="en", turns=["What is 2+2?"], suite="s"),
    Case(id="b", category="factual", lang="zh", turns=["一加一等于几？"], suite="s"),
    Case(id="m", category="multiturn", lang="en", turns=["My cat is Tom.", "What is my cat called?"], suite="s"),
]


def test_our_format_ids_and_turns(tmp_path):
    f = write_jsonl(
        tmp_path / "out.jsonl",
        [
            {"id": "a", "output": "4", "finish_reason": "stop"},
            {"id": "b", "output": "二"},
            {"id": "m", "turns": ["Hi Tom!", "Tom."]},
        ],
    )
    gens, notes = replay_generations(str(f), CASES)
    assert gens["a"].texts == ["4"] and gens["m"].texts == ["Hi Tom!", "Tom."]
    # Even when the file claims "stop", a replayed stop is not known.
    assert all(t.finish_reason == "unknown" for g in gens.values() for t in g.turns)
    assert notes == []


def test_fastchat_answer_files():
    suite = load_suite(f"mt-bench:{DATA / 'mt_bench_question.jsonl'}")
    gens, notes = replay_generations(str(DATA / "mt_bench_answers.jsonl"), suite, strict=True)
    assert gens["902"].texts == ["The area is 84 square metres.", "The path covers 42 square metres."]
    assert set(gens) == {"901", "902", "903"} and notes == []

    suite = load_suite(f"vicuna-bench:{DATA / 'vicuna_question.jsonl'}")
    gens, _ = replay_generations(str(DATA / "vicuna_answers_sft.jsonl"), suite, strict=True)
    assert gens["3"].texts[0].startswith("绿萝喜欢散射光")


def test_ifeval_responses_match_by_prompt():
    suite = load_suite(f"ifeval:{DATA / 'ifeval_input_data.jsonl'}")
    gens, notes = replay_generations(str(DATA / "ifeval_responses.jsonl"), suite, strict=True)
    assert set(gens) == {"5001", "5002", "5003"}
    assert gens["5003"].texts == ["It keeps you fit. It saves money."]
    assert notes == ["3 output(s) matched to their case by prompt text"]


def test_prompt_match_is_whitespace_insensitive_and_chat_rows(tmp_path):
    f = write_jsonl(
        tmp_path / "r.jsonl",
        [
            {"prompt": "  What is  2+2? ", "response": "4"},
            {
                "messages": [
                    {"role": "user", "content": "My cat is Tom."},
                    {"role": "assistant", "content": "Hi!"},
                    {"role": "user", "content": "What is my cat called?"},
                    {"role": "assistant", "content": "Tom."},
                ]
            },
        ],
    )
    gens, notes = replay_generations(str(f), CASES)
    assert gens["a"].texts == ["4"] and gens["m"].texts == ["Hi!", "Tom."]
    assert any("1 case(s) have no replayed output (first: b)" in n for n in notes)


def test_mismatches_reported_with_counts_and_first_ids(tmp_path):
    f = write_jsonl(
        tmp_path / "r.jsonl",
        [
            {"id": "a", "output": "4"},
            {"id": "a", "output": "four"},
            {"id": "zz1", "output": "?"},
            {"id": "zz2", "output": "?"},
            {"id": "m", "turns": ["only one turn"]},
            {"id": "b", "turns": ["二", "extra"]},
            "{torn line",
            {"id": "c", "output": None},
        ],
    )
    gens, notes = replay_generations(str(f), CASES)
    assert gens["a"].texts == ["4"]  # the first of the duplicates is kept
    assert gens["b"].texts == ["二"]  # extra turns ignored
    assert "m" not in gens  # fewer turns than the case: left out, not scored against the wrong turn
    text = "\n".join(notes)
    assert "2 replayed output(s) match no case (first: zz1, zz2)" in text
    assert "1 duplicate replayed output(s) ignored, the first kept (first: a)" in text
    assert "1 case(s) have fewer replayed turns than user turns and are left out (first: m)" in text
    assert "1 replayed output(s) have more turns than their case; extra turns ignored (first: b)" in text
    assert f"2 line(s) of {f} skipped (first: {f}:7: not valid JSON" in text
    assert f"{f}:8: field 'output': must be a string, got NoneType" in text
    with pytest.raises(HarnessError, match=r"does not match the suite \(--strict\).*match no case"):
        replay_generations(str(f), CASES, strict=True)


def test_many_missing_ids_are_cut_short(tmp_path):
    cases = [Case(id=f"q{i}", category="f", lang="en", turns=[f"question {i}"]) for i in range(20)]
    f = write_jsonl(tmp_path / "r.jsonl", [{"id": "q0", "output": "x"}])
    _, notes = replay_generations(str(f), cases)
    assert notes == ["19 case(s) have no replayed output (first: q1, q2, q3, q4, q5 …)"]


def test_nothing_matches_is_an_error(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", [{"id": "x1", "output": "?"}])
    with pytest.raises(HarnessError, match=r"none of its 1 output\(s\) match a case.*right --suite"):
        replay_generations(str(f), CASES)
    q = write_jsonl(tmp_path / "q.jsonl", [{"question_id": 1, "text": "a question", "category": "generic"}])
    with pytest.raises(HarnessError, match=r"q.jsonl:1: field 'text': this looks like a FastChat question file"):
        replay_generations(str(q), CASES)


def test_renamed_ids_still_match(tmp_path):
    one = write_jsonl(tmp_path / "one.jsonl", [{"id": "a", "category": "f", "lang": "en", "turns": ["x"]}])
    two = write_jsonl(tmp_path / "two.jsonl", [{"id": "a", "category": "f", "lang": "en", "turns": ["y"]}])
    cases = load_suites([str(one), str(two)])
    assert [c.id for c in cases] == ["a", "two/a"]
    out = write_jsonl(tmp_path / "r.jsonl", [{"id": "a", "output": "ok"}, {"id": "two/a", "output": "ok2"}])
    gens, _ = replay_generations(str(out), cases)
    assert gens["a"].texts == ["ok"] and gens["two/a"].texts == ["ok2"]


def test_strict_threads_through_run_config(tmp_path):
    f = write_jsonl(tmp_path / "r.jsonl", [{"id": "a", "output": "4"}])
    spec = ModelSpec("old", str(f), "replay")
    r = run_model(spec, CASES, RunConfig())
    assert r.backend == "replay" and set(r.generations) == {"a"} and r.notes
    with pytest.raises(HarnessError, match="--strict"):
        run_model(spec, CASES, RunConfig(replay_strict=True))


def test_compare_replay_vicuna_end_to_end(tmp_path):
    out = tmp_path / "res.json"
    args = [
        "--no-color",
        "compare",
        f"replay:{DATA / 'vicuna_answers_base.jsonl'}",
        f"replay:{DATA / 'vicuna_answers_sft.jsonl'}",
        "--suite",
        f"vicuna-bench:{DATA / 'vicuna_question.jsonl'}",
        "--json",
        str(out),
        "--strict",
        "--detail",
    ]
    res = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["n_cases"] == 4 and data["models"]["base"]["backend"] == "replay"
    assert all(c["base"]["finish_reasons"] == ["unknown"] for c in data["cases"])
    rows = {(r["name"], r["category"]): r for r in data["metrics"] if r.get("lang", "all") == "all"}
    # The failure modes that differ: the base echoes and continues, the SFT model does not.
    echo = rows[("directness:echo", "all")]
    assert echo["base"] == 0.0 and echo["sft"] == 1.0 and sorted(echo["fixes"]) == ["1", "2", "3", "4"]
    assert rows[("directness:continuation", "all")]["sft"] == 1.0
    assert "echo" in res.output and "continuation" in res.output


def test_compare_strict_fails_on_mismatch(tmp_path):
    partial = write_jsonl(tmp_path / "partial.jsonl", [{"question_id": 1, "text": "An answer.", "answer_id": "x"}])
    args = [
        "compare",
        f"replay:{DATA / 'vicuna_answers_base.jsonl'}",
        f"replay:{partial}",
        "--suite",
        f"vicuna-bench:{DATA / 'vicuna_question.jsonl'}",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    assert "3 case(s) have no replayed output" in res.output
    res = runner.invoke(app, [*args, "--strict"])
    assert res.exit_code == 2 and "--strict" in res.output and "Traceback" not in res.output


def test_run_accepts_strict_and_public_suite(tmp_path):
    res = runner.invoke(
        app,
        [
            "run",
            f"replay:{DATA / 'mt_bench_answers.jsonl'}",
            "--suite",
            str(DATA / "mt_bench_question.jsonl"),
            "--strict",
            "--json",
            str(tmp_path / "run.json"),
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads((tmp_path / "run.json").read_text())
    assert data["n_cases"] == 3 and all(len(c["output"]["outputs"]) == 2 for c in data["cases"])
