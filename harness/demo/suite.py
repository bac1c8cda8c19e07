"""The built-in demo suite (benchmarks/demo.jsonl), generated from the held-out rows of the tables.

The committed file is the output of `write_suite()`; a test checks they agree, so the suite can never
drift from the facts the demo models were trained on. Regenerate with:

    python -m harness.demo.suite
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.demo.questions import QA, all_qas

SUITE_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "demo.jsonl"

CODE_CHECK = {"id": "format:code_block", "kwargs": {"language": "python", "defines": "function"}}
LETTER_CHECK = {"id": "format:letter", "kwargs": {}}


def _check(id_: str, **kwargs: Any) -> dict[str, Any]:
    return {"id": id_, "kwargs": kwargs}


# (lang, kind, entity, checks) for the single-turn cases other than the factual ones, in suite order within
# each category. The factual part is every held-out fact, asked once in each language (`factual_items()`):
# it measures what the demo is about, whether the SFT answers with what the base knows, on all the facts it
# could, not on a hand-picked few (a subset of 16 had over-sampled the numeric facts, symbols and lengths,
# that this small model answers worst: 62.5% against 81% on all of them, measured on the v2 pair). The other
# question types mainly show the answer's shape (directness, format), which every case measures.
SINGLE: dict[str, list[tuple[str, str, str, list[dict[str, Any]]]]] = {
    "instruction": [
        ("en", "letter", "thank-you|my neighbor", [LETTER_CHECK]),
        ("en", "howto", "plant a tree", [_check("format:numbered_list", min_items=3)]),
        ("en", "describe", "the Sun", [_check("format:max_words", limit=15)]),
        ("en", "rewrite", "Since the bus was late again this morning, most of the students arrived at school after the bell.",
         [_check("format:max_words", limit=12)]),
        ("zh", "letter", "感谢信|奶奶", [LETTER_CHECK]),
        ("zh", "howto", "boil an egg", [_check("format:numbered_list", min_items=3)]),
        ("zh", "describe", "the giant panda", [_check("format:max_chars", limit=25)]),
        ("zh", "rewrite", "由于图书馆正在进行内部装修的原因，所以本周末图书馆将暂停对外开放。", [_check("format:max_chars", limit=20)]),
    ],
    "creative": [
        ("en", "poem", "the sea", [_check("format:max_words", limit=60)]),
        ("en", "story", "a brave little bird", [_check("format:max_words", limit=100)]),
        ("zh", "poem", "autumn", [_check("format:max_chars", limit=60)]),
        ("zh", "story", "a brave little bird", [_check("format:max_chars", limit=150)]),
    ],
    "code": [
        ("en", "function", "factorial", [CODE_CHECK]), ("en", "function", "reverse_string", [CODE_CHECK]),
        ("zh", "function", "is_palindrome", [CODE_CHECK]), ("zh", "function", "count_vowels", [CODE_CHECK]),
    ],
    "reasoning": [
        ("en", "syllogism", "whale|mammal|Moby", []),
        ("zh", "product", "9x6", []),
    ],
}

# Multi-turn cases: (lang, turns, golden answers per turn, recall keywords, turn the keyword must be in).
# Every value the user states is held out of the SFT data (facts.py *_HELD_OUT), and so is the phrasing of
# each recall question (sft_data.py asks for the same things in other words): the SFT model has to carry
# the skill, not a memorised question, over to these conversations.
MULTI: list[tuple[str, list[str], list[str], list[str], int]] = [
    ("en", ["My name is Olivia.", "What is my name?"],
     ["Hello, your name is Olivia. Nice to meet you!", "Your name is Olivia."], ["Olivia"], 2),
    ("en", ["My name is Ethan.", "What is the chemical symbol for silver?", "What is my name?"],
     ["Hello, your name is Ethan. Nice to meet you!", "The chemical symbol for silver is Ag.", "Your name is Ethan."],
     ["Ethan"], 3),
    ("en", ["I live in Chengdu.", "What is the capital of Poland?", "Which city do I live in?"],
     ["So you live in Chengdu. It sounds like a nice place.", "The capital of Poland is Warsaw.", "You live in Chengdu."],
     ["Chengdu"], 3),
    ("en", ["I live in Vancouver.", "Which city do I live in?"],
     ["So you live in Vancouver. It sounds like a nice place.", "You live in Vancouver."], ["Vancouver"], 2),
    ("en", ["I have a dog named Biscuit.", "What is my dog's name?"],
     ["A dog named Biscuit, how lovely!", "Your dog is named Biscuit."], ["Biscuit"], 2),
    ("en", ["I have a cat named Oreo.", "How long is the Danube?", "What is my cat's name?"],
     ["A cat named Oreo, how lovely!", "The length of the Danube is about 2850 kilometers.", "Your cat is named Oreo."],
     ["Oreo"], 3),
    ("en", ["My favorite color is green.", "Which dynasty did Sima Qian live in?", "What is my favorite color?"],
     ["Your favorite color is green. It is a beautiful color.", "Sima Qian lived in the Han dynasty.", "Your favorite color is green."],
     ["green"], 3),
    ("en", ["What is the capital of Sweden?", "And what about Portugal?"],
     ["The capital of Sweden is Stockholm.", "The capital of Portugal is Lisbon."], ["Lisbon"], 2),
    ("zh", ["我叫林晓雨。", "我叫什么名字？"], ["你好，你叫林晓雨，很高兴认识你！", "你叫林晓雨。"], ["林晓雨"], 2),
    ("zh", ["我叫郭子涵。", "银的化学符号是什么？", "我叫什么名字？"],
     ["你好，你叫郭子涵，很高兴认识你！", "银的化学符号是Ag。", "你叫郭子涵。"], ["郭子涵"], 3),
    ("zh", ["我住在杭州。", "越南的首都是哪里？", "我住在哪个城市？"],
     ["你住在杭州，那是一座很不错的城市。", "越南的首都是河内。", "你住在杭州。"], ["杭州"], 3),
    ("zh", ["我住在苏州。", "我住在哪个城市？"], ["你住在苏州，那是一座很不错的城市。", "你住在苏州。"], ["苏州"], 2),
    ("zh", ["我养了一只猫，叫年糕。", "我的猫叫什么名字？"], ["你的猫叫年糕，这个名字真可爱！", "你的猫叫年糕。"], ["年糕"], 2),
    ("zh", ["我养了一条狗，叫团子。", "湄公河有多长？", "我的狗叫什么名字？"],
     ["你的狗叫团子，这个名字真可爱！", "湄公河全长约4350公里。", "你的狗叫团子。"], ["团子"], 3),
    ("zh", ["我最喜欢的颜色是紫色。", "曹雪芹是哪个朝代的小说家？", "我最喜欢什么颜色？"],
     ["你最喜欢的颜色是紫色，这是很漂亮的颜色。", "曹雪芹是清朝的小说家。", "你最喜欢的颜色是紫色。"], ["紫色"], 3),
    ("zh", ["瑞典的首都是哪里？", "那埃及呢？"], ["瑞典的首都是斯德哥尔摩。", "埃及的首都是开罗。"], ["开罗"], 2),
]

SHORT = {"factual": "fact", "instruction": "inst", "creative": "crea", "code": "code", "reasoning": "reas",
         "multiturn": "multi"}


def _find(qas: list[QA], lang: str, kind: str, entity: str) -> QA:
    for q in qas:
        if q.lang == lang and q.kind == kind and q.entity == entity and q.variant == 0:
            if not q.held_out:
                raise ValueError(f"demo suite item is not held out of the SFT data: {lang} {kind} {entity}")
            return q
    raise KeyError(f"no question for {lang} {kind} {entity}")


def factual_items(qas: list[QA]) -> list[tuple[str, str, str, list[dict[str, Any]]]]:
    """Every held-out factual question (its canonical wording), English first, in the tables' order."""
    return [(q.lang, q.kind, q.entity, []) for lang in ("en", "zh") for q in qas
            if q.category == "factual" and q.held_out and q.variant == 0 and q.lang == lang]


def build_suite() -> list[dict[str, Any]]:
    """The demo suite as JSON-ready dicts, ids like demo-fact-en-001."""
    qas = all_qas()
    cases: list[dict[str, Any]] = []
    counters: dict[tuple[str, str], int] = {}

    def next_id(category: str, lang: str) -> str:
        counters[(category, lang)] = counters.get((category, lang), 0) + 1
        return f"demo-{SHORT[category]}-{lang}-{counters[(category, lang)]:03d}"

    for category, items in {"factual": factual_items(qas), **SINGLE}.items():
        for lang, kind, entity, checks in items:
            qa = _find(qas, lang, kind, entity)
            case: dict[str, Any] = {"id": next_id(category, lang), "category": category, "lang": lang,
                                    "turns": [qa.question]}
            if qa.reference is not None:
                case["reference"] = qa.reference
                if qa.aliases:
                    case["aliases"] = list(qa.aliases)
            if checks:
                case["checks"] = checks
            case["references"] = [qa.answer]
            case["metadata"] = {"kind": kind, "entity": entity}
            cases.append(case)
    for lang, turns, golden, keywords, turn in MULTI:
        cases.append({
            "id": next_id("multiturn", lang), "category": "multiturn", "lang": lang, "turns": turns,
            "reference": keywords[0], "references": golden,
            "checks": [_check("coherence:recall", keywords=keywords, turn=turn)],
            "metadata": {"kind": "recall"},
        })
    return cases


def render_suite() -> str:
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in build_suite())


def write_suite(path: Path = SUITE_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_suite(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_suite())
