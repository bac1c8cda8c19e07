"""Implied format checks: inference from prompts (en/zh), explicit wins, precision on the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.config import ScoringConfig
from harness.records import Case, CheckSpec, Generation, TurnOutput
from harness.scorers import score_case
from harness.scorers.format import score_format
from harness.scorers.implied import implied_specs, infer, parse_number, task_kind

ROOT = Path(__file__).resolve().parents[1]


def ids(prompt: str) -> dict[str, dict]:
    return {i.id: i.kwargs for i in infer(prompt)}


@pytest.mark.parametrize(
    "prompt,expected",
    [
        ("Write a Python function that reverses a string.", {"format:code_block": {"language": "python", "defines": "function"}}),
        ("写一个Python函数，计算列表的平均值。", {"format:code_block": {"language": "python", "defines": "function"}}),
        ("Write a thank-you letter to my teacher.", {"format:letter": {}}),
        ("帮我写一封感谢信。", {"format:letter": {}}),
        ("List three fruits.", {"format:list_items": {"n": 3}}),
        ("列出三种水果。", {"format:list_items": {"n": 3}}),
        ("Describe Paris in under 50 words.", {"format:max_words": {"limit": 50}}),
        ("用不超过50字介绍巴黎。", {"format:max_chars": {"limit": 50}}),
        ("请写一篇不少于500字的读后感。", {"format:min_chars": {"limit": 500}}),
        ("Explain photosynthesis in no more than 100 words.", {"format:max_words": {"limit": 100}}),
        ("Return the list of planets as JSON.", {"format:json": {}}),
        ("Compare cats and dogs in a table.", {"format:table": {}}),
        ("把这句话翻译成英文：图书馆在哪里？", {"format:language": {"lang": "en"}}),
        ("Summarize this in one sentence.", {"format:max_sentences": {"limit": 1}}),
    ],
)
def test_inference(prompt, expected):
    assert ids(prompt) == expected


@pytest.mark.parametrize(
    "prompt",
    [
        "What is the capital of France?",
        "How do I write a good email?",
        "What should a cover letter include?",
        "写邮件时要注意什么？",
        "感谢信的格式是什么？",
        "What is JSON?",
        "What is the periodic table?",
        "Plan a three-day trip to Rome.",
        "I have three cats and two dogs. How many pets do I have?",
        "Explain what a Python class is.",
        "",
    ],
)
def test_no_inference_for_questions_about_things(prompt):
    assert infer(prompt) == ()


def test_numbers():
    assert parse_number("three") == 3 and parse_number("12") == 12
    assert parse_number("三") == 3 and parse_number("二十") == 20 and parse_number("一百五十") == 150


def test_task_kind():
    assert task_kind("Write a thank-you letter to my teacher.")[0] == "letter"
    assert task_kind("Please implement binary search in Python.")[0] == "code"
    assert task_kind("Translate into Chinese: Where is the library?")[0] == "translate"
    assert task_kind("What is the capital of France?") is None


def _case(prompt: str, answer: str, checks=()):
    case = Case(id="c", category="instruction", lang="en", turns=[prompt], checks=[CheckSpec(c, k) for c, k in checks])
    return case, Generation("c", [TurnOutput(answer)])


def test_implied_checks_run_in_the_format_family_with_a_reason():
    out = score_format(*_case("Write a thank-you letter to my teacher.", "A thank-you letter is a polite way to say thanks."))
    assert [c.id for c in out] == ["format:letter"] and not out[0].passed
    assert out[0].reason.startswith("implied by 'Write a thank-you letter': ")
    out = score_format(*_case("List three fruits.", "Apple, banana and cherry."))
    assert out[0].passed and "3 inline items" in out[0].reason


def test_explicit_checks_win():
    case, gen = _case("List three fruits in under 10 words.", "1. a\n2. b\n3. c", [("format:numbered_list", {"min_items": 3})])
    assert [s[0] for s in implied_specs(case)] == ["format:max_words"]
    # IFEval ids settle the matching implied checks too
    case, gen = _case("Answer in less than 50 words.", "ok", [("length_constraints:number_words", {"num_words": 50, "relation": "less than"})])
    assert implied_specs(case) == []
    assert "format" not in score_case(case, gen)


def test_implied_checks_can_be_turned_off():
    case, gen = _case("List three fruits.", "apple")
    assert score_format(case, gen, ScoringConfig(implied_checks=False)) == []
    assert score_format(case, gen) != []  # the default infers


def test_multi_turn_implied_checks_name_their_turn():
    case = Case(id="m", category="multiturn", lang="en", turns=["Hi, I am Bob.", "Now list three fruits."])
    gen = Generation("m", [TurnOutput("Hi Bob!"), TurnOutput("1. apple\n2. pear\n3. plum")])
    out = score_format(case, gen)
    assert len(out) == 1 and out[0].passed and out[0].turn == 2 and out[0].reason.startswith("implied by")


def test_labelled_set_precision_and_recall(monkeypatch):
    """The labelled set (>= 150 prompts, en and zh): precision must stay high (it matters most)."""
    monkeypatch.syspath_prepend(ROOT / "benchmarks" / "perf")  # sys.path is restored after the test
    import implied_checks as bench

    rows = [json.loads(x) for x in (ROOT / "benchmarks" / "labelled" / "implied_prompts.jsonl").read_text().splitlines()]
    assert len(rows) >= 150 and {r["lang"] for r in rows} == {"en", "zh"}
    res = bench.evaluate(rows)
    p, r, _ = bench.prf(res["tp"]["all"], res["fp"]["all"], res["fn"]["all"])
    assert p >= 0.95 and r >= 0.85, res["errors"][:10]
