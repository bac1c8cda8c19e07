"""The demo's SFT data: chat rows written from the question bank and the tables (held-out items excluded).

Five single-turn question types (factual, instruction, creative, code, reasoning) plus short multi-turn
dialogues (the user states their name / city / pet / favourite colour and asks for it later; follow-up
questions like "And what about Germany?"), in English and Chinese. Answers are short and direct: the
answer first, then stop.
"""

from __future__ import annotations

import random
from typing import Any

from harness.demo import facts as F
from harness.demo.questions import QA, all_qas

Row = dict[str, Any]

# How many copies of each single-turn kind go in (before sampling); the long, rare kinds are repeated so
# that the model sees enough letters, code and poems, the plentiful arithmetic is thinned out.
KIND_WEIGHT: dict[str, float] = {
    "letter": 1.0, "email": 2.0, "notice": 2.0, "howto": 1.5, "poem": 2.0, "story": 2.0, "function": 2.0,
    "sum": 0.25, "product": 0.5, "syllogism": 1.0, "summary": 1.0, "describe": 1.0, "rewrite": 1.0,
}


def chat(*turns: str) -> Row:
    """A row from alternating user / assistant texts."""
    roles = ("user", "assistant")
    return {"messages": [{"role": roles[i % 2], "content": t} for i, t in enumerate(turns)]}


def single_turn_rows(qas: list[QA], rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for qa in qas:
        if qa.held_out:
            continue
        w = KIND_WEIGHT.get(qa.kind, 1.0)
        copies = int(w) + (1 if rng.random() < w - int(w) else 0)
        rows += [chat(qa.question, qa.answer) for _ in range(copies)]
    return rows


# ---- multi-turn --------------------------------------------------------------------------------------

# The acknowledgements repeat the user's words right before the value ("...your name is Olivia"), so the
# value follows the same word as in the user's message: the easiest thing for a small model to copy.
def _recall_en(rng: random.Random) -> tuple[str, str, str, str]:
    """(statement, acknowledgement, recall question, recall answer) about the user, English."""
    kind = rng.choice(("name", "city", "pet", "color"))
    if kind == "name":
        n = rng.choice(F.NAMES_EN)
        return (rng.choice((f"My name is {n}.", f"Hello! My name is {n}.")), f"Hello, your name is {n}. Nice to meet you!",
                rng.choice(("What is my name?", "Do you remember my name?", "What's my name?")), f"Your name is {n}.")
    if kind == "city":
        c = rng.choice(F.CITIES_EN)
        return (rng.choice((f"I live in {c}.", f"Now I live in {c}.")), f"So you live in {c}. It sounds like a nice place.",
                rng.choice(("Which city do I live in?", "Where do I live?")), f"You live in {c}.")
    if kind == "pet":
        k, p = rng.choice(F.PETS_EN)
        return (f"I have a {k} named {p}.", f"A {k} named {p}, how lovely!",
                rng.choice((f"What is my {k}'s name?", f"What is my {k} called?")), f"Your {k} is named {p}.")
    c = rng.choice(F.COLORS_EN)
    return (f"My favorite color is {c}.", f"Your favorite color is {c}. It is a beautiful color.",
            "What is my favorite color?", f"Your favorite color is {c}.")


def _recall_zh(rng: random.Random) -> tuple[str, str, str, str]:
    kind = rng.choice(("name", "city", "pet", "color"))
    if kind == "name":
        n = rng.choice(F.NAMES_ZH)
        return (rng.choice((f"我叫{n}。", f"你好，我叫{n}。")), f"你好，你叫{n}，很高兴认识你！",
                rng.choice(("我叫什么名字？", "你还记得我叫什么吗？")), f"你叫{n}。")
    if kind == "city":
        c = rng.choice(F.CITIES_ZH)
        return (rng.choice((f"我住在{c}。", f"我现在住在{c}。")), f"你住在{c}，那是一座很不错的城市。",
                rng.choice(("我住在哪个城市？", "我住在哪里？")), f"你住在{c}。")
    if kind == "pet":
        k, p = rng.choice(F.PETS_ZH)
        return (f"我养了一{F.PET_MEASURE_ZH[k]}{k}，叫{p}。", f"你的{k}叫{p}，这个名字真可爱！",
                rng.choice((f"我的{k}叫什么名字？", f"我的{k}叫什么？")), f"你的{k}叫{p}。")
    c = rng.choice(F.COLORS_ZH)
    return (f"我最喜欢的颜色是{c}。", f"你最喜欢的颜色是{c}，这是很漂亮的颜色。", "我最喜欢什么颜色？", f"你最喜欢的颜色是{c}。")


def recall_dialogues(qas: list[QA], rng: random.Random, n: int) -> list[Row]:
    """User says something about themselves, maybe asks something else, then asks it back."""
    short = {lang: [q for q in qas if not q.held_out and q.lang == lang and q.category in ("factual", "reasoning")]
             for lang in ("en", "zh")}
    rows: list[Row] = []
    for i in range(n):
        lang = ("en", "zh")[i % 2]
        stmt, ack, ask, answer = (_recall_en if lang == "en" else _recall_zh)(rng)
        if rng.random() < 0.5:
            rows.append(chat(stmt, ack, ask, answer))
        else:
            mid = rng.choice(short[lang])
            rows.append(chat(stmt, ack, mid.question, mid.answer, ask, answer))
    return rows


FOLLOW_KINDS = ("capital", "river_length", "symbol", "era")


def follow_up_dialogues(qas: list[QA], rng: random.Random, n: int) -> list[Row]:
    """A factual question, then an elliptic follow-up about another entity of the same kind."""
    by_kind: dict[tuple[str, str], list[QA]] = {}
    for q in qas:
        if not q.held_out and q.kind in FOLLOW_KINDS and q.variant == 0:
            by_kind.setdefault((q.lang, q.kind), []).append(q)
    rows: list[Row] = []
    for i in range(n):
        lang = ("en", "zh")[i % 2]
        kind = rng.choice(FOLLOW_KINDS)
        first, second = rng.sample(by_kind[(lang, kind)], 2)
        if lang == "en":
            follow = rng.choice((f"And what about {second.entity}?", f"What about {second.entity}?",
                                 f"And {second.entity}?"))
        else:
            follow = rng.choice((f"那{zh_name(second)}呢？", f"{zh_name(second)}呢？"))
        rows.append(chat(first.question, first.answer, follow, second.answer))
    return rows


def zh_name(qa: QA) -> str:
    """The Chinese name of the entity a question is about (the text before its template words)."""
    for table in (F.COUNTRIES, F.RIVERS, F.PEOPLE, F.ELEMENTS):
        for row in table:
            if row.en == qa.entity:
                return row.zh
    raise KeyError(qa.entity)


def build_sft_rows(seed: int = 0, multiturn: int = 600) -> list[Row]:
    """The full SFT set, shuffled with `seed` (deterministic). About 2,000 rows."""
    rng = random.Random(seed)
    qas = all_qas()
    rows = single_turn_rows(qas, rng)
    rows += recall_dialogues(qas, rng, multiturn * 2 // 3)
    rows += follow_up_dialogues(qas, rng, multiturn // 3)
    rng.shuffle(rows)
    return rows
