"""The demo's data: pretraining corpus, SFT rows and the demo suite stay consistent and disjoint.

Fast tests check the data and the build bookkeeping (paths, marker, lock, rebuild); the slow test builds
the reduced pair for real and checks the phenomenon with transformers' generate.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.demo import build as B
from harness.demo import facts as F
from harness.demo import tasks as T
from harness.demo.corpus import generate_corpus
from harness.demo.questions import all_qas
from harness.demo.sft_data import build_sft_rows
from harness.demo.suite import SUITE_PATH, build_suite, render_suite

CHECK_IDS = {"format:numbered_list", "format:bullet_list", "format:code_block", "format:max_words",
             "format:max_chars", "format:letter", "format:json", "coherence:recall"}
CATEGORIES = {"factual", "instruction", "creative", "code", "reasoning", "multiturn"}


def recipe_corpus() -> list[str]:
    """The corpus the full demo recipe pretrains on."""
    return generate_corpus(seed=B.FULL.seed, scale=B.FULL.corpus_scale, **B.FULL.corpus)


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return recipe_corpus()


@pytest.fixture(scope="module")
def corpus_text(corpus: list[str]) -> str:
    return "\n".join(corpus)


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    """The SFT rows of the full demo recipe."""
    return build_sft_rows(seed=B.FULL.seed, **B.FULL.sft_data)


@pytest.fixture(scope="module")
def suite() -> list[dict]:
    return [json.loads(line) for line in SUITE_PATH.read_text(encoding="utf-8").splitlines()]


def _texts(rows: list[dict], role: str | None = None) -> list[str]:
    return [m["content"] for r in rows for m in r["messages"] if role is None or m["role"] == role]


# ---- the suite file ------------------------------------------------------------------------------


def test_committed_suite_matches_the_generator() -> None:
    assert SUITE_PATH.read_text(encoding="utf-8") == render_suite(), "run: python -m harness.demo.suite"


def test_suite_schema(suite: list[dict]) -> None:
    assert 100 <= len(suite) <= 140
    ids = [c["id"] for c in suite]
    assert len(set(ids)) == len(ids)
    for c in suite:
        assert re.fullmatch(r"demo-[a-z]+-(en|zh)-\d{3}", c["id"]), c["id"]
        assert c["category"] in CATEGORIES and c["lang"] in ("en", "zh")
        assert c["id"].split("-")[2] == c["lang"]
        assert isinstance(c["turns"], list) and c["turns"] and all(isinstance(t, str) and t.strip() for t in c["turns"])
        for ch in c.get("checks", []):
            assert ch["id"] in CHECK_IDS and isinstance(ch["kwargs"], dict)
        if "references" in c:
            assert len(c["references"]) == len(c["turns"])
    langs = [c["lang"] for c in suite]
    assert 0.4 <= langs.count("zh") / len(langs) <= 0.6
    assert {c["category"] for c in suite} == CATEGORIES
    for cat in CATEGORIES:
        assert {c["lang"] for c in suite if c["category"] == cat} == {"en", "zh"}, cat


def test_the_factual_part_asks_every_held_out_fact(suite: list[dict]) -> None:
    # all of them, once per language: not a hand-picked subset (which had over-sampled the hardest kinds)
    held = {(q.lang, q.question) for q in all_qas() if q.category == "factual" and q.held_out and q.variant == 0}
    asked = [(c["lang"], c["turns"][0]) for c in suite if c["category"] == "factual"]
    assert len(asked) == len(set(asked)) and set(asked) == held
    assert {c["metadata"]["kind"] for c in suite if c["category"] == "factual"} >= {
        "capital", "region", "river_length", "river_mouth", "era", "who", "symbol", "atomic_number"}


def test_suite_declares_the_promised_checks(suite: list[dict]) -> None:
    def with_check(check_id: str) -> list[dict]:
        return [c for c in suite if any(ch["id"] == check_id for ch in c.get("checks", []))]

    multi = [c for c in suite if c["category"] == "multiturn"]
    assert len(multi) >= 8 and all(len(c["turns"]) >= 2 for c in multi)
    for c in with_check("coherence:recall"):
        kw = next(ch["kwargs"] for ch in c["checks"] if ch["id"] == "coherence:recall")
        assert kw["keywords"] and 1 <= kw["turn"] <= len(c["turns"])
    assert len(with_check("coherence:recall")) == len(multi)
    assert all(c["category"] == "code" for c in with_check("format:code_block"))
    assert all(ch["kwargs"] == {"language": "python", "defines": "function"}
               for c in with_check("format:code_block") for ch in c["checks"])
    assert len(with_check("format:code_block")) >= 4
    assert len(with_check("format:letter")) >= 2
    assert any(ch["kwargs"].get("min_items", 0) >= 3 for c in with_check("format:numbered_list") for ch in c["checks"])
    assert with_check("format:max_words") and with_check("format:max_chars")
    assert all(c.get("reference") for c in suite if c["category"] in ("factual", "reasoning"))


# ---- held out: nothing the suite asks is in the SFT data --------------------------------------------


def test_no_suite_prompt_is_in_the_sft_data(suite: list[dict], rows: list[dict]) -> None:
    # Every turn, the generic recall questions too: the SFT data asks "What's my name?", the suite "What is my name?".
    users = set(_texts(rows, "user"))
    for c in suite:
        for t in c["turns"]:
            assert t not in users, (c["id"], t)


def test_sft_rows_are_decontaminated_against_demo_and_core(rows: list[dict], tmp_path: Path) -> None:
    """The build's check is the real one (trainers/data): what it drops, it drops by its own n-gram rule, the
    report it writes is what harness/provenance.py reads, and a compare would call both suites checked."""
    from harness.provenance import training_provenance
    from harness.records import ModelSpec
    from harness.suites import load_suites

    kept, report = B.decontaminate(rows)
    assert report["cleaned"] is True and report["schema"] == "harness.data-clean/v1"
    refs = {d["ref"]: d for d in report["decontamination"]}
    assert set(refs) == {"demo", "core"}
    assert report["counts"]["kept"] == len(kept) and len(kept) + report["counts"]["dropped"] == len(rows)
    assert report["dropped"]["contaminated"]["count"] == sum(d["rows_dropped"] for d in refs.values())
    other = {k: v for k, v in report["dropped"].items() if v["count"] and k != "contaminated"}
    # The build keeps what the cleaner keeps; anything dropped but contamination would be news (the
    # restatement rule once took "拉脱维亚的首都是里加。" for an echo of "拉脱维亚的首都是哪里？").
    assert not other, other
    assert len(kept) >= 0.95 * len(rows)  # the generator keeps the suite's wording out; the check finds only stray n-grams
    (tmp_path / "training_report.json").write_text(json.dumps({"data": report}), encoding="utf-8")
    for ref in ("demo", "core"):
        prov = training_provenance(ModelSpec("sft", str(tmp_path), "local"), load_suites([ref]))
        assert prov["suites"] == [{"suite": ref, "decontaminated": True, "against": ref}]


def test_a_verbatim_suite_prompt_in_the_sft_rows_stops_the_build(rows: list[dict]) -> None:
    from harness.errors import HarnessError

    leaked = {"messages": [{"role": "user", "content": "Hi! My name is Olivia."},
                           {"role": "assistant", "content": "Hello, your name is Olivia. Nice to meet you!"}]}
    with pytest.raises(HarnessError, match="held-out split is broken"):
        B.decontaminate([*rows[:20], leaked])


def _held_out_markers() -> list[tuple[str, re.Pattern[str]]]:
    """Strings that name a held-out entity; none may appear anywhere in the SFT data."""
    words: list[str] = []
    for c in F.split(F.COUNTRIES, True):
        words += [c.en, c.capital_en, c.zh, c.capital_zh]
    for r in F.split(F.RIVERS, True):
        words += [r.en.removeprefix("the "), r.zh]
    for p in F.split(F.PEOPLE, True):
        words += [p.en, p.zh]
    for e in F.split(F.ELEMENTS, True):
        # one-character Chinese element names (金, 铁) occur inside ordinary words, so match them as asked
        words += [e.en, f"{e.zh}的", f"{e.zh}元素"]
    words += list(F.NAMES_EN_HELD_OUT + F.NAMES_ZH_HELD_OUT + F.CITIES_EN_HELD_OUT + F.CITIES_ZH_HELD_OUT)
    words += [p for _, p in F.PETS_EN_HELD_OUT + F.PETS_ZH_HELD_OUT]
    words += [f.name for f in T.FUNCTIONS if f.held_out]
    markers = []
    for w in words:
        pattern = rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
        markers.append((w, re.compile(pattern, re.IGNORECASE)))
    return markers


def test_held_out_entities_never_appear_in_sft_data(rows: list[dict]) -> None:
    text = "\n".join(_texts(rows))
    for word, pattern in _held_out_markers():
        assert not pattern.search(text), f"held-out {word!r} appears in the SFT data"


def test_no_held_out_question_answer_pair_in_sft_data(rows: list[dict]) -> None:
    pairs = {(r["messages"][i]["content"], r["messages"][i + 1]["content"])
             for r in rows for i in range(0, len(r["messages"]) - 1, 2)}
    for qa in all_qas():
        if qa.held_out:
            assert (qa.question, qa.answer) not in pairs
            assert qa.question not in {q for q, _ in pairs}


def test_every_suite_item_is_held_out() -> None:
    held = {q.question for q in all_qas() if q.held_out}
    for c in build_suite():
        if c["category"] != "multiturn":
            assert c["turns"][0] in held, c["id"]


# ---- the facts the suite asks about are in the pretraining corpus ---------------------------------------


def test_references_and_recall_keywords_appear_in_the_corpus(suite: list[dict], corpus_text: str) -> None:
    for c in suite:
        # Yes/No answers of syllogisms are reasoned, not recalled: every other reference is a fact.
        if c.get("reference") and c.get("metadata", {}).get("kind") != "syllogism":
            options = [c["reference"], *c.get("aliases", [])]
            assert any(o in corpus_text for o in options), (c["id"], options)
        for ch in c.get("checks", []):
            if ch["id"] == "coherence:recall":
                assert any(k in corpus_text for k in ch["kwargs"]["keywords"]), c["id"]


def test_factual_answers_are_stated_verbatim_in_the_corpus(corpus_text: str) -> None:
    """The SFT answer wording of every held-out fact is a sentence the base model read."""
    for qa in all_qas():
        if qa.held_out and qa.category == "factual":
            assert qa.answer in corpus_text, qa.answer


def test_corpus_never_answers_a_question_right_after_it(corpus: list[str]) -> None:
    qas = all_qas()
    text = "\n".join(corpus)
    assert "<|im_start|>" not in text and "<|im_end|>" not in text
    for qa in qas:
        assert f"{qa.question}\n{qa.answer}" not in text
        assert f"{qa.question} {qa.answer}" not in text


def test_corpus_has_quiz_sheets_and_run_on_essays(corpus: list[str]) -> None:
    questions = {q.question for q in all_qas()}
    for lang_marker in ("?", "？"):
        sheets = [d for d in corpus if sum(line in questions for line in d.split("\n")) >= 10
                  and lang_marker in d]
        assert len(sheets) >= 50
    starts_with_question = [d for d in corpus if d.split("\n", 1)[0] in questions]
    assert len(starts_with_question) >= 200


def _essays_stating_their_answer(docs: list[str]) -> tuple[int, int]:
    """(essays that open with a factual question, those of them whose text states its answer)."""
    asked = {q.question: q for q in all_qas() if q.category == "factual"}
    essays = [d for d in docs if d.split("\n", 1)[0] in asked and d.count("\n") == 3 and "\n\n" in d]
    return len(essays), sum(asked[d.split("\n", 1)[0]].reference in d.split("\n", 1)[1] for d in essays)


def test_recipe_essays_rarely_answer_their_own_question(corpus: list[str]) -> None:
    """v6: an essay opening with "What is the capital of Peru?" no longer goes on to state Peru's facts, so
    the base cannot answer a demo question by continuing it into an essay (issue K: base factual <= 25%).
    Only the facts of other entities drawn at random may hit the subject."""
    n, stating = _essays_stating_their_answer(corpus)
    assert n >= 100 and stating / n < 0.1, (n, stating)
    n, stating = _essays_stating_their_answer(generate_corpus(essay_own_facts=1.0))
    assert stating / n > 0.9, (n, stating)  # the knob is what makes the difference


def test_data_is_deterministic_and_bilingual(corpus: list[str], rows: list[dict]) -> None:
    assert recipe_corpus() == corpus
    assert build_sft_rows(seed=B.FULL.seed, **B.FULL.sft_data) == rows
    zh = re.compile(r"[\u4e00-\u9fff]")
    assert sum(bool(zh.search(d)) for d in corpus) > len(corpus) * 0.3
    assert sum(not zh.search(d) for d in corpus) > len(corpus) * 0.3
    users = _texts(rows, "user")
    assert sum(bool(zh.search(u)) for u in users) > len(users) * 0.3


def test_sft_rows_are_well_formed_and_cover_every_type(rows: list[dict]) -> None:
    assert 500 <= len(rows) <= 3500
    for r in rows:
        msgs = r["messages"]
        assert [m["role"] for m in msgs] == ["user", "assistant"] * (len(msgs) // 2)
        assert all(m["content"].strip() for m in msgs)
    assistants = _texts(rows, "assistant")
    assert any(a.startswith("```python\ndef ") for a in assistants)
    assert any(a.startswith("Dear ") and "Best regards," in a for a in assistants)
    assert any(a.startswith("亲爱的") and "此致\n敬礼" in a for a in assistants)
    assert any(a.startswith("1. ") and "\n2. " in a for a in assistants)
    multi = [r for r in rows if len(r["messages"]) >= 4]
    assert len(multi) >= 100
    assert any(len(r["messages"]) == 6 for r in multi)


# ---- build bookkeeping (no training: _build_into is replaced) -----------------------------------------


def _fake_build(calls: list[Path]):
    def fake(out: Path, recipe: B.Recipe, console, final: Path | None = None) -> None:
        calls.append(out)
        for sub in ("base", "sft"):
            (out / sub).mkdir(parents=True)
            (out / sub / "config.json").write_text("{}")
        (out / B.MARKER).write_text(json.dumps({"recipe": recipe.name}))

    return fake


def test_demo_dir_follows_harness_home_and_recipe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARNESS_HOME", str(tmp_path))
    assert B.demo_dir() == tmp_path / "demo" / B.RECIPE_VERSION
    assert B.demo_dir(reduced=True) != B.demo_dir()
    assert B.demo_dir(tmp_path / "x") == tmp_path / "x" / "demo" / B.RECIPE_VERSION


def test_ensure_demo_builds_once_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(B, "_build_into", _fake_build(calls))
    base, sft = B.ensure_demo(home=tmp_path)
    root = B.demo_dir(tmp_path)
    assert (base, sft) == (root / "base", root / "sft")
    assert calls and calls[0] != root  # built elsewhere, then renamed into place
    assert B.is_built(root) and not [p for p in root.parent.iterdir() if p.name.startswith(".tmp-")]
    assert B.ensure_demo(home=tmp_path) == (base, sft) and len(calls) == 1  # no rebuild
    B.build_demo(home=tmp_path, force=True)
    assert len(calls) == 2 and B.is_built(root)


def test_failed_build_leaves_nothing_half_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(out: Path, recipe: B.Recipe, console, final: Path | None = None) -> None:
        (out / "base").mkdir(parents=True)
        raise RuntimeError("interrupted")

    monkeypatch.setattr(B, "_build_into", boom)
    with pytest.raises(RuntimeError):
        B.ensure_demo(home=tmp_path)
    root = B.demo_dir(tmp_path)
    assert not root.exists() and not B.is_built(root)
    assert not [p for p in root.parent.iterdir() if p.name.startswith(".tmp-")]


def test_new_recipe_version_builds_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    monkeypatch.setattr(B, "_build_into", _fake_build(calls))
    B.ensure_demo(home=tmp_path)
    monkeypatch.setattr(B, "RECIPE_VERSION", B.RECIPE_VERSION + "-next")
    base, _ = B.ensure_demo(home=tmp_path)
    assert len(calls) == 2 and B.RECIPE_VERSION in str(base)


# ---- the real thing (slow) -------------------------------------------------------------------------


@pytest.mark.slow
def test_reduced_build_shows_base_running_on_and_sft_stopping(reduced_demo: tuple[Path, Path, Path]) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    home, base_dir, sft_dir = reduced_demo  # built by B.build_demo(home=..., reduced=True), once per session
    assert (base_dir, sft_dir) == (B.demo_dir(home, reduced=True) / "base", B.demo_dir(home, reduced=True) / "sft")
    marker = json.loads((B.demo_dir(home, reduced=True) / B.MARKER).read_text())
    assert marker["recipe_version"] == B.RECIPE_VERSION
    prompts = [c["turns"][0] for c in build_suite() if c["category"] in ("factual", "instruction", "code")][::2]

    def generate(path: Path, chat: bool) -> list[bool]:
        tok = AutoTokenizer.from_pretrained(str(path))
        model = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32).eval()
        eos = model.generation_config.eos_token_id
        eos = [eos] if isinstance(eos, int) else eos
        stopped = []
        for p in prompts:
            if chat:
                text = tok.apply_chat_template([{"role": "user", "content": p}], add_generation_prompt=True, tokenize=False)
            else:
                text = tok.bos_token + p + "\n"
            ids = tok(text, add_special_tokens=False, return_tensors="pt")["input_ids"]
            assert ids[0].tolist().count(tok.bos_token_id) == 1
            out = model.generate(ids, max_new_tokens=128, do_sample=False, pad_token_id=tok.pad_token_id)
            stopped.append(out[0, -1].item() in eos)
        return stopped

    base_stops, sft_stops = generate(base_dir, chat=False), generate(sft_dir, chat=True)
    assert sum(base_stops) / len(base_stops) < 0.5 < sum(sft_stops) / len(sft_stops), (base_stops, sft_stops)


# ---- what makes held-out knowledge extractable and names copyable ---------------------------------------


def test_listed_chinese_words_are_one_token_in_every_context() -> None:
    from trainers.tokenizer import train_tokenizer

    texts = ["我叫林晓雨。", "你叫林晓雨，很高兴认识你！", "法国的首都是巴黎。", "我住在法国。"] * 3
    tok = train_tokenizer(texts, vocab_size=400, min_frequency=1, words=["林晓雨", "法国", "巴黎", "ab"])
    for text in ("我叫林晓雨。", "你叫林晓雨", "林晓雨住在法国"):
        pieces = [tok.convert_tokens_to_string([t]) for t in tok.tokenize(text)]
        assert "林晓雨" in pieces, (text, pieces)
    assert [tok.convert_tokens_to_string([t]) for t in tok.tokenize("法国的首都")] == ["法国", "的", "首", "都"]
    # without the word list every Chinese character stays its own token
    plain = train_tokenizer(texts, vocab_size=400, min_frequency=1)
    assert len(plain.tokenize("林晓雨")) == 3


def test_recipe_sft_rows_use_values_the_corpus_teaches(corpus_text: str) -> None:
    from harness.demo.sft_data import recall_pools

    pools = recall_pools(wide=True)
    values = [*pools["names_en"], *pools["names_zh"], *pools["cities_en"], *pools["cities_zh"]]
    values += [name for _, name in pools["pets_en"] + pools["pets_zh"]]
    missing = [v for v in values if v not in corpus_text]
    assert not missing, missing[:10]
    assert not set(values) & F.held_out_words()


def test_pronoun_style_answers_without_naming_the_subject() -> None:
    rows = build_sft_rows(style="pronoun", multiturn=0)
    answers = {m["content"] for r in rows for m in r["messages"] if m["role"] == "assistant"}
    assert "Its capital is Berlin." in answers and "它的首都是柏林。" in answers
    assert "The capital of Germany is Berlin." not in answers
    with pytest.raises(ValueError, match="style"):
        build_sft_rows(style="terse")


def test_copy_rows_repeat_the_prompt_words_and_name_nothing_held_out() -> None:
    import random

    from harness.demo.sft_data import copy_rows

    rows = copy_rows(random.Random(0), 200)
    held = F.held_out_words()
    for r in rows:
        user, answer = r["messages"][0]["content"], r["messages"][1]["content"]
        assert user.endswith(answer)
        words = answer.split(" ") if answer.isascii() else answer.split("，")
        assert not set(words) & held, words
    assert len({r["messages"][1]["content"] for r in rows}) > 150
