"""Public suite formats: each loads from a small file written in its public layout (tests/data/formats/),
with and without the FORMAT: prefix; bad records are skipped and reported with file:line:field."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_jsonl

from harness.errors import HarnessError
from harness.records import CheckSpec
from harness.suites import FORMATS, known_prefixes, load_suite, load_suites, suite_prompts

DATA = Path(__file__).parent / "data" / "formats"

FILES = {
    "mt-bench": "mt_bench_question.jsonl",
    "vicuna-bench": "vicuna_question.jsonl",
    "ifeval": "ifeval_input_data.jsonl",
    "alpaca": "alpaca_data.json",
    "dolly": "dolly.jsonl",
    "sharegpt": "sharegpt.json",
    "messages": "messages.jsonl",
}


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_each_format_loads_with_and_without_prefix(fmt):
    path = DATA / FILES[fmt]
    with_prefix = load_suite(f"{fmt}:{path}", notes=[])
    sniffed = load_suite(str(path), notes=[])
    assert [c.to_dict() for c in with_prefix] == [c.to_dict() for c in sniffed]
    assert with_prefix and all(c.turns and all(t.strip() for t in c.turns) for c in with_prefix)
    assert all(c.suite == path.stem and c.metadata["format"] == fmt for c in with_prefix)
    assert all(c.source.startswith(f"{path}:") for c in with_prefix)
    assert len({c.id for c in with_prefix}) == len(with_prefix)


def test_every_registered_file_format_has_a_test_file():
    assert set(FORMATS) - {"jsonl"} == set(FILES)
    assert "hf" in known_prefixes()


def test_mt_bench_mapping():
    cases = load_suite(f"mt-bench:{DATA / FILES['mt-bench']}")
    assert [c.id for c in cases] == ["901", "902", "903"]
    writing, math, coding = cases
    assert writing.category == "writing" and len(writing.turns) == 2 and writing.multi_turn
    assert writing.reference is None and writing.references == []
    assert math.references[0] == "84 square metres" and math.references[1].startswith("The garden with the path")
    assert math.reference is None  # the last reference answer is long: golden only, not a "contains" reference
    assert coding.lang == "zh" and math.lang == "en"


def test_vicuna_bench_mapping():
    cases = load_suite(f"vicuna-bench:{DATA / FILES['vicuna-bench']}")
    assert [(c.id, c.category, c.lang) for c in cases] == [
        ("1", "generic", "en"),
        ("2", "knowledge", "en"),
        ("3", "generic", "zh"),
        ("4", "writing", "en"),
    ]
    assert cases[2].turns == ["如何在家里养好一盆绿萝？"]


def test_ifeval_checks_come_from_the_file_verbatim():
    cases = load_suite(f"ifeval:{DATA / FILES['ifeval']}")
    assert [c.id for c in cases] == ["5001", "5002", "5003"]
    assert cases[0].checks == [CheckSpec("detectable_format:number_bullet_lists", {"num_bullets": 3})]
    assert cases[1].checks == [
        CheckSpec("change_case:english_lowercase", {}),
        CheckSpec("length_constraints:number_words", {"relation": "less than", "num_words": 60}),
    ]
    # The hub version fills unused kwargs with null: they are dropped.
    assert cases[2].checks == [CheckSpec("punctuation:no_comma", {})]
    assert all(c.category == "instruction" and c.lang == "en" for c in cases)


def test_alpaca_json_array_and_reference_rule():
    jupiter, past, tips = load_suite(f"alpaca:{DATA / FILES['alpaca']}")
    assert jupiter.turns == ["Name the largest planet in our solar system."] and jupiter.reference == "Jupiter"
    assert past.turns == ["Rewrite the sentence in the past tense.\n\nShe walks to the market every morning."]
    assert past.reference == "She walked to the market every morning."
    assert tips.reference is None and tips.references[0].startswith("1. Water them")  # long output: golden only
    assert jupiter.source.endswith("alpaca_data.json:2")  # the line the array element starts on


def test_dolly_mapping():
    qa, ideas, cls = load_suite(f"dolly:{DATA / FILES['dolly']}")
    assert qa.category == "closed_qa" and qa.reference == "1987" and "opened in 1987" in qa.turns[0]
    assert ideas.category == "brainstorming" and ideas.turns == ["Give me some ideas for a rainy afternoon with kids."]
    assert ideas.reference is None and ideas.references
    assert cls.lang == "zh" and cls.reference == "消极"


def test_sharegpt_and_messages_conversations():
    eggs, club = load_suite(f"sharegpt:{DATA / FILES['sharegpt']}")
    assert eggs.id == "conv_a1" and eggs.category == "multiturn"
    assert eggs.turns == ["How long should I boil an egg for a soft yolk?", "And for a hard yolk?"]
    assert eggs.references == ["About six minutes.", "About ten minutes, then cool it in cold water."]
    assert eggs.reference is None  # the last reply is a sentence, not a short answer
    assert eggs.metadata["system"] == "You are a helpful cooking assistant."
    assert club.category == "chat" and club.lang == "zh"

    colour, fruit = load_suite(f"messages:{DATA / FILES['messages']}")
    assert colour.turns == ["What colour do you get by mixing blue and yellow?"] and colour.reference == "Green."
    assert colour.metadata["system"] == "Answer briefly."
    assert fruit.turns == ["My favourite fruit is mango.", "What is my favourite fruit?"]  # text parts joined
    assert fruit.references == ["Noted!", None] and fruit.reference is None


def test_conversation_edge_cases(tmp_path):
    p = write_jsonl(
        tmp_path / "chat.jsonl",
        [
            {
                "messages": [
                    {"role": "assistant", "content": "Hi! How can I help?"},
                    {"role": "user", "content": "a"},
                    {"role": "user", "content": "b"},
                    {"role": "assistant", "content": "x"},
                    {"role": "assistant", "content": "y"},
                ]
            },
            {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}]},
            {"messages": [{"role": "tool", "content": "x"}]},
            {"messages": [{"role": "system", "content": "only system"}]},
        ],
    )
    notes = []
    (case,) = load_suite(str(p), notes=notes)
    assert case.turns == ["a\n\nb"] and case.references == ["x\n\ny"]
    assert case.metadata["leading_assistant"] == ["Hi! How can I help?"]
    assert case.id == "1"  # no id field: the record number
    (note,) = notes
    assert "skipped 3 record(s)" in note
    assert "chat.jsonl:2: field 'messages[0].content[0]': only text content" in note
    assert "chat.jsonl:3: field 'messages[0].role': unknown role 'tool'" in note


def test_bad_records_skipped_with_file_line_field(tmp_path):
    p = write_jsonl(
        tmp_path / "qs.jsonl",
        [
            {"question_id": 1, "text": "fine", "category": "generic"},
            "{broken",
            {"question_id": 2, "category": "generic"},
            {"question_id": 3, "text": 42.5, "category": "generic"},
            {"question_id": 4, "text": ["not", "a", "string"], "category": "generic"},
            {"question_id": 1, "text": "dup", "category": "generic"},
            "[1, 2]",
        ],
    )
    notes = []
    cases = load_suite(f"vicuna-bench:{p}", notes=notes)
    # a number where the prompt text belongs is bad data, not text (issue G: it used to become "42.5")
    assert [c.id for c in cases] == ["1"]
    (note,) = notes
    assert note.startswith(f"{p}: skipped 6 record(s): {p}:2: not valid JSON")
    assert f"{p}:3: field 'text': missing" in note and f"{p}:4: field 'text': must be a string, got float" in note
    assert "(+3 more)" in note
    with pytest.raises(HarnessError, match=r"skipped 6 record\(s\).*--strict"):
        load_suite(f"vicuna-bench:{p}", strict=True)
    with pytest.warns(UserWarning, match="skipped 6"):
        load_suite(f"vicuna-bench:{p}")


def test_all_records_bad_is_an_error(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", [{"instruction": "", "output": "x"}, {"instruction": [], "output": "y"}])
    with pytest.raises(HarnessError, match=r"no usable cases .*a.jsonl:1: field 'instruction': empty"):
        load_suite(f"alpaca:{p}")


def test_broken_json_array_stops_with_line(tmp_path):
    p = tmp_path / "data.json"
    p.write_text('[\n  {"instruction": "a", "input": "", "output": "b"},\n  {"instruction": "c",, }\n]\n')
    with pytest.raises(HarnessError, match=r"data.json:3: not valid JSON .*cannot read past it"):
        load_suite(f"alpaca:{p}")


def test_sniffing_errors(tmp_path):
    unknown = write_jsonl(tmp_path / "odd.jsonl", [{"foo": 1, "bar": 2}])
    with pytest.raises(HarnessError, match=r"cannot detect the suite format .*\(bar, foo\).*FORMAT:PATH"):
        load_suite(str(unknown))
    answers = write_jsonl(tmp_path / "answers.jsonl", [{"question_id": 1, "answer_id": "x", "choices": [{"turns": ["a"]}]}])
    with pytest.raises(HarnessError, match=r"model outputs.*replay:FILE"):
        load_suite(str(answers))
    ours = write_jsonl(tmp_path / "ours.jsonl", [{"id": "a", "output": "an answer"}])
    with pytest.raises(HarnessError, match=r"model outputs"):
        load_suite(str(ours))
    first_bad = write_jsonl(tmp_path / "bad.jsonl", ["{nope", {"question_id": 1, "text": "t"}])
    with pytest.raises(HarnessError, match=r"bad.jsonl:1: not valid JSON .*format cannot be detected"):
        load_suite(str(first_bad))
    with pytest.raises(HarnessError, match=r"replay:x.jsonl.*not a suite"):
        load_suite("replay:x.jsonl")


def test_unknown_prefix_lists_every_known_format():
    with pytest.raises(HarnessError) as e:
        load_suite("nope:x.jsonl")
    msg = str(e.value)
    assert "unknown suite format 'nope'" in msg
    for name in ("alpaca", "dolly", "hf", "ifeval", "jsonl", "messages", "mt-bench", "sharegpt", "vicuna-bench"):
        assert name in msg


def test_missing_file_with_prefix():
    with pytest.raises(HarnessError, match="suite file not found"):
        load_suite("dolly:/no/such/file.jsonl")


def test_load_suites_mixes_formats_and_prompts_for_decontamination():
    refs = [f"vicuna-bench:{DATA / FILES['vicuna-bench']}", f"mt-bench:{DATA / FILES['mt-bench']}"]
    cases = load_suites(refs)
    assert len(cases) == 7
    prompts = suite_prompts(cases)
    assert len(prompts) == 4 + 6 and "如何在家里养好一盆绿萝？" in prompts
    assert "Rewrite your post so that every sentence starts with the letter S." in prompts  # second turns too


def test_hf_rows_are_sniffed_and_converted(monkeypatch):
    import datasets

    rows = [
        {
            "key": 1,
            "prompt": "Answer in lowercase.",
            "instruction_id_list": ["change_case:english_lowercase"],
            "kwargs": [{"num_words": None}],
        },
        {"key": 2, "prompt": "", "instruction_id_list": [], "kwargs": []},
    ]
    calls = []

    def fake_load(name, config=None, split=None):
        calls.append((name, config, split))
        ds = datasets.Dataset.from_list(rows)
        return ds if split else datasets.DatasetDict({"train": ds})

    monkeypatch.setattr(datasets, "load_dataset", fake_load)
    notes = []
    cases = load_suite("hf:someone/ifeval-like:train", notes=notes)
    assert calls == [("someone/ifeval-like", None, "train")]
    assert [c.id for c in cases] == ["1"] and cases[0].checks == [CheckSpec("change_case:english_lowercase", {})]
    assert cases[0].suite == "ifeval-like" and cases[0].source == "hf:someone/ifeval-like:train:1"
    assert "hf:someone/ifeval-like:train:2: field 'prompt': empty" in notes[0]
    # No split given: the only split is used.
    assert len(load_suite("hf:someone/ifeval-like", notes=[])) == 1
    with pytest.raises(HarnessError, match="expected hf:NAME"):
        load_suite("hf:a:b:c:d")


def test_hf_offline_fails_with_a_clear_message(tmp_path):
    """Offline (no network in tests): a made-up dataset name gives one clear HarnessError."""
    code = (
        "from harness.suites import load_suite\n"
        "from harness.errors import HarnessError\n"
        "try:\n"
        "    load_suite('hf:nobody-here/made-up-suite-xyz:test')\n"
        "except HarnessError as e:\n"
        "    print('HARNESS_ERROR', e)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "HARNESS_ERROR could not load dataset 'nobody-here/made-up-suite-xyz'" in out.stdout, out.stderr[-2000:]
    assert "offline" in out.stdout and "FORMAT:PATH" in out.stdout
