"""Issue F: checks judged turn by turn, instructions read from later turns, back-references,
inferred recall, relevance; on hand-written conversations, passing and failing, zh and en."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.records import Case, CheckSpec, Generation, TurnOutput
from harness.scorers import REGISTRY, score_case
from harness.scorers.backref import infer_backrefs
from harness.scorers.dialogue import conversation
from harness.scorers.format import FORMAT_CHECKS
from harness.scorers.implied import implied_specs, infer
from harness.scorers.memory import recall_question, stated_values

ROOT = Path(__file__).resolve().parents[1]


def run(turns, answers, checks=(), history=None, reference=None, references=()):
    case = Case(
        id="c", category="multiturn", lang="en", turns=list(turns), reference=reference, references=list(references),
        checks=[CheckSpec(cid, kw) for cid, kw in checks],
    )
    gen = Generation("c", [TurnOutput(a, "stop") for a in answers], history=history)
    return [c for cs in score_case(case, gen).values() for c in cs]


def only(checks, cid, turn=None):
    found = [c for c in checks if c.id == cid and (turn is None or c.turn == turn)]
    assert len(found) == 1, [(c.id, c.turn, c.reason) for c in checks]
    return found[0]


def implied_ids(prompt):
    return {(i.id, json.dumps(i.kwargs, sort_keys=True, ensure_ascii=False)) for i in infer(prompt)}


# ---------------------------------------------------------------------------------------------
# every check carries its turn


def test_every_check_of_a_two_turn_case_names_its_turn():
    checks = run(["Write a haiku about rain.", "Now translate it into French."],
                 ["Soft rain on the roof\nthe garden drinks in silence\nclouds drift toward the hills",
                  "Douce pluie sur le toit\nle jardin boit en silence\nles nuages partent"])
    assert checks and all(c.turn in (1, 2) for c in checks)
    assert {c.turn for c in checks if c.id == "directness:echo"} == {1, 2}
    assert only(checks, "format:poem", 1).passed
    assert only(checks, "format:language", 2).passed


def test_case_verdict_is_the_minimum_over_turns():
    checks = run(["Hi, I'm Ana.", "What's my name?"], ["Hi Ana!", "What's my name? Who are you?"])
    echo = [c for c in checks if c.id == "directness:echo"]
    assert [c.passed for c in sorted(echo, key=lambda c: c.turn)] == [True, False]


# ---------------------------------------------------------------------------------------------
# shapes asked for by follow-ups (format family)


@pytest.mark.parametrize(
    "cid, kwargs, text, ok",
    [
        ("poem", {"lines": 5}, "There once was a cat from Peru\nWho dreamed he was eating a shoe\nHe woke with a fright\nIn the middle of night\nAnd found that his dream had come true", True),
        ("poem", {"lines": 3}, "A long prose paragraph that explains rain and clouds and all sorts of weather in many words without any line breaks at all.", False),
        ("poem", {"lines": 4}, "床前明月光，疑是地上霜。举头望明月，低头思故乡。", True),
        ("poem", {}, "秋风吹落叶，\n大雁向南飞。\n稻田一片黄，\n农人笑开颜。", True),
        ("sentence_starts", {"letter": "A"}, "Aloha from Maui. All beaches are warm. Amazing sunsets follow.", True),
        ("sentence_starts", {"letter": "A"}, "Aloha from Maui. The beaches are warm.", False),
        ("sentence_starts", {"word": "我"}, "我喜欢春天。我常去公园。我也爱读书。", True),
        ("sentence_starts", {"word": "Today", "unit": "line"}, "Today I woke early\nToday the sun rose\nTonight I sleep", False),
        ("starts_with", {"phrase": "Dear team"}, "**Dear team,**\nThe launch moves to Friday.", True),
        ("starts_with", {"phrase": "各位同学"}, "同学们好，明天放假。", False),
        ("ends_with", {"phrase": "See you soon!"}, "Thanks for coming. See you soon!", True),
        ("ends_with", {"phrase": "谢谢大家"}, "以上就是我的发言，谢谢大家！", True),
        ("ends_with", {"phrase": "谢谢大家"}, "谢谢大家，以上就是我的发言。", False),
        ("case", {"case": "upper"}, "BUY ONE, GET ONE FREE!", True),
        ("case", {"case": "lower"}, "buy one, get One free", False),
        ("language", {"lang": "fr"}, "Bonjour ! Je suis très heureux de vous rencontrer aujourd'hui.", True),
        ("language", {"lang": "fr"}, "Hello! I am very happy to meet you today, my friend.", False),
    ],
)
def test_shape_checks(cid, kwargs, text, ok):
    passed, reason, _ = FORMAT_CHECKS[cid](text, kwargs)
    assert passed is ok, reason
    assert reason


@pytest.mark.parametrize(
    "prompt, expected",
    [
        ("Rewrite your previous response. Start every sentence with the letter A.", {("format:sentence_starts", '{"letter": "A"}')}),
        ("Take your previous response and rephrase it as a limerick.", {("format:poem", '{"lines": 5}')}),
        ("把它改写成一首五言绝句。", {("format:poem", '{"lines": 4}')}),
        ("每句话都以“我”开头。", {("format:sentence_starts", '{"word": "我"}')}),
        ("以“谢谢大家”结尾。", {("format:ends_with", '{"phrase": "谢谢大家"}')}),
        ("Translate it into French.", {("format:language", '{"lang": "fr"}')}),
        ("把上面的内容翻译成日语。", {("format:language", '{"lang": "ja"}')}),
        ("Now make it all lowercase.", {("format:case", '{"case": "lower"}')}),
        ("用三句话概括一下刚才的内容。", {("format:max_sentences", '{"limit": 3}')}),
        # must not trigger: questions about a form, reported constraints, near misses
        ("What is a limerick?", set()),
        ("I started every day with a run this year.", set()),
        ("My boss always says emails should be under 50 words. Is that a good rule?", set()),
        ("我们老师要求作文不少于800字，这是不是太多了？", set()),
        ("怎么把文档翻译成英文？", set()),
    ],
)
def test_later_turn_instructions_are_read(prompt, expected):
    assert implied_ids(prompt) == expected


def test_a_rule_set_from_now_on_holds_on_every_later_turn():
    case = Case(id="p", category="m", lang="en", turns=["From now on, answer in at most two sentences.", "What is a comet?", "Why is the sky blue?"])
    specs = [(cid, kw["turn"]) for cid, kw, _ in implied_specs(case)]
    assert specs == [("format:max_sentences", 1), ("format:max_sentences", 2), ("format:max_sentences", 3)]
    checks = run(case.turns, ["OK.", "A comet is ice and dust. It glows near the Sun.", "Air scatters blue light. So we see blue. Every day."])
    assert [c.passed for c in sorted((c for c in checks if c.id == "format:max_sentences"), key=lambda c: c.turn)] == [True, True, False]


# ---------------------------------------------------------------------------------------------
# back-references: builds_on, shorter, longer, drops, keeps, follow_up

STORY = ("Mia found a lost kitten in the rain behind the bakery. She carried it home, dried its fur with a towel, "
         "and named it Pepper. The next morning Pepper followed her to school and the whole class cheered.")


def test_builds_on_passes_a_rework_and_fails_an_answer_that_ignores_it():
    turns = ["Write a short story about a girl and a kitten.", "Make it shorter."]
    good = run(turns, [STORY, "Mia rescued a kitten in the rain, named it Pepper, and it followed her to school."])
    assert only(good, "coherence:builds_on", 2).passed and only(good, "coherence:shorter", 2).passed
    bad = run(turns, [STORY, "The stock market rose sharply today as investors welcomed strong quarterly earnings reports."])
    assert not only(bad, "coherence:builds_on", 2).passed
    assert "ignores" in only(bad, "coherence:builds_on", 2).reason


def test_builds_on_fails_a_verbatim_copy_when_a_change_was_asked():
    checks = run(["Write a short story about a girl and a kitten.", "Rewrite your previous response in the past perfect."], [STORY, STORY])
    c = only(checks, "coherence:builds_on", 2)
    assert not c.passed and "verbatim" in c.reason


def test_capital_letters_are_a_change_not_a_copy():
    checks = run(["Give me a slogan for a bakery.", "Rewrite it in all capital letters."],
                 ["Fresh bread, warm hearts, every single morning.", "FRESH BREAD, WARM HEARTS, EVERY SINGLE MORNING."])
    assert only(checks, "format:case", 2).passed
    assert all(c.passed for c in checks if c.id == "coherence:builds_on")


def test_zh_rework_shorter_and_longer():
    poem = "春风吹绿了田野，桃花开满了山坡，燕子从南方飞回来，孩子们在草地上放风筝，笑声传得很远很远。"
    checks = run(["写一段描写春天的文字。", "把上面的内容缩短到30字以内。"], [poem, "春风绿田野，桃花满山坡，燕子归来，孩子放风筝。"])
    assert only(checks, "coherence:builds_on", 2).passed
    assert only(checks, "coherence:shorter", 2).passed
    assert only(checks, "format:max_chars", 2).passed
    longer = run(["写一段描写春天的文字。", "再详细一点，扩写一下。"], [poem, "春风吹绿田野。"])
    assert not only(longer, "coherence:longer", 2).passed


def test_drops_and_keeps():
    turns = ["Write a tagline for Lotus Flow yoga studio.", "Remove the word 'very' but keep the name 'Lotus Flow'."]
    ok = run(turns, ["Lotus Flow: a very calm place to breathe.", "Lotus Flow: a calm place to breathe."])
    assert only(ok, "coherence:drops", 2).passed and only(ok, "coherence:keeps", 2).passed
    bad = run(turns, ["Lotus Flow: a very calm place to breathe.", "A very calm place to breathe."])
    assert not only(bad, "coherence:drops", 2).passed and not only(bad, "coherence:keeps", 2).passed
    zh = run(["写一句关于加班的吐槽。", "删掉“加班”和“996”这两个词。"], ["加班到深夜，996把我累坏了。", "又到深夜，我累坏了。"])
    assert only(zh, "coherence:drops", 2).passed


def test_golden_history_judges_against_the_answer_the_model_was_shown():
    turns = ["Write a short story about a girl and a kitten.", "Make it shorter."]
    own_story = "The stock market rose sharply today as investors welcomed strong quarterly earnings and reports."
    second = "Mia rescued a kitten in the rain, named it Pepper, and it followed her to school."
    own = run(turns, [own_story, second])
    assert not only(own, "coherence:builds_on", 2).passed  # against its own (unrelated) first answer
    golden = run(turns, [own_story, second], history=[STORY, second], references=[STORY, None])
    assert only(golden, "coherence:builds_on", 2).passed  # against the golden story it was shown


def test_follow_up_on_a_turn_that_refers_back():
    code = "def lca(root, a, b):\n    # lowest common ancestor in a binary tree\n    if root is None: return None"
    turns = ["Write a function to find the lowest common ancestor of two nodes in a binary tree.", "What if it is not a binary tree?"]
    ok = run(turns, [code, "For a general tree, visit each child node recursively and return the common ancestor when both nodes are found below it."])
    assert only(ok, "coherence:follow_up", 2).passed
    bad = run(turns, [code, "Bananas are rich in potassium and make a quick healthy snack before running or cycling."])
    assert not only(bad, "coherence:follow_up", 2).passed


def test_declared_clarifies():
    checks = run(["I need help.", "Book me a table."], ["Sure, what do you need?", "Which restaurant, and for what time?"],
                 checks=[("coherence:clarifies", {})])
    assert only(checks, "coherence:clarifies", 2).passed
    checks = run(["I need help.", "Book me a table."], ["Sure.", "Done, your table is booked."], checks=[("coherence:clarifies", {})])
    assert not only(checks, "coherence:clarifies", 2).passed


def test_backrefs_point_at_the_turn_meant():
    case = Case(id="t", category="m", lang="en",
                turns=["Write a short ad for a yoga studio.", "What does a drop-in class cost?", "Go back to the ad you wrote and shorten it."])
    gen = Generation("t", [TurnOutput("Find your balance."), TurnOutput("About 15."), TurnOutput("Balance.")])
    last = conversation(case, gen)[-1]
    assert {(i.id, i.kwargs["of" if "of" in i.kwargs else "than"]) for i in infer_backrefs(last)} == {
        ("coherence:builds_on", 1), ("coherence:shorter", 1)}


# ---------------------------------------------------------------------------------------------
# recall inferred from what the user said


@pytest.mark.parametrize(
    "turns, question, want",
    [
        (["My name is Priya and I play the violin."], "And what's my name?", "Priya"),
        (["I'm planning a trip to Lisbon in May."], "Which city did I say I'm visiting?", "Lisbon"),
        (["Please remember the number 42 for me.", "Actually, change that to 47."], "What number did I ask you to remember?", "47"),
        (["我下个月要去成都出差。", "出差需要准备些什么？"], "我要去哪个城市出差？", "成都"),
        (["我对海鲜过敏。"], "我对什么过敏？", "海鲜"),
        (["我住在深圳……不对，我上个月刚搬到广州。"], "我现在住在哪个城市？", "广州"),
    ],
)
def test_recall_is_inferred(turns, question, want):
    asked = recall_question(question, stated_values(turns))
    assert asked is not None and want in [k for ks in asked[0] for k in ks]


def test_inferred_recall_passes_and_fails():
    turns = ["我下个月要去成都出差。", "出差需要准备些什么？", "我要去哪个城市出差？"]
    assert only(run(turns, ["好的。", "带好身份证。", "你要去成都。"]), "coherence:recall", 3).passed
    c = only(run(turns, ["好的。", "带好身份证。", "你要去杭州。"]), "coherence:recall", 3)
    assert not c.passed and "成都" in c.reason
    assert recall_question("What is the capital of Peru?", stated_values(["My name is Sam."])) is None


# ---------------------------------------------------------------------------------------------
# relevance


@pytest.mark.parametrize(
    "turns, answers, ok",
    [
        (["Write a short poem about the sea."], ["The waves roll in beneath the moon,\nthe ocean hums its ancient tune."], True),
        (["Write a short poem about the sea."], ["The mountains stand so tall and proud,\ntheir peaks are hidden in the cloud,\nthe pine trees sing a quiet song."], False),
        (["帮我给奶奶写一封感谢信。"], ["亲爱的奶奶：\n谢谢您一直照顾我，我很想您。\n此致\n敬礼"], True),
        (["帮我给奶奶写一封感谢信。"], ["亲爱的小林：\n祝贺你找到了新工作！这是你努力的结果，祝你一切顺利。\n此致\n敬礼"], False),
        (["What is the capital of France?"], ["Berlin is the capital of Germany and its largest city."], False),
        (["法国的首都是哪里？"], ["德国的首都是柏林。"], False),
        (["What is the capital of Japan?", "How many people live there?"], ["Tokyo.", "Osaka has about 2.7 million residents."], False),
        (["Write a Python function that reverses a string."], ["```python\ndef reverse_string(s):\n    return s[::-1]\n```"], True),
    ],
)
def test_relevance(turns, answers, ok):
    checks = run(turns, answers)
    c = only(checks, "relevance:on_topic", len(turns))
    assert c.passed is ok, c.reason
    if not ok:
        assert "'" in c.reason  # names the term that was missing


@pytest.mark.parametrize(
    "second, answer, ok",
    [
        ("北京有什么著名的景点？", "北京有故宫、长城和天坛。", True),
        ("北京有什么著名的景点？", "巴黎有埃菲尔铁塔和卢浮宫。", False),
        ("那里有什么著名的景点？", "北京有故宫和天坛。", True),
        ("那里有什么著名的景点？", "上海有外滩和东方明珠。", False),
        ("What are the famous sights there?", "Beijing has the Forbidden City and the Temple of Heaven.", True),
        ("What are the famous sights there?", "Paris has the Eiffel Tower and the Louvre.", False),
    ],
)
def test_the_seed_chapters_follow_up_must_be_about_beijing(second, answer, ok):
    """After "the capital of China", the sights asked for are Beijing's (the seed chapter's example)."""
    first = "中国的首都是哪里？" if "京" in second or "那" in second else "What is the capital of China?"
    earlier = "中国的首都是北京。" if "哪" in first else "The capital of China is Beijing, home to more than 21 million people."
    checks = run([first, second], [earlier, answer])
    assert only(checks, "relevance:on_topic", 2).passed is ok
    if "那里" in second or "there" in second:
        assert only(checks, "coherence:follow_up", 2).passed is ok


@pytest.mark.parametrize("turns, answers", [
    (["What is the capital of France?"], ["Paris."]),  # a bare right answer need not restate the question
    (["Tell me a joke."], ["Why did the chicken cross the road? To get to the other side."]),  # no subject terms
])
def test_relevance_abstains_when_it_cannot_tell(turns, answers):
    assert not [c for c in run(turns, answers) if c.id == "relevance:on_topic"]


# ---------------------------------------------------------------------------------------------
# robustness and the data


text = st.text(alphabet=st.sampled_from(list("abc Aa XYZ?!.,:'\"“”：？！。，\n的一是了我它那里上面刚才你的回答")), max_size=120)
followups = st.sampled_from([
    "Rewrite your previous response. Start every sentence with the letter A.", "Make it shorter.", "把上面的内容翻译成英文。",
    "What's my name?", "我对什么过敏？", "Remove the word 'x' and keep 'Y'.", "What if it is not a tree?", "再详细一点。",
    "From now on, answer in one sentence.", "以“好”结尾。", "Translate it into French.",
])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=text, later=st.lists(st.one_of(followups, text), min_size=1, max_size=3), answers=st.lists(text, min_size=1, max_size=4))
def test_no_check_crashes_on_any_conversation(first, later, answers):
    turns = [first, *later]
    checks = run(turns, (answers * 4)[: len(turns)], history=(answers * 4)[: len(turns)])
    assert all(1 <= c.turn <= len(turns) and c.reason for c in checks)


@settings(max_examples=80, deadline=None)
@given(t=st.text(max_size=200))
def test_shape_checks_total(t):
    for cid, kw in [("poem", {}), ("poem", {"lines": 4}), ("sentence_starts", {"letter": "A"}), ("sentence_starts", {"word": "我", "unit": "line"}),
                    ("starts_with", {"phrase": "Dear"}), ("ends_with", {"phrase": "谢谢"}), ("case", {"case": "upper"}), ("language", {"lang": "fr"})]:
        passed, reason, _ = FORMAT_CHECKS[cid](t, kw)
        assert isinstance(passed, bool) and reason


def test_relevance_is_registered_and_documented():
    assert "relevance" in REGISTRY
    schema = (ROOT / "docs" / "results-schema.md").read_text(encoding="utf-8")
    assert '"turn": 1' in schema and "per_turn" in schema


def test_labelled_later_turn_set_numbers(monkeypatch):
    monkeypatch.syspath_prepend(ROOT / "benchmarks" / "perf")  # sys.path is restored after the test
    import followup_checks as bench

    rows = [json.loads(x) for f in bench.LABELLED for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) >= 200 and {r["lang"] for r in rows} == {"en", "zh"}
    assert sum(1 for r in rows if not r["expected"]) >= 60  # turns that must not trigger
    for split, floor_p, floor_r in (("dev", 0.97, 0.95), ("holdout", 0.88, 0.8)):
        res = bench.evaluate([r for r in rows if r["split"] == split])
        p, r, _ = bench.prf(res["tp"]["all"], res["fp"]["all"], res["fn"]["all"])
        assert p >= floor_p and r >= floor_r, (split, p, r)


def test_multiturn_suite():
    from harness.suites import load_suites

    cases = load_suites(["multiturn"])
    assert len(cases) >= 120
    assert {c.lang for c in cases} == {"en", "zh"} and all(2 <= len(c.turns) <= 5 for c in cases)
    kinds = {c.metadata.get("kind") for c in cases}
    assert {"recall", "anaphora", "follow_up", "format_persistence", "self_correction", "topic_shift",
            "self_affirmation", "clarification"} <= kinds
    # the golden answers pass the checks each case declares (they are the "good" answers)
    failing = []
    for c in cases:
        gen = Generation(c.id, [TurnOutput(r or "") for r in c.references])
        declared = {s.id for s in c.checks}
        for fam in score_case(c, gen).values():
            failing += [(c.id, x.id, x.reason) for x in fam if x.id in declared and not x.passed]
    assert not failing, failing[:5]
