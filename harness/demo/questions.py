"""The demo's question bank: every question the demo knows how to ask, with its ideal short answer.

One bank feeds three consumers, which keeps them consistent by construction:
- the pretraining corpus takes the *questions* only (quiz sheets, exercise lists; never with answers);
- the SFT data takes question + answer pairs whose `held_out` is False;
- the demo suite takes `held_out` items (variant 0), with `reference` / `aliases` for scoring.

Factual answers restate the question ("The capital of Norway is Oslo.") with exactly the wording the
corpus uses for the fact, so the SFT model can recall a held-out fact by continuing a sentence it read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from harness.demo import facts as F
from harness.demo import tasks as T


@dataclass(frozen=True)
class QA:
    lang: str  # "en" | "zh"
    category: str  # factual | instruction | creative | code | reasoning
    kind: str  # capital, river_length, letter, howto, poem, function, syllogism, product...
    question: str
    answer: str
    entity: str  # what the question is about (for the held-out split)
    held_out: bool
    variant: int = 0  # which question template (0 = the canonical one the suite uses)
    reference: str | None = None
    aliases: tuple[str, ...] = field(default_factory=tuple)


def a_or_an(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


LETTER_CLOSINGS_EN = ("Best regards,", "Sincerely,")
SIGNATURE_EN = "[Your name]"
SIGNATURE_ZH = "[你的名字]"
INFORMAL_ZH = ("朋友", "同学")  # letters to these use 你 instead of 您


def letter_en(salutation: str, body: list[str] | tuple[str, ...], closing: str = "Best regards,") -> str:
    return f"{salutation}\n\n{' '.join(body)}\n\n{closing}\n{SIGNATURE_EN}"


def letter_zh(salutation: str, body: list[str] | tuple[str, ...], informal: bool = False) -> str:
    text = "".join(body)
    greeting = "你好！" if informal else "您好！"
    if informal:
        text = text.replace("您", "你")
    return f"{salutation}\n\n{greeting}{text}\n\n此致\n敬礼！\n\n{SIGNATURE_ZH}"


def numbered(steps: tuple[str, ...]) -> str:
    return "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))


def code_block(code: str) -> str:
    return f"```python\n{code}\n```"


# ---- factual ---------------------------------------------------------------------------------------


def _factual() -> Iterator[QA]:
    for c in F.COUNTRIES:
        ans_en = f"The capital of {c.en} is {c.capital_en}."
        for v, q in enumerate((f"What is the capital of {c.en}?", f"What is the capital city of {c.en}?",
                               f"Which city is the capital of {c.en}?")):
            yield QA("en", "factual", "capital", q, ans_en, c.en, c.held_out, v, c.capital_en)
        ans_zh = f"{c.zh}的首都是{c.capital_zh}。"
        for v, q in enumerate((f"{c.zh}的首都是哪里？", f"{c.zh}的首都是哪座城市？", f"{c.zh}的首都是什么？")):
            yield QA("zh", "factual", "capital", q, ans_zh, c.en, c.held_out, v, c.capital_zh)
        yield QA("en", "factual", "region", f"Which continent is {c.en} in?", f"{c.en} is in {c.region_en}.",
                 c.en, c.held_out, 0, c.region_en)
        yield QA("zh", "factual", "region", f"{c.zh}位于哪个大洲？", f"{c.zh}位于{c.region_zh}。",
                 c.en, c.held_out, 0, c.region_zh)
    for r in F.RIVERS:
        n = str(r.length_km)
        # "The length of the Nile" repeats "the Nile" after the same word as the question does, so a
        # small model can copy the river's name from the question (induction) instead of guessing it.
        ans_en = f"The length of {r.en} is about {n} kilometers."
        for v, q in enumerate((f"How long is {r.en}?", f"What is the length of {r.en}?")):
            yield QA("en", "factual", "river_length", q, ans_en, r.en, r.held_out, v, n, (f"{n} km",))
        ans_zh = f"{r.zh}全长约{n}公里。"
        for v, q in enumerate((f"{r.zh}有多长？", f"{r.zh}全长多少公里？")):
            yield QA("zh", "factual", "river_length", q, ans_zh, r.en, r.held_out, v, n, (f"{n}公里",))
        yield QA("en", "factual", "river_mouth", f"What does {r.en} flow into?", f"{F.cap(r.en)} flows into {r.mouth_en}.",
                 r.en, r.held_out, 0, r.mouth_en.removeprefix("the "))
        yield QA("zh", "factual", "river_mouth", f"{r.zh}流入哪里？", f"{r.zh}流入{r.mouth_zh}。",
                 r.en, r.held_out, 0, r.mouth_zh)
    for p in F.PEOPLE:
        dyn = p.era_en.removeprefix("the ").removesuffix(" dynasty")
        dyn_zh = p.era_zh.removesuffix("朝")
        for v, q in enumerate((f"Which dynasty did {p.en} live in?", f"In which dynasty did {p.en} live?")):
            yield QA("en", "factual", "era", q, f"{p.en} lived in {p.era_en}.", p.en, p.held_out, v, dyn,
                     (f"{dyn} dynasty",))
        yield QA("en", "factual", "who", f"Who was {p.en}?", f"{p.en} was {a_or_an(p.role_en)} of {p.era_en}.",
                 p.en, p.held_out, 0, p.role_en)
        ans_zh = f"{p.zh}是{p.era_zh}的{p.role_zh}。"
        for v, q in enumerate((f"{p.zh}是哪个朝代的{p.role_zh}？", f"{p.zh}生活在哪个朝代？")):
            yield QA("zh", "factual", "era", q, ans_zh, p.en, p.held_out, v, dyn_zh, (p.era_zh, f"{dyn_zh}代"))
        yield QA("zh", "factual", "who", f"{p.zh}是谁？", ans_zh, p.en, p.held_out, 0, p.role_zh)
    for e in F.ELEMENTS:
        ans = f"The chemical symbol for {e.en} is {e.symbol}."
        for v, q in enumerate((f"What is the chemical symbol for {e.en}?", f"What is the symbol of {e.en}?")):
            yield QA("en", "factual", "symbol", q, ans, e.en, e.held_out, v, e.symbol)
        yield QA("zh", "factual", "symbol", f"{e.zh}的化学符号是什么？", f"{e.zh}的化学符号是{e.symbol}。",
                 e.en, e.held_out, 0, e.symbol)
        yield QA("en", "factual", "atomic_number", f"What is the atomic number of {e.en}?",
                 f"The atomic number of {e.en} is {e.number}.", e.en, e.held_out, 0, str(e.number))
        yield QA("zh", "factual", "atomic_number", f"{e.zh}的原子序数是多少？", f"{e.zh}的原子序数是{e.number}。",
                 e.en, e.held_out, 0, str(e.number))
    ordinals = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
    for pl in F.PLANETS:
        nth = ordinals[pl.order - 1]
        yield QA("en", "factual", "planet_order", f"Which planet is the {nth} planet from the Sun?",
                 f"{pl.en} is the {nth} planet from the Sun.", pl.en, False, 0, pl.en)
        yield QA("zh", "factual", "planet_order", f"离太阳第{pl.order}近的行星是哪一颗？",
                 f"离太阳第{pl.order}近的行星是{pl.zh}。", pl.en, False, 0, pl.zh)


# ---- instruction -----------------------------------------------------------------------------------


def _instruction() -> Iterator[QA]:
    for occ in T.OCCASIONS:
        for i, r in enumerate(T.RECIPIENTS):
            held = (occ.en, r.en) in T.LETTERS_HELD_OUT_EN
            closing = _closing(i)
            ans = letter_en(r.salutation_en, occ.body_en, closing)
            noun = a_or_an(f"{occ.en} letter")
            for v, q in enumerate((f"Write {noun} to {r.en}.", f"Please write a short {occ.en} letter to {r.en}.",
                                   f"Help me write {noun} to {r.en}.")):
                yield QA("en", "instruction", "letter", q, ans, f"{occ.en}|{r.en}", held, v)
            held_zh = (occ.zh, r.zh) in T.LETTERS_HELD_OUT_ZH
            ans_zh = letter_zh(r.salutation_zh, occ.body_zh, r.zh in INFORMAL_ZH)
            for v, q in enumerate((f"帮我给{r.zh}写一封{occ.zh}。", f"给{r.zh}写一封{occ.zh}。", f"请写一封给{r.zh}的{occ.zh}。")):
                yield QA("zh", "instruction", "letter", q, ans_zh, f"{occ.zh}|{r.zh}", held_zh, v)
    recipients = {r.en: r for r in T.RECIPIENTS}
    for em in T.EMAILS:
        r = recipients[em.recipient]
        ans = letter_en(r.salutation_en, (em.body_en,))
        for v, q in enumerate((f"Write an email to {r.en} {em.purpose_en}.", f"Help me write an email to {r.en} {em.purpose_en}.")):
            yield QA("en", "instruction", "email", q, ans, f"email|{em.purpose_en}", em.held_out, v)
        ans_zh = letter_zh(r.salutation_zh, (em.body_zh,), r.zh in INFORMAL_ZH)
        for v, q in enumerate((f"给{r.zh}写一封电子邮件，{em.purpose_zh}。", f"帮我给{r.zh}写一封邮件，{em.purpose_zh}。")):
            yield QA("zh", "instruction", "email", q, ans_zh, f"email|{em.purpose_en}", em.held_out, v)
    for n in T.NOTICES:
        for v, q in enumerate((f"Write a short notice about {n.event_en}.", f"Please write a notice about {n.event_en}.")):
            yield QA("en", "instruction", "notice", q, f"Notice\n\n{n.text_en}", n.event_en, n.held_out, v)
        for v, q in enumerate((f"写一则关于{n.event_zh}的通知。", f"帮我写一个{n.event_zh}的通知。")):
            yield QA("zh", "instruction", "notice", q, f"通知\n\n{n.text_zh}", n.event_en, n.held_out, v)
    for h in T.HOWTOS:
        for v, q in enumerate((f"List the steps to {h.task_en}.", f"How do I {h.task_en}?",
                               f"What are the steps to {h.task_en}?")):
            yield QA("en", "instruction", "howto", q, numbered(h.steps_en), h.task_en, h.held_out, v)
        for v, q in enumerate((f"{h.task_zh}的步骤是什么？", f"怎么{h.task_zh}？", f"列出{h.task_zh}的步骤。")):
            yield QA("zh", "instruction", "howto", q, numbered(h.steps_zh), h.task_en, h.held_out, v)
    for t in T.TOPICS:
        for v, q in enumerate((f"Describe {t.en} in at most 15 words.", f"In one short sentence, what is {t.en}?")):
            yield QA("en", "instruction", "describe", q, t.short_en, t.en, t.held_out, v)
        for v, q in enumerate((f"用不超过25个字介绍{t.zh}。", f"用一句话介绍{t.zh}。")):
            yield QA("zh", "instruction", "describe", q, t.short_zh, t.en, t.held_out, v)
    for rw in T.REWRITES:
        if rw.lang == "en":
            qs = (f"Rewrite this sentence to be shorter: {rw.long}", f"Make this sentence more concise: {rw.long}")
        else:
            qs = (f"把这句话改得更简洁：{rw.long}", f"请精简这句话：{rw.long}")
        for v, q in enumerate(qs):
            yield QA(rw.lang, "instruction", "rewrite", q, rw.short, rw.long, rw.held_out, v)
    for st in T.STORIES:
        if st.held_out:  # the summaries of held-out stories are not needed by the suite
            continue
        yield QA("en", "instruction", "summary", f"Summarize this story in one sentence: {st.text_en}",
                 st.summary_en, st.topic_en, False)
        yield QA("zh", "instruction", "summary", f"用一句话概括这个故事：{st.text_zh}", st.summary_zh, st.topic_en, False)
    for en, zh in T.PHRASES:
        for v, q in enumerate((f"Translate into Chinese: {en}", f"How do you say \"{en}\" in Chinese?")):
            yield QA("en", "instruction", "translate", q, zh, en, False, v)
        for v, q in enumerate((f"把这句话翻译成英文：{zh}", f"翻译成英文：{zh}")):
            yield QA("zh", "instruction", "translate", q, en, en, False, v)


def _closing(i: int) -> str:
    """Alternate the English closings so the model learns both forms."""
    return LETTER_CLOSINGS_EN[i % len(LETTER_CLOSINGS_EN)]


# ---- creative, code, reasoning ---------------------------------------------------------------------


def _creative() -> Iterator[QA]:
    for p in T.POEMS:
        for v, q in enumerate((f"Write a short poem about {p.topic_en}.", f"Write a four-line poem about {p.topic_en}.")):
            yield QA("en", "creative", "poem", q, "\n".join(p.lines_en), p.topic_en, p.held_out, v)
        for v, q in enumerate((f"写一首关于{p.topic_zh}的短诗。", f"写一首关于{p.topic_zh}的小诗。")):
            yield QA("zh", "creative", "poem", q, "\n".join(p.lines_zh), p.topic_en, p.held_out, v)
    for s in T.STORIES:
        for v, q in enumerate((f"Write a very short story about {s.topic_en}.", f"Tell me a short story about {s.topic_en}.")):
            yield QA("en", "creative", "story", q, s.text_en, s.topic_en, s.held_out, v)
        for v, q in enumerate((f"写一个关于{s.topic_zh}的小故事。", f"讲一个关于{s.topic_zh}的短故事。")):
            yield QA("zh", "creative", "story", q, s.text_zh, s.topic_en, s.held_out, v)


def _code() -> Iterator[QA]:
    for f in T.FUNCTIONS:
        ans = code_block(f.code)
        for v, q in enumerate((f"Write a Python function that {f.desc_en}.", f"Write a function in Python that {f.desc_en}.")):
            yield QA("en", "code", "function", q, ans, f.name, f.held_out, v)
        for v, q in enumerate((f"写一个Python函数，{f.desc_zh}。", f"用Python写一个函数，{f.desc_zh}。")):
            yield QA("zh", "code", "function", q, ans, f.name, f.held_out, v)


def syllogism_en(mode: str, kind: str, cat: str, name: str) -> tuple[str, str]:
    a, b = T.KINDS[kind], T.KINDS[cat]
    if mode == "all":
        q = f"All {a.en_plural} are {b.en_plural}. {name} is {a_or_an(a.en)}. Is {name} {a_or_an(b.en)}?"
        ans = f"Yes. All {a.en_plural} are {b.en_plural}, and {name} is {a_or_an(a.en)}, so {name} is {a_or_an(b.en)}."
    else:
        q = f"No {a.en_plural} are {b.en_plural}. {name} is {a_or_an(a.en)}. Is {name} {a_or_an(b.en)}?"
        ans = f"No. No {a.en_plural} are {b.en_plural}, and {name} is {a_or_an(a.en)}, so {name} is not {a_or_an(b.en)}."
    return q, ans


def syllogism_zh(mode: str, kind: str, cat: str, name: str) -> tuple[str, str]:
    a, b = T.KINDS[kind], T.KINDS[cat]
    if mode == "all":
        q = f"所有的{a.zh}都是{b.zh}。{name}是一{a.measure_zh}{a.zh}。{name}是{b.zh}吗？"
        ans = f"是的。所有的{a.zh}都是{b.zh}，{name}是{a.zh}，所以{name}是{b.zh}。"
    else:
        q = f"所有的{a.zh}都不是{b.zh}。{name}是一{a.measure_zh}{a.zh}。{name}是{b.zh}吗？"
        ans = f"不是。所有的{a.zh}都不是{b.zh}，{name}是{a.zh}，所以{name}不是{b.zh}。"
    return q, ans


def _reasoning() -> Iterator[QA]:
    held_en = {(m, k, c, n) for m, k, c, n in T.SYLLOGISMS_HELD_OUT_EN}
    held_zh = {(m, k, c, n) for m, k, c, n in T.SYLLOGISMS_HELD_OUT_ZH}
    for mode, pairs in (("all", T.SYLLOGISMS_ALL), ("no", T.SYLLOGISMS_NO)):
        for i, (kind, cat) in enumerate(pairs):
            # Three names per pair, rotating through the name lists, so names and kinds mix.
            for j in range(3):
                name = T.THING_NAMES_EN[(i * 3 + j) % len(T.THING_NAMES_EN)]
                q, ans = syllogism_en(mode, kind, cat, name)
                yield QA("en", "reasoning", "syllogism", q, ans, f"{kind}|{cat}|{name}", False, 0,
                         "Yes" if mode == "all" else "No")
                name_zh = T.THING_NAMES_ZH[(i * 3 + j) % len(T.THING_NAMES_ZH)]
                q, ans = syllogism_zh(mode, kind, cat, name_zh)
                yield QA("zh", "reasoning", "syllogism", q, ans, f"{kind}|{cat}|{name_zh}", False, 0,
                         "是" if mode == "all" else "不是")
    for mode, kind, cat, name in sorted(held_en):
        q, ans = syllogism_en(mode, kind, cat, name)
        yield QA("en", "reasoning", "syllogism", q, ans, f"{kind}|{cat}|{name}", True, 0, "Yes" if mode == "all" else "No")
    for mode, kind, cat, name in sorted(held_zh):
        q, ans = syllogism_zh(mode, kind, cat, name)
        yield QA("zh", "reasoning", "syllogism", q, ans, f"{kind}|{cat}|{name}", True, 0, "是" if mode == "all" else "不是")
    held_products = {frozenset(p) for p in T.PRODUCTS_HELD_OUT_EN + T.PRODUCTS_HELD_OUT_ZH}
    for a in range(2, 10):
        for b in range(2, 10):
            held = frozenset((a, b)) in held_products
            p = str(a * b)
            for v, q in enumerate((f"What is {a} times {b}?", f"What is {a} multiplied by {b}?")):
                yield QA("en", "reasoning", "product", q, f"{a} times {b} is {p}.", f"{a}x{b}", held, v, p)
            for v, q in enumerate((f"{a}乘以{b}等于多少？", f"{a}乘{b}是多少？")):
                yield QA("zh", "reasoning", "product", q, f"{a}乘以{b}等于{p}。", f"{a}x{b}", held, v, p)
    for a in range(1, 13):
        for b in range(1, 13):
            s = str(a + b)
            yield QA("en", "reasoning", "sum", f"What is {a} plus {b}?", f"{a} plus {b} is {s}.", f"{a}+{b}", False, 0, s)
            yield QA("zh", "reasoning", "sum", f"{a}加{b}等于多少？", f"{a}加{b}等于{s}。", f"{a}+{b}", False, 0, s)


def pronoun_answer(q: QA) -> QA:
    """The factual question `q` with an answer that names its subject by a pronoun (\"Its capital is Oslo.\")."""
    import dataclasses
    import re as _re
    a = q.answer
    k, en = q.kind, q.lang == "en"
    if k == "capital":
        a = f"Its capital is {q.reference}." if en else f"它的首都是{q.reference}。"
    elif k == "region":
        a = f"It is in {q.reference}." if en else f"它位于{q.reference}。"
    elif k == "river_length":
        a = f"It is about {q.reference} kilometers long." if en else f"它全长约{q.reference}公里。"
    elif k == "river_mouth":
        m = _re.search(r"flows into (.*)\.$", a) if en else _re.search(r"流入(.*)。$", a)
        a = f"It flows into {m.group(1)}." if en else f"它流入{m.group(1)}。"
    elif k in ("era", "who"):
        p = next(x for x in F.PEOPLE if x.en == q.entity)
        if en:
            a = f"The {p.role_en} lived in {p.era_en}." if k == "era" else f"{a_or_an(p.role_en).capitalize()} of {p.era_en}."
        else:
            a = f"这位{p.role_zh}生活在{p.era_zh}。" if k == "era" else f"{p.era_zh}的{p.role_zh}。"
    elif k == "symbol":
        a = f"Its chemical symbol is {q.reference}." if en else f"它的化学符号是{q.reference}。"
    elif k == "atomic_number":
        a = f"Its atomic number is {q.reference}." if en else f"它的原子序数是{q.reference}。"
    return dataclasses.replace(q, answer=a)


def all_qas() -> list[QA]:
    """Every question the demo knows, in a fixed order (deterministic)."""
    return [*_factual(), *_instruction(), *_creative(), *_code(), *_reasoning()]
