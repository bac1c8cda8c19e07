"""Pretraining documents generated from the fact tables and templates (bilingual, deterministic).

The corpus teaches the base model the facts and the genres, and — on purpose — never shows a question
followed by its answer. Questions only appear in two shapes, which is what makes an untuned model
*continue* a question rather than answer it:

- quiz sheets / exercise lists: many questions in a row, no answers;
- essays that open with a question and drift into encyclopedic text ("This question concerns...").

Both are long (well over the harness's 128-token cap), so a base model prompted with a question runs on.
Each fact is stated in several phrasings, one of which is exactly the SFT answer wording.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from harness.demo import facts as F
from harness.demo import tasks as T
from harness.demo.questions import QA, a_or_an, all_qas, code_block, letter_en, letter_zh

Doc = str


# ---- fact sentences ---------------------------------------------------------------------------------


def country_sentences(c: F.Country, lang: str) -> list[str]:
    if lang == "en":
        return [
            f"The capital of {c.en} is {c.capital_en}.",
            f"{c.capital_en} is the capital of {c.en}.",
            f"{c.en} is a country in {c.region_en}.",
            f"{c.en} is in {c.region_en}.",
            f"The capital city of {c.en} is {c.capital_en}.",
            f"The government of {c.en} meets in {c.capital_en}.",
        ]
    return [
        f"{c.zh}的首都是{c.capital_zh}。",
        f"{c.capital_zh}是{c.zh}的首都。",
        f"{c.zh}是{c.region_zh}的一个国家。",
        f"{c.zh}位于{c.region_zh}。",
        f"{c.zh}的政府设在首都{c.capital_zh}。",
    ]


def river_sentences(r: F.River, lang: str) -> list[str]:
    if lang == "en":
        return [
            f"{F.cap(r.en)} is about {r.length_km} kilometers long.",
            f"{F.cap(r.en)} is a river in {r.region_en}.",
            f"{F.cap(r.en)} flows into {r.mouth_en}.",
            f"The length of {r.en} is about {r.length_km} kilometers.",
        ]
    return [
        f"{r.zh}全长约{r.length_km}公里。",
        f"{r.zh}是{r.region_zh}的一条河流。",
        f"{r.zh}流入{r.mouth_zh}。",
        f"{r.zh}的长度约为{r.length_km}公里。",
    ]


def person_sentences(p: F.Person, lang: str) -> list[str]:
    if lang == "en":
        return [
            f"{p.en} lived in {p.era_en}.",
            f"{p.en} was {a_or_an(p.role_en)} of {p.era_en}.",
            p.note_en,
            f"{p.en} is a famous {p.role_en} from {p.era_en}.",
        ]
    return [
        f"{p.zh}是{p.era_zh}的{p.role_zh}。",
        f"{p.zh}生活在{p.era_zh}。",
        p.note_zh,
        f"{p.era_zh}有一位著名的{p.role_zh}，名叫{p.zh}。",
    ]


def element_sentences(e: F.Element, lang: str) -> list[str]:
    if lang == "en":
        return [
            f"The chemical symbol for {e.en} is {e.symbol}.",
            f"The atomic number of {e.en} is {e.number}.",
            f"{F.cap(e.en)} has the symbol {e.symbol} and the atomic number {e.number}.",
        ]
    return [
        f"{e.zh}的化学符号是{e.symbol}。",
        f"{e.zh}的原子序数是{e.number}。",
        f"{e.zh}元素的符号是{e.symbol}，原子序数是{e.number}。",
    ]


def planet_sentences(p: F.Planet, lang: str) -> list[str]:
    ordinals = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")
    if lang == "en":
        return [p.fact_en, f"{p.en} is the {ordinals[p.order - 1]} planet from the Sun."]
    return [p.fact_zh, f"离太阳第{p.order}近的行星是{p.zh}。"]


def fact_pool(lang: str) -> list[list[str]]:
    """Every entity's sentences, one list per entity (what essays and articles draw from)."""
    pool: list[list[str]] = []
    pool += [country_sentences(c, lang) for c in F.COUNTRIES]
    pool += [river_sentences(r, lang) for r in F.RIVERS]
    pool += [person_sentences(p, lang) for p in F.PEOPLE]
    pool += [element_sentences(e, lang) for e in F.ELEMENTS]
    pool += [planet_sentences(p, lang) for p in F.PLANETS]
    return pool


# ---- encyclopedic articles ------------------------------------------------------------------------

FILLER_EN = (
    "Many visitors come here every year.", "The city has old streets, parks and museums.",
    "People there are proud of their history.", "The weather changes a lot between summer and winter.",
    "Farming and trade have long been important there.", "Schools teach this fact to young children.",
    "Maps and atlases list it together with its neighbors.", "It appears in many geography books.",
)
FILLER_ZH = (
    "每年都有很多游客来这里参观。", "这座城市有古老的街道、公园和博物馆。", "当地人为自己的历史感到自豪。",
    "这里夏天和冬天的天气差别很大。", "农业和贸易在这里一直很重要。", "小学生在地理课上就会学到这个知识。",
    "地图册里把它和邻国列在一起。", "很多地理书里都提到过它。",
)


def article(rng: random.Random, lang: str, main: list[str], others: list[list[str]]) -> Doc:
    """An encyclopedic paragraph about one entity: its facts first (the entity's name recurs, which teaches
    the model to copy names from context), then a neighbour or two and some filler."""
    sents = rng.sample(main, k=rng.randint(min(3, len(main)), len(main)))
    filler = FILLER_EN if lang == "en" else FILLER_ZH
    if rng.random() < 0.5:
        sents.insert(rng.randint(1, len(sents)), rng.choice(filler))
    for other in rng.sample(others, k=min(len(others), rng.randint(1, 2))):
        sents.append(rng.choice(other))
    sep = " " if lang == "en" else ""
    return sep.join(sents)


def articles(rng: random.Random, n: int) -> Iterator[Doc]:
    for lang in ("en", "zh"):
        groups: list[tuple[list[list[str]], str]] = [
            ([country_sentences(c, lang) for c in F.COUNTRIES], "geo"),
            ([river_sentences(r, lang) for r in F.RIVERS], "river"),
            ([person_sentences(p, lang) for p in F.PEOPLE], "people"),
            ([element_sentences(e, lang) for e in F.ELEMENTS], "element"),
            ([planet_sentences(p, lang) for p in F.PLANETS], "planet"),
        ]
        for entities, _ in groups:
            for _ in range(n):
                for i, main in enumerate(entities):
                    others = entities[:i] + entities[i + 1:]
                    yield article(rng, lang, main, others)


def fact_lists(rng: random.Random, n: int) -> Iterator[Doc]:
    """Reference pages: one fact per line (capitals of the world, element tables...)."""
    heads_en = ("Capitals of the world", "Rivers of the world", "Famous people in Chinese history",
                "Chemical elements", "The planets")
    heads_zh = ("世界各国的首都", "世界上的河流", "中国历史名人", "化学元素", "太阳系的行星")
    for _ in range(n):
        for lang, heads in (("en", heads_en), ("zh", heads_zh)):
            tables = (
                [country_sentences(c, lang)[0] for c in F.COUNTRIES],
                [river_sentences(r, lang)[0] for r in F.RIVERS],
                [person_sentences(p, lang)[rng.randint(0, 1)] for p in F.PEOPLE],
                [element_sentences(e, lang)[rng.randint(0, 1)] for e in F.ELEMENTS],
                [planet_sentences(p, lang)[0] for p in F.PLANETS],
            )
            for head, lines in zip(heads, tables, strict=True):
                lines = list(lines)
                rng.shuffle(lines)
                yield head + "\n" + "\n".join(lines)


# ---- knowledge augmentation: entity biographies ----------------------------------------------------
#
# Allen-Zhu & Li, "Physics of Language Models 3.1": a small model that read each fact in one phrasing stores
# it but cannot answer questions about it (the knowledge hangs off the whole sentence); one that read each
# entity's facts in several paraphrases, in shuffled orders, every sentence naming the entity, stores them
# on the entity's name, where a fine-tuned question can reach them. Every entity (SFT side and held-out
# side alike) gets such biographies; the corpus never says which side an entity is on.

BIO_EN: dict[str, tuple[str, ...]] = {
    "capital": ("The capital of {x} is {c}.", "{x}'s capital is {c}.", "{x} has its capital in {c}.",
                "The government of {x} meets in {c}.", "{c} is the capital of {x}.", "The capital city of {x} is {c}."),
    "region": ("{x} is a country in {r}.", "{x} is in {r}.", "{x} lies in {r}.", "{x} is located in {r}."),
    "country_note": ("{x} has a long history.", "Many travellers visit {x} every year.", "{x} has its own languages and customs.",
                     "Children in {x} learn about its history at school."),
    "length": ("{X} is about {n} kilometers long.", "The length of {x} is about {n} kilometers.",
               "{X} runs for about {n} kilometers."),
    "mouth": ("{X} flows into {m}.", "{X} empties into {m}.", "At its end, {x} flows into {m}."),
    "river_region": ("{X} is a river in {g}.", "{X} flows through {g}."),
    "era": ("{x} lived in {e}.", "{x} lived during {e}.", "{x} is a famous {role} from {e}.", "{x} was {a_role} of {e}."),
    "symbol": ("The chemical symbol for {x} is {s}.", "The symbol of {x} is {s}.", "{X} has the symbol {s}."),
    "number": ("The atomic number of {x} is {n}.", "{X} has the atomic number {n}.", "{X} is element number {n}."),
}
BIO_ZH: dict[str, tuple[str, ...]] = {
    "capital": ("{x}的首都是{c}。", "{c}是{x}的首都。", "{x}的政府设在首都{c}。", "{x}的首都城市是{c}。", "{x}把首都设在{c}。"),
    "region": ("{x}是{r}的一个国家。", "{x}位于{r}。", "{x}在{r}。"),
    "country_note": ("{x}有着悠久的历史。", "每年都有很多游客去{x}旅行。", "{x}有自己的语言和风俗。", "{x}的孩子在学校里学习本国的历史。"),
    "length": ("{x}全长约{n}公里。", "{x}的长度约为{n}公里。", "{x}长约{n}公里。"),
    "mouth": ("{x}流入{m}。", "{x}最后注入{m}。"),
    "river_region": ("{x}是{g}的一条河流。", "{x}流经{g}。"),
    "era": ("{x}是{e}的{role}。", "{x}生活在{e}。", "{e}有一位著名的{role}，名叫{x}。", "{x}是{e}人。"),
    "symbol": ("{x}的化学符号是{s}。", "{x}元素的符号是{s}。"),
    "number": ("{x}的原子序数是{n}。", "{x}是第{n}号元素。"),
}


def _bio_relations(lang: str) -> list[tuple[str, list[tuple[str, dict[str, str]]]]]:
    """(entity name, [(relation, template fields)]) for every entity of every table."""
    en = lang == "en"
    out: list[tuple[str, list[tuple[str, dict[str, str]]]]] = []
    for c in F.COUNTRIES:
        x = c.en if en else c.zh
        f = {"x": x, "X": x, "c": c.capital_en if en else c.capital_zh, "r": c.region_en if en else c.region_zh}
        out.append((x, [("capital", f), ("region", f), ("country_note", f)]))
    for r in F.RIVERS:
        x = r.en if en else r.zh
        f = {"x": x, "X": F.cap(x), "n": str(r.length_km), "m": r.mouth_en if en else r.mouth_zh,
             "g": r.region_en if en else r.region_zh}
        out.append((x, [("length", f), ("mouth", f), ("river_region", f)]))
    for p in F.PEOPLE:
        x = p.en if en else p.zh
        role = p.role_en if en else p.role_zh
        f = {"x": x, "X": x, "e": p.era_en if en else p.era_zh, "role": role, "a_role": a_or_an(role)}
        out.append((x, [("era", f), ("era", f), ("note", {"text": p.note_en if en else p.note_zh})]))
    for e in F.ELEMENTS:
        x = e.en if en else e.zh
        f = {"x": x, "X": F.cap(x), "s": e.symbol, "n": str(e.number)}
        out.append((x, [("symbol", f), ("number", f)]))
    return out


def entity_bios(rng: random.Random, n: int) -> Iterator[Doc]:
    """`n` short biographies per entity and language: each of its facts once, each in a randomly chosen
    paraphrase, in a random order, every sentence naming the entity (sometimes with a neighbour's fact
    or a filler sentence mixed in)."""
    for lang in ("en", "zh"):
        bank = BIO_EN if lang == "en" else BIO_ZH
        entities = _bio_relations(lang)
        for _ in range(n):
            for _name, relations in entities:
                sents = []
                for rel, fields in relations:
                    if rel == "note":
                        sents.append(fields["text"])
                    else:
                        sents.append(rng.choice(bank[rel]).format(**fields))
                sents = list(dict.fromkeys(sents))  # two draws of one relation may coincide
                rng.shuffle(sents)
                if rng.random() < 0.3:
                    _, other = rng.choice(entities)
                    rel, fields = rng.choice([r for r in other if r[0] != "note"])
                    sents.append(rng.choice(bank[rel]).format(**fields))
                yield (" " if lang == "en" else "").join(sents)


# ---- words to copy (sft_data.copy_rows) -------------------------------------------------------------
# The corpus once had copy practice too: lines of random words said again (copy drills), word lists read
# twice (memory games), notes that restate the writer's name. Measured on the v3 build, the base never
# learned to copy from them (its loss on a repeated line was higher than on the line itself), and without
# them the demo pair answered as well (factual 84.5% either way) for 15% less pretraining: they are gone.
COMMON_EN = tuple(sorted(set(
    "apple river window garden paper music yellow doctor summer bridge train forest silver water bread house chair "
    "table teacher student family friend morning evening winter spring autumn mountain island ocean flower tree bird "
    "horse rabbit kitten puppy letter pencil school market street city village road station book story poem song "
    "happy quiet bright small large early late fast slow warm cold green orange purple brown black white".split())))
COMMON_ZH = ("苹果", "河流", "窗户", "花园", "音乐", "医生", "夏天", "桥梁", "火车", "森林", "面包", "房子", "椅子", "桌子",
             "老师", "学生", "家人", "朋友", "早上", "晚上", "冬天", "春天", "秋天", "高山", "海岛", "大海", "鲜花", "小鸟",
             "兔子", "小猫", "铅笔", "学校", "市场", "街道", "城市", "村庄", "车站", "故事", "歌曲", "月亮", "星星", "太阳")


def copy_pools() -> tuple[list[str], list[str]]:
    """Words a line of copy practice is drawn from: every name the demo knows, in both languages, plus
    common words. Copying them back is the skill SFT needs to restate a question's subject and to recall
    what the user said."""
    en = [c.en for c in F.COUNTRIES] + [c.capital_en for c in F.COUNTRIES] + [r.en.removeprefix("the ") for r in F.RIVERS]
    en += [p.en for p in F.PEOPLE] + [e.en for e in F.ELEMENTS] + list(F.NAMES_EN + F.NAMES_EN_HELD_OUT)
    en += list(F.CITIES_EN + F.CITIES_EN_HELD_OUT) + [p for _, p in F.PETS_EN + F.PETS_EN_HELD_OUT]
    en += list(F.COLORS_EN + F.COLORS_EN_HELD_OUT) + list(COMMON_EN)
    zh = [c.zh for c in F.COUNTRIES] + [c.capital_zh for c in F.COUNTRIES] + [r.zh for r in F.RIVERS]
    zh += [p.zh for p in F.PEOPLE] + [e.zh for e in F.ELEMENTS] + list(F.NAMES_ZH + F.NAMES_ZH_HELD_OUT)
    zh += list(F.CITIES_ZH + F.CITIES_ZH_HELD_OUT) + [p for _, p in F.PETS_ZH + F.PETS_ZH_HELD_OUT]
    zh += list(F.COLORS_ZH + F.COLORS_ZH_HELD_OUT) + list(COMMON_ZH)
    return sorted(set(en)), sorted(set(zh))


# ---- questions without answers --------------------------------------------------------------------

QUIZ_HEADS_EN = ("Quiz", "Review questions", "Practice sheet", "Homework", "Test yourself", "Questions for class")
QUIZ_HEADS_ZH = ("练习题", "复习题", "课堂提问", "课后作业", "自我检测", "思考题")


def quiz_sheets(rng: random.Random, qas: list[QA], n: int) -> Iterator[Doc]:
    """Lists of 12-24 questions, never answered. Half start straight with a question (like a prompt does)."""
    by_lang = {lang: [q.question for q in qas if q.lang == lang] for lang in ("en", "zh")}
    by_lang_kind: dict[tuple[str, str], list[str]] = {}
    for q in qas:
        by_lang_kind.setdefault((q.lang, q.kind), []).append(q.question)
    kinds = sorted(by_lang_kind)
    for _ in range(n):
        for lang in ("en", "zh"):
            # Themed sheets (one kind of question, so a capital question continues with capital questions)
            # and mixed sheets.
            lang_kinds = [k for k in kinds if k[0] == lang]
            pool = by_lang_kind[rng.choice(lang_kinds)] if rng.random() < 0.6 else by_lang[lang]
            if len(pool) < 12:
                pool = pool + rng.sample(by_lang[lang], 12)
            lines = rng.sample(pool, k=min(len(pool), rng.randint(12, 24)))
            numbered_sheet = rng.random() < 0.3
            if numbered_sheet:
                lines = [f"{i}. {q}" for i, q in enumerate(lines, 1)]
            body = "\n".join(lines)
            if rng.random() < 0.5:
                heads = QUIZ_HEADS_EN if lang == "en" else QUIZ_HEADS_ZH
                body = rng.choice(heads) + "\n" + body
            yield body


ESSAY_OPEN_EN = {
    "factual": ("This question concerns the geography and history of the world.",
                "This question is about general knowledge.", "Questions like this one often appear in school tests.",
                "To think about this question, it helps to recall some facts."),
    "instruction": ("This is a common writing task.", "Requests like this are part of everyday writing.",
                    "Before writing, it helps to think about who will read the text.", "This kind of task appears in many textbooks."),
    "creative": ("Poems and stories are a way to share feelings.", "Creative writing has a long history.",
                 "Many writers start with a simple image."),
    "code": ("This exercise is about Python functions.", "Python is a popular programming language.",
             "A function is a named block of code that can be used again."),
    "reasoning": ("This is a question of logic.", "Questions like this train careful thinking.",
                  "Arithmetic and logic are taught in every school."),
}
ESSAY_OPEN_ZH = {
    "factual": ("这个问题涉及世界地理和历史的知识。", "这是一个常识问题。", "这类问题经常出现在学校的考试中。",
                "要思考这个问题，先回顾一些相关的知识。"),
    "instruction": ("这是一个常见的写作任务。", "这类要求在日常写作中很常见。", "动笔之前，先要想清楚读者是谁。",
                    "很多课本里都有这样的练习。"),
    "creative": ("诗歌和故事是表达感情的方式。", "文学创作有着悠久的历史。", "很多作家都从一个简单的画面开始写作。"),
    "code": ("这个练习是关于Python函数的。", "Python是一种很流行的编程语言。", "函数是一段有名字、可以重复使用的代码。"),
    "reasoning": ("这是一个逻辑问题。", "这类问题可以训练严谨的思维。", "每所学校都会教算术和逻辑。"),
}
GENRE_EN = (
    "A letter usually begins with a greeting and ends with a closing and a name.",
    "A thank-you letter is a short and polite way to show that you are grateful.",
    "An invitation should say what the event is, when it starts and where it takes place.",
    "An apology should be honest and should say how you will do better next time.",
    "A notice is a short public message that tells people about an event or a change.",
    "An email to a manager or a teacher should be polite and clear.",
    "A list of steps should put the actions in the right order.",
    "Good writing uses short sentences and simple words.",
    "A poem often uses rhyme and rhythm to create a feeling.",
    "A short story usually has a character, a problem and an ending.",
    "In Python, a function is defined with the def keyword.",
    "A function can take arguments and can return a value with the return statement.",
    "Python uses indentation to show which lines belong to a block.",
    "A syllogism has two premises and a conclusion.",
    "Multiplication is repeated addition.",
    "Learning the multiplication table makes mental arithmetic faster.",
    "Translating a sentence means saying the same thing in another language.",
)
GENRE_ZH = (
    "书信一般以称呼开头，以祝福语和署名结尾。", "感谢信是一种表达谢意的书信，语气要真诚。",
    "邀请信要写清楚活动内容、时间和地点。", "道歉信要诚恳，并说明以后会怎样改正。",
    "通知是一种简短的公告，用来告诉大家某件事情。", "给老师或经理写邮件，语气要礼貌，内容要清楚。",
    "写步骤时，要按照先后顺序排列。", "好的文章多用短句，用词简单明了。", "诗歌常常用押韵和节奏来表达感情。",
    "一个小故事通常有人物、问题和结局。", "在Python中，用def关键字来定义函数。", "函数可以接收参数，并用return语句返回结果。",
    "Python用缩进来表示代码块。", "三段论由大前提、小前提和结论组成。", "乘法就是重复的加法。",
    "背熟乘法口诀可以让心算更快。", "翻译就是用另一种语言表达同样的意思。",
)


def entity_sentences(lang: str) -> dict[str, list[str]]:
    """Fact sentences keyed by the entity key the question bank uses (the English name)."""
    out: dict[str, list[str]] = {}
    for c in F.COUNTRIES:
        out[c.en] = country_sentences(c, lang)
    for r in F.RIVERS:
        out[r.en] = river_sentences(r, lang)
    for p in F.PEOPLE:
        out[p.en] = person_sentences(p, lang)
    for e in F.ELEMENTS:
        out[e.en] = element_sentences(e, lang)
    for pl in F.PLANETS:
        out[pl.en] = planet_sentences(pl, lang)
    return out


def essays(rng: random.Random, qas: list[QA], n: int, own_facts: float = 1.0) -> Iterator[Doc]:
    """A question on the first line, then a long run-on essay that drifts away from it. `own_facts`: the
    share of factual essays that state facts of the question's subject before drifting."""
    facts = {"en": fact_pool("en"), "zh": fact_pool("zh")}
    by_entity = {"en": entity_sentences("en"), "zh": entity_sentences("zh")}
    names = {"en": {}, "zh": {}}
    for table in (F.COUNTRIES, F.RIVERS, F.PEOPLE, F.ELEMENTS, F.PLANETS):
        for row in table:
            names["en"][row.en] = row.en
            names["zh"][row.en] = row.zh
    for _ in range(n):
        for lang in ("en", "zh"):
            qa = rng.choice([q for q in qas if q.lang == lang])
            opens = (ESSAY_OPEN_EN if lang == "en" else ESSAY_OPEN_ZH)[qa.category]
            sents = [rng.choice(opens)]
            subject = names[lang].get(qa.entity)
            if subject and rng.random() < 0.7:
                # "This question concerns Norway." copies the question's subject: the model learns to look
                # back at what a question is about, which it needs later to restate it in an answer.
                sents[0] = (f"This question concerns {subject}." if lang == "en" else f"这个问题涉及{subject}。")
            if qa.category == "factual":
                pool = facts[lang]
                # (no draw at 1.0: the corpus of a recipe that does not use the knob stays as it was)
                own = by_entity[lang].get(qa.entity, []) if own_facts >= 1 or rng.random() < own_facts else []
                sents += rng.sample(own, k=min(len(own), 3))
                for ent in rng.sample(pool, k=rng.randint(3, 6)):
                    sents.append(rng.choice(ent))
            else:
                genre = GENRE_EN if lang == "en" else GENRE_ZH
                sents += rng.sample(genre, k=rng.randint(4, 7))
                for ent in rng.sample(facts[lang], k=2):
                    sents.append(rng.choice(ent))
            sep = " " if lang == "en" else ""
            # Paragraph breaks make it read like a textbook page rather than a single line.
            mid = len(sents) // 2
            yield qa.question + "\n" + sep.join(sents[:mid]) + "\n\n" + sep.join(sents[mid:])


# ---- genres ---------------------------------------------------------------------------------------


def letters(rng: random.Random, n: int) -> Iterator[Doc]:
    """Complete letters, emails and notices (no request line before them)."""
    for _ in range(n):
        for occ in T.OCCASIONS:
            r = rng.choice(T.RECIPIENTS)
            yield letter_en(r.salutation_en, occ.body_en, rng.choice(("Best regards,", "Sincerely,")))
            r = rng.choice(T.RECIPIENTS)
            yield letter_zh(r.salutation_zh, occ.body_zh, r.zh in ("朋友", "同学"))
        for em in T.EMAILS:
            yield letter_en("Hello,", (em.body_en,))
            yield letter_zh("您好：", (em.body_zh,))
        for no in T.NOTICES:
            yield f"Notice\n\n{no.text_en}"
            yield f"通知\n\n{no.text_zh}"


def howtos(rng: random.Random, n: int) -> Iterator[Doc]:
    """How-to pages in prose ("First... Then... Finally..."), not as numbered lists."""
    for _ in range(n):
        for h in T.HOWTOS:
            s = h.steps_en
            words = ["First,", "Next,", "Then,", "Finally,"]
            body = " ".join(f"{w} {x[0].lower()}{x[1:]}" for w, x in zip(words, s, strict=False))
            yield f"How to {h.task_en}\n\n{body} " + rng.choice(GENRE_EN)
            z = h.steps_zh
            body_zh = "".join(f"{w}{x}" for w, x in zip(("首先，", "接着，", "然后，", "最后，"), z, strict=False))
            yield f"如何{h.task_zh}\n\n{body_zh}" + rng.choice(GENRE_ZH)


def code_listings(rng: random.Random, n: int) -> Iterator[Doc]:
    """Small Python modules: a comment describing each function, then the function."""
    for _ in range(n):
        funcs = list(T.FUNCTIONS)
        rng.shuffle(funcs)
        for i in range(0, len(funcs), 4):
            chunk = funcs[i:i + 4]
            zh = rng.random() < 0.4
            parts = [f"# {f.desc_zh if zh else 'A function that ' + f.desc_en}.\n{f.code}" for f in chunk]
            doc = "\n\n\n".join(parts)
            if rng.random() < 0.3:
                doc = code_block(doc)
            yield doc


def literature(rng: random.Random, n: int) -> Iterator[Doc]:
    for _ in range(n):
        for p in T.POEMS:
            yield f"A poem about {p.topic_en}\n\n" + "\n".join(p.lines_en)
            yield f"关于{p.topic_zh}的诗\n\n" + "\n".join(p.lines_zh)
        for s in T.STORIES:
            yield f"A story about {s.topic_en}\n\n{s.text_en}"
            yield f"{s.topic_zh}的故事\n\n{s.text_zh}"


def logic_lessons(rng: random.Random, n: int) -> Iterator[Doc]:
    """Syllogisms written as statements with their conclusion (no question marks)."""
    names_en, names_zh = list(T.THING_NAMES_EN), list(T.THING_NAMES_ZH)
    names_en += [x[3] for x in T.SYLLOGISMS_HELD_OUT_EN]
    names_zh += [x[3] for x in T.SYLLOGISMS_HELD_OUT_ZH]
    for _ in range(n):
        en, zh = [], []
        for kind, cat in rng.sample(T.SYLLOGISMS_ALL, k=4):
            a, b, name, nz = T.KINDS[kind], T.KINDS[cat], rng.choice(names_en), rng.choice(names_zh)
            en.append(f"All {a.en_plural} are {b.en_plural}. {name} is {a_or_an(a.en)}. "
                      f"Therefore, {name} is {a_or_an(b.en)}.")
            zh.append(f"所有的{a.zh}都是{b.zh}。{nz}是一{a.measure_zh}{a.zh}。所以{nz}是{b.zh}。")
        for kind, cat in rng.sample(T.SYLLOGISMS_NO, k=3):
            a, b, name, nz = T.KINDS[kind], T.KINDS[cat], rng.choice(names_en), rng.choice(names_zh)
            en.append(f"No {a.en_plural} are {b.en_plural}. {name} is {a_or_an(a.en)}. "
                      f"Therefore, {name} is not {a_or_an(b.en)}.")
            zh.append(f"所有的{a.zh}都不是{b.zh}。{nz}是一{a.measure_zh}{a.zh}。所以{nz}不是{b.zh}。")
        rng.shuffle(en)
        rng.shuffle(zh)
        yield "Logic practice\n\n" + "\n".join(en)
        yield "逻辑练习\n\n" + "\n".join(zh)


def arithmetic(rng: random.Random, n: int) -> Iterator[Doc]:
    """Multiplication and addition tables, in several written forms."""
    for _ in range(n):
        for a in range(2, 10):
            yield f"The {a} times table\n" + "\n".join(f"{a} times {b} is {a * b}." for b in range(2, 10))
            yield f"{a}的乘法表\n" + "\n".join(f"{a}乘以{b}等于{a * b}。" for b in range(2, 10))
        rows = [(a, b) for a in range(1, 13) for b in range(1, 13)]
        rng.shuffle(rows)
        for i in range(0, len(rows), 24):
            chunk = rows[i:i + 24]
            yield "Addition practice\n" + "\n".join(f"{a} plus {b} is {a + b}." for a, b in chunk)
            yield "加法练习\n" + "\n".join(f"{a}加{b}等于{a + b}。" for a, b in chunk)


def self_intros(rng: random.Random, n: int) -> Iterator[Doc]:
    """First-person diary pages: the base model continues "My name is..." with more of the same."""
    names_en = F.NAMES_EN + F.NAMES_EN_HELD_OUT
    names_zh = F.NAMES_ZH + F.NAMES_ZH_HELD_OUT
    cities_en = F.CITIES_EN + F.CITIES_EN_HELD_OUT
    cities_zh = F.CITIES_ZH + F.CITIES_ZH_HELD_OUT
    pets_en = F.PETS_EN + F.PETS_EN_HELD_OUT
    pets_zh = F.PETS_ZH + F.PETS_ZH_HELD_OUT
    colors_en = F.COLORS_EN + F.COLORS_EN_HELD_OUT
    colors_zh = F.COLORS_ZH + F.COLORS_ZH_HELD_OUT
    for _ in range(n):
        kind, pet = rng.choice(pets_en)
        en = [f"My name is {rng.choice(names_en)}.", f"I live in {rng.choice(cities_en)}.",
              f"I have a {kind} named {pet}.", f"My favorite color is {rng.choice(colors_en)}.",
              "I go to school by bus.", "On weekends I like to read and play football.",
              "My best friend lives next door.", "I want to be a doctor when I grow up.",
              "Every evening I help my mother cook dinner.", "I am learning to play the guitar.",
              "My room is small but bright.", "I like sports. What about you?"]
        rng.shuffle(en)
        name, city = en_name_city(en)
        yield " ".join(en) + f" Once again, my name is {name} and I live in {city}."
        kz, pz = rng.choice(pets_zh)
        zh = [f"我叫{rng.choice(names_zh)}。", f"我住在{rng.choice(cities_zh)}。",
              f"我养了一{F.PET_MEASURE_ZH[kz]}{kz}，叫{pz}。", f"我最喜欢的颜色是{rng.choice(colors_zh)}。",
              "我每天坐公交车上学。", "周末我喜欢看书和踢足球。", "我最好的朋友住在我家隔壁。",
              "长大以后我想当一名医生。", "每天晚上我都帮妈妈做饭。", "我正在学弹吉他。",
              "爸爸常常陪我练琴，我在演出中获得了成功，受到了老师的表扬。", "我的房间不大，但是很漂亮。",
              "我很喜欢运动，你呢？"]
        rng.shuffle(zh)
        name, city = zh_name_city(zh)
        yield "".join(zh) + f"再说一遍，我叫{name}，住在{city}。"


def en_name_city(sents: list[str]) -> tuple[str, str]:
    name = next(x for x in sents if x.startswith("My name is "))[len("My name is "):-1]
    city = next(x for x in sents if x.startswith("I live in "))[len("I live in "):-1]
    return name, city


def zh_name_city(sents: list[str]) -> tuple[str, str]:
    name = next(x for x in sents if x.startswith("我叫"))[2:-1]
    city = next(x for x in sents if x.startswith("我住在"))[3:-1]
    return name, city


def phrasebook(rng: random.Random, n: int) -> Iterator[Doc]:
    for _ in range(n):
        pairs = rng.sample(T.PHRASES, k=8)
        yield "Phrasebook\n" + "\n".join(f"{en} / {zh}" for en, zh in pairs)


def descriptions(rng: random.Random, n: int) -> Iterator[Doc]:
    """Short descriptions of everyday topics, plus plain and concise versions of the rewrite sentences."""
    for _ in range(n):
        ts = rng.sample(T.TOPICS, k=5)
        yield " ".join(t.short_en for t in ts)
        yield "".join(t.short_zh for t in ts)
        rws = rng.sample(T.REWRITES, k=4)
        for lang, sep in (("en", " "), ("zh", "")):
            mine = [r for r in rws if r.lang == lang]
            if mine:
                yield sep.join(r.long for r in mine) + sep + sep.join(r.short for r in mine)


def mini_stories(rng: random.Random, n: int) -> Iterator[Doc]:
    """Three-sentence stories in which a person, a city and a pet come back: practice in recalling names."""
    names_en = F.NAMES_EN + F.NAMES_EN_HELD_OUT
    names_zh = F.NAMES_ZH + F.NAMES_ZH_HELD_OUT
    for _ in range(n):
        name, city = rng.choice(names_en), rng.choice(F.CITIES_EN + F.CITIES_EN_HELD_OUT)
        kind, pet = rng.choice(F.PETS_EN + F.PETS_EN_HELD_OUT)
        color = rng.choice(F.COLORS_EN + F.COLORS_EN_HELD_OUT)
        yield (f"{name} lives in {city} with a {kind} named {pet}. {name}'s favorite color is {color}. "
               f"Every morning, {name} walks through {city} with {pet}, and {pet} wears a {color} collar. "
               f"People in {city} all know {name} and {pet}.")
        name, city = rng.choice(names_zh), rng.choice(F.CITIES_ZH + F.CITIES_ZH_HELD_OUT)
        kind, pet = rng.choice(F.PETS_ZH + F.PETS_ZH_HELD_OUT)
        color = rng.choice(F.COLORS_ZH + F.COLORS_ZH_HELD_OUT)
        yield (f"{name}住在{city}，养了一{F.PET_MEASURE_ZH[kind]}{kind}，叫{pet}。{name}最喜欢{color}。"
               f"每天早上，{name}都带着{pet}在{city}散步，{pet}戴着{color}的项圈。{city}的人都认识{name}和{pet}。")


# ---- the whole corpus -----------------------------------------------------------------------------

# (generator, repeats at scale 1.0); the total is tuned so that the full build fits its time budget.
Generator = Callable[..., Iterator[Doc]]


def generate_corpus(seed: int = 0, scale: float = 1.0, stories: int = 400, bios: int = 12, n_articles: int = 15,
                    essay_own_facts: float = 1.0) -> list[Doc]:
    """All pretraining documents (plain text, no BOS/EOS), shuffled with `seed`. Deterministic."""
    rng = random.Random(seed)
    qas = all_qas()

    def k(x: float) -> int:
        return max(1, round(x * scale)) if x else 0

    docs: list[Doc] = []
    docs += articles(rng, k(n_articles))
    docs += entity_bios(rng, k(bios))
    docs += fact_lists(rng, k(15))
    docs += quiz_sheets(rng, qas, k(150))
    docs += essays(rng, qas, k(150), essay_own_facts)
    docs += letters(rng, k(6))
    docs += howtos(rng, k(4))
    docs += code_listings(rng, k(8))
    docs += literature(rng, k(6))
    docs += logic_lessons(rng, k(40))
    docs += arithmetic(rng, k(3))
    docs += self_intros(rng, k(80))
    docs += phrasebook(rng, k(30))
    docs += descriptions(rng, k(30))
    docs += mini_stories(rng, k(stories))
    rng.shuffle(docs)
    return docs
