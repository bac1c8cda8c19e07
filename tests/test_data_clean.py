"""SFT data cleaning (trainers/data/clean.py) and `harness data clean|inspect`: each drop reason fires
on what it should and not on what it should not, every row is accounted for, the CLI writes its
files atomically and prints row text literally."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from helpers import write_jsonl
from typer.testing import CliRunner

from harness.cli import app
from harness.records import Case
from harness.suites import load_suites
from harness.suites.fingerprint import prompt_hashes, prompts_fingerprint
from trainers.data import CleanOptions, Example, Rejected, clean, load_examples
from trainers.data.clean import REASONS, check_accounting
from trainers.data.near_dup import near_duplicates, shingles, signatures

LONG_EN = (
    "Photosynthesis lets green plants turn sunlight, water and carbon dioxide into sugar and oxygen. "
    "It happens mostly in the leaves, inside chloroplasts that hold the green pigment chlorophyll, "
    "and it feeds nearly every food chain on the planet. The light reactions split water and store "
    "energy in ATP and NADPH; the Calvin cycle then uses that energy to fix carbon dioxide into "
    "three-carbon sugars, which the plant builds into glucose, starch and cellulose. Because it "
    "releases oxygen, photosynthesis also made the air breathable for animals over billions of years, "
    "and today forests and ocean algae together still absorb a large share of the carbon we emit."
)
LONG_ZH = (
    "光合作用是绿色植物利用阳光、水和二氧化碳制造糖类并释放氧气的过程，主要发生在叶片的叶绿体中，几乎养活了地球上所有的食物链。"
    "光反应把水分解，并把能量储存在两种分子里；随后卡尔文循环利用这些能量固定二氧化碳，合成糖类，植物再把糖变成淀粉和纤维素。"
    "正因为释放氧气，光合作用在几十亿年里让空气变得适合动物呼吸。"
)


def ex(q: str, a: str, n: int, lang: str = "en", category: str | None = None) -> Example:
    return Example([{"role": "user", "content": q}, {"role": "assistant", "content": a}], f"t.jsonl:{n}", category, lang, str(n))


def reasons(result) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in result.drops:
        out.setdefault(d.reason, []).append(d.example_source)
    return out


def test_quality_filters_drop_bad_answers_and_keep_good_ones():
    rows = [
        ex("Say hi.", "   ", 1),
        ex("Give an answer.", "TODO", 2),
        ex("Give an answer.", "N/A", 3),
        ex("Describe it.", "...", 4),
        ex("Describe it.", "Lorem ipsum dolor sit amet.", 5),
        ex("请回答。", "待补充", 6, "zh"),
        ex("Tell me about cats.", "Cats are great pets. " * 4, 7),
        ex("Tell me about dogs.", " ".join(["dogs are loyal and kind"] * 8), 8),
        ex("Translate to French: good morning my friend", "Translate to French: good morning my friend.", 9),
        ex("Which is bigger, 3 or 5?", "5", 10),  # one character, every word from the question: still an answer
        ex("What is 2 + 2?", "4", 11),
        ex("Tell me about cats.", "Cats are small, independent carnivores that people have kept for thousands of years.", 12),
        ex("介绍一下猫。", "猫是一种独立的小型食肉动物，人类养猫已有数千年历史。", 13, "zh"),
        ex("Write a long answer.", "x" * 300, 14),
        ex("你明白吗？", "好的，我明白了。" * 5, 15, "zh"),
    ]
    r = clean(rows, [], CleanOptions(max_answer_chars=200, near_dedup=False))
    got = reasons(r)
    assert got["empty_answer"] == ["t.jsonl:1"]
    assert got["placeholder_answer"] == ["t.jsonl:2", "t.jsonl:3", "t.jsonl:4", "t.jsonl:5", "t.jsonl:6"]
    assert got["repetitive_answer"] == ["t.jsonl:7", "t.jsonl:8", "t.jsonl:15"]
    assert got["restated_question"] == ["t.jsonl:9"]
    assert got["answer_too_long"] == ["t.jsonl:14"]
    assert [e.source for e in r.kept] == ["t.jsonl:10", "t.jsonl:11", "t.jsonl:12", "t.jsonl:13"]
    assert set(got) <= set(REASONS)

    r2 = clean(rows[9:13], [], CleanOptions(min_answer_chars=2, near_dedup=False))
    assert reasons(r2)["answer_too_short"] == ["t.jsonl:10", "t.jsonl:11"]


def test_exact_duplicates_ignore_case_space_punctuation_and_width():
    rows = [
        ex("What is the capital of France?", "Paris.", 1),
        ex("what is the capital of   france", "PARIS", 2),
        ex("ＷＨＡＴ is the capital of France？", "Paris!", 3),
        ex("What is the capital of Spain?", "Madrid.", 4),
    ]
    r = clean(rows, [], CleanOptions(near_dedup=False))
    dups = [d for d in r.drops if d.reason == "exact_duplicate"]
    assert [d.example_source for d in dups] == ["t.jsonl:2", "t.jsonl:3"]
    assert all(d.kept_source == "t.jsonl:1" for d in dups)
    assert [e.source for e in r.kept] == ["t.jsonl:1", "t.jsonl:4"]


def test_near_duplicates_en_and_zh_keep_the_first_of_each_cluster():
    rows = [
        ex("Explain photosynthesis.", LONG_EN, 1),
        ex("Explain photosynthesis.", LONG_EN.replace("nearly every", "almost every"), 2),
        ex("Explain photosynthesis briefly.", LONG_EN.replace("green pigment", "pigment"), 3),
        ex("解释光合作用。", LONG_ZH, 4, "zh"),
        ex("解释光合作用。", LONG_ZH.replace("几乎", "差不多"), 5, "zh"),
        ex("Explain respiration.", "Cells break sugar down with oxygen to release energy, water and carbon dioxide.", 6),
        ex("解释呼吸作用。", "细胞利用氧气分解糖类，释放能量，同时产生水和二氧化碳。", 7, "zh"),
    ]
    r = clean(rows, [], CleanOptions())
    near = {d.example_source: d.kept_source for d in r.drops if d.reason == "near_duplicate"}
    assert near == {"t.jsonl:2": "t.jsonl:1", "t.jsonl:3": "t.jsonl:1", "t.jsonl:5": "t.jsonl:4"}
    assert [e.source for e in r.kept] == ["t.jsonl:1", "t.jsonl:4", "t.jsonl:6", "t.jsonl:7"]
    assert r.to_report()["duplicate_rate"]["near"] == pytest.approx(3 / 7, abs=1e-5)
    # a stricter threshold lets the lightly edited rows through
    strict = clean(rows, [], CleanOptions(near_threshold=0.99))
    assert not [d for d in strict.drops if d.reason == "near_duplicate"]


def test_signatures_equal_datasketch_minhash():
    from datasketch import MinHash

    texts = [LONG_EN, LONG_ZH, "hi there", "", "a b c d e f g"]
    langs = ["en", "zh", "en", "en", "en"]
    h32, row = shingles(texts, langs, 5, 5)
    sig = signatures(h32, row, len(texts), 64, 7)
    for i in range(len(texts)):
        m = MinHash(num_perm=64, seed=7, hashfunc=lambda x: x)
        m.update_batch([int(x) for x in h32[row == i]])
        assert np.array_equal(m.hashvalues, sig[i])
    # a row without tokens never matches anything (its signature is "empty", not shared)
    assert near_duplicates(["", "", "..."], ["en"] * 3) == []


def test_conflicting_answers_reported_and_optionally_dropped():
    rows = [
        ex("What is the capital of Australia?", "Sydney.", 1),
        ex("what is the capital of australia", "Canberra.", 2),
        ex("Name a prime number.", "7", 3),
    ]
    r = clean(rows, [], CleanOptions())
    assert len(r.conflicts) == 1 and r.conflicts[0].sources == ["t.jsonl:1", "t.jsonl:2"]
    assert len(r.kept) == 3
    rep = r.to_report()["conflicts"][0]
    assert [x["answer"] for x in rep["rows"]] == ["Sydney.", "Canberra."] and rep["kept"] == ["t.jsonl:1", "t.jsonl:2"]

    d = clean(rows, [], CleanOptions(drop_conflicts=True))
    assert [(x.example_source, x.kept_source) for x in d.drops] == [("t.jsonl:2", "t.jsonl:1")]
    assert d.drops[0].reason == "conflicting_answer" and d.conflicts[0].kept == ["t.jsonl:1"]


def test_decontamination_against_core_suite():
    rows = [
        ex("What is the capital of Australia?", "Canberra.", 1),  # a whole (short) core prompt
        ex("Code please.", "Sure: write a Python function merge_sorted(a, b) that merges two sorted lists into one list.", 2),
        ex("物理问题", "光在真空中的速度大约是三十万千米每秒。", 3, "zh"),  # an 8-character run of a core prompt
        ex("What is the capital of Peru?", "Lima.", 4),
        ex("Write a haiku about rain.", "Soft rain on the roof / the garden drinks slowly / puddles hold the sky", 5),
        ex("解释一下光合作用。", LONG_ZH, 6, "zh"),
    ]
    r = clean(rows, [], CleanOptions(), against=["core"])
    cont = {d.example_source: d.detail for d in r.drops if d.reason == "contaminated"}
    assert set(cont) == {"t.jsonl:1", "t.jsonl:2", "t.jsonl:3"}
    assert "core case factual-en-001" in cont["t.jsonl:1"] and "contains the prompt" in cont["t.jsonl:1"]
    assert "code-en-005" in cont["t.jsonl:2"] and "13-token" in cont["t.jsonl:2"]
    assert "factual-zh-009" in cont["t.jsonl:3"] and "8-token" in cont["t.jsonl:3"]
    assert [e.source for e in r.kept] == ["t.jsonl:4", "t.jsonl:5", "t.jsonl:6"]
    (dec,) = r.to_report()["decontamination"]
    core = load_suites(["core"], notes=[])
    assert {k: dec[k] for k in ("ref", "cases", "prompts_sha256", "rows_dropped", "template_ngrams_ignored")} == {
        "ref": "core", "cases": len(core), "prompts_sha256": prompts_fingerprint(core), "rows_dropped": 3,
        "template_ngrams_ignored": 0}
    assert dec["prompt_hashes"] == prompt_hashes(core)


def test_phrasing_templates_shared_by_many_rows_are_not_leaks():
    # 12 training questions share the suite prompt's phrasing "的首都是哪座城市？"; one copies a suite prompt
    countries = ["古巴", "韩国", "德国", "日本", "秘鲁", "埃及", "印度", "越南", "泰国", "荷兰", "瑞典", "挪威"]
    rows = [ex(f"{c}的首都是哪座城市？", f"{c}的首都在这里。", n, "zh") for n, c in enumerate(countries, 1)]
    suite = [("s", [Case("s-1", "factual", "zh", ["肯尼亚的首都是哪座城市？"]), Case("s-2", "factual", "zh", ["冰岛的首都是哪座城市？请简单回答。"])])]
    rows.append(ex("冰岛的首都是哪座城市？请简单回答。", "雷克雅未克。", 13, "zh"))
    r = clean(rows, [], CleanOptions(), suites=suite)
    assert {d.example_source for d in r.drops if d.reason == "contaminated"} == {"t.jsonl:13"}
    assert r.decontamination[0].template_ngrams_ignored > 0
    strict = clean(rows, [], CleanOptions(decontam_template_rows=0), suites=suite)
    assert len([d for d in strict.drops if d.reason == "contaminated"]) == 13


def test_prompts_fingerprint_ignores_order_case_space_but_not_words():
    a = [Case("1", "c", "en", ["What is 2+2?"]), Case("2", "c", "en", ["Name a colour.", "Another?"])]
    b = [Case("x", "c", "en", ["Another?"]), Case("y", "c", "en", ["name a  COLOUR.", "What is 2+2?"])]
    c = [Case("1", "c", "en", ["What is 2+3?"]), Case("2", "c", "en", ["Name a colour.", "Another?"])]
    assert prompts_fingerprint(a) == prompts_fingerprint(b)
    assert prompts_fingerprint(a) != prompts_fingerprint(c)
    assert len(prompts_fingerprint(a)) == 64


def test_category_cap_is_seeded_and_balance_reported():
    rows = [ex(f"Question number {i} about topic {i * 7}?", f"Answer {i} is {i * 13}.", i, category="qa" if i % 3 else "code") for i in range(1, 31)]
    r1 = clean(rows, [], CleanOptions(max_per_category=5, near_dedup=False))
    r2 = clean(rows, [], CleanOptions(max_per_category=5, near_dedup=False))
    assert [e.source for e in r1.kept] == [e.source for e in r2.kept]
    rep = r1.to_report()
    assert rep["distribution"]["before"]["category"] == {"qa": 20, "code": 10}
    assert rep["distribution"]["after"]["category"] == {"qa": 5, "code": 5}
    assert rep["dropped"]["category_cap"]["count"] == 20
    r3 = clean(rows, [], CleanOptions(max_per_category=5, near_dedup=False, seed=1))
    assert [e.source for e in r3.kept] != [e.source for e in r1.kept]


def test_every_row_is_accounted_for(tmp_path):
    p = tmp_path / "mix.jsonl"
    lines = [
        json.dumps({"instruction": "What is the capital of Australia?", "output": "Canberra."}),
        json.dumps({"instruction": "Capital of Peru?", "output": "Lima."}),
        json.dumps({"instruction": "Capital of Peru?", "output": "Lima."}),
        json.dumps({"instruction": "Capital of Peru?", "output": "Cusco."}),
        json.dumps({"instruction": "Filler?", "output": "TODO"}),
        "{broken",
        json.dumps({"instruction": "Only a question"}),
    ] + [json.dumps({"instruction": f"Item {i}?", "output": f"Value {i} of {i * 3}.", "category": "c"}) for i in range(6)]
    p.write_text("\n".join(lines) + "\n")
    loaded = load_examples([f"alpaca:{p}"])
    r = clean(loaded.examples, loaded.rejected, CleanOptions(max_per_category=2, drop_conflicts=True), against=["core"])
    rep = r.to_report(loaded.sources)
    c = rep["counts"]
    assert c["read"] == len(lines) == 13
    assert c["kept"] + c["dropped"] + c["rejected"] == c["read"]
    assert c["dropped"] == sum(v["count"] for v in rep["dropped"].values())
    assert c["rejected"] == 2 and [x["source"].rsplit(":", 1)[1] for x in rep["rejected"]] == ["6", "7"]
    assert {k for k, v in rep["dropped"].items() if v["count"]} == {
        "contaminated", "exact_duplicate", "conflicting_answer", "placeholder_answer", "category_cap"
    }
    json.dumps(rep)  # JSON-able
    # the check itself catches a lost row
    r.kept.pop()
    with pytest.raises(AssertionError, match="lost track"):
        check_accounting(r, loaded.examples)


def test_report_shape():
    r = clean([ex("Hi?", "Hello.", 1), ex("Hi?", "Hello.", 2)], [Rejected("t.jsonl:3", "output", "missing")])
    rep = r.to_report()
    assert rep["schema"] == "harness.data-clean/v1"
    assert rep["counts"] == {"read": 3, "kept": 1, "rejected": 1, "dropped": 1}
    assert list(rep["dropped"]) == list(REASONS)
    (e,) = rep["dropped"]["exact_duplicate"]["examples"]
    assert e == {"source": "t.jsonl:2", "detail": "same normalised conversation", "kept_source": "t.jsonl:1", "prompt": "Hi?", "answer": "Hello."}
    assert rep["rejected"] == [{"source": "t.jsonl:3", "field": "output", "reason": "missing"}]
    assert rep["options"]["near_threshold"] == 0.8 and rep["duplicate_rate"]["exact"] == 0.5


# --- CLI -----------------------------------------------------------------------------------------

runner = CliRunner(env={"COLUMNS": "400", "NO_COLOR": "1"})  # wide: long tmp paths stay on one line


def test_cli_clean_writes_rows_and_report(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"instruction": "Name a fruit.", "input": "", "output": "An apple.", "category": "qa"},
        {"instruction": "Name a fruit.", "input": "", "output": "An apple.", "category": "qa"},
        {"instruction": "What is the capital of Australia?", "input": "", "output": "Canberra."},
        {"instruction": "Say [bold]hi[/bold] <script>alert(1)</script>", "input": "", "output": "TODO"},
        "{oops",
    ])
    out, rep = tmp_path / "out" / "clean.jsonl", tmp_path / "report.json"
    res = runner.invoke(app, ["data", "clean", str(src), "--out", str(out), "--report", str(rep), "--against", "core"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert rows == [{"messages": [{"role": "user", "content": "Name a fruit."}, {"role": "assistant", "content": "An apple."}],
                     "category": "qa", "source": f"{src}:1"}]
    report = json.loads(rep.read_text())
    assert report["counts"] == {"read": 5, "kept": 1, "rejected": 1, "dropped": 3}
    assert report["decontamination"][0]["ref"] == "core" and report["decontamination"][0]["rows_dropped"] == 1
    assert f"{src}:5" in res.output and "not valid JSON" in res.output
    assert "exact_duplicate" in res.output and "contaminated" in res.output
    # row text is printed literally: no markup is applied, nothing is swallowed
    assert "Say [bold]hi[/bold] <script>alert(1)</script>" in res.output
    assert not list(tmp_path.glob(".*.json*")) and not list(out.parent.glob(".*"))  # no temp files left


def test_cli_clean_exit_2_on_unreadable_input_or_nothing_left(tmp_path):
    out, rep = tmp_path / "o.jsonl", tmp_path / "r.json"
    missing = tmp_path / "nope.jsonl"
    res = runner.invoke(app, ["data", "clean", str(missing), "--out", str(out), "--report", str(rep)])
    assert res.exit_code == 2 and "nope.jsonl" in res.output and not out.exists()

    bad = write_jsonl(tmp_path / "bad.jsonl", ["not json", "[1, 2]"])
    res = runner.invoke(app, ["data", "clean", str(bad), "--out", str(out), "--report", str(rep)])
    assert res.exit_code == 2 and "bad.jsonl: no usable rows" in res.output and not out.exists()

    junk = write_jsonl(tmp_path / "junk.jsonl", [{"prompt": "Q?", "completion": "TODO"}, {"prompt": "R?", "completion": "..."}])
    res = runner.invoke(app, ["data", "clean", str(junk), "--out", str(out), "--report", str(rep)])
    assert res.exit_code == 2 and "nothing usable remained" in res.output
    assert not out.exists() and json.loads(rep.read_text())["counts"]["kept"] == 0


def test_cli_inspect(tmp_path):
    src = write_jsonl(tmp_path / "d.jsonl", [
        {"instruction": "Who wrote it?", "context": "", "response": "Ada.", "category": "closed_qa"},
        {"instruction": "Who wrote it?", "context": "", "response": "Ada.", "category": "closed_qa"},
        {"instruction": "谁写的？", "context": "", "response": "鲁迅。", "category": "open_qa"},
        {"instruction": "x"},
    ])
    res = runner.invoke(app, ["data", "inspect", str(src)])
    assert res.exit_code == 0, res.output
    for needle in ("4 (3 usable, 1 rejected)", "dolly 3", "closed_qa 2", "open_qa 1", "en 2", "zh 1", "33.3%", f"{src}:4"):
        assert needle in res.output, needle


def test_conflicts_are_disagreements_not_rewordings():
    rows = [
        ex("Which city is the capital of China?", "The capital of China is Beijing.", 1),
        ex("Which city is the capital of China?", "The capital of China is Helsinki.", 2),
        ex("Explain photosynthesis.", LONG_EN, 3),
        ex("Explain photosynthesis.", LONG_EN + " Thanks!", 4),  # an elaboration
        ex("Explain photosynthesis.", LONG_EN.replace("nearly every", "almost every"), 5),  # a rewording
    ]
    r = clean(rows, [], CleanOptions())
    assert [c.prompt for c in r.conflicts] == ["Which city is the capital of China?"]
    assert {d.example_source: d.reason for d in r.drops} == {"t.jsonl:4": "near_duplicate", "t.jsonl:5": "near_duplicate"}
    # both conflicting answers stay for the user to resolve (near-dedup does not pick one silently)
    assert {"t.jsonl:1", "t.jsonl:2"} <= {e.source for e in r.kept}


def test_an_answer_that_reuses_the_questions_words_is_not_a_restatement():
    rows = [
        ex("Which city is the capital of Mexico?", "The capital of Mexico is Mexico City.", 1),
        ex("2乘以5等于多少？", "2乘以5等于10。", 2, "zh"),
        ex("What is 9 plus 10?", "What is 9 plus 10?", 3),
        ex("2加4等于多少？", "2加4等于多少", 4, "zh"),
        # the answer fills the question word's slot: 里 of 哪里 is no reuse (every other character is)
        ex("拉脱维亚的首都是哪里？", "拉脱维亚的首都是里加。", 5, "zh"),
        ex("拉脱维亚的首都是哪里？", "拉脱维亚的首都是哪里", 6, "zh"),
        ex("Who wrote the novel Emma?", "Who wrote the novel Emma", 7),
    ]
    r = clean(rows, [], CleanOptions(near_dedup=False))
    restated = {d.example_source for d in r.drops if d.reason == "restated_question"}
    assert restated == {"t.jsonl:3", "t.jsonl:4", "t.jsonl:6", "t.jsonl:7"}


def test_the_example_alpaca_file_is_cleaned_with_every_fault_accounted_for(tmp_path):
    """examples/demo-alpaca.jsonl (the file the README trains on) is what its generator writes, and each
    kind of dirt injected into it is found by the right step."""
    from harness.demo.alpaca_file import INJECTED, dirty_lines

    path = Path(__file__).resolve().parents[1] / "examples" / "demo-alpaca.jsonl"
    assert path.read_text(encoding="utf-8").splitlines() == dirty_lines()
    loaded = load_examples([str(path)])
    r = clean(loaded.examples, loaded.rejected, CleanOptions(), against=["demo"])
    dropped = r.dropped()
    assert len(r.rejected) == INJECTED["malformed"]
    assert dropped["empty_answer"] == INJECTED["empty"] + INJECTED["whitespace"]
    assert dropped["placeholder_answer"] == INJECTED["placeholder"]
    assert dropped["repetitive_answer"] == INJECTED["looping"]
    # every injected restatement (answer = the question) is found, and nothing else
    restated = {d.example_source for d in r.drops if d.reason == "restated_question"}
    injected = {e.source for e in loaded.examples if e.answer.strip() == e.prompt.strip()}
    assert len(injected) == INJECTED["restates_question"] and injected == restated
    assert dropped["exact_duplicate"] == INJECTED["exact_duplicate"]
    assert len(r.conflicts) == INJECTED["conflict"]
    # near duplicates: an answer with a courtesy added; of each such pair at most one row survives
    courtesy = (" Thanks!", " Cheers!", " Enjoy!", "谢谢！", "加油！", "祝好！")
    nudged = [e for e in loaded.examples if e.answer.endswith(courtesy)]
    assert len(nudged) == INJECTED["near_duplicate"]
    kept = {(e.prompt, e.answer) for e in r.kept}
    for e in nudged:
        original = next(e.answer[: -len(c)] for c in courtesy if e.answer.endswith(c))
        assert not ((e.prompt, e.answer) in kept and (e.prompt, original) in kept), e.source
    assert dropped["near_duplicate"] >= INJECTED["near_duplicate"]
    demo_prompts = {t for c in load_suites(["demo"]) for t in c.turns}
    leaked = [e for e in loaded.examples if e.prompt in demo_prompts]
    assert len(leaked) == INJECTED["leaked"]
    contaminated = {d.example_source for d in r.drops if d.reason == "contaminated"}
    assert {e.source for e in leaked} <= contaminated
    assert len(r.kept) + sum(dropped.values()) + len(r.rejected) == len(path.read_text(encoding="utf-8").splitlines())


def test_any_text_is_cleaned_without_crashing_and_every_row_is_accounted_for():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(text, text, st.sampled_from(["en", "zh"])), min_size=1, max_size=12))
    def check(pairs):
        rows = [ex(q or "?", a, n, lang) for n, (q, a, lang) in enumerate(pairs, 1)]
        r = clean(rows, [], CleanOptions(), suites=[("s", [Case("s1", "c", "en", ["What is the capital of France?"])])])
        assert len(r.kept) + len(r.drops) == len(rows)
        check_accounting(r, rows)

    check()
