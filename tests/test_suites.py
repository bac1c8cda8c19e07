import json
from collections import Counter

import pytest
from helpers import write_jsonl
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import HarnessError
from harness.suites import BENCHMARKS_DIR, builtin_suites, filter_cases, load_suite, load_suites, suite_prompts

CATEGORIES = {"factual", "instruction", "creative", "code", "reasoning", "multiturn", "honesty"}


GOOD = [
    {"id": "a", "category": "factual", "lang": "en", "turns": ["What is the capital of France?"], "reference": "Paris"},
    {"id": "b", "category": "factual", "lang": "zh", "turns": "法国的首都是哪里？", "aliases": ["巴黎"]},
    {
        "id": "c",
        "category": "multiturn",
        "lang": "en",
        "turns": ["My dog is Rex.", "What is my dog called?"],
        "checks": [{"id": "coherence:recall", "kwargs": {"keywords": ["Rex"]}}],
    },
]


def test_load_jsonl_and_filters(tmp_path):
    cases = load_suite(str(write_jsonl(tmp_path / "mine.jsonl", GOOD)))
    assert [c.id for c in cases] == ["a", "b", "c"]
    assert cases[1].turns == ["法国的首都是哪里？"] and cases[0].suite == "mine"
    assert cases[2].checks[0].kwargs == {"keywords": ["Rex"]}
    assert cases[0].source.endswith("mine.jsonl:1")
    assert [c.id for c in filter_cases(cases, langs=["zh"])] == ["b"]
    assert [c.id for c in filter_cases(cases, categories=["factual"], limit=1)] == ["a"]
    assert load_suite(f"jsonl:{tmp_path / 'mine.jsonl'}")[0].id == "a"


def test_yaml_suite(tmp_path):
    import yaml

    p = tmp_path / "y.yaml"
    p.write_text(yaml.safe_dump(GOOD, allow_unicode=True))
    assert len(load_suite(str(p))) == 3


@pytest.mark.parametrize(
    "bad, message",
    [
        ("{not json", r"bad.jsonl:2: not valid JSON"),
        ({"id": "x", "category": "factual", "lang": "en"}, r"bad.jsonl:2: field 'turns': missing"),
        ({"id": "x", "category": "factual", "lang": "en", "turns": []}, r"bad.jsonl:2: field 'turns'"),
        ({"id": "", "category": "f", "lang": "en", "turns": ["q"]}, r"bad.jsonl:2: field 'id'"),
        ({"id": "x", "category": "f", "lang": "en", "turns": ["q"], "colour": 1}, r"field 'colour': unknown"),
        ({"id": "a", "category": "f", "lang": "en", "turns": ["q"]}, r"bad.jsonl:2: field 'id': duplicate"),
        ({"id": "x", "category": "f", "lang": "en", "turns": ["q"], "checks": [{"kw": 1}]}, r"checks\[0\].id"),
    ],
)
def test_bad_lines_name_file_line_field(tmp_path, bad, message):
    p = write_jsonl(tmp_path / "bad.jsonl", [GOOD[0], bad])
    with pytest.raises(HarnessError, match=message):
        load_suite(str(p))


def test_unknown_prefix_and_missing(tmp_path):
    with pytest.raises(HarnessError, match="unknown suite format 'nope'.*known formats: .*jsonl"):
        load_suite("nope:x.jsonl")
    with pytest.raises(HarnessError, match="neither a built-in suite"):
        load_suite("no-such-suite")


def test_ids_unique_across_suites(tmp_path):
    p1 = write_jsonl(tmp_path / "one.jsonl", GOOD[:1])
    p2 = write_jsonl(tmp_path / "two.jsonl", GOOD[:1])
    ids = [c.id for c in load_suites([str(p1), str(p2)])]
    assert ids == ["a", "two/a"]


def test_builtin_demo_suite_loads():
    assert "demo" in builtin_suites()
    cases = load_suite("demo")
    assert {c.lang for c in cases} == {"en", "zh"}
    assert any(len(c.turns) > 1 for c in cases)


def test_directory_is_one_suite_and_references_validated(tmp_path):
    d = tmp_path / "mysuite"
    d.mkdir()
    write_jsonl(d / "a.jsonl", GOOD[:2])
    write_jsonl(d / "b.jsonl", GOOD[2:])
    cases = load_suite(str(d))
    assert [c.id for c in cases] == ["a", "b", "c"] and {c.suite for c in cases} == {"mysuite"}
    write_jsonl(d / "c.jsonl", [GOOD[0]])
    with pytest.raises(HarnessError, match=r"c.jsonl:1: field 'id': duplicate id 'a' \(first at .*a.jsonl:1\)"):
        load_suite(f"jsonl:{d}")
    bad = {"id": "r", "category": "f", "lang": "en", "turns": ["q"], "references": [1]}
    with pytest.raises(HarnessError, match=r"bad.jsonl:1: field 'references'"):
        load_suite(str(write_jsonl(tmp_path / "bad.jsonl", [bad])))


def test_builtin_cases_validate_against_schema():
    import jsonschema

    schema = json.loads((BENCHMARKS_DIR / "schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    checked = 0
    for path in builtin_suites().values():
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(json.loads(line))]
            assert not errors, f"{path.name}:{lineno}: {errors}"
            checked += 1
    assert checked >= 300


def test_schema_rejects_what_the_conventions_forbid():
    import jsonschema

    v = jsonschema.Draft202012Validator(json.loads((BENCHMARKS_DIR / "schema.json").read_text()))
    ok = {
        "id": "h",
        "category": "honesty",
        "lang": "en",
        "turns": ["Why is the Moon made of cheese?"],
        "metadata": {"expect": "correct_premise", "false_premise": "The Moon is cheese", "truth": "It is rock"},
    }
    assert not list(v.iter_errors(ok))
    for bad in (
        {**ok, "metadata": {"expect": "correct_premise"}},  # premise cases say what is false
        {**ok, "metadata": {}},  # honesty cases say what a right answer does
        {**ok, "category": "multiturn", "metadata": {}},  # a conversation has >= 2 turns
        {**ok, "colour": "red"},
        {**ok, "checks": [{"id": "coherence:recall", "kwargs": {"keyword": ["x"]}}]},
        {**ok, "checks": [{"id": "format:max_words", "kwargs": {"limit": "ten"}}]},
        {**ok, "checks": [{"id": "not an id"}]},
    ):
        assert list(v.iter_errors(bad)), bad
    # IFEval-style ids and kwargs are accepted verbatim.
    ifeval = {
        **ok,
        "checks": [{"id": "length_constraints:number_words", "kwargs": {"relation": "less than", "num_words": 50}}],
    }
    assert not list(v.iter_errors(ifeval))


def test_core_suite_coverage():
    cases = load_suite("core")
    assert len(cases) >= 300
    assert {c.category for c in cases} == CATEGORIES
    per = Counter((c.category, c.lang) for c in cases)
    for cat in CATEGORIES:
        assert per[(cat, "en")] >= 10 and per[(cat, "zh")] >= 10, cat
    multi = [c for c in cases if c.category == "multiturn"]
    assert len(multi) >= 40 and all(2 <= len(c.turns) <= 4 for c in multi)
    assert {c.metadata["kind"] for c in multi} == {"recall", "follow_up", "topic_shift", "correction"}
    for c in cases:
        if c.category in ("factual", "reasoning"):
            assert c.reference, c.id
        if c.category == "creative":
            assert c.reference is None and c.checks, c.id
        if c.category == "code":
            assert any(ch.id == "format:code_block" for ch in c.checks), c.id
        if c.category == "honesty":
            assert c.metadata["expect"] in ("refuse_unknown", "correct_premise"), c.id
    honesty = Counter(c.metadata["expect"] for c in cases if c.category == "honesty")
    assert honesty["refuse_unknown"] >= 10 and honesty["correct_premise"] >= 10
    assert len(suite_prompts(cases)) == sum(len(c.turns) for c in cases)


def test_core_checks_are_known_to_the_scorers():
    """Every declared check of the built-in suites is one the scorers know (no 'unknown check id')."""
    from harness.records import Generation, TurnOutput
    from harness.scorers import score_case

    for c in load_suite("core"):
        gen = Generation(c.id, [TurnOutput("ok", "stop") for _ in c.turns])
        for checks in score_case(c, gen).values():
            for ch in checks:
                assert "unknown check id" not in ch.reason and "kwarg" not in ch.reason, (c.id, ch.reason)


def test_cli_suites_lists_counts_and_formats():
    res = CliRunner().invoke(app, ["--no-color", "suites"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output  # every built-in suite loads
    out = res.output
    assert "error:" not in out and all(name in out for name in builtin_suites())
    assert "core" in out and "multiturn" in out and "honesty" in out
    assert "Cases per category × language" in out
    for prefix in (
        "mt-bench:",
        "vicuna-bench:",
        "ifeval:",
        "alpaca:",
        "dolly:",
        "sharegpt:",
        "messages:",
        "jsonl:",
        "hf:",
    ):
        assert prefix in out


def test_cli_suites_names_a_broken_builtin_suite_and_exits_2(tmp_path, monkeypatch):
    import harness.suites

    broken = write_jsonl(tmp_path / "broken.jsonl", ['{"id": "x", "category": "factual", "lang": "en"}'])
    monkeypatch.setattr(harness.suites, "builtin_suites", lambda: {**builtin_suites(), "broken": broken})
    res = CliRunner().invoke(app, ["--no-color", "suites"], env={"COLUMNS": "200"})
    assert res.exit_code == 2 and "error:" in res.output and "field 'turns'" in res.output, res.output
    assert "Cases per category × language" in res.output  # the suites that load are still counted


def test_cli_suites_show_filters():
    res = CliRunner().invoke(
        app, ["--no-color", "suites", "show", "core", "--category", "multiturn", "--lang", "zh", "-n", "2"]
    )
    assert res.exit_code == 0, res.output
    assert res.output.count("multiturn · zh") == 2 and "coherence:recall" in res.output
    res = CliRunner().invoke(app, ["suites", "show", "nope:x"])
    assert res.exit_code == 2 and "known formats" in res.output


def test_jsonl_strings_may_hold_unicode_line_separators(tmp_path):
    """U+2028, U+2029 and U+0085 are legal unescaped inside JSON strings: they do not end a JSONL line."""
    import json as _json

    from harness.suites import load_suite

    text = "Line one\u2028line two\u2029three\x85four"
    p = tmp_path / "s.jsonl"
    p.write_text(_json.dumps({"id": "a", "category": "factual", "lang": "en", "turns": [text]}, ensure_ascii=False)
                 + "\r\n" + _json.dumps({"id": "b", "category": "factual", "lang": "en", "turns": ["Hi?"]}) + "\n",
                 encoding="utf-8")
    cases = load_suite(f"jsonl:{p}", strict=True)
    assert [c.id for c in cases] == ["a", "b"] and cases[0].turns == [text]
