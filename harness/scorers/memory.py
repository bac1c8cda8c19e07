"""What the user told the assistant, and later asks back (context memory), in English and Chinese.

`stated_values(prompts)` reads the user's turns for facts about themselves: a name ("my name is
Priya", "call me Sam", "我叫王磊"), a place ("I live in Lisbon", "I'm visiting Lisbon", "我住在杭州",
"我下个月要去成都"), a number to remember, a pet's name, "my favourite colour is green",
"I'm allergic to peanuts", "我对海鲜过敏", words to remember. A later correction replaces the value
("Actually, call me Alex", "it's on Friday, not Thursday", "更正：…改到了310会议室").

`recall_question(prompt, values)` decides whether a later turn asks for one of them ("What's my
name?", "Which city did I say I'm visiting?", "我对什么过敏？", "刚才让你记住的数字是多少？") and
returns the keywords its answer must contain: `coherence:recall`, inferred instead of declared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)"
_PLACE = r"((?:[A-Z][a-z]+|[A-Z]{2,})(?:[ -](?:[A-Z][a-z]+|de|da|do|del|of))*)"
_ZH_VAL = r"([\u4e00-\u9fffA-Za-z0-9]{1,10}?)"
_ZH_END = r"(?=[，。！？,.!?；;：:\s]|出差|旅游|旅行|玩|工作|上班|生活|读书|上学|开会|$)"
_NUM = r"(\d[\d,.:\-]*\d|\d)"


@dataclass(frozen=True)
class Slot:
    kind: str  # name, place, number, pet, favourite, allergy, age, job, words, date, thing
    value: str
    said: str  # the user's words


# (kind, pattern) on user statements; group 1 is the value (group 2 the favourite's noun, for "favourite").
_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("name", re.compile(r"(?i:\b(?:my name is|my name's|call me|i am called|i'm called|name's))\s+" + _NAME)),
    ("name", re.compile(r"(?:^|[.!?]\s+)(?i:(?:hi|hello|hey)?[,!]?\s*(?:i'm|i am))\s+" + _NAME + r"(?=[\s,.!]|$)(?!\s+(?:and|at|in|from)\s+[A-Z])")),
    ("name", re.compile(r"我叫" + _ZH_VAL + r"(?=[，。！？,.!?；;\s]|$|，)|我的名字(?:是|叫)" + _ZH_VAL + r"(?=[，。！？,.!?；;\s]|$)|(?:叫我|称呼我为?)" + _ZH_VAL + r"(?=[，。！？,.!?；;\s吧就]|$)")),
    ("pet", re.compile(r"(?i:\b(?:dog|cat|puppy|kitten|pet|parrot|rabbit|hamster|fish|goldfish|turtle|horse|bird)s?\s+(?:is\s+)?(?:named|called))\s+" + _NAME + r"(?:\s+and\s+" + _NAME + r")?")),
    ("pet", re.compile(r"(?i:\bmy\s+(?:dog|cat|puppy|kitten|pet|parrot|rabbit|hamster)'?s?\s+name is)\s+" + _NAME)),
    ("pet", re.compile(r"(?:狗|猫|宠物|鹦鹉|兔子|仓鼠|小狗|小猫)[，,]?\s*(?:的名字)?(?:叫做?|名叫|名字是)" + _ZH_VAL + r"(?=[，。！？,.!?；;\s]|$)")),
    ("place", re.compile(r"(?i:\b(?:i live in|i'm living in|i am living in|i'm from|i am from|i work in|i'm based in|i grew up in|i moved to|i'm moving to|i'm visiting|i am visiting|i'm staying in))\s+" + _PLACE)),
    ("place", re.compile(r"(?i:\b(?:trip|travel(?:l?ing)?|flight|vacation|holiday|journey|going|moving|heading)\s+to)\s+" + _PLACE)),
    ("place", re.compile(r"(?:我|^|[，,。；])(?:现在|目前|上个月|去年|刚)*(?:住在|生活在|来自|在|老家在|要去|将去|打算去|准备去|想去|下个月要去|明天要去|下周要去|周末要去|搬到了?|搬去了?|搬来了?)" + _ZH_VAL + _ZH_END)),
    ("number", re.compile(r"\b(?:remember|note|memori[sz]e|keep in mind)\b[^.?!\n]{0,30}?\b(?:number|code|pin|digits?)\b[^0-9\n]{0,12}" + _NUM, re.I)),
    ("number", re.compile(r"\bmy\s+(?:\w+\s+){0,2}(?:number|code|pin)\s+is\s+" + _NUM, re.I)),
    ("number", re.compile(r"记住[^。！？\n]{0,8}?(?:数字|号码|密码|编号)[:：是]?\s*" + _NUM + r"|我的[^。！？\n]{0,6}?(?:号码|号|编号)是\s*" + _NUM)),
    ("words", re.compile(r"\bremember\b[^.?!\n]{0,25}?\bwords?\b[^:\n]{0,10}[:：]\s*([^.?!\n]{2,80})", re.I)),
    ("words", re.compile(r"记住[^。！？\n]{0,8}?(?:词|单词|名字)[:：]\s*([^。！？\n]{2,60})")),
    ("favourite", re.compile(r"\bmy\s+favou?rite\s+(\w+(?:\s+\w+)?)\s+is\s+([^.,!?\n]{1,30})", re.I)),
    ("favourite", re.compile(r"我最喜欢的([\u4e00-\u9fff]{1,4})是" + _ZH_VAL + r"(?=[，。！？,.!?；;\s]|$)")),
    ("allergy", re.compile(r"\b(?:i'm|i am)\s+allergic to\s+([a-z][a-z ]{1,30}?)(?=[.,!?\n]|$| and\b)", re.I)),
    ("allergy", re.compile(r"我对" + _ZH_VAL + r"过敏")),
    ("age", re.compile(r"\b(?:i'm|i am)\s+(\d{1,3})\s+(?:years? old|yo)\b", re.I)),
    ("age", re.compile(r"(?:我|今年)(?:今年)?(\d{1,3}|[一二三四五六七八九十]{1,3})岁")),
    ("job", re.compile(r"\bi\s+(?:work as|am|'m)\s+an?\s+((?:nurse|teacher|doctor|engineer|lawyer|chef|pilot|student|designer|programmer|developer|accountant|farmer|writer|dentist|architect|pharmacist|firefighter|musician|photographer|scientist|librarian|mechanic|journalist|electrician|baker|cook|waiter|driver)s?)\b", re.I)),
    ("job", re.compile(r"我是(?:一名|一个|一位)?([\u4e00-\u9fff]{0,4}(?:老师|教师|医生|护士|工程师|律师|厨师|飞行员|学生|设计师|程序员|会计|农民|作家|牙医|建筑师|药剂师|消防员|音乐家|摄影师|科学家|司机|记者))")),
    ("date", re.compile(r"\b(?:my birthday|my flight|the meeting|my appointment|my exam|my interview|the party|my trip)\s+is\s+(?:on|at|in)?\s*((?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{1,2}(?::\d\d)?\s*(?:am|pm)|[A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th)?)", re.I)),
    ("date", re.compile(r"我的生日是" + _ZH_VAL + r"(?=[，。！？,.!?；;\s]|$)|(?:周|星期|礼拜)([一二三四五六日天])")),
)

# Possessions and people by name: "my sister's name is Elena", "my locker code is 5290", "我女儿叫朵朵",
# "我们公司的口号是“创新引领未来”". The kind is "my:<noun>"; a later "what's my sister's name" asks for it.
_MY_EN_RE = re.compile(r"(?i:\bmy\s+)([a-z]+(?:\s+[a-z]+)?)(?i:'s\s+name\s+is|\s+is\s+(?:called|named)|\s+is)\s+(\"[^\"]{1,40}\"|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?|\d[\w:.-]*)")
_MY_ZH_RE = re.compile(r"我(?:们)?(?:的)?([\u4e00-\u9fff]{1,6}?)(?:的名字)?(?:是|叫)(“[^”]{1,20}”|「[^」]{1,20}」|[A-Za-z0-9][A-Za-z0-9-]{0,15}|[\u4e00-\u9fff]{1,6}?)(?=[，。！？,.!?；;\s]|$)")
_COUNT_EN_RE = re.compile(r"(?i:\b(?:for|of|with|have|has|invited|expecting|are)\s+)(\d{1,5})\s+(people|guests|kids|children|students|friends|members|employees|participants|attendees|players|days|nights)\b")
_UPDATE_RE = re.compile(r"(?i:\b(?:change|update|make|set)\s+(?:that|it|the number)\s+(?:to|into)\s+)([\w-]+)|(?:改成|改为|换成|改到)\s*([A-Za-z0-9][A-Za-z0-9-]*|[\u4e00-\u9fff]{1,8}?)(?=[，。！？,.!?；;\s]|$)")
_NOT_MY_NOUNS = frozenset({"name", "favourite", "favorite", "favourite colour", "favorite color", "名字", "最喜欢", "今年", "现在", "觉得", "想", "要", "也", "就", "还"})

# "X, not Y" / "不是Y，是X": a correction of a value stated earlier.
_CORRECTION_EN_RE = re.compile(r"\b(?:it'?s|it is|actually|correction:?|i meant|sorry,?)\s+(?:on\s+|at\s+|in\s+)?([A-Za-z0-9:]+(?:\s+[A-Za-z0-9:]+)?)[,]?\s+not\s+(?:on\s+|at\s+|in\s+)?([A-Za-z0-9:]+(?:\s+[A-Za-z0-9:]+)?)\b", re.I)
_CORRECTION_ZH_RE = re.compile(r"是([\u4e00-\u9fffA-Za-z0-9]{1,8})[，,]\s*不是([\u4e00-\u9fffA-Za-z0-9]{1,8})|不是([\u4e00-\u9fffA-Za-z0-9]{1,8})[，,]\s*(?:而)?是([\u4e00-\u9fffA-Za-z0-9]{1,8})")
_MOVED_RE = re.compile(r"\b(?:moved|changed|switched)\s+to\s+(?:room\s+|the\s+)?([A-Za-z0-9]+)|改(?:到|成|为)了?([\u4e00-\u9fffA-Za-z0-9]{1,8}?)(?=[，。！？,.!?\s]|会议室|$)", re.I)

_NOT_NAMES = frozenset("I The A An And But So Sorry Actually Just Not Here There Fine Good Great Happy Glad Sure Okay OK".split())

_KIND_WORDS_EN = {
    "name": r"\b(?:name|call (?:me|you)|called|who am i)\b",
    "pet": r"\b(?:dog|cat|puppy|kitten|pet|parrot|rabbit|hamster|goldfish|fish|turtle|horse|bird)s?\b[^?]*\b(?:names?|called)\b|\bnames?[^?]*\b(?:dog|cat|pet|puppy|kitten|parrot|rabbit|hamster|goldfish)s?\b",
    "place": r"\b(?:city|town|country|place|where|which (?:city|town|country|place))\b",
    "number": r"\b(?:number|code|pin|digits?)\b",
    "words": r"\bwords?\b",
    "favourite": r"\bfavou?rite\b",
    "allergy": r"\ballergic|allerg",
    "age": r"\b(?:how old|age)\b",
    "job": r"\b(?:job|work as|profession|occupation|do for (?:a )?(?:living|work))\b",
    "date": r"\b(?:when|what day|which day|what time|date)\b",
}
_KIND_WORDS_ZH = {
    "name": r"叫什么|名字|称呼",
    "pet": r"(?:狗|猫|宠物|鹦鹉|兔子|仓鼠)[^？?]*(?:叫什么|名字)",
    "place": r"哪个城市|哪里|哪儿|什么地方|哪个国家|哪座城市|去哪",
    "number": r"数字|号码|密码|编号",
    "words": r"词|单词",
    "favourite": r"最喜欢",
    "allergy": r"过敏",
    "age": r"几岁|多大|年龄",
    "job": r"工作|职业|做什么的",
    "date": r"哪天|什么时候|星期几|周几|几号|哪一天",
}
# A turn asks back what the user said: first person + a question, or "remind me" / "还记得".
_ASKS_BACK_EN_RE = re.compile(
    r"\b(?:what(?:'s| is| was| were| are)? my|what (?:\w+ ){0,2}did i|how many \w+ (?:did|do|am|was) i|which \w+ (?:did|do|am|was) i|where (?:do|did|am) i|what did i (?:say|tell|mention)|"
    r"do you remember|remind me|did i (?:say|tell|mention)|(?:what|who) am i|how old am i|what (?:should|do) you call me|"
    r"what (?:do|did) i|when is my|what day is my|what time is my|what were the|what was the \w+ i)\b",
    re.I,
)
_ASKS_BACK_ZH_RE = re.compile(r"我(?:们)?[^。！？?]{0,14}?(?:什么|哪|多少|几|多大)|还记得|记得我|刚才(?:让你|说的|告诉)|提醒我|你应该怎么称呼我|我刚才说")


def _clean(value: str) -> str:
    return value.strip(" ,.;:!?，。；：！？\"'“”")


def stated_values(prompts: list[str] | tuple[str, ...]) -> list[Slot]:
    """What the user said about themselves, in order; a later correction replaces a value."""
    slots: list[Slot] = []
    for p in prompts:
        text = p[:2000]
        for kind, rx in _STATEMENTS:
            for m in rx.finditer(text):
                vals = [g for g in m.groups() if g]
                if kind == "favourite":
                    vals = vals[1:] if len(vals) > 1 else vals
                for v in vals:
                    v = _clean(v)
                    if not v or v in _NOT_NAMES:
                        continue
                    slots = [s for s in slots if not (s.kind == kind and kind in ("name", "age", "allergy") and s.value != v)]
                    slots.append(Slot(kind, v, m.group(0).strip()))
        for rx in (_CORRECTION_EN_RE, _CORRECTION_ZH_RE):
            for m in rx.finditer(text):
                g = m.groups()
                new, old = (g[0], g[1]) if g[0] and g[1] else (g[3], g[2]) if len(g) > 3 and g[2] else (None, None)
                if new and old:
                    old_n = _clean(old).lower()
                    slots = [Slot(s.kind, _clean(new), m.group(0)) if s.value.lower() == old_n else s for s in slots]
        for m in _MY_EN_RE.finditer(text):
            noun = m.group(1).lower()
            if noun not in _NOT_MY_NOUNS and not noun.startswith(("favo", "name")):
                slots.append(Slot("my:" + noun, _clean(m.group(2)), m.group(0)))
        for m in _MY_ZH_RE.finditer(text):
            noun = m.group(1)
            if noun and noun not in _NOT_MY_NOUNS and not noun.startswith(("最喜欢", "名字")):
                slots.append(Slot("my:" + noun, _clean(m.group(2)).strip("“”「」"), m.group(0)))
        for m in _COUNT_EN_RE.finditer(text):
            slots.append(Slot("count:" + m.group(2).lower(), m.group(1), m.group(0)))
        m = _UPDATE_RE.search(text)
        if m and slots and not any(s.said in text for s in slots[-1:]):
            new = _clean(m.group(1) or m.group(2) or "")
            if new:
                last = slots[-1]
                slots = [*slots[:-1], Slot(last.kind, new, m.group(0))]
        for m in _MOVED_RE.finditer(text):
            new = _clean(m.group(1) or m.group(2) or "")
            if new:
                slots.append(Slot("thing", new, m.group(0)))
    return slots


def _values(slot: Slot) -> list[str]:
    if slot.kind == "words":
        parts = [_clean(x) for x in re.split(r"[,，、;；]|\band\b|和", slot.value)]
        return [p for p in parts if p]
    return [slot.value]


def recall_question(prompt: str, slots: list[Slot]) -> tuple[list[list[str]], str] | None:
    """([[keywords] per value asked for], the words that ask) when `prompt` asks back for values the
    user stated, else None. Several values asked at once ("the three words", "我多大了？住在哪？") give
    several lists."""
    if not slots:
        return None
    p = prompt[:500]
    m = _ASKS_BACK_EN_RE.search(p) or _ASKS_BACK_ZH_RE.search(p)
    if m is None:
        return None
    zh = re.search(r"[\u4e00-\u9fff]", p) is not None
    lowered = p.lower()
    wanted: list[Slot] = []
    for kind in dict.fromkeys(s.kind for s in reversed(slots)):
        of_kind = [s for s in slots if s.kind == kind]
        if kind.startswith(("my:", "count:")):
            noun = kind.split(":", 1)[1]
            stem = noun[:-1] if noun.endswith("s") and not zh else noun
            if stem and stem in lowered and not any(s in wanted for s in of_kind):
                wanted.append(of_kind[-1])
            continue
        rx = _KIND_WORDS_ZH.get(kind) if zh else _KIND_WORDS_EN.get(kind)
        if not rx or not re.search(rx, p, re.I):
            continue
        if kind in ("pet", "words") and re.search(r"\b(?:pets|names|words|all)\b|它们|都|几个", p, re.I):
            wanted.extend(of_kind)  # all of them
        elif kind == "pet":
            animal = re.search(r"\b(dog|cat|puppy|kitten|parrot|rabbit|hamster|goldfish|fish|turtle|horse|bird)|(狗|猫|鹦鹉|兔子|仓鼠|鱼)", p, re.I)
            named = [s for s in of_kind if animal and animal.group(0).lower() in s.said.lower()]
            wanted.append((named or of_kind)[-1])
        else:
            wanted.append(of_kind[-1])
    if not wanted:
        things = [s for s in slots if s.kind == "thing"]
        if things and re.search(r"\bnow\b|现在", p):
            wanted = [things[-1]]
    if not wanted:
        return None
    return [v for slot in wanted for v in ([[x] for x in _values(slot)] if slot.kind == "words" else [[slot.value]])], m.group(0).strip()
