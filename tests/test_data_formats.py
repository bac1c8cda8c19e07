"""Training-data formats (trainers/data/formats.py, load.py): every public format becomes validated
Examples; every bad row becomes a Rejected naming file:line, the field and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import write_jsonl

from harness.errors import HarnessError
from trainers.data import load_examples
from trainers.data.load import load_source


def test_alpaca_joins_instruction_and_input(tmp_path):
    p = write_jsonl(tmp_path / "a.jsonl", [
        {"instruction": "Summarise this.", "input": "A long text.", "output": "Short."},
        {"instruction": "Name a colour.", "input": "", "output": "Blue."},
    ])
    ex, rej, stats = load_source(str(p))
    assert rej == [] and stats.format == "alpaca" and stats.rows == 2
    assert ex[0].messages == [
        {"role": "user", "content": "Summarise this.\n\nA long text."},
        {"role": "assistant", "content": "Short."},
    ]
    assert ex[1].messages[0]["content"] == "Name a colour."
    assert ex[0].source == f"{p}:1" and ex[1].source == f"{p}:2"
    assert ex[0].lang == "en" and ex[0].category is None


def test_dolly_keeps_category_and_context(tmp_path):
    p = write_jsonl(tmp_path / "d.jsonl", [
        {"instruction": "埃菲尔铁塔在哪里？", "context": "", "response": "在巴黎。", "category": "open_qa"},
        {"instruction": "Who?", "context": "Ada wrote it.", "response": "Ada.", "category": "closed_qa"},
    ])
    ex, _, stats = load_source(str(p))
    assert stats.format == "dolly"
    assert ex[0].category == "open_qa" and ex[0].lang == "zh"
    assert ex[1].messages[0]["content"] == "Who?\n\nAda wrote it."


def test_sharegpt_json_array_line_numbers(tmp_path):
    data = [
        {"id": "c1", "conversations": [
            {"from": "system", "value": "Be brief."},
            {"from": "human", "value": "Hi"},
            {"from": "gpt", "value": "Hello."},
            {"from": "human", "value": "Bye"},
            {"from": "gpt", "value": "Goodbye."},
        ]},
        {"id": "c2", "conversations": [{"from": "human", "value": "A"}, {"from": "robot", "value": "B"}]},
    ]
    p = tmp_path / "s.json"
    p.write_text(json.dumps(data, indent=2))
    ex, rej, stats = load_source(str(p))
    assert stats.format == "sharegpt"
    assert [m["role"] for m in ex[0].messages] == ["system", "user", "assistant", "user", "assistant"]
    assert ex[0].id == "c1" and ex[0].source == f"{p}:2"
    # the second record starts further down the file: its line, not its index
    assert len(rej) == 1 and rej[0].source.startswith(f"{p}:") and int(rej[0].source.rsplit(":", 1)[1]) > 10
    assert rej[0].field == "conversations[1].from" and "unknown role 'robot'" in rej[0].reason


def test_messages_and_pairs(tmp_path):
    m = write_jsonl(tmp_path / "m.jsonl", [
        {"messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}, {"role": "assistant", "content": "Hey."}]},
    ])
    q = write_jsonl(tmp_path / "q.jsonl", [
        {"prompt": "2+2?", "completion": "4"},
        {"prompt": "Capital of France?", "response": "Paris."},
        {"question": "Colour of the sky?", "answer": "Blue."},
    ])
    loaded = load_examples([str(m), str(q)])
    assert [s.format for s in loaded.sources] == ["messages", "pairs"]
    assert loaded.examples[0].messages[0] == {"role": "user", "content": "Hi"}
    assert [e.answer for e in loaded.examples[1:]] == ["4", "Paris.", "Blue."]


def test_explicit_format_prefix_and_unknown_prefix(tmp_path):
    p = write_jsonl(tmp_path / "x.jsonl", [{"instruction": "Do it.", "output": "Done.", "response": "ignored"}])
    # sniffing picks dolly (instruction + response); the prefix overrides it
    assert load_source(str(p))[2].format == "dolly"
    ex, _, stats = load_source(f"alpaca:{p}")
    assert stats.format == "alpaca" and ex[0].answer == "Done."
    with pytest.raises(HarnessError, match="unknown data format 'nope'"):
        load_source(f"nope:{p}")


def test_malformed_rows_are_rejected_with_file_line_field(tmp_path):
    p = write_jsonl(tmp_path / "bad.jsonl", [
        {"instruction": "Fine.", "input": "", "output": "Yes."},            # 1 ok
        "{not json",                                                       # 2
        {"instruction": "", "input": "", "output": "x"},                   # 3 empty prompt
        {"instruction": "Q", "input": "", "output": 7},                    # 4 non-string
        {"instruction": "Q", "input": ""},                                 # 5 missing output
        ["a list"],                                                        # 6 not an object
        {"instruction": "Q", "input": "", "output": ""},                   # 7 empty answer: loads
    ])
    ex, rej, stats = load_source(str(p))
    got = {r.source.rsplit(":", 1)[1]: (r.field, r.reason) for r in rej}
    assert set(got) == {"2", "3", "4", "5", "6"}
    assert "not valid JSON" in got["2"][1]
    assert got["3"] == ("instruction", "empty")
    assert got["4"] == ("output", "must be a string, got int")
    assert got["5"] == ("output", "missing")
    assert "expected a JSON object" in got["6"][1]
    assert [e.source for e in ex] == [f"{p}:1", f"{p}:7"]  # the empty answer is cleaning's to drop
    assert stats.rows == 7 and stats.rejected == 5
    assert str(rej[0]).startswith(f"{p}:2: ")


def test_role_order_and_last_turn(tmp_path):
    p = write_jsonl(tmp_path / "r.jsonl", [
        {"messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}, {"role": "assistant", "content": "c"}]},
        {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}, {"role": "user", "content": "c"}]},
        {"messages": [{"role": "assistant", "content": "a"}, {"role": "user", "content": "b"}]},
        {"messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "s"}, {"role": "assistant", "content": "b"}]},
        {"messages": [{"role": "user", "content": "ok"}, {"role": "assistant", "content": "fine"}]},
    ])
    ex, rej, _ = load_source(str(p))
    assert len(ex) == 1
    reasons = [(r.field, r.reason) for r in rej]
    assert reasons[0] == ("messages[1]", "roles out of order: expected assistant, got user")
    assert reasons[1] == ("messages[2]", "the last turn must be the assistant's answer")
    assert reasons[2][0] == "messages[0]" and "expected user, got assistant" in reasons[2][1]
    assert "system message only comes first" in reasons[3][1]


def test_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pylist([
        {"instruction": "One?", "input": "", "output": "1"},
        {"instruction": "Two?", "input": "", "output": None},
    ]), p)
    ex, rej, stats = load_source(str(p))
    assert stats.format == "alpaca" and ex[0].source == f"{p}:1"
    assert rej[0].source == f"{p}:2" and rej[0].field == "output"


def test_unreadable_sources_are_errors_naming_the_file(tmp_path):
    with pytest.raises(HarnessError, match="not found"):
        load_examples([str(tmp_path / "missing.jsonl")])
    only_bad = write_jsonl(tmp_path / "bad.jsonl", ["nope", {"instruction": "Q", "output": 5}])
    with pytest.raises(HarnessError, match=r"bad\.jsonl: no usable rows \(2 rejected"):
        load_examples([str(only_bad)])
    odd = write_jsonl(tmp_path / "odd.jsonl", [{"foo": 1, "bar": 2}])
    with pytest.raises(HarnessError, match="cannot detect the training-data format.*bar, foo"):
        load_examples([str(odd)])
    (tmp_path / "broken.json").write_text('[{"prompt": "a", "completion": "b"},\n {"prompt": ')
    with pytest.raises(HarnessError, match=r"broken\.json:2"):
        load_examples([str(tmp_path / "broken.json")])


def test_hub_offline_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    with pytest.raises(HarnessError, match="hf:nobody/no-such-dataset-xyz: could not load"):
        load_examples(["hf:nobody/no-such-dataset-xyz"])


def test_repo_fixture_files_load():
    root = Path(__file__).parent / "data" / "formats"
    loaded = load_examples([str(root / "alpaca_data.json"), str(root / "dolly.jsonl"), str(root / "sharegpt.json"), str(root / "messages.jsonl")])
    assert {s.format for s in loaded.sources} == {"alpaca", "dolly", "sharegpt", "messages"}
    assert loaded.rows == sum(s.rows for s in loaded.sources)
    assert all(e.messages[-1]["role"] == "assistant" for e in loaded.examples)


def test_any_file_content_loads_or_fails_with_a_clear_error(tmp_path):
    import json as _json

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from harness.errors import HarnessError
    from trainers.data import load_examples

    scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
    value = st.recursive(scalar, lambda v: st.one_of(st.lists(v, max_size=3), st.dictionaries(st.text(max_size=8), v, max_size=3)), max_leaves=8)
    keys = st.sampled_from(["instruction", "input", "output", "messages", "conversations", "prompt", "completion",
                            "role", "content", "from", "value", "response", "context", "x"])
    record = st.dictionaries(keys, value, max_size=4)
    line = st.one_of(record.map(_json.dumps), st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s))

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(line, min_size=1, max_size=8))
    def check(lines):
        path = tmp_path / "fuzz.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            loaded = load_examples([str(path)])
        except HarnessError as e:
            assert "fuzz.jsonl" in str(e)
            return
        assert len(loaded.examples) + len(loaded.rejected) == len([x for x in lines if x.strip()])

    check()
