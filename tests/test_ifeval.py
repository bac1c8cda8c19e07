"""IFEval scorer: every instruction id, strict/loose, recorded verdicts of the public implementation,
aggregates, and the end-to-end `harness run replay:… --suite ifeval:…`."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.records import Case, CheckSpec, Generation, TurnOutput
from harness.scorers import score_case
from harness.scorers.ifeval import (
    evaluate_instruction,
    ifeval_aggregates,
    ifeval_report,
    instruction_id,
    score_ifeval,
)
from harness.scorers.ifeval_instructions import (
    INSTRUCTIONS,
    count_sentences,
    count_words,
    response_variants,
    word_tokenize,
)
from reports.ifeval import ifeval_lines, ifeval_table

DATA = Path(__file__).parent / "data" / "ifeval"

IFEVAL_IDS = {
    "keywords:existence",
    "keywords:frequency",
    "keywords:forbidden_words",
    "keywords:letter_frequency",
    "language:response_language",
    "length_constraints:number_sentences",
    "length_constraints:number_paragraphs",
    "length_constraints:number_words",
    "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders",
    "detectable_content:postscript",
    "detectable_format:number_bullet_lists",
    "detectable_format:constrained_response",
    "detectable_format:number_highlighted_sections",
    "detectable_format:multiple_sections",
    "detectable_format:json_format",
    "detectable_format:title",
    "combination:two_responses",
    "combination:repeat_prompt",
    "startend:end_checker",
    "change_case:capital_word_frequency",
    "change_case:english_capital",
    "change_case:english_lowercase",
    "punctuation:no_comma",
    "startend:quotation",
}


def check(iid: str, response: str, **kwargs):
    return evaluate_instruction(iid, kwargs, response, response_variants(response))


def test_all_25_instruction_ids():
    assert set(INSTRUCTIONS) == IFEVAL_IDS


def _reference_tools():
    """benchmarks/labelled/ifeval_mutation.py, loaded by path: its `disagreements` is the comparison
    asserted below, and its mutation check runs that same comparison on broken checkers."""
    path = Path(__file__).parents[1] / "benchmarks" / "labelled" / "ifeval_mutation.py"
    spec = importlib.util.spec_from_file_location("ifeval_mutation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REFERENCE_TOOLS = _reference_tools()


@pytest.fixture(scope="module")
def reference():
    return REFERENCE_TOOLS.load_reference(DATA / "reference_verdicts.jsonl")


def test_reference_is_balanced_and_says_how_it_was_made(reference):
    """Every id followed and not followed >= 10 times, strict and loose: a checker that always answers
    the same cannot agree. The header names the generator, its seed and the official versions."""
    header, rows = reference
    assert header["generator"] == "benchmarks/labelled/ifeval_reference.py" and isinstance(header["seed"], int)
    assert header["versions"]["lm_eval"] == "0.4.13" and {"nltk", "langdetect", "python"} <= set(header["versions"])
    assert header["records"] == len(rows) >= 600
    counts = {iid: Counter() for iid in IFEVAL_IDS}
    for r in rows:
        for iid, s, lo in zip(r["instruction_id_list"], r["strict"], r["loose"], strict=True):
            counts[iid].update([("strict", s), ("loose", lo)])
    short = {iid: dict(c) for iid, c in counts.items() if min(c[(k, v)] for k in ("strict", "loose") for v in (True, False)) < 10}
    assert not short


def test_recorded_reference_verdicts_all_agree(reference):
    """Verdicts recorded from the official IFEval (lm-eval 0.4.13): we must reproduce every one."""
    _, rows = reference
    assert {iid for r in rows for iid in r["instruction_id_list"]} == IFEVAL_IDS
    bad = REFERENCE_TOOLS.disagreements(rows)
    assert not bad, bad[:5]


def test_any_checker_answering_always_false_or_always_true_breaks_the_agreement(reference):
    """The mutation check: each of the 50 mutants makes the comparison above find disagreements."""
    _, rows = reference
    table = REFERENCE_TOOLS.mutation_table(rows)
    assert set(table) == IFEVAL_IDS
    missed = [(iid, a) for iid, row in table.items() for a in ("false", "true") if row[a] == 0]
    assert not missed
    assert INSTRUCTIONS["punctuation:no_comma"]("a, b", {})[0] is False  # the real checkers are back


@pytest.mark.parametrize(
    "iid,response,kwargs,strict,loose",
    [
        ("punctuation:no_comma", "No commas here.", {}, True, True),
        ("punctuation:no_comma", "One, two.", {}, False, False),
        ("startend:quotation", 'Sure:\n"Hello."', {}, False, True),  # first line removed
        ("detectable_format:number_bullet_lists", "* a\n* b\n- c", {"num_bullets": 3}, True, True),
        ("detectable_format:number_bullet_lists", "* a\n**b**\n* c", {"num_bullets": 3}, False, False),
        ("detectable_format:title", "<<Poem of joy>>\nla la", {}, True, True),
        ("detectable_format:title", "<< >>", {}, False, False),
        ("length_constraints:number_sentences", "Really?!", {"num_sentences": 2, "relation": "at least"}, True, True),
        ("length_constraints:number_words", "one two three", {"num_words": 3, "relation": "less than"}, False, False),
        ("change_case:english_capital", "HELLO THERE, MY FRIEND.", {}, True, True),
        ("change_case:english_lowercase", "hello there, my friend.", {}, True, True),
        ("change_case:english_lowercase", "Title\nhello there, my friend, how are you today?", {}, False, True),
        ("detectable_format:json_format", '```json\n{"a": 1}\n```', {}, True, True),
        ("detectable_format:json_format", "Here:\n{'a': 1}", {}, False, False),
        ("combination:two_responses", "A\n******\nB", {}, True, True),
        ("combination:two_responses", "A\n******\nA", {}, False, False),
        ("detectable_content:postscript", "Body.\n\nP.S. Bye", {"postscript_marker": "P.S."}, True, True),
        ("detectable_content:postscript", "Body.\n\nP.P.S bye", {"postscript_marker": "P.P.S"}, True, True),
        ("detectable_format:multiple_sections", "SECTION 1\na\nSECTION 2\nb", {"section_spliter": "SECTION", "num_sections": 2}, True, True),
        ("startend:end_checker", 'Done. Peace!"', {"end_phrase": "Peace!"}, True, True),
        ("keywords:existence", "The Umbrella is red.", {"keywords": ["umbrella"]}, True, True),
        ("keywords:forbidden_words", "I love cats.", {"forbidden_words": ["cat"]}, True, True),  # \\b...\\b
        ("keywords:frequency", "tea tea Tea", {"keyword": "tea", "frequency": 3, "relation": "at least"}, True, True),
        ("keywords:letter_frequency", "banana", {"letter": "a", "let_frequency": 3, "let_relation": "less than"}, False, False),
        ("detectable_content:number_placeholders", "[name] at [address]", {"num_placeholders": 2}, True, True),
        ("detectable_format:number_highlighted_sections", "*one* and **two**", {"num_highlights": 2}, True, True),
        ("detectable_format:constrained_response", "Hmm. My answer is maybe.", {}, True, True),
        ("length_constraints:number_paragraphs", "a\n***\nb\n***\nc", {"num_paragraphs": 3}, True, True),
        ("length_constraints:number_paragraphs", "a\n***\n***\nc", {"num_paragraphs": 2}, False, False),
        (
            "length_constraints:nth_paragraph_first_word",
            "Intro here.\n\n\"Second,\" he said.",
            {"num_paragraphs": 2, "nth_paragraph": 2, "first_word": "second"},
            True,
            True,
        ),
        ("combination:repeat_prompt", "Write a poem. Roses are red.", {"prompt_to_repeat": "write a poem."}, True, True),
        ("change_case:capital_word_frequency", "AT&T and DON'T", {"capital_frequency": 4, "capital_relation": "at least"}, True, True),
        ("language:response_language", "Bonjour, je m'appelle Marie et j'habite à Paris depuis dix ans.", {"language": "fr"}, True, True),
        ("language:response_language", "Hello, my name is Marie and I have lived in Paris for ten years.", {"language": "fr"}, False, False),
        ("language:response_language", "12345 !!!", {"language": "fr"}, True, True),  # nothing detectable
    ],
)
def test_instruction_semantics(iid, response, kwargs, strict, loose):
    c = check(iid, response, **kwargs)
    assert (c.strict, c.loose) == (strict, loose), c.reason
    assert c.passed == c.strict and c.id == f"ifeval:{iid}" and c.reason


def test_counting_helpers_match_nltk_conventions():
    assert count_sentences("Dr. Smith went home. He was tired.") == 2
    assert count_sentences("Wow!!! Really?") == 2
    assert count_sentences("Wow!!!") == 2  # as NLTK: a final run of '!' leaves its last '!' alone
    assert count_sentences("A title\n\nThe body has no period") == 1  # Punkt ignores line breaks
    assert count_words("don't stop") == 3
    assert count_words("नमस्ते दोस्त") == 2  # combining marks are word characters (regex engine)
    assert word_tokenize("HELLO, \"WORLD\" AT&T DON'T stop. OK?") == [
        "HELLO", ",", "``", "WORLD", "''", "AT", "&", "T", "DO", "N'T", "stop", ".", "OK", "?",
    ]


def test_empty_response_follows_nothing_and_bad_kwargs_fail_cleanly():
    assert not check("punctuation:no_comma", "  \n").loose
    c = check("length_constraints:number_words", "x y", relation="at most", num_words=3)
    assert not c.passed and "relation" in c.reason and c.loose is False
    c = check("keywords:existence", "x")
    assert not c.passed and "keywords" in c.reason
    c = check("detectable_format:haiku", "x")
    assert not c.passed and "unknown IFEval instruction id" in c.reason


def test_instruction_id_recognition():
    assert instruction_id("punctuation:no_comma") == "punctuation:no_comma"
    assert instruction_id("ifeval:punctuation:no_comma") == "punctuation:no_comma"
    assert instruction_id("format:json") is None
    assert instruction_id("coherence:recall") is None


def _case(ids_kwargs, answer):
    case = Case(id="k", category="instruction", lang="en", turns=["prompt"], checks=[CheckSpec(i, k) for i, k in ids_kwargs])
    return case, Generation("k", [TurnOutput(answer)])


def test_scorer_family_and_other_families_untouched():
    case, gen = _case([("punctuation:no_comma", {}), ("startend:quotation", {})], 'Sure:\n"Hi there"')
    out = score_case(case, gen)
    assert [c.id for c in out["ifeval"]] == ["ifeval:punctuation:no_comma", "ifeval:startend:quotation"]
    assert "format" not in out  # IFEval ids never feed the format family
    assert score_ifeval(*_case([("format:json", {})], "{}")) == []


def test_aggregates_from_check_lists_and_results_cases():
    per_case = [
        score_ifeval(*_case([("punctuation:no_comma", {}), ("startend:quotation", {})], 'Sure:\n"Hi there"')),
        score_ifeval(*_case([("punctuation:no_comma", {})], "a, b")),
    ]
    agg = ifeval_aggregates(per_case)
    assert agg["n_prompts"] == 2 and agg["n_instructions"] == 3
    assert agg["prompt_level_strict"] == 0.0 and agg["prompt_level_loose"] == 0.5
    assert agg["inst_level_strict"] == round(1 / 3, 4) and agg["inst_level_loose"] == round(2 / 3, 4)
    assert agg["by_instruction"]["startend:quotation"] == {"n": 1, "strict": 0.0, "loose": 1.0}
    docs = [{"output": {"checks": [{**c.to_dict(), "family": "ifeval"} for c in cs]}} for cs in per_case]
    assert ifeval_aggregates(docs) == agg
    assert ifeval_aggregates([{"output": {"checks": [{"id": "format:json", "passed": True}]}}]) is None


def test_run_replay_ifeval_end_to_end(tmp_path):
    out = tmp_path / "res.json"
    res = CliRunner().invoke(
        app,
        [
            "--no-color", "run", f"replay:{DATA / 'responses.jsonl'}",
            "--suite", f"ifeval:{DATA / 'input_data.jsonl'}", "--json", str(out),
        ],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    assert "IFEval" in res.output and "81.8" in res.output  # the aggregates are in the terminal report
    doc = json.loads(out.read_text())
    checks = [c for case in doc["cases"] for c in case["output"]["checks"] if c["family"] == "ifeval"]
    assert len(checks) == 14 and all("strict" in c and "loose" in c and c["reason"] for c in checks)
    report = ifeval_report(doc)["output"]
    assert report["n_prompts"] == 11 and report["n_instructions"] == 14
    # key 8 (constrained response) fails both ways; key 11 (quotation after a preamble line) is loose only
    assert report["prompt_level_strict"] == round(9 / 11, 4)
    assert report["prompt_level_loose"] == round(10 / 11, 4)
    assert report["inst_level_strict"] == round(12 / 14, 4) and report["inst_level_loose"] == round(13 / 14, 4)
    rows = {r["name"]: r["value"] for r in doc["metrics"] if r["category"] == "all"}
    assert rows["ifeval"] == round(9 / 11, 4)  # the family metric is prompt-level strict
    assert ifeval_table(doc) is not None and ifeval_lines(doc)[0].startswith("IFEval prompt-level strict 0.818")


def test_fast_language_detector_gives_langdetects_exact_probabilities() -> None:
    """The numpy inner loop must walk the same random path as langdetect: same probabilities, bit for bit."""
    import random as _random

    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    from harness.scorers.ifeval_instructions import _fast_detector

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    rng = _random.Random(1)
    words = ("the house is red and the river runs to the sea", "la maison est rouge et le fleuve va à la mer",
             "das Haus ist rot und der Fluss fließt ins Meer", "la casa es roja y el río va al mar",
             "房子是红色的，河流流向大海。", "家は赤くて川は海に流れる", "집은 빨갛고 강은 바다로 흐른다",
             "дом красный и река течёт в море", "tea? ok!! 42 ...", "Hi")
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(60)] + list(words)
    for text in texts:
        slow, fast = factory.create(), _fast_detector(factory)
        slow.append(text)
        fast.append(text)
        assert [(p.lang, p.prob) for p in fast.get_probabilities()] == [(p.lang, p.prob) for p in slow.get_probabilities()], text
