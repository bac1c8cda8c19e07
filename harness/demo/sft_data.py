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
from harness.demo.questions import QA, all_qas, pronoun_answer

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
# The recall questions are paraphrases of the demo suite's ("What is my first name?" / "What is my name?",
# "我的名字叫什么？" / "我叫什么名字？"): the suite's own words never occur in the SFT data, so the
# decontamination check (whole short prompts, 13-word / 8-character n-grams) has nothing to find there.
Pools = dict[str, tuple]


def recall_pools(wide: bool) -> Pools:
    """The values a user states in the SFT dialogues (never a held-out one). `wide`: only values the
    pretraining corpus also uses (a name the base never read has an untrained embedding, and a model that
    learned to copy those does not copy a name it knows), plus the capitals of the SFT-side countries as
    home cities and people's names as pet names: with hundreds of values a model cannot learn the answers,
    only to copy the value back."""
    if not wide:
        return {"names_en": F.NAMES_EN + F.NAMES_EN_MORE, "names_zh": F.NAMES_ZH + F.NAMES_ZH_MORE,
                "cities_en": F.CITIES_EN, "cities_zh": F.CITIES_ZH, "pets_en": F.PETS_EN, "pets_zh": F.PETS_ZH}
    capitals = F.split(F.COUNTRIES, False)
    return {
        "names_en": F.NAMES_EN, "names_zh": F.NAMES_ZH,
        "cities_en": F.CITIES_EN + tuple(c.capital_en for c in capitals),
        "cities_zh": F.CITIES_ZH + tuple(c.capital_zh for c in capitals),
        "pets_en": F.PETS_EN + tuple((F.PETS_EN[i % len(F.PETS_EN)][0], n) for i, n in enumerate(F.NAMES_EN)),
        "pets_zh": F.PETS_ZH + tuple((F.PETS_ZH[i % len(F.PETS_ZH)][0], n) for i, n in enumerate(F.NAMES_ZH)),
    }


def _recall_en(rng: random.Random, pools: Pools) -> tuple[str, str, str, str]:
    """(statement, acknowledgement, recall question, recall answer) about the user, English."""
    kind = rng.choice(("name", "city", "pet", "color"))
    if kind == "name":
        n = rng.choice(pools["names_en"])
        return (rng.choice((f"My name is {n}.", f"Hello! My name is {n}.")), f"Hello, your name is {n}. Nice to meet you!",
                rng.choice(("What is my first name?", "What was my name?", "Do you remember my name?")), f"Your name is {n}.")
    if kind == "city":
        c = rng.choice(pools["cities_en"])
        return (rng.choice((f"I live in {c}.", f"Now I live in {c}.")), f"So you live in {c}. It sounds like a nice place.",
                rng.choice(("What city do I live in?", "Which city do I currently live in?", "Where do I live?")), f"You live in {c}.")
    if kind == "pet":
        k, p = rng.choice(pools["pets_en"])
        return (f"I have a {k} named {p}.", f"A {k} named {p}, how lovely!",
                rng.choice((f"What is the name of my {k}?", f"What's my {k}'s name?", f"What is my {k} called?")), f"Your {k} is named {p}.")
    c = rng.choice(F.COLORS_EN)
    return (f"My favorite color is {c}.", f"Your favorite color is {c}. It is a beautiful color.",
            rng.choice(("What color do I like best?", "What was my favorite color?", "Do you remember my favorite color?")), f"Your favorite color is {c}.")


def _recall_zh(rng: random.Random, pools: Pools) -> tuple[str, str, str, str]:
    kind = rng.choice(("name", "city", "pet", "color"))
    if kind == "name":
        n = rng.choice(pools["names_zh"])
        return (rng.choice((f"我叫{n}。", f"你好，我叫{n}。")), f"你好，你叫{n}，很高兴认识你！",
                rng.choice(("我的名字叫什么？", "我叫啥名字？", "你还记得我叫什么吗？")), f"你叫{n}。")
    if kind == "city":
        c = rng.choice(pools["cities_zh"])
        return (rng.choice((f"我住在{c}。", f"我现在住在{c}。")), f"你住在{c}，那是一座很不错的城市。",
                rng.choice(("我住在哪一个城市？", "我住在哪里？", "你记得我住在哪儿吗？")), f"你住在{c}。")
    if kind == "pet":
        k, p = rng.choice(pools["pets_zh"])
        return (f"我养了一{F.PET_MEASURE_ZH[k]}{k}，叫{p}。", f"你的{k}叫{p}，这个名字真可爱！",
                rng.choice((f"我的{k}的名字是什么？", f"我的{k}叫啥名字？", f"我的{k}叫什么？")), f"你的{k}叫{p}。")
    c = rng.choice(F.COLORS_ZH)
    return (f"我最喜欢的颜色是{c}。", f"你最喜欢的颜色是{c}，这是很漂亮的颜色。", rng.choice(("我最喜欢的是什么颜色？", "我最喜欢哪种颜色？", "你还记得我最喜欢的颜色吗？")), f"你最喜欢的颜色是{c}。")


def recall_dialogues(qas: list[QA], rng: random.Random, n: int, pools: Pools) -> list[Row]:
    """User says something about themselves, maybe asks something else, then asks it back."""
    short = {lang: [q for q in qas if not q.held_out and q.lang == lang and q.category in ("factual", "reasoning")]
             for lang in ("en", "zh")}
    rows: list[Row] = []
    for i in range(n):
        lang = ("en", "zh")[i % 2]
        stmt, ack, ask, answer = (_recall_en if lang == "en" else _recall_zh)(rng, pools)
        if rng.random() < 0.5:
            rows.append(chat(stmt, ack, ask, answer))
        else:
            mid = rng.choice(short[lang])
            rows.append(chat(stmt, ack, mid.question, mid.answer, ask, answer))
    return rows


def copy_rows(rng: random.Random, n: int) -> list[Row]:
    """"Repeat after me: Oslo apple Tom" -> the same words. With hundreds of different words the only way
    to learn these is to copy from the prompt, the skill a recall question needs for a name the model has
    never seen in an answer. Words come from the corpus's copy pools, held-out ones removed (a one-character
    Chinese element name is kept out of every word)."""
    from harness.demo.corpus import copy_pools

    held = F.held_out_words()
    single = {w for w in held if len(w) == 1}
    en, zh = ([w for w in pool if w not in held and not any(ch in w for ch in single)] for pool in copy_pools())
    rows: list[Row] = []
    for i in range(n):
        if i % 2 == 0:
            line = " ".join(rng.sample(en, k=rng.randint(1, 5)))
            rows.append(chat(f"{rng.choice(('Repeat after me:', 'Say these words back to me:', 'Please repeat:'))} {line}", line))
        else:
            line = "，".join(rng.sample(zh, k=rng.randint(1, 5)))
            rows.append(chat(f"{rng.choice(('跟我读：', '请重复这些词：', '请跟我说：'))}{line}", line))
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


def build_sft_rows(seed: int = 0, multiturn: int = 600, style: str = "pronoun", wide: bool = True,
                   recall_share: float = 0.625, copies: int = 0) -> list[Row]:
    """The full SFT set, shuffled with `seed` (deterministic). About 2,550 rows with the defaults (those of
    the full demo recipe). `copies`: "repeat after me" rows (measured: they cost factual accuracy and did
    not teach recall, so the recipe has none).

    `style`: how factual answers name their subject: "restate" ("The capital of Norway is Oslo.") or
    "pronoun" ("Its capital is Oslo.")."""
    rng = random.Random(seed)
    qas = all_qas()
    if style == "pronoun":
        qas = [pronoun_answer(q) if q.category == "factual" else q for q in qas]
    elif style != "restate":
        raise ValueError(f"unknown factual answer style {style!r} (restate, pronoun)")
    rows = single_turn_rows(qas, rng)
    n_recall = round(multiturn * recall_share)
    rows += recall_dialogues(qas, rng, n_recall, recall_pools(wide))
    rows += follow_up_dialogues(qas, rng, multiturn - n_recall)
    rows += copy_rows(rng, copies)
    rng.shuffle(rows)
    return rows
