"""What a request is about: its subject terms, in English and Chinese.

The words that say what to *do* ("write a short poem", "tell me", "帮我写一封", "是什么") are dropped;
the rest are split in two:

- **specific** terms name the subject itself: named entities (capitalised words inside an English
  sentence; Chinese place, person and other proper names, from jieba's parts of speech), quoted
  titles (《红楼梦》, "good morning"), and what follows "about"/"关于"/"describe"/"介绍"/"给…写"/
  "the capital of …" / "X的首都";
- **generic** terms name the relation asked about ("capital", "symbol", "author", "legs", "作者",
  "首都"). An answer that keeps the relation but changes the subject ("Berlin is the capital of
  Germany" to "What is the capital of France?") has gone off topic.

When nothing stands in a specific position, every term counts as specific.

A follow-up that points back ("How many people live there?", "它们吃什么？", "And what causes it?")
inherits the subject of the turns before it, plus the entities the previous answer named
("Tokyo." after "What is the capital of Japan?").
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from harness.scorers.terms import EN_STOPWORDS, stem

# What to do, not what about (stems are compared, so "writes"/"writing" go too).
_TASK_EN = frozenset(
    stem(w)
    for w in """write compose draft create generate produce give tell show explain describe summarize summarise list name
    suggest recommend compare contrast define translate rewrite rephrase paraphrase improve make help need want know think
    poem poetry haiku limerick sonnet verse story tale essay paragraph sentence sentences letter email e-mail note notice
    slogan tagline speech toast review post tweet caption description summary bullet points point idea ideas tip tips
    advice way ways step steps example examples reason reasons short shorter long longer brief quick simple simply little
    few several three two four five one six seven ten many much good best great nice new main key important common
    different kind type types something anything thing things bit lot please could would can will should might may must
    does did doing done what which who whom whose why how when where there here answer question questions reply response
    words word line lines title version text code function program script python javascript java sql html css
    english chinese mandarin called named mean means meaning use using used let get go going like just also really very
    today now again more most less fun funny formal informal casual polite friendly switch switching topic topics
    completely different question another change ok okay thanks thank-you hello work works working happen happens
    joke jokes riddle riddles pun puns quote quotes fact facts saying motto
    beginner beginners newbie newcomer novice
    """.split()
)
_TOOLS = frozenset({"Python", "JavaScript", "Java", "SQL", "HTML", "CSS"})
_NOT_NAMED = frozenset("I Python JavaScript Java SQL HTML CSS English Chinese French Spanish German Japanese Korean OK AI Ok".split())
_SPECIFIC_AFTER_EN = re.compile(
    r"\b(?:about|regarding|on the topic of|describing|describe|explain|introduce|introducing|summari[sz]e|compare|comparing|"
    r"tell me (?:a (?:bit|little) )?(?:more )?about|of|to my|to (?:a|an|the)|for (?:a|an|the|my)|for|in|on|with)\s+"
    r"((?:the|a|an|my|your|this|that)\s+)?([^.,;:!?()\n]{1,60})",
    re.I,
)
# "How many legs does a spider have?": the subject of the question's verb (not after "what is…").
_AUX_SUBJECT_EN = re.compile(
    r"\b(?:does|do|did|is|are|was|were|can|could)(?!\s+(?:i|you|we|they|it)\b)\s+((?:the|a|an|my|your|this|that)\s+)?([^.,;:!?()\n]{1,60})",
    re.I,
)
_WH_BEFORE_RE = re.compile(r"\b(?:what|which|who|whom|whose|where|when|why|how)\s+$", re.I)
_CUT_EN = re.compile(r"\b(?:in|at|with|for|from|by|that|which|who|so|and then|using|into|as|to|without|like)\b", re.I)

# Chinese: jieba's parts of speech; these words say what to do or how, not about what.
_ZH_TASK = frozenset(
    """帮 帮忙 请 麻烦 写 创作 编 起 取 介绍 解释 说明 描写 描述 讲 讲讲 说说 谈谈 列举 列出 列 推荐 比较 总结 概括 翻译 改写
    告诉 知道 想 要 需要 用 做 来 去 看 给 有 是 叫 算 吃 诗 短诗 小诗 诗歌 故事 小故事 文章 短文 作文 信 邮件 通知 口号 标语
    对联 名言 笑话 谜语 冷知识 名字 清单 句子 段落 文字 内容 方法 建议 办法 好处 优缺点 特点 原因 步骤 答案 问题 一下 一点 一些 什么 哪里 哪儿
    哪个 哪些 多少 怎么 怎样 如何 为什么 谁 我 你 他 她 它 我们 你们 他们 她们 它们 这 那 这个 那个 这些 那些 这段话 下面 上面
    英语 英文 中文 汉语 语气 解释一下 介绍一下 说一下 讲一下 谢谢 话题 换个 另外 问 问一下 好的 不错 一句 一首 一封 一篇 一段 一个 一则 一份 一副 宣传 简短 简单 详细 好看 好玩 有趣 多长 多高 多大
    主要 平时 现在 然后 另外 时候 地方 东西 事情 感觉 可以 应该 能 会 最 更 很 再 还 又 都 也 就 呢 吗 吧 啊 呀 了 的 地 得
    着 过 新 好 小 大 多 少 长 短 高 人""".split()
)
_ZH_NAMED_FLAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt"})
_ZH_NOUN_FLAGS = frozenset({"n", "vn", "l", "i", "j", "an", "ng", "s", "nz", "ns", "nr", "nrt", "nrfg", "nt", "eng"})
_ZH_SKIP_FLAGS = frozenset({"m", "q", "r", "p", "c", "u", "uj", "ul", "uz", "ug", "ud", "y", "e", "d", "t", "f", "o", "k", "h"})
_ZH_SPECIFIC_AFTER = frozenset({"关于", "描写", "描述", "介绍", "解释", "比较", "总结", "概括", "给", "为", "有关", "对于"})
# a straight single quote opens a quotation only after a non-letter ("What's the … 'affect'": not "s the …")
_QUOTED_RE = re.compile(r"(?:[《“\"「『]|(?<![A-Za-z])')([^》”\"」』'\n]{1,30})[》”\"」』']")
_EN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENT_START_RE = re.compile(r"(?:^|[.!?。！？:：\n]\s*|[\"“]\s*)$")
_HAS_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_ANAPHOR_RE = re.compile(
    r"\b(?:it|its|it's|they|them|their|there|this|that|these|those|he|she|him|her|his|the same)\b|^\W*(?:and|what about|how about)\b"
    r"|它|它们|那里|那儿|这里|这儿|那边|他|她|他们|她们|这个|那个|这些|那些|其|该|那呢|呢[？?]\s*$",
    re.I,
)
_ASKS_NAME_RE = re.compile(
    r"\b(?:who|whom|whose|where|which)\b|\bwhat(?:'s| is| was) (?:the |his |her |its )?(?:real |original |full )?name\b|\bcalled\b"
    # "What's the tallest mountain…": the answer is a name ("the best way to…" asks for a method)
    r"|\bwhat(?:'s| is| was| are| were) the (?:\w+est|most \w+|best|worst)\b(?! (?:ways?|times?|methods?|approach|things?|practices?|strategy)\b)"
    r"|最[\u4e00-\u9fff]{1,6}(?:是什么|是哪)"
    r"|谁|哪个|哪位|哪里|哪儿|哪座|哪条|哪家|哪国|什么地方|原名|真名|本名|叫什么|名字",
    re.I,
)
_QUESTION_RE = re.compile(
    r"[?？]\s*$|^\W*(?:who|what|when|where|which|why|how|is|are|was|were|does|do|did|can|could)\b|谁|什么|哪|多少|几|吗|怎么|如何|为什么",
    re.I,
)


@dataclass(frozen=True)
class Subject:
    specific: tuple[str, ...]  # terms naming the subject itself
    generic: tuple[str, ...] = ()  # terms naming the relation asked about
    named: tuple[str, ...] = ()  # the specific terms that are names or titles
    inherited: bool = False  # some terms come from earlier turns
    positional: bool = False  # the specific terms were told apart from the generic ones (not all terms)
    question: bool = False  # the turn asks a question (a bare answer need not restate it)
    asks_for_name: bool = False  # who / where / which …: the answer may open with a name of its own
    replaced: tuple[str, ...] = ()  # "And what about Portugal?": the earlier turns' names it replaces (Sweden)

    @property
    def terms(self) -> tuple[str, ...]:
        return (*self.specific, *self.generic)


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    for word in ("首都", "作者", "人口", "首府", "小狗", "小猫", "小鸟", "小兔"):  # nouns jieba's dictionary tags otherwise
        jieba.add_word(word, tag="n")
    return jieba.posseg


def zh_word_counts() -> dict[str, int]:
    """jieba's dictionary counts (word -> frequency), loaded with the segmenter."""
    _jieba()
    import jieba

    jieba.initialize()
    return jieba.dt.FREQ


@lru_cache(maxsize=8192)
def zh_words(text: str) -> tuple[tuple[str, str], ...]:
    """(word, part of speech) from jieba, for Chinese text."""
    return tuple((w.word, w.flag) for w in _jieba().cut(text[:2000]))


ASKS_CODE_RE = re.compile(r"\b(?:function|script|program|code|class|method|snippet|query)\b|函数|代码|程序|脚本", re.I)


def named_en(text: str) -> list[str]:
    """Capitalised words and runs of them that are not sentence starts or known non-subjects (a
    programming language is a subject unless the request asks for code in it)."""
    not_named = _NOT_NAMED if ASKS_CODE_RE.search(text) else _NOT_NAMED - _TOOLS
    out: list[str] = []
    run: list[str] = []
    for m in _EN_WORD_RE.finditer(text):
        w = m.group(0).strip("'’-")
        cap = w[:1].isupper() and w not in not_named and not _SENT_START_RE.search(text[: m.start()])
        if cap and len(w) > 1 or run and re.fullmatch(r"[IVX]+", w):
            run.append(w)
            continue
        if run and w.lower() in ("of", "de", "the", "da", "van", "von"):
            run.append(w)
            continue
        if run:
            while run and run[-1].lower() in ("of", "de", "the", "da", "van", "von"):
                run.pop()
            out.append(" ".join(run))
            run = []
    if run:
        out.append(" ".join(run))
    return [x for x in out if x and x not in not_named]


def _en_content(text: str) -> list[str]:
    return [
        w.lower().strip("'’-")
        for w in _EN_WORD_RE.findall(text)
        if len(w) >= 3 and w.lower() not in EN_STOPWORDS and stem(w.lower().strip("'’-")) not in _TASK_EN
    ]


def _subject_en(text: str) -> tuple[list[str], list[str], list[str]]:
    named = named_en(text)
    content = _en_content(text)
    specific: list[str] = []
    for rx in (_SPECIFIC_AFTER_EN, _AUX_SUBJECT_EN):
        for m in rx.finditer(text):
            if rx is _AUX_SUBJECT_EN and _WH_BEFORE_RE.search(text, 0, m.start()):
                continue  # "What is the capital of …": the auxiliary introduces the relation, not the subject
            phrase = _CUT_EN.split(m.group(2), maxsplit=1)[0]
            specific += _en_content(phrase)
    named_words = {w.lower() for n in named for w in n.split()}
    specific = [w for w in specific if w not in named_words]
    generic = [w for w in content if w not in specific and w not in named_words]
    return named, specific, generic


_ZH_TOPIC_RE = re.compile(r"(?:^|[。！？!?；;\n])\s*([\u4e00-\u9fff]{1,6}?)的")


# who asks, not about what: "零基础的新手好学吗？" is about the earlier subject
_ZH_ASKER_RE = re.compile(r"零基础|新手|初学者|小白")


def _subject_zh(text: str, has_topic: bool = False) -> tuple[list[str], list[str], list[str]]:
    text = _ZH_ASKER_RE.sub("，", text)
    words = [(w, f) for w, f in zh_words(text) if w.strip()]
    named: list[str] = []
    specific: list[str] = []
    generic: list[str] = []
    # "金的化学符号是什么？": what comes before the first 的 of a question is its topic, however short
    m = _ZH_TOPIC_RE.search(text)
    if m and m.group(1) not in _ZH_TASK and not any(ch in "我你他她它这那哪什么谁" for ch in m.group(1)):
        specific.append(m.group(1))
        has_topic = True
    after_marker = False  # inside the phrase after 关于/介绍/给…: the subject
    topic_free = not has_topic  # the first noun of a sentence is its topic ("光合作用是什么？", "素数")
    for w, f in words:
        if f == "x":
            after_marker = False
            topic_free = topic_free or w in "。！？!?；;"
            continue
        if w in _ZH_SPECIFIC_AFTER:
            after_marker = True
            continue
        if f == "t" and after_marker and len(w) >= 2 and w not in _ZH_TASK:
            specific.append(w)  # "描写秋天": a season or festival after the marker is the subject
            continue
        if w in _ZH_TASK or f in _ZH_SKIP_FLAGS:
            continue
        if not _HAS_CJK_RE.search(w) and (f != "eng" or w in _NOT_NAMED) or len(w) < 2:
            continue
        if f in _ZH_NAMED_FLAGS and len(w) >= 2:
            named.append(w)
            topic_free = False
        elif w in specific:
            continue
        elif f in _ZH_NOUN_FLAGS or f.startswith("n"):
            if after_marker or topic_free:
                specific.append(w)
                topic_free = False
            else:
                generic.append(w)
        elif f.startswith("v") and len(w) >= 2 and after_marker:
            specific.append(w)
    return named, specific, generic


@lru_cache(maxsize=4096)
def subject_terms(request: str) -> Subject:
    """The subject terms of one user turn."""
    text = request[:1000]
    quoted = [q.strip() for q in _QUOTED_RE.findall(text) if q.strip()]
    rest = _QUOTED_RE.sub(" , ", text)
    named_en, spec_en, gen_en = _subject_en(rest)
    named_zh, spec_zh, gen_zh = _subject_zh(rest, has_topic=bool(quoted)) if _HAS_CJK_RE.search(rest) else ([], [], [])
    named = list(dict.fromkeys([*quoted, *named_en, *named_zh]))
    specific = list(dict.fromkeys([*named, *spec_en, *spec_zh]))
    generic = [g for g in dict.fromkeys([*gen_en, *gen_zh]) if g not in specific]
    positional = bool(specific) and bool(generic)
    if not specific:
        specific, generic = generic, []
    return Subject(
        tuple(specific), tuple(generic), tuple(named), positional=positional, question=_QUESTION_RE.search(text) is not None,
        asks_for_name=_ASKS_NAME_RE.search(text) is not None,
    )


def answer_entities(answer: str) -> list[str]:
    """Entities an earlier answer named that a follow-up may refer to: the capitalised words and
    Chinese proper names of its first sentence, or a short answer's nouns ("巴黎。", "Tokyo.")."""
    first = re.split(r"(?<=[.!?。！？])\s*", answer.strip(), maxsplit=1)[0][:300]
    out = named_en(" " + first)
    if _HAS_CJK_RE.search(first):
        words = zh_words(first)
        out += [w for w, f in words if f in _ZH_NAMED_FLAGS and len(w) >= 2]
        if len(first) <= 20:
            out += [w for w, f in words if f.startswith("n") and len(w) >= 2 and w not in _ZH_TASK]
    return list(dict.fromkeys(out))


# "And what about Portugal?", "What about one from Los Angeles?", "And from Ciampino?", "那埃及呢？", "换成上海呢？":
# the same question again, of another thing (the group must hold the turn's own name)
_SWAP_RE = re.compile(
    r"^\W*(?:(?:and|ok(?:ay)?|so|now)[,\s]+)?(?:what|how)\s+about\s+(?P<en>[^?.!]{1,60})[?.!]?\s*$"
    r"|^\W*and\s+(?P<and>[^?.!]{1,40})\?\s*$"
    r"|^\W*(?:那|那么|如果是|换成)?(?P<zh>[^，。？?！!,]{1,15}?)(?:呢|怎么样)[？?]?\s*$",
    re.I,
)

_CONDITION_RE = re.compile(r"\s*(?:in|at|on|from|to|for|during|with|without|by|under|over|after|before|near|inside|outside)\b|\s*(?:在|到|从|用)", re.I)


def swapped_in(request: str) -> tuple[str, ...]:
    """The names a follow-up puts in place of the earlier subject ("And what about Portugal?" -> Portugal),
    or () when the turn is no such follow-up."""
    m = _SWAP_RE.match(request.strip()[:120])
    if not m:
        return ()
    said = next(g for g in m.groups() if g is not None)
    if _CONDITION_RE.match(said):  # "And in Fahrenheit?", "And at the top of Mount Everest?": the same subject, elsewhere
        return ()
    return tuple(n for n in subject_terms(request).named if n in said)


def points_back(request: str) -> bool:
    """The turn refers to something earlier (a pronoun, "there", "那里", "And …?")."""
    return _ANAPHOR_RE.search(request[:300]) is not None


def _swapped_subject(own: Subject, new: tuple[str, ...], prompts: list[str] | tuple[str, ...]) -> Subject:
    """"What is the capital of Sweden?" … "And what about Portugal?": the subject is Portugal, the relation
    (capital) comes from the turn that set the subject, and Sweden is what it replaces."""
    relation, old = list(own.generic), []
    for k in range(len(prompts) - 2, -1, -1):
        prev = subject_terms(prompts[k])
        # what it replaces: the names, and the subject's own terms where they were told apart from the relation
        # (or are all there is: "介绍一下故宫。"); "Beijing's history" must not make "history" a replaced word
        sole = prev.positional or len(prev.terms) == 1
        old += [*prev.named, *(prev.specific if sole else ())]
        relation += [t for t in prev.terms if t not in old]
        if prev.terms and not points_back(prompts[k]) and not swapped_in(prompts[k]):
            break  # that turn set the subject
    return Subject(
        new, tuple(t for t in dict.fromkeys(relation) if t not in new), new, inherited=True, positional=True,
        question=own.question, asks_for_name=own.asks_for_name,
        replaced=tuple(t for t in dict.fromkeys(old) if t.lower() not in prompts[-1].lower() and not any(t in n or n in t for n in new)),
    )


def conversation_subject(prompts: list[str] | tuple[str, ...], answers: list[str] | tuple[str, ...]) -> Subject:
    """The subject of the last user turn, inherited from the turns before it when it points back or
    names nothing of its own."""
    own = subject_terms(prompts[-1])
    new = swapped_in(prompts[-1]) if len(prompts) > 1 else ()
    if new:
        return _swapped_subject(own, new, prompts)
    if len(prompts) == 1 or (not points_back(prompts[-1]) and (own.named or len(own.terms) >= 2)):
        return own
    specific, generic, named = list(own.specific), list(own.generic), list(own.named)
    for k in range(len(prompts) - 2, -1, -1):
        prev = subject_terms(prompts[k])
        ents = answer_entities(answers[k]) if k < len(answers) else []
        specific += [*prev.specific, *ents]
        generic += list(prev.generic)
        named += [*prev.named, *ents]
        if prev.terms and not points_back(prompts[k]):
            break  # that turn set the subject
    if own.specific and not own.generic:
        generic = [*own.specific, *generic]  # "What does it eat?": 'eat' is the relation, the subject is inherited
        specific = [s for s in specific if s not in own.specific]
    return Subject(
        tuple(dict.fromkeys(specific)), tuple(g for g in dict.fromkeys(generic) if g not in specific),
        tuple(dict.fromkeys(named)), inherited=True, positional=True, question=own.question, asks_for_name=own.asks_for_name,
    )
