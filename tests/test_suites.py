import json

import pytest

from harness.errors import HarnessError
from harness.suites import builtin_suites, filter_cases, load_suite, load_suites


def write(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return path


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
    cases = load_suite(str(write(tmp_path / "mine.jsonl", GOOD)))
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
    p = write(tmp_path / "bad.jsonl", [GOOD[0], bad])
    with pytest.raises(HarnessError, match=message):
        load_suite(str(p))


def test_unknown_prefix_and_missing(tmp_path):
    with pytest.raises(HarnessError, match="unknown suite format 'nope'.*known formats: jsonl"):
        load_suite("nope:x.jsonl")
    with pytest.raises(HarnessError, match="neither a built-in suite"):
        load_suite("no-such-suite")


def test_ids_unique_across_suites(tmp_path):
    p1 = write(tmp_path / "one.jsonl", GOOD[:1])
    p2 = write(tmp_path / "two.jsonl", GOOD[:1])
    ids = [c.id for c in load_suites([str(p1), str(p2)])]
    assert ids == ["a", "two/a"]


def test_builtin_demo_suite_loads():
    assert "demo" in builtin_suites()
    cases = load_suite("demo")
    assert {c.lang for c in cases} == {"en", "zh"}
    assert any(len(c.turns) > 1 for c in cases)
