"""Checks on what an answer does: directness (preamble, executes, answer_first, concise), structural and
Chinese format checks, coherence across turns (follow_up, consistency), correctness variants (exact,
contains, F1)."""

from __future__ import annotations

import pytest
from helpers import make_case

from harness.config import ScoringConfig
from harness.records import FINISH_LENGTH, Check
from harness.scorers import REGISTRY
from harness.scorers.coherence import score_coherence, stated_facts
from harness.scorers.correctness import match_contains, match_exact, score_correctness, token_f1
from harness.scorers.directness import score_directness


def d(*a, **k) -> dict[str, Check]:
    return {c.id: c for c in score_directness(*make_case(*a, **k))}


# ---------------------------------------------------------------------------------------------
# directness


@pytest.mark.parametrize(
    "prompt,answer",
    [
        ("What is the capital of France?", "This question concerns the geography and history of the world."),
        ("Which is bigger, 3 or 5?", "This is a question of logic. Questions like this train careful thinking."),
        ("法国的首都是哪里？", "这个问题涉及世界地理和历史的知识。巴黎是法国的首都。"),
        ("写一首短诗。", "这是一个常见的写作任务。诗歌是表达感情的方式。"),
        ("What is 2+2?", "Question: What is 2+2?\nAnswer: 4"),
    ],
)
def test_preamble_fails(prompt, answer):
    c = d(prompt, answer)["directness:preamble"]
    assert not c.passed and ("meta-talk" in c.reason or "scaffolding" in c.reason)


@pytest.mark.parametrize(
    "prompt,answer",
    [
        ("What is the capital of France?", "Paris is the capital of France."),
        ("Tell me about questions in linguistics.", "Questions are sentences that ask for information."),
        ("法国的首都是哪里？", "巴黎。"),
        ("Write a letter.", "Sure! Here is a letter:\nDear Tom,\nHi.\nBest,\nAmy"),
    ],
)
def test_preamble_passes(prompt, answer):
    assert d(prompt, answer)["directness:preamble"].passed


@pytest.mark.parametrize(
    "prompt,answer,ok",
    [
        ("Write a thank-you letter to my teacher.", "A thank-you letter is a short and polite way to show that you are grateful.", False),
        ("Write a thank-you letter to my teacher.", "Dear Ms. Lee,\n\nThank you for everything.\n\nBest regards,\nTom", True),
        ("Write an email to my boss asking for Friday off.", "Here are some tips for writing an email to your boss: be polite.", False),
        ("帮我写一封感谢信给王老师。", "感谢信是一种表达谢意的书信，语气要真诚。", False),
        ("帮我写一封感谢信给王老师。", "亲爱的王老师：\n感谢您的教导。\n此致\n敬礼", True),
        ("Write a Python function that adds two numbers.", "In Python, a function is defined with the def keyword.", False),
        ("Write a Python function that adds two numbers.", "```python\ndef add(a, b):\n    return a + b\n```", True),
        ("Write a Python function that adds two numbers.", "def add(a, b):\n    return a + b", True),
        ("Translate into Chinese: Where is the library?", "图书馆在哪里？", True),
        ("Translate into Chinese: Where is the library?", "Translating a sentence means saying the same thing in another language.", False),
        ("Summarize this text: the cat sat on the mat all day.", "A cat spent the day on a mat.", True),
        ("Summarize this text: the cat sat on the mat all day.", "To summarize a text, first find its main idea.", False),
    ],
)
def test_executes(prompt, answer, ok):
    c = d(prompt, answer)["directness:executes"]
    assert c.passed is ok, c.reason


def test_executes_only_when_asked_to_do_something():
    assert "directness:executes" not in d("What is the capital of France?", "Paris.")
    assert "directness:executes" not in d("How do I write a good email?", "Keep it short.")


def test_answer_first():
    ok = d("What is the capital of France?", "Sure! Paris is the capital.", reference="Paris")["directness:answer_first"]
    assert ok.passed and "Paris" in ok.reason
    late = d("What is the capital of France?", "France is in Europe. Its capital is Paris.", reference="Paris")
    assert not late["directness:answer_first"].passed and "sentence 2" in late["directness:answer_first"].reason
    assert "directness:answer_first" not in d("What is the capital of France?", "Lyon.", reference="Paris")
    assert d("法国的首都是哪里？", "首都是巴黎。", reference="Paris", aliases=["巴黎"])["directness:answer_first"].passed


def test_concise():
    golden = "The capital of France is Paris."
    assert d("Capital of France?", "Paris.", reference="Paris", references=[golden])["directness:concise"].passed
    long = " ".join(["Paris is lovely."] * 30)
    c = d("Capital of France?", long, reference="Paris", references=[golden])["directness:concise"]
    assert not c.passed and "golden answer's 6" in c.reason and c.value > 10
    lax = ScoringConfig(concise_min_words=200)
    assert {c.id: c for c in score_directness(*make_case("Capital of France?", long, reference="Paris"), lax)}["directness:concise"].passed
    assert "directness:concise" not in d("Hi", "Hello")


def test_directness_family_is_share_with_no_failure():
    checks = score_directness(*make_case("Write a letter to Tom.", "A letter is a written message.", finish=FINISH_LENGTH))
    failed = {c.id for c in checks if not c.passed}
    assert failed == {"directness:stopped", "directness:executes"}


# ---------------------------------------------------------------------------------------------
# format: structural and zh-aware


def fmt(answer, cid, **kwargs) -> Check:
    case, gen = make_case("prompt", answer, checks=[(cid, kwargs)])
    out = REGISTRY["format"].fn(case, gen)
    return [c for c in out if c.id == cid][0]


@pytest.mark.parametrize(
    "answer,kwargs,ok",
    [
        ("1. a\n2. b\n3. c", {"n": 3}, True),
        ("- a\n- b", {"n": 3}, False),
        ("Apple, banana and cherry.", {"n": 3}, True),
        ("苹果、香蕉和樱桃。", {"n": 3}, True),
        ("Here are three:\napple\npear\nplum", {"n": 3}, True),
        ("1. a\n2. b\n3. c\n4. d", {"min_items": 2, "max_items": 3}, False),
    ],
)
def test_list_items(answer, kwargs, ok):
    assert fmt(answer, "format:list_items", **kwargs).passed is ok


def test_table_title_sections_language():
    assert fmt("| a | b |\n|---|---|\n| 1 | 2 |", "format:table").passed
    assert not fmt("a | b\nno separator", "format:table").passed
    assert fmt("# Autumn\n\nLeaves fall.", "format:title").passed
    assert fmt("《秋》\n\n落叶纷飞。", "format:title").passed
    assert not fmt("Leaves fall slowly in the autumn wind.", "format:title").passed
    assert fmt("## One\nx\n## Two\ny", "format:sections", min_sections=2).passed
    assert fmt("一、背景\n内容\n二、方法\n内容", "format:sections", min_sections=2).passed
    assert fmt("图书馆在哪里？", "format:language", lang="zh").passed
    assert not fmt("Where is the library?", "format:language", lang="zh").passed
    assert not fmt("x", "format:language", lang="fr").passed  # bad kwarg, reported


def test_zh_punctuation_and_lengths():
    assert not fmt("你好,世界!", "format:zh_punctuation").passed
    assert fmt("你好，世界！版本3.14发布了。", "format:zh_punctuation").passed
    assert fmt("Hello, world!", "format:zh_punctuation").passed
    assert fmt("春眠不觉晓", "format:min_chars", limit=5).passed
    assert not fmt("one two", "format:min_words", limit=3).passed
    assert fmt("One. Two.", "format:max_sentences", limit=2).passed
    assert not fmt("One. Two. Three.", "format:max_sentences", limit=2).passed


def test_json_schema():
    schema = {"type": "object", "required": ["name", "tags"], "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}
    assert fmt('{"name": "a", "tags": ["x"]}', "format:json", schema=schema).passed
    c = fmt('{"name": "a", "tags": [1]}', "format:json", schema=schema)
    assert not c.passed and "$.tags[0]" in c.reason
    c = fmt('```json\n{"name": "a"}\n```', "format:json", schema=schema)
    assert not c.passed and "missing required key 'tags'" in c.reason


# ---------------------------------------------------------------------------------------------
# coherence


def test_follow_up_entities():
    checks = [("coherence:follow_up", {"entities": ["Nile", "尼罗河"]})]
    ok = score_coherence(*make_case(["Tell me about the Nile.", "How long is it?"], ["It is in Africa.", "The Nile is 6650 km long."], checks))
    assert ok[0].passed
    bad = score_coherence(*make_case(["Tell me about the Nile.", "How long is it?"], ["It is in Africa.", "I like pizza."], checks))
    assert not bad[0].passed and "drifts off the subject" in bad[0].reason
    no_kw = score_coherence(*make_case(["a b", "c d"], ["x", "y"], [("coherence:follow_up", {})]))
    assert not no_kw[0].passed and "entities" in no_kw[0].reason  # no local embedding model: said so


def test_consistency():
    answers = ["The Nile is about 6,650 km long.", "As I said, the Nile is 6,000 km long."]
    c = {x.id: x for x in score_coherence(*make_case(["How long is the Nile?", "Say it again."], answers))}
    assert not c["coherence:consistency"].passed and c["coherence:consistency"].turn == 2
    answers = ["The Nile is about 6,650 km long.", "Yes, the Nile is 6650 km long."]
    c = {x.id: x for x in score_coherence(*make_case(["How long is the Nile?", "Sure?"], answers))}
    assert c["coherence:consistency"].passed
    # the user changed the fact (gave the new number, or said "actually"): the new one is no contradiction
    answers = ["The bridge is 300 m long.", "The bridge is 350 m long."]
    for second in ("It was extended to 350 m. How long is it?", "Actually, how long is it?", "How long is it?"):
        c = {x.id: x for x in score_coherence(*make_case(["How long is the bridge?", second], answers))}
        assert c["coherence:consistency"].passed is (second != "How long is it?"), (second, c["coherence:consistency"])
    assert [v for v, _ in stated_facts("长江全长约6300公里。").values()] == [6300.0]
    assert "total" not in stated_facts("The total is 12.")  # too vague a subject to hold the model to
    c = {x.id: x for x in score_coherence(*make_case(["Hi", "Bye"], ["Hello!", "Goodbye!"]))}
    assert "coherence:consistency" not in c  # nothing checkable


# ---------------------------------------------------------------------------------------------
# correctness


def test_correctness_variants():
    assert match_exact("  Paris! ", ["paris"]) == "paris"
    assert match_exact("６，３００", ["6300"]) == "6300"
    assert match_exact("The answer is Paris.", ["Paris"]) is None
    assert match_contains("The answer is Paris.", ["Paris"]) == "Paris"
    f1, which = token_f1("巴黎是首都", ["巴黎"])
    assert which == "巴黎" and 0 < f1 < 1
    case, gen = make_case("q", "Paris.", reference="Paris")
    assert [c.id for c in score_correctness(case, gen)] == ["correctness:contains"]  # the default
    out = score_correctness(case, gen, ScoringConfig(correctness_variants=["contains", "exact", "f1"]))
    assert [c.id for c in out] == ["correctness:contains", "correctness:exact", "correctness:f1"]
    assert all(c.passed for c in out) and out[2].value == 1.0
