"""Scorers: hand-written outputs for every check both ways (en and zh), plus never-crash properties."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.config import ScoringConfig
from harness.records import FINISH_LENGTH, FINISH_STOP, FINISH_UNKNOWN, Case, Check, CheckSpec, Generation, TurnOutput
from harness.scorers import REGISTRY, family_passed, score_case
from harness.scorers import text as T
from harness.scorers.coherence import score_coherence
from harness.scorers.correctness import score_correctness
from harness.scorers.directness import echo_ratio, score_directness
from harness.scorers.format import FORMAT_CHECKS, score_format


def make(
    turns: str | list[str],
    answers: str | list[str],
    finish: str = FINISH_STOP,
    checks: list[tuple[str, dict]] | None = None,
    reference: str | None = None,
    aliases: list[str] | None = None,
    category: str = "factual",
    max_tokens: int | None = 128,
) -> tuple[Case, Generation]:
    turns = [turns] if isinstance(turns, str) else turns
    answers = [answers] if isinstance(answers, str) else answers
    case = Case(
        id="c1",
        category=category,
        lang="zh" if T.has_cjk("".join(turns)) else "en",
        turns=turns,
        reference=reference,
        aliases=aliases or [],
        checks=[CheckSpec(cid, kw) for cid, kw in (checks or [])],
    )
    gen = Generation(case_id="c1", turns=[TurnOutput(a, finish) for a in answers], max_tokens=max_tokens)
    return case, gen


def by_id(checks: list[Check]) -> dict[str, Check]:
    """One check per id, as the case's verdict: the first failing turn, else the last turn."""
    out: dict[str, Check] = {}
    for c in checks:
        if c.id not in out or out[c.id].passed:
            out[c.id] = c
    return out


def directness(*args, **kwargs) -> dict[str, Check]:
    return by_id(score_directness(*make(*args, **kwargs)))


def fmt(answer: str | list[str], cid: str, turns: str | list[str] = "prompt", **kwargs) -> Check:
    checks = score_format(*make(turns, answer, checks=[(cid, kwargs)]))
    assert len(checks) == 1
    return checks[0]


# ---------------------------------------------------------------------------------------------
# registry


def test_all_families_registered():
    assert {"directness", "format", "coherence", "correctness"} <= set(REGISTRY)
    for s in REGISTRY.values():
        assert s.help


def test_score_case_omits_families_that_do_not_apply():
    case, gen = make("What is the capital of France?", "Paris.")
    out = score_case(case, gen)
    assert set(out) == {"directness"}
    assert family_passed(out["directness"])


# ---------------------------------------------------------------------------------------------
# text helpers


def test_normalize_zh_en():
    assert T.normalize("Population: 6,300！") == "population 6300"
    assert T.normalize("ＡＢＣ　１２３") == "abc 123"
    assert T.normalize("「巴黎」。") == "巴黎"
    assert T.normalize("首都是 Paris，对吗？") == "首都是paris对吗"
    assert T.normalize("São Paulo") == "sao paulo"
    assert T.normalize("") == ""


def test_contains_respects_word_boundaries():
    assert T.contains_normalized(T.normalize("The answer is 4."), "4")
    assert not T.contains_normalized(T.normalize("The answer is 14."), "4")
    assert T.contains_normalized(T.normalize("法国的首都是巴黎Paris"), "paris")
    assert T.contains_normalized(T.normalize("首都是巴黎。"), "巴黎")


def test_sentences_tokens_counts():
    assert T.split_sentences("Pi is 3.14. Really? 你好。你是谁？") == ("Pi is 3.14.", "Really?", "你好。", "你是谁？")
    assert T.tokens("Hello, 世界 6,300") == ("hello", "世", "界", "6300")
    assert T.count_words("Hello world 你好") == 4
    assert T.count_chars(" a b\n 你好 ") == 4
    assert T.has_cjk("abc中") and not T.has_cjk("abc")
    assert T.is_question("Really?”") and T.is_question("真的吗？") and not T.is_question("Yes.")


# ---------------------------------------------------------------------------------------------
# directness:echo


@pytest.mark.parametrize(
    "prompt,answer",
    [
        ("What is the capital of France?", "The capital of France is Paris."),
        ("What is the capital of France?", "Paris."),
        ("法国的首都是哪里？", "巴黎。"),
        ("法国的首都是哪里？", "法国的首都是巴黎。"),
        ("中国最长的河流是哪条？", "中国最长的河流是长江。"),
        ("Python中的列表和元组有什么区别？", "Python中的列表和元组有以下区别：\n1. 列表可变\n2. 元组不可变"),
        ("Write a haiku about the sea.", "Here is a haiku about the sea:\nWaves crash on the shore."),
        ("你好", "你好！有什么可以帮您？"),  # too short to judge
        # said back to the user in the second person: an acknowledgement, not an echo
        ("My name is Olivia.", "Hello, your name is Olivia. Nice to meet you!"),
        ("I live in Chengdu.", "So you live in Chengdu. It sounds like a nice place."),
        ("我住在杭州。", "你住在杭州。那是一座很不错的城市。"),
    ],
)
def test_echo_passes(prompt, answer):
    c = directness(prompt, answer)["directness:echo"]
    assert c.passed, c.reason


@pytest.mark.parametrize(
    "prompt,answer",
    [
        ("What is the capital of France?", "What is the capital of France? What is the capital of Germany?"),
        ("法国的首都是哪里？", "法国的首都是哪里？德国的首都是柏林，意大利的首都是罗马…"),
        ("帮我写一封感谢信。", "帮我写一封感谢信。感谢信是一种礼貌的书信形式，用于表达感谢。"),
        ("Write a haiku about the sea.", "Q: Write a haiku about the sea.\nA: Write a haiku about the sky."),
        # the speaker's own words kept: still an echo
        ("My name is Olivia.", "My name is Olivia. I live in Paris."),
        ("我住在杭州。", "我住在杭州。我喜欢西湖。"),
    ],
)
def test_echo_fails(prompt, answer):
    c = directness(prompt, answer)["directness:echo"]
    assert not c.passed
    assert "starts by repeating" in c.reason and "% of the prompt" in c.reason
    assert c.value is not None and c.value >= 0.6


def test_echo_ratio_threshold_is_configurable():
    assert echo_ratio("What is the capital of France?", "What is the capital of France?") == 1.0
    lax = ScoringConfig(echo_min_ratio=1.01)
    assert by_id(score_directness(*make("法国的首都是哪里？", "法国的首都是哪里？德国的首都是柏林"), lax))["directness:echo"].passed
    assert not directness("法国的首都是哪里？", "法国的首都是哪里？德国的首都是柏林")["directness:echo"].passed


# ---------------------------------------------------------------------------------------------
# directness:continuation


@pytest.mark.parametrize(
    "prompt,answer",
    [
        ("What is the capital of France?", "The capital of France is Paris."),
        ("法国的首都是哪里？", "巴黎。"),
        (
            "Write a poem about the moon.",
            "The moon is bright tonight.\nWho knows where the silver goes?\nIt sails across the sky.\n"
            "And lights the quiet sea.\nThe stars keep watch.",
        ),
        ("Tell me a joke.", "Why did the chicken cross the road? To get to the other side!"),
        ("Help me with my essay.", "Could you share the topic and the length you need?"),  # asks the user
        ("Write 3 quiz questions about France.", "1. What is the capital?\n2. Which river?\n3. Who built the tower?"),
        ("给我出三道关于法国的题目。", "1. 法国的首都是哪里？\n2. 塞纳河流经哪座城市？\n3. 埃菲尔铁塔是谁建的？"),
        ("Write a function.", "```python\n# Question: what does it do?\nx = a if b else c?\n```\nDone."),
        ("Explain photosynthesis.", "## What is it?\nA process.\n## Why does it matter?\nFood.\n## Where?\nLeaves."),
        ("Define these terms.", "- User: a person using a system.\n- Question: a sentence asking for information."),
        ("1. What is 2+2?\n2. What is 3+3?", "Q1: 4\nQ2: 6"),
        ("Is Paris in France? Is Rome in Italy?", "Question 1: yes.\nQuestion 2: yes."),
        ("法国的首都是哪里？", "巴黎。还需要我介绍一下巴黎吗？"),
        ("What is the capital of France?", "Paris. Anything else?"),
        ("Translate into Chinese: Where is the library?", "图书馆在哪里？"),
        ("把这句话翻译成英文：图书馆在哪里？", "Where is the library?"),
    ],
)
def test_continuation_passes(prompt, answer):
    c = directness(prompt, answer)["directness:continuation"]
    assert c.passed, c.reason


@pytest.mark.parametrize(
    "prompt,answer,why",
    [
        ("What is 2+2?", "4\nUser: what is 3+3?", "User:"),
        ("What is 2+2?", "4. Human: and 3+3?", "Human:"),
        ("2加2等于几？", "4。\n问：3加3等于几？\n答：6", "问："),
        ("2加2等于几？", "等于4。\n用户：谢谢", "用户："),
        ("Say hi.", "Hi!\n\n### Instruction:\nSay bye.", "### Instruction"),
        ("What is the capital of France?", "Paris.\n\nQuestion: What is the capital of Germany?", "Question:"),
        ("Tell me about France.", "What is the capital of France? What is its population?", "opens with a question"),
        ("法国的首都是哪里？", "法国的首都是哪里？德国的首都是柏林，意大利的首都是罗马…", "opens with a question"),
        (
            "Tell me about France.",
            "France is in Europe.\nWhat is its capital?\nWhat is its population?\nWhat language is spoken?",
            "new questions",
        ),
    ],
)
def test_continuation_fails(prompt, answer, why):
    c = directness(prompt, answer)["directness:continuation"]
    assert not c.passed
    assert why in c.reason


# ---------------------------------------------------------------------------------------------
# directness:stopped / empty / repetition


def test_stopped():
    assert directness("Hi there, who are you?", "I am an assistant.")["directness:stopped"].passed
    run_on = "法国是一个位于欧洲西部的国家，" * 10
    c = directness("介绍一下法国。", run_on, finish=FINISH_LENGTH)["directness:stopped"]
    assert not c.passed and c.reason == "ran to the 128-token cap without stopping"
    c = directness("Tell me about France.", "France is", finish=FINISH_LENGTH, max_tokens=None)["directness:stopped"]
    assert not c.passed and "token cap" in c.reason
    assert "directness:stopped" not in directness("Tell me about France.", "France.", finish=FINISH_UNKNOWN)


def test_empty():
    for answer in ("", "   \n\t"):
        checks = directness("What is the capital of France?", answer)
        assert not checks["directness:empty"].passed
        assert all(c.passed for cid, c in checks.items() if cid != "directness:empty")
    assert directness("法国的首都是哪里？", "巴黎")["directness:empty"].passed


def test_no_generation_at_all():
    case, _ = make("Hi there friend", "x")
    checks = score_directness(case, Generation(case_id="c1", turns=[]))
    assert [c.id for c in checks] == ["directness:empty"] and not checks[0].passed


@pytest.mark.parametrize(
    "answer",
    [
        "The capital of France is Paris. It is known for the Eiffel Tower, the Louvre and its cafés, "
        "and it has been the country's capital for centuries.",
        "巴黎是法国的首都，也是法国最大的城市。它位于塞纳河畔，以埃菲尔铁塔、卢浮宫和香榭丽舍大街闻名。",
        "Yes. Yes. Yes. Yes.",  # short sentences may repeat
    ],
)
def test_repetition_passes(answer):
    c = directness("Tell me about Paris.", answer)["directness:repetition"]
    assert c.passed, c.reason


@pytest.mark.parametrize(
    "answer,why",
    [
        ("I like Paris very much and " * 20, "4-grams are repeats"),
        ("哈" * 80, "4-grams are repeats"),
        ("巴黎是法国的首都。" * 12, "4-grams are repeats"),
        (
            "Paris is lovely in spring. The food is great. Paris is lovely in spring. The museums are big. "
            "Paris is lovely in spring.",
            "appears 3 times",
        ),
    ],
)
def test_repetition_fails(answer, why):
    c = directness("Tell me about Paris.", answer, finish=FINISH_LENGTH)["directness:repetition"]
    assert not c.passed
    assert why in c.reason


def test_multi_turn_reason_names_the_turn():
    checks = directness(
        ["My name is Bob.", "What is my name?"], ["Nice to meet you, Bob!", "What is my name? What is your name?"]
    )
    c = checks["directness:echo"]
    assert not c.passed and c.turn == 2 and "repeating" in c.reason
    turns = [x.turn for x in score_directness(*make(["My name is Bob.", "What is my name?"], ["Hi Bob!", "Bob."])) if x.id == "directness:empty"]
    assert turns == [1, 2]


# ---------------------------------------------------------------------------------------------
# format


def test_format_only_with_declared_checks():
    assert score_format(*make("List fruits.", "1. apple\n2. pear")) == []


@pytest.mark.parametrize(
    "answer",
    [
        "1. Boil water\n2. Add tea\n3. Wait",
        "1) Boil water\n2) Add tea\n3) Wait",
        "1、烧水\n2、放茶叶\n3、等待",
        "一、烧水\n二、放茶叶\n三、等待",
        "（1）烧水\n（2）放茶叶\n（3）等待",
        "(1) boil (2) add tea (3) wait",
        "第一步，烧水；第二步，放茶叶；第三步，等待。",
        "Steps:\n**1.** Boil\n**2.** Add tea\n**3.** Wait",
    ],
)
def test_numbered_list_passes(answer):
    c = fmt(answer, "format:numbered_list", min_items=3)
    assert c.passed, c.reason
    assert c.reason == "3 numbered items found, 3 required"


@pytest.mark.parametrize(
    "answer",
    ["Boil water, add tea, wait.", "1. Boil water\n2. Add tea", "先烧水，再放茶叶。", "Pi is 3.14 and e is 2.71."],
)
def test_numbered_list_fails(answer):
    c = fmt(answer, "format:numbered_list", min_items=3)
    assert not c.passed and "3 required" in c.reason


def test_numbered_list_default_min_items():
    assert fmt("1. a\n2. b", "format:numbered_list").passed
    assert not fmt("1. a", "format:numbered_list").passed


def test_bullet_list():
    assert fmt("- apples\n- pears\n* plums", "format:bullet_list", min_items=3).passed
    assert fmt("• 苹果\n• 梨\n• 李子", "format:bullet_list", min_items=3).passed
    c = fmt("apples, pears\n---\n* * *", "format:bullet_list", min_items=2)
    assert not c.passed and c.reason == "0 bullet items found, 2 required"


def test_code_block():
    good = "Here you go:\n```python\ndef add(a, b):\n    return a + b\n```\nHope it helps."
    c = fmt(good, "format:code_block", language="python", defines="function")
    assert c.passed and "add()" in c.reason
    assert fmt(
        "```py\nasync def f():\n    pass\n```", "format:code_block", language="python", defines="function"
    ).passed
    assert fmt("```\nx = 1\n```", "format:code_block").passed
    assert fmt("```js\nfunction f() {}\n```", "format:code_block", language="javascript").passed
    # unclosed fence (ran into the cap) still counts when it parses
    assert fmt("```python\ndef f():\n    return 1\n", "format:code_block", language="python").passed


def test_code_block_unfenced_python_with_def_passes_noted():
    c = fmt("def add(a, b):\n    return a + b\n", "format:code_block", language="python", defines="function")
    assert c.passed and "unfenced" in c.reason
    assert fmt("def add(a, b): return a + b", "format:code_block", language="python").passed
    assert not fmt("Paris", "format:code_block", language="python").passed  # parses, but no def
    assert not fmt("Use def to define a function.", "format:code_block", language="python").passed


@pytest.mark.parametrize(
    "answer,kwargs,why",
    [
        ("```python\ndef add(a, b)\n    return a + b\n```", {"language": "python"}, "SyntaxError"),
        ("```python\nx = 1\n```", {"language": "python", "defines": "function"}, "defines no function"),
        ("```js\nfunction f() {}\n```", {"language": "python"}, "found ```javascript"),
        ("写一个加法函数：先定义函数，再返回两数之和。", {"language": "python"}, "no ```python code block"),
        (
            "```python\nimport os; os.system('rm -rf /')\n```",
            {"language": "python", "defines": "function"},
            "no function",
        ),
    ],
)
def test_code_block_fails(answer, kwargs, why):
    c = fmt(answer, "format:code_block", **kwargs)
    assert not c.passed
    assert why in c.reason


def test_code_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    answer = f"```python\nopen({str(marker)!r}, 'w').write('x')\ndef f():\n    pass\n```"
    assert fmt(answer, "format:code_block", language="python", defines="function").passed
    assert not marker.exists()


def test_max_words_and_chars():
    assert fmt("One two three four five.", "format:max_words", limit=5).passed
    c = fmt("One two three four five six.", "format:max_words", limit=5)
    assert not c.passed and c.reason == "6 words, limit 5"
    assert fmt("春眠不觉晓", "format:max_chars", limit=5).passed
    c = fmt("春眠 不觉晓，\n处处闻啼鸟。", "format:max_chars", limit=10)
    assert not c.passed and c.reason == "12 characters (whitespace excluded), limit 10"
    assert fmt("a b c", "format:max_chars", limit=3).passed


def test_letter():
    zh = "亲爱的王老师：\n\n感谢您这一年来的悉心教导。\n\n此致\n敬礼\n\n学生 小明"
    c = fmt(zh, "format:letter")
    assert c.passed and "亲爱的王老师" in c.reason and "此致" in c.reason
    assert fmt("尊敬的李经理：\n您好！\n感谢您的帮助。\n祝好\n张三", "format:letter").passed
    assert fmt("王老师：\n谢谢您！\n祝您身体健康！\n小明", "format:letter").passed
    assert fmt("Dear Ms. Lee,\n\nThank you for everything.\n\nBest regards,\nTom", "format:letter").passed
    assert fmt("**Subject: Thanks**\n\nHi John,\n\nThanks for the help.\n\nThanks,\nAmy", "format:letter").passed
    assert fmt("To whom it may concern:\nI write to...\nSincerely,\nA", "format:letter").passed


@pytest.mark.parametrize(
    "answer,why",
    [
        ("帮我写一封感谢信。感谢信是一种礼貌的书信形式，用于表达感谢。", "no salutation"),
        ("Dear Ms. Lee,\n\nThank you for everything.", "no closing"),
        ("Thank you for everything.\n\nBest regards,\nTom", "no salutation"),
        ("亲爱的王老师：\n感谢您的教导。", "no closing"),
    ],
)
def test_letter_fails(answer, why):
    c = fmt(answer, "format:letter")
    assert not c.passed and why in c.reason


def test_json():
    assert fmt('{"name": "Bob", "age": 3}', "format:json").passed
    c = fmt('Sure! Here it is:\n```json\n{"name": "Bob"}\n```', "format:json")
    assert c.passed and "```json block" in c.reason
    assert fmt("[1, 2, 3]", "format:json").passed
    c = fmt("{'name': 'Bob'}", "format:json")
    assert not c.passed and "not JSON" in c.reason
    assert not fmt("名字：小明，年龄：3", "format:json").passed
    assert not fmt("```json\n{name: 1}\n```", "format:json").passed


def test_format_unknown_id_and_bad_kwargs_fail_without_crashing():
    c = fmt("anything", "format:haiku")
    assert not c.passed and "unknown check id 'format:haiku'" in c.reason
    c = fmt("anything", "format:max_words")
    assert not c.passed and "'limit' is required" in c.reason
    c = fmt("anything", "format:max_chars", limit="many")
    assert not c.passed and "must be an integer" in c.reason
    c = fmt("anything", "format:code_block", defines="module")
    assert not c.passed and "defines" in c.reason
    case, gen = make("x", "y")
    case.checks = [CheckSpec("format:json", ["not", "a", "dict"])]  # type: ignore[arg-type]
    assert not score_format(case, gen)[0].passed


def test_format_turn_kwarg():
    turns, answers = ["List two fruits.", "Now in one line."], ["1. apple\n2. pear", "apple and pear"]
    c = score_format(*make(turns, answers, checks=[("format:numbered_list", {})]))[0]
    assert not c.passed and c.turn == 2
    c = score_format(*make(turns, answers, checks=[("format:numbered_list", {"turn": 1})]))[0]
    assert c.passed and c.turn == 1
    c = score_format(*make(turns, answers, checks=[("format:numbered_list", {"turn": 3})]))[0]
    assert not c.passed and "turn" in c.reason


def test_every_documented_format_id_is_implemented():
    assert set(FORMAT_CHECKS) == {
        "numbered_list",
        "bullet_list",
        "code_block",
        "max_words",
        "max_chars",
        "letter",
        "json",
        # added with issue B (structural, zh-aware, implied checks)
        "min_words",
        "min_chars",
        "max_sentences",
        "list_items",
        "table",
        "title",
        "sections",
        "language",
        "zh_punctuation",
        # added with issue F (what follow-up turns ask for)
        "poem",
        "sentence_starts",
        "starts_with",
        "ends_with",
        "case",
    }


# ---------------------------------------------------------------------------------------------
# coherence


def test_coherence_single_turn_does_not_apply():
    assert score_coherence(*make("Hi", "Hello", checks=[("coherence:recall", {"keywords": ["x"]})])) == []


def test_recall():
    turns = ["My name is Bob.", "I like tea.", "What's my name?"]
    case, gen = make(
        turns, ["Hi Bob!", "Nice.", "Your name is BOB."], checks=[("coherence:recall", {"keywords": ["bob"]})]
    )
    c = by_id(score_coherence(case, gen))
    assert c["coherence:recall"].passed and c["coherence:role_leak"].passed
    case, gen = make(turns, ["Hi!", "Nice.", "I don't know."], checks=[("coherence:recall", {"keywords": ["Bob"]})])
    c = by_id(score_coherence(case, gen))["coherence:recall"]
    assert not c.passed and c.reason == "mentions none of 'Bob'" and c.turn == 3


def test_recall_zh_fullwidth_and_turn():
    turns = ["我叫小明，我的学号是１２３。", "我的学号是多少？", "我叫什么？"]
    answers = ["好的，小明。", "你的学号是123。", "你叫小明。"]
    checks = [("coherence:recall", {"keywords": ["123"], "turn": 2}), ("coherence:recall", {"keywords": ["小明"]})]
    out = score_coherence(*make(turns, answers, checks=checks))
    # a stated fact ("学号是123") also brings coherence:consistency on the turns after it (passing)
    assert all(c.passed for c in out) and [c.turn for c in out if c.id == "coherence:recall"] == [2, 3]
    assert {c.id for c in out} == {"coherence:recall", "coherence:role_leak", "coherence:consistency"}
    answers[1] = "我不知道。"
    out = score_coherence(*make(turns, answers, checks=checks))
    assert not out[0].passed and out[0].turn == 2


@pytest.mark.parametrize(
    "answer,leak",
    [
        ("Your name is Bob.\nUser: thanks!", "User:"),
        ("Your name is Bob.\n\nHuman: and mine?\n\nAssistant: ...", "Human:"),
        ("你叫小明。\n用户：谢谢", "用户："),
        ("你叫小明。助手：不客气", "助手："),
        ("Bob.<|im_end|>", "<|im_end|>"),
        ("<|im_start|>assistant\nBob", "<|im_start|>"),
        ("Bob. [INST] what now? [/INST]", "[INST]"),
        ("Bob.</s>", "</s>"),
        ("Bob.\n### Response:\nok", "### Response"),
    ],
)
def test_role_leak_fails(answer, leak):
    case, gen = make(["My name is Bob.", "What's my name?"], ["Hi Bob!", answer])
    c = by_id(score_coherence(case, gen))["coherence:role_leak"]
    assert not c.passed
    assert c.turn == 2 and c.reason.startswith(f"leaks {leak!r}")


@pytest.mark.parametrize(
    "answer",
    [
        "Your name is Bob. A user asked me earlier, and the assistant role is mine.",
        "Here is code:\n```python\nname = input('User: ')\n```",
        "你叫小明。作为助手，我很乐意帮助用户。",
        "Glossary:\n- AI: artificial intelligence\n- User: a person",
    ],
)
def test_role_leak_passes(answer):
    case, gen = make(["My name is Bob.", "What's my name?"], ["Hi Bob!", answer])
    c = by_id(score_coherence(case, gen))["coherence:role_leak"]
    assert c.passed, c.reason


def test_coherence_unknown_id():
    # coherence:consistency exists since issue B: the unknown id is now a made-up one
    case, gen = make(["a b", "c d"], ["x", "y"], checks=[("coherence:telepathy", {}), ("coherence:recall", {})])
    out = by_id(score_coherence(case, gen))
    assert not out["coherence:telepathy"].passed and "unknown check id" in out["coherence:telepathy"].reason
    assert not out["coherence:recall"].passed and "keywords" in out["coherence:recall"].reason


# ---------------------------------------------------------------------------------------------
# correctness


@pytest.mark.parametrize(
    "answer,reference,aliases",
    [
        ("The capital of France is Paris.", "Paris", []),
        ("法国的首都是巴黎。", "Paris", ["巴黎"]),
        ("It is about 6,300 km long.", "6300", []),
        ("长江全长约6300公里。", "6,300", []),
        ("答案：ＡＢＣ！", "abc", []),
        ("The answer is 4.", "4", []),
        ("「巴黎」", "巴黎", []),
    ],
)
def test_contains_passes(answer, reference, aliases):
    out = score_correctness(*make("q", answer, reference=reference, aliases=aliases))
    assert len(out) == 1 and out[0].id == "correctness:contains"
    assert out[0].passed, out[0].reason


@pytest.mark.parametrize(
    "answer,reference",
    [("The answer is 14.", "4"), ("The capital is Lyon.", "Paris"), ("柏林。", "巴黎"), ("", "Paris")],
)
def test_contains_fails(answer, reference):
    c = score_correctness(*make("q", answer, reference=reference))[0]
    assert not c.passed
    assert c.reason.startswith(f"looked for {reference!r}: not found")


def test_correctness_needs_reference():
    assert score_correctness(*make("q", "a")) == []
    assert score_correctness(*make("q", "a", reference="  ")) == []


def test_correctness_uses_last_turn():
    case, gen = make(["What's 2+2?", "And 3+3?"], ["4", "6"], reference="6")
    assert score_correctness(case, gen)[0].passed
    case.reference = "4"
    assert not score_correctness(case, gen)[0].passed


# ---------------------------------------------------------------------------------------------
# never crash: any unicode, empty, 1 MB, mixed zh/en, odd specs

ALL_SPECS = [
    ("format:numbered_list", {"min_items": 2}),
    ("format:bullet_list", {}),
    ("format:code_block", {"language": "python", "defines": "function"}),
    ("format:code_block", {}),
    ("format:max_words", {"limit": 10}),
    ("format:max_chars", {"limit": 10}),
    ("format:letter", {}),
    ("format:json", {}),
    ("format:bogus", {}),
    ("coherence:recall", {"keywords": ["巴黎", "Paris"]}),
    ("coherence:recall", {"keywords": ["x"], "turn": 9}),
]


def score_everything(turns: list[str], answers: list[str], finish: str = FINISH_STOP) -> dict[str, list[Check]]:
    case, gen = make(turns, answers, finish=finish, checks=ALL_SPECS, reference="巴黎 Paris", aliases=["6,300"])
    out = score_case(case, gen)
    for checks in out.values():
        for c in checks:
            assert isinstance(c, Check) and isinstance(c.passed, bool) and c.reason
            assert c.id.split(":", 1)[0] in REGISTRY
    return out


mixed = st.text(
    alphabet=st.sampled_from(
        list("abc XYZ?!.,:：？！。，、\n\t`{}[]\"'#-*1234567890") + list("的一是了我不人在他有这中大来上国")
    ),
    max_size=200,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prompt=st.text(max_size=60),
    answer=st.text(max_size=300),
    finish=st.sampled_from([FINISH_STOP, FINISH_LENGTH, FINISH_UNKNOWN]),
)
def test_any_unicode_never_crashes(prompt, answer, finish):
    score_everything([prompt], [answer], finish)
    score_everything([prompt, answer], [answer, prompt], finish)


@settings(max_examples=150, deadline=None)
@given(turns=st.lists(mixed, min_size=1, max_size=3), answer=mixed)
def test_mixed_zh_en_never_crashes(turns, answer):
    score_everything(turns, [answer] * len(turns))


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_text_helpers_total(text):
    T.normalize(text)
    T.tokens(text)
    T.split_sentences(text)
    T.count_words(text)
    T.count_chars(text)
    T.cjk_ratio(text)
    T.strip_code_blocks(text)
    assert T.normalize(T.normalize(text)) == T.normalize(text)


def test_one_megabyte_outputs_do_not_crash():
    big_en = ("The quick brown fox jumps over the lazy dog. " * 23000)[:1_000_000]
    big_zh = ("巴黎是法国的首都，人口众多。" * 80000)[:1_000_000]
    big_code = "```python\n" + "x = [" * 50000 + "\n```"
    big_json = "[" * 200_000 + "]" * 200_000
    for big in (big_en, big_zh, big_code, big_json, "?" * 1_000_000, "\n" * 1_000_000):
        out = score_everything(["What is the capital of France?", "And again?"], ["Paris.", big], FINISH_LENGTH)
        assert not family_passed(out["directness"])


@pytest.mark.parametrize("unit", ["`", ".", "~", "-", "*", "?", "。", "（1）", "```\n", "User: ", "亲爱的", "\n"])
def test_pathological_runs_stay_linear(unit):
    """Regexes must not backtrack quadratically on long runs of one unit (these hung once)."""
    run = unit * (100_000 // len(unit))
    t0 = time.perf_counter()
    for text in (run + "x", "x" + run):
        score_everything([text[:3000], "and?"], [text, text], FINISH_LENGTH)
    assert time.perf_counter() - t0 < 60  # a quadratic regex takes hours here, linear < 1 s


def test_edge_inputs_do_not_crash():
    for answer in ["", " ", "\x00", "\ud800", "🙂" * 50, "𠀀𠀁𠀂" * 20, "```", "```python", "~~~\n", "第", "（", "1."]:
        score_everything(["", "？"], [answer, answer])
        score_everything([answer], [answer])


def test_speed_sanity():
    """Scores a batch and reports the rate. The floor is loose (machines vary, and this one may be shared):
    it catches a scorer gone pathologically slow (~85 cases/s on 2 busy cores, several hundred when idle)."""
    samples = [
        ("What is the capital of France?", "The capital of France is Paris."),
        ("法国的首都是哪里？", "法国的首都是哪里？德国的首都是柏林，意大利的首都是罗马。"),
        ("List three fruits.", "1. Apple\n2. Banana\n3. Cherry"),
    ]
    pairs = [make(p, f"{a} {i}", reference="Paris") for i, (p, a) in enumerate(samples * 300)]
    t0 = time.perf_counter()
    scored = [score_case(case, gen) for case, gen in pairs]
    rate = len(pairs) / (time.perf_counter() - t0)
    print(f"\nscorers: {rate:,.0f} cases/s")
    # the work was done: only the English answer names Paris, only the Chinese one echoes its question
    assert [family_passed(s["correctness"]) for s in scored] == [True, False, False] * 300
    assert [family_passed(s["directness"]) for s in scored[:3]] == [True, False, True]
    assert rate > 10, f"{rate:.0f} cases/s"
