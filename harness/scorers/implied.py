"""Implied format checks: what a prompt's own words ask for, in English and Chinese.

Suites without declared constraints still get format checks: "write a Python function" implies a
code block defining a function, "write a letter/email" a letter, "list three…" three items,
"in under 50 words" / "不超过50字" a length limit, "in JSON" JSON, "in a table" a table,
"translate into Chinese" / "用英文回答" the answer's language, "with a title" a title,
"in bullet points" / "numbered steps" a list. Precision matters more than recall: a rule fires
only on an explicit request, never on a prompt that asks *about* the thing ("how do I write a good
email?", "what is JSON?", "什么是感谢信？").

`infer(prompt)` returns `Implied(id, kwargs, because)` specs; `implied_specs(case)` adds the turn
and drops what the case already declares (explicit wins, IFEval ids included: a declared
`length_constraints:number_words` silences an implied word limit). The format scorer runs them
with the same check functions as declared `format:*` checks; their reasons start "implied by …".
Precision and recall on a labelled set: `benchmarks/perf/implied_checks.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from harness.records import Case
from harness.scorers.text import spec_fields


@dataclass(frozen=True)
class Implied:
    id: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    because: str = ""  # the prompt words that imply it


EN_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "a couple of": 2, "a few": 0,
}
ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUM = r"(\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
_ZH_NUM = r"(\d{1,4}|[一二两三四五六七八九十百零]{1,4})"


def parse_number(s: str) -> int | None:
    s = s.strip().lower()
    if s.isdigit():
        return int(s)
    if s in EN_NUMBERS:
        return EN_NUMBERS[s] or None
    return zh_number(s)


def zh_number(s: str) -> int | None:
    """一 .. 九千九百九十九 (enough for lengths and counts)."""
    if not s or any(ch not in "零一二两三四五六七八九十百千" for ch in s):
        return None
    total, cur = 0, 0
    for ch in s:
        if ch in ZH_DIGITS:
            cur = ZH_DIGITS[ch]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (cur or 1) * unit
            cur = 0
    return total + cur or None


# A request *about* the thing, not for it: the words before the verb in the same sentence.
_META_RE = re.compile(
    r"\b(?:how|what|why|when|which|whether|tips?|advice|ways?|explain|describe|difference|meaning|"
    r"should i|can i|do i|is it|are there|best practices?|guidelines?|rules?)\b"
    r"|如何|怎么|怎样|为什么|什么是|是什么|技巧|要点是|注意|区别|含义|意思|有哪些|哪些|格式是|规范",
    re.I,
)
_SENT_START_RE = re.compile(r"[.!?。！？\n]")


def _prefix(prompt: str, start: int) -> str:
    """The text of the sentence before position `start`."""
    cut = max((m.end() for m in _SENT_START_RE.finditer(prompt, 0, start)), default=0)
    return prompt[cut:start]


# ...or after it, in Chinese: "写邮件时要注意什么？", "感谢信的格式是什么？"
_META_AFTER_RE = re.compile(r"^[^。！？\n]{0,12}?(?:时|的时候|之前|之后)|^[^。！？\n]{0,20}?(?:注意什么|是什么|有哪些|怎么写|如何写|什么格式|哪些要点)")
_QUESTION_START_RE = re.compile(r"^\s*(?:what|how|why|when|which|is|are|does|do|can i|should i)\b|什么是|是什么|如何|怎么|怎样|为什么", re.I)


def _is_meta(prompt: str, m: re.Match[str], in_match: bool = True) -> bool:
    """The words around the match ask *about* the thing rather than for it."""
    if _META_RE.search(_prefix(prompt, m.start())) is not None:
        return True
    if in_match and _META_RE.search(m.group(0)) is not None:
        return True
    return _META_AFTER_RE.search(prompt[m.end() : m.end() + 40]) is not None


def _asks_about(prompt: str, m: re.Match[str]) -> bool:
    """For explicit format words (numbered list, bullets, table...): only a question *about* them."""
    return _QUESTION_START_RE.search(_prefix(prompt, m.start())) is not None


# ---------------------------------------------------------------------------------------------
# Rules

_CODE_LANGS = {
    "python": "python", "javascript": "javascript", "typescript": "typescript", "java": "java", "c++": "cpp",
    "c#": "csharp", "rust": "rust", "golang": "go", "ruby": "ruby", "php": "php", "sql": "sql", "bash": "bash",
    "shell": "bash", "kotlin": "kotlin", "swift": "swift", "js": "javascript",
}
_LANG_NAME_RE = re.compile(r"(?<![A-Za-z0-9#+])(python|javascript|typescript|java|c\+\+|c#|rust|golang|ruby|php|sql|bash|shell|kotlin|swift|js)(?![A-Za-z0-9#+])", re.I)
_CODE_EN_RE = re.compile(
    r"\b(?:write|implement|create|define|code|build|make|give me|provide|produce)\b[^.?!\n]{0,50}?"
    r"\b(function|class|method|script|program|decorator|generator|code|snippet)s?\b",
    re.I,
)
_CODE_IMPL_RE = re.compile(
    r"\b(?:implement|code up|program)\b[^.?!\n]{0,40}?\bin\s+(?:python|javascript|typescript|java|c\+\+|c#|rust|go|golang|ruby|php|sql|bash|kotlin|swift)\b()",
    re.I,
)
_CODE_ZH_RE = re.compile(r"(?:写|编写|实现|定义|给出|设计|生成|用\w{0,10}写)[^。？！\n]{0,25}?(函数|类|程序|脚本|代码|方法)")
_NOT_CODE_RE = re.compile(r"\b(?:code of conduct|zip code|postal code|dress code|morse code|source code of|pseudocode)\b|密码|代码是什么", re.I)

_LETTER_EN_RE = re.compile(
    r"\b(?:write|draft|compose|pen|prepare|send)\b[^.?!\n]{0,50}?\b(letter|e-?mail)\b"
    r"(?!\s*(?:subject|address|addresses|template|signature|list|header))",
    re.I,
)
_NOT_LETTER_RE = re.compile(r"\b(?:capital|lowercase|uppercase|upper-case|lower-case|the) letters?\b|\bletters? (?:of|in) the\b|\bnewsletter", re.I)
_LETTER_ZH_RE = re.compile(r"(?:写|起草|拟|撰写|给[^。？！\n]{1,10}写|改成|改写成|变成|做成)[^。？！\n]{0,15}?(信|邮件)(?![息心号用任念仰箱])")
_LETTER_AS_RE = re.compile(r"\b(?:into|as)\s+an?\s+(?:\w+\s+){0,2}(letter|e-?mail)\b", re.I)

_NOUN_EXCLUDE = r"(?:words?|sentences?|paragraphs?|lines?|characters?|minutes?|hours?|days?|weeks?|months?|years?|times|percent|people|persons|%|pages?)"
_COUNT_EN_RE = re.compile(
    r"\b(?:list|name|give(?: me)?|suggest|provide|recommend|write down|share|offer|mention|enumerate|what are|come up with|brainstorm|propose|identify)\b"
    r"(?:\s+(?:me|us|out|the|top|only|exactly|just))*\s+" + _EN_NUM + r"\b(?!\s*" + _NOUN_EXCLUDE + r"\b)(?![-\s]*(?:step|day|hour|minute|year|week|month|part)s?\b)",
    re.I,
)
_COUNT_ZH_RE = re.compile(
    r"(?:列出|列举|给出|说出|写出|举出|推荐|提供|想出|给我|说说|举)[^。？！\n，,]{0,4}?" + _ZH_NUM
    + r"\s*(?:个|种|条|点|项|本|首|部|位|样|款|家|道|件|座|只|名)"
)

_MAX_WORDS_EN_RE = re.compile(
    r"\b(?:under|fewer than|less than|no more than|not more than|at most|up to|maximum of|max(?:imum)?|not exceeding|"
    r"no longer than|within|a maximum of|not to exceed)\s+" + _EN_NUM + r"\s+words?\b"
    r"|\b" + _EN_NUM + r"\s+words?\s+or\s+(?:less|fewer)\b|\b" + _EN_NUM + r"[- ]word limit\b",
    re.I,
)
_MIN_WORDS_EN_RE = re.compile(
    r"\b(?:at least|no fewer than|no less than|minimum of|a minimum of|(?<!no )(?<!not )more than|over)\s+" + _EN_NUM + r"\s+words?\b", re.I
)
_ONE_SENTENCE_EN_RE = re.compile(r"\b(?:in|with|using|as|into) (?:one|a single|1) sentence\b|\bone-sentence (?:answer|summary)\b", re.I)
_N_SENTENCES_EN_RE = re.compile(
    r"\b(?:in|with|using|into|to) (?:no more than |at most |up to |just |only )?" + _EN_NUM + r" sentences\b"
    r"|\b(?:no more than|at most|up to|fewer than|less than) " + _EN_NUM + r" sentences\b",
    re.I,
)
_ONE_WORD_EN_RE = re.compile(
    r"\b(?:in|with|using) (?:just |only )?(?:one|a single) word\b|\bone-word (?:answer|reply|response)\b|\banswer with (?:just |only )?(?:one|a single) word\b"
    r"|\b(?:just |only )?one word(?: only| please)?[.!]?\s*$|用一个词|一个词回答|用一个字回答",
    re.I,
)
_MAX_CHARS_ZH_RE = re.compile(
    r"(?:不超过|不多于|不要超过|不得超过|(?<!不)少于|最多|至多|控制在|限制在|限于|字数在)\s*" + _ZH_NUM + r"\s*个?(?:汉)?字(?!母)"
    r"|" + _ZH_NUM + r"\s*个?字(?:以内|之内|以下)"
)
_MIN_CHARS_ZH_RE = re.compile(r"(?:至少|不少于|不低于|不得少于|最少|(?<!不)多于)\s*" + _ZH_NUM + r"\s*个?(?:汉)?字(?!母)")
_MAX_WORDS_ZH_RE = re.compile(r"(?:不超过|不多于|(?<!不)少于|最多|至多)\s*" + _ZH_NUM + r"\s*个?(?:英文)?单词")
_ONE_SENTENCE_ZH_RE = re.compile(r"(?:用|以)?一句话(?:概括|总结|回答|介绍|说明|描述|解释|说)|用一句话")
_N_SENTENCES_ZH_RE = re.compile(r"(?:用|以|写|控制在|不超过)" + _ZH_NUM + r"\s*句话?(?:以内|之内)?|" + _ZH_NUM + r"\s*句话?以内")

_JSON_RE = re.compile(
    r"\b(?:in|as|into|return|returns|output|respond with|reply with|give|produce|format(?:ted)?(?: it)? as)\b(?:\s+(?:a|an|the|valid|proper|structured))*\s+json\b"
    r"|\bjson\s+(?:format|object|array|output|response)\b|(?:以|用|输出|返回|转换为|转换成|转成|生成|给出)[^。？！\n]{0,6}json",
    re.I,
)
_NOT_JSON_RE = re.compile(r"\bjson\b[^.?!\n]{0,20}\b(?:to|into)\s+(?:yaml|xml|csv|python|a python)\b|\b(?:parse|read|load|validate)\b[^.?!\n]{0,20}\bjson\b", re.I)
_TABLE_RE = re.compile(
    r"\b(?:in|as|into|using|with|create|make|draw|build|put|present|organi[sz]e|format)\b(?:\s+(?:a|an|the|it|them|this|these|simple|short|markdown|comparison))*\s+(?:markdown\s+)?table\b"
    r"|(?:用|以|做|制作|列|画|生成|整理成|做成)[^。？！\n]{0,4}表格",
    re.I,
)
_NOT_TABLE_RE = re.compile(r"\b(?:table of contents|periodic table|multiplication table|times tables?|table tennis|dining table|kitchen table|round table|tablespoon)\b|乘法表|元素周期表", re.I)
_BULLETS_RE = re.compile(r"\bbullet(?:ed)?(?:[- ]?points?|[- ]list|[- ]form)?\b|\bas bullets\b|项目符号|要点形式|用要点", re.I)
_NUMBERED_RE = re.compile(r"\bnumbered (?:list|steps|points)\b|\bstep[- ]by[- ]step (?:list|instructions|guide)\b|分步骤|按步骤|列出步骤|编号列出|编号列表|有序列表|数字列表|分条列出|分条", re.I)
_TITLE_RE = re.compile(r"\b(?:with|include|add|including|and)\s+(?:a|an)\s+(?:short\s+|catchy\s+)?(?:title|heading)\b|(?:加上|附上|配上|带上|加一个|拟一个|并加|带)(?:一个)?标题", re.I)
_SECTIONS_EN_RE = re.compile(r"\b(?:with|in|into|has|have|divided into)\s+" + _EN_NUM + r"\s+(?:sections|parts)\b", re.I)
_SECTIONS_ZH_RE = re.compile(r"分(?:为|成)?" + _ZH_NUM + r"(?:个)?部分")
# Languages a request may name (en and zh names) -> ISO 639-1.
LANGS_EN = {
    "chinese": "zh", "mandarin": "zh", "english": "en", "french": "fr", "spanish": "es", "german": "de",
    "japanese": "ja", "korean": "ko", "italian": "it", "portuguese": "pt", "russian": "ru", "arabic": "ar",
    "dutch": "nl", "vietnamese": "vi", "thai": "th", "turkish": "tr", "polish": "pl", "swedish": "sv", "hindi": "hi",
}
LANGS_ZH = {
    "中文": "zh", "汉语": "zh", "普通话": "zh", "英文": "en", "英语": "en", "法语": "fr", "法文": "fr", "西班牙语": "es",
    "西班牙文": "es", "德语": "de", "德文": "de", "日语": "ja", "日文": "ja", "韩语": "ko", "韩文": "ko", "意大利语": "it",
    "葡萄牙语": "pt", "俄语": "ru", "俄文": "ru", "阿拉伯语": "ar", "荷兰语": "nl", "越南语": "vi", "泰语": "th",
}
_EN_LANG = "(" + "|".join(LANGS_EN) + ")"
_ZH_LANG = "(" + "|".join(sorted(LANGS_ZH, key=len, reverse=True)) + ")"
TRANSLATE_RE = re.compile(
    r"\btranslat\w*\b[^\n]{0,120}?\b(?:in)?to\s+" + _EN_LANG + r"\b"
    r"|\b(?:answer|respond|reply|write|explain|rewrite|say it|put it)\b[^.?!\n]{0,40}?\bin " + _EN_LANG + r"\b"
    r"|(?:翻译|译)(?:成|为)?" + _ZH_LANG + r"|用" + _ZH_LANG + r"(?:(?!怎|如)[^。？！\n]){0,4}?(?:回答|写|回复|作答|解释|介绍|说|重写|改写|表达)"
    r"|(?:改成|换成|写成|变成|改写成|改写为|转成)[^。？！\n，,]{0,8}?" + _ZH_LANG,
    re.I,
)
_LANG_OF = {**LANGS_EN, **LANGS_ZH}


# A constraint reported, then questioned ("My boss says emails should be under 50 words. Is that a good
# rule?", "老师要求不少于800字，这是不是太多了？"): the last clause asks a question and makes no request.
_CLAUSE_END_RE = re.compile(r"[.!?。！？；;\n]|，(?=[^，]*[？?]\s*$)")
_QUESTION_TAIL_RE = re.compile(r"[?？]\s*$")
REQUEST_RE = re.compile(r"\b(?:can|could|would|will) you\b|\bplease\b|请|帮我|能不能|能否|可不可以|可以(?:帮|给|再)|麻烦", re.I)


def _reported(prompt: str, m: re.Match[str]) -> bool:
    """The match sits in an earlier clause of a turn that ends by asking a question, not a request."""
    if not _QUESTION_TAIL_RE.search(prompt):
        return False
    ends = [e.end() for e in _CLAUSE_END_RE.finditer(prompt, m.end()) if e.end() < len(prompt.rstrip())]
    if not ends:
        return False  # the match is in the last clause
    return REQUEST_RE.search(prompt) is None


def _first(rx: re.Pattern[str], prompt: str, skip_meta: bool | str = True) -> re.Match[str] | None:
    """The first match not in a request *about* the thing (`skip_meta`: True = any meta words around it,
    "prefix" = only before it, "question" = only a question about it, False = never skipped), nor in a
    constraint the turn only reports before asking a question about it."""
    for m in rx.finditer(prompt):
        if _reported(prompt, m):
            continue
        if skip_meta is True and _is_meta(prompt, m):
            continue
        if skip_meta == "prefix" and _is_meta(prompt, m, in_match=False):
            continue
        if skip_meta == "question" and _asks_about(prompt, m):
            continue
        return m
    return None


def _num(m: re.Match[str]) -> int | None:
    for g in m.groups():
        if g:
            n = parse_number(g)
            if n:
                return n
    return None


# Fast reject: a prompt with none of these words implies nothing (most questions), so the rules
# below never run on it. Matched on the lower-cased prompt with a trie-shaped regex (a flat
# alternation of ~100 words costs ~30 us per prompt in `re`; the trie a few).
TRIGGER_WORDS = (
    "write", "implement", "create", "define", "code", "build", "make", "give", "provide", "produce", "draft", "compose",
    "pen ", "prepare", "send", "list", "name", "suggest", "recommend", "share", "offer", "mention", "enumerate",
    "what are", "come up", "brainstorm", "propose", "identify", "word", "sentence", "json", "table", "bullet",
    "numbered", "step", "title", "heading", "section", "part", "translat", "answer", "respond", "reply", "explain",
    "program", "summar", "sum up", "tldr", "tl;dr", "rephrase", "paraphrase", "reword", "proofread", "correct",
    "写", "编", "实现", "定义", "给", "设计", "生成", "用", "起草", "拟", "列", "说出", "举", "推荐", "提供", "想出", "说说",
    "字", "单词", "句", "表格", "要点", "项目符号", "步骤", "编号", "分条", "标题", "部分", "分为", "分成", "翻译", "译",
    "总结", "概括", "摘要", "改", "润色", "创作",
    "poem", "verse", "rhyme", "limerick", "haiku", "sonnet", "quatrain", "start", "begin", "open", "end", "finish",
    "conclude", "close", "wrap", "caps", "capital", "upper", "lower", "small", "point", "item",
    "诗", "开头", "开始", "起头", "结尾", "结束", "收尾", "大写", "小写", "点", "条", "俳句", "绝句", "律诗", "行", "词",
    "line", "every", "each", "into", "as a", "as an",
)


def _trie_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = []
        end = "" in node
        for ch, child in sorted(node.items()):
            if ch == "":
                continue
            alts.append(re.escape(ch) + build(child))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return re.compile(build(trie))


_TRIGGER_RE = _trie_regex(TRIGGER_WORDS)


def _has_trigger(prompt: str) -> bool:
    return _TRIGGER_RE.search(prompt[:2000].lower()) is not None


# ---------------------------------------------------------------------------------------------
# Reshaping requests (typical of follow-up turns): verse, sentence openings, opening/closing
# phrases, letter case, an exact number of bullet points.

_POEM_FORMS = {"limerick": 5, "haiku": 3, "sonnet": 14, "quatrain": 4, "poem": None, "verse": None, "rhyme": None}
_POEM_EN_RE = re.compile(
    r"\b(?:as|into|in the form of|in)\s+(?:a\s+|an\s+)?(?:short\s+|rhyming\s+|little\s+)?(limerick|haiku|sonnet|quatrain|poem|verse|rhyme)s?\b",
    re.I,
)
_POEM_ZH_RE = re.compile(
    r"(?:写成|改成|改写成|改写为|变成|转成|转换成|编成|做成|写为|改为)(?:一首)?[^。？！\n，,]{0,6}?(五言绝句|七言绝句|绝句|律诗|俳句|打油诗|诗歌|诗)"
    r"|(?:用|以)(俳句|绝句|律诗|诗歌?)的?(?:形式|体裁|方式)"
)
# Fixed forms fix the number of lines wherever they are asked for ("Write a haiku about bees").
_FIXED_FORM_RE = re.compile(r"\b(limerick|haiku|sonnet)s?\b|(五言绝句|七言绝句|绝句|律诗|俳句)", re.I)
_POEM_LINES_RE = re.compile(r"\b(?:in|with|of)\s+(?:exactly\s+|just\s+|only\s+)?" + _EN_NUM + r"\s+lines\b|\b" + _EN_NUM + r"[- ]line\s+(?:poem|verse)|" + _ZH_NUM + r"\s*行(?:诗|的诗)?", re.I)
_POEM_ZH_LINES = {"五言绝句": 4, "七言绝句": 4, "绝句": 4, "律诗": 8, "俳句": 3}
_QUOTED = r"[\"“'‘「『]([^\"”'’」』\n]{1,60})[\"”'’」』]"
_STARTS_EACH_EN_RE = re.compile(
    r"\b(?:start|begin|open|commence)\w*\s+(?:every|each|all(?: of)?(?: the| your)?)\s+(sentence|line)s?\s+with\s+"
    r"(?:the\s+)?(?:(?:capital\s+|uppercase\s+)?letter\s+[\"“'‘]?([A-Za-z])\b[\"”'’]?|(?:the\s+)?(?:word|phrase)?\s*" + _QUOTED + ")",
    re.I,
)
_EACH_STARTS_EN_RE = re.compile(
    r"\b(?:every|each|all)\s+(?:of\s+(?:the|your)\s+)?(sentence|line)s?\s+(?:must|should|has to|have to|needs? to|to)?\s*(?:start|begin|open)s?\s+with\s+"
    r"(?:the\s+)?(?:(?:capital\s+|uppercase\s+)?letter\s+[\"“'‘]?([A-Za-z])\b[\"”'’]?|(?:the\s+)?(?:word|phrase)?\s*" + _QUOTED + ")",
    re.I,
)
_STARTS_EACH_ZH_RE = re.compile(r"每(?:一)?(句话?|行)[^。？！\n]{0,4}?(?:都)?(?:以|用)(?:字母)?\s*(?:" + _QUOTED + r"|([A-Za-z\u4e00-\u9fff]))\s*(?:这个字|这个词|字)?(?:开头|开始|起头)")
_STARTS_EN_RE = re.compile(
    r"\b(?:start|begin|open)\w*\s+(?:your|the|it|this|each)?\s*(?:answer|response|reply|letter|email|story|poem|essay|message|post|speech|paragraph|text)?\s*with\s+"
    r"(?:the\s+)?(?:words?|phrase|sentence|greeting|line)?\s*" + _QUOTED,
    re.I,
)
_ENDS_EN_RE = re.compile(
    r"\b(?:end|finish|conclude|close|wrap up)\w*\s+(?:your|the|it|this|each)?\s*(?:answer|response|reply|letter|email|story|poem|essay|message|post|speech|paragraph|text)?\s*with\s+"
    r"(?:the\s+)?(?:words?|phrase|sentence|question|line)?\s*" + _QUOTED,
    re.I,
)
_STARTS_ZH_RE = re.compile(r"(?<!每句)(?<!每句话)(?<!每行)(?:以|用)\s*" + _QUOTED + r"\s*(?:作为|为)?(?:开头|开始|起头)")
_ENDS_ZH_RE = re.compile(r"(?:以|用)\s*" + _QUOTED + r"\s*(?:作为|为)?(?:结尾|结束|收尾)|(?:结尾|最后一句|末尾)(?:处)?(?:加上|写上|是|用|改成|写)\s*" + _QUOTED)
_CASE_RE = re.compile(
    r"\b(?:in\s+)?all\s+(?:in\s+)?(capital|upper-?case|caps|lower-?case|small)\s*(?:letters)?\b|\b(?:entirely|only|completely)\s+in\s+(capital|upper-?case|lower-?case|small)\s+letters\b"
    r"|全部(?:用|使用|改成|换成|变成)?(大写|小写)(?:字母)?|(?:全|都)(?:用|改成|换成)(大写|小写)",
    re.I,
)
_N_POINTS_EN_RE = re.compile(
    r"\b(?:with|in|into|as|using)\s+(?:exactly\s+|just\s+|only\s+)?" + _EN_NUM + r"\s+(bullet(?:ed)?\s+points|bullets|numbered\s+points|points|items)\b"
    r"|\b(?:list|table)\s+of\s+(?:exactly\s+|just\s+|only\s+)?" + _EN_NUM + r"\s+(?:\w+\s+)?(?:items|steps|points|tips|ideas|things|entries|rows)\b",
    re.I,
)
_N_POINTS_ZH_RE = re.compile(
    r"(?:用|分成|分为|列成|整理成|归纳成|总结成|概括成|分)" + _ZH_NUM + r"\s*(?:个|条)?(?:要点|点|条)"
    r"|(?:共|正好|一共|总共|刚好|列)" + _ZH_NUM + r"\s*(?:条|点|项)|列出[^。？！\n，,]{0,8}?" + _ZH_NUM + r"\s*(?:条|点|项)"
)


def _shape_rules(head: str, add: Callable[[str, dict[str, Any], re.Match[str]], None]) -> None:
    m = _first(_POEM_EN_RE, head, "question") or _first(_POEM_ZH_RE, head, "question") or _first(_FIXED_FORM_RE, head, "question")
    if m:
        form = next(g for g in m.groups() if g).lower()
        lines = _POEM_FORMS.get(form, _POEM_ZH_LINES.get(form))
        if lines is None and (n := _first(_POEM_LINES_RE, head, "question")):
            lines = _num(n)
        add("format:poem", {"lines": lines} if lines else {}, m)
    elif re.search(r"\bpoem|诗", head, re.I) and (n := _first(_POEM_LINES_RE, head, "question")) and (k := _num(n)):
        add("format:poem", {"lines": k}, n)
    m = _first(_STARTS_EACH_EN_RE, head, False) or _first(_EACH_STARTS_EN_RE, head, False) or _first(_STARTS_EACH_ZH_RE, head, False)
    if m:
        unit = "line" if m.group(1) in ("line", "lines", "行") else "sentence"
        if m.re is _STARTS_EACH_ZH_RE:
            letter, word = None, m.group(2) or m.group(3)
        else:
            letter, word = m.group(2), m.group(3)
        kw: dict[str, Any] = {}
        if letter or (word and len(word) == 1 and word.isascii() and word.isalpha()):
            kw["letter"] = (letter or word).upper()
        elif word:
            kw["word"] = word.strip()
        if kw:
            if unit == "line":
                kw["unit"] = "line"
            add("format:sentence_starts", kw, m)
    else:
        m = _first(_STARTS_EN_RE, head, "question") or _first(_STARTS_ZH_RE, head, "question")
        if m:
            add("format:starts_with", {"phrase": m.group(1).strip()}, m)
    m = _first(_ENDS_EN_RE, head, "question") or _first(_ENDS_ZH_RE, head, "question")
    if m:
        add("format:ends_with", {"phrase": next(g for g in m.groups() if g).strip()}, m)
    m = _first(_CASE_RE, head, "question")
    if m:
        word = next(g for g in m.groups() if g).lower()
        add("format:case", {"case": "lower" if word.startswith(("lower", "small", "小")) else "upper"}, m)
    m = _first(_N_POINTS_EN_RE, head, "question") or _first(_N_POINTS_ZH_RE, head, "question")
    if m and (n := _num(m)) and 2 <= n <= 50:
        if "bullet" in m.group(0).lower():
            add("format:bullet_list", {"min_items": 2}, m)
        add("format:list_items", {"n": n}, m)


@lru_cache(maxsize=4096)
def infer(prompt: str) -> tuple[Implied, ...]:
    """The format checks a prompt's words imply (English and Chinese), most specific first."""
    if not prompt or not prompt.strip() or not _has_trigger(prompt):
        return ()
    # Only the instruction: a long quoted text after a blank line is material, not request.
    p = prompt[:2000]
    head = p.split("\n\n", 1)[0] if len(p) > 300 else p
    out: list[Implied] = []

    def add(cid: str, kwargs: dict[str, Any], m: re.Match[str]) -> None:
        if all(x.id != cid for x in out):
            out.append(Implied(cid, kwargs, m.group(0).strip()))

    m = _first(_CODE_EN_RE, head) or _first(_CODE_ZH_RE, head) or _first(_CODE_IMPL_RE, head)
    if m and not _NOT_CODE_RE.search(head):
        kw: dict[str, Any] = {}
        lm = _LANG_NAME_RE.search(head)
        if lm:
            kw["language"] = _CODE_LANGS[lm.group(1).lower()]
        noun = (m.group(1) or "").lower()
        if kw.get("language") == "python" and noun in ("function", "method", "decorator", "generator", "函数", "方法"):
            kw["defines"] = "function"
        elif kw.get("language") == "python" and noun in ("class", "类"):
            kw["defines"] = "class"
        add("format:code_block", kw, m)
    m = _first(_LETTER_EN_RE, head) or _first(_LETTER_ZH_RE, head) or _first(_LETTER_AS_RE, head, "question")
    if m and not _NOT_LETTER_RE.search(m.group(0)):
        add("format:letter", {}, m)
    m = _first(_COUNT_EN_RE, head, "prefix") or _first(_COUNT_ZH_RE, head, "prefix")
    if m and (n := _num(m)) and 2 <= n <= 50:
        add("format:list_items", {"n": n}, m)
    m = _first(_MAX_WORDS_EN_RE, head, False) or _first(_MAX_WORDS_ZH_RE, head, False)
    if m and (n := _num(m)):
        add("format:max_words", {"limit": n}, m)
    else:
        m = _first(_ONE_WORD_EN_RE, head, False)
        if m:
            add("format:max_words", {"limit": 1}, m)
    m = _first(_MIN_WORDS_EN_RE, head, False)
    if m and (n := _num(m)):
        add("format:min_words", {"limit": n + (1 if m.group(0).lower().startswith(("more than", "over")) else 0)}, m)
    m = _first(_MAX_CHARS_ZH_RE, head, False)
    if m and (n := _num(m)):
        add("format:max_chars", {"limit": n}, m)
    m = _first(_MIN_CHARS_ZH_RE, head, False)
    if m and (n := _num(m)):
        add("format:min_chars", {"limit": n + (1 if m.group(0).startswith("多于") else 0)}, m)
    m = _first(_ONE_SENTENCE_EN_RE, head, False) or _first(_ONE_SENTENCE_ZH_RE, head, False)
    if m:
        add("format:max_sentences", {"limit": 1}, m)
    else:
        m = _first(_N_SENTENCES_EN_RE, head, False) or _first(_N_SENTENCES_ZH_RE, head, False)
        if m and (n := _num(m)):
            add("format:max_sentences", {"limit": n}, m)
    m = _first(_JSON_RE, head)
    if m and not _NOT_JSON_RE.search(head):
        add("format:json", {}, m)
    m = _first(_TABLE_RE, head, "question")
    if m and not _NOT_TABLE_RE.search(head):
        add("format:table", {}, m)
    m = _first(_BULLETS_RE, head, "question")
    if m:
        add("format:bullet_list", {"min_items": 2}, m)
    m = _first(_NUMBERED_RE, head, "question")
    if m:
        add("format:numbered_list", {"min_items": 2}, m)
    m = _first(_TITLE_RE, head, "question")
    if m:
        add("format:title", {}, m)
    m = _first(_SECTIONS_EN_RE, head) or _first(_SECTIONS_ZH_RE, head)
    if m and (n := _num(m)) and n >= 2:
        add("format:sections", {"min_sections": n}, m)
    m = _first(TRANSLATE_RE, head, "prefix")
    if m:
        lang = next(_LANG_OF[g.lower()] for g in m.groups() if g)
        add("format:language", {"lang": lang}, m)
    _shape_rules(head, add)
    return tuple(out)


# Declared ids (ours and IFEval's) that settle each implied check: explicit wins.
COVERED_BY: dict[str, frozenset[str]] = {
    "format:code_block": frozenset({"format:code_block"}),
    "format:letter": frozenset({"format:letter"}),
    "format:list_items": frozenset(
        {"format:list_items", "format:numbered_list", "format:bullet_list", "detectable_format:number_bullet_lists"}
    ),
    "format:numbered_list": frozenset({"format:numbered_list", "format:list_items", "detectable_format:number_bullet_lists"}),
    "format:bullet_list": frozenset({"format:bullet_list", "format:list_items", "detectable_format:number_bullet_lists"}),
    "format:max_words": frozenset(
        {"format:max_words", "format:max_chars", "length_constraints:number_words", "length_constraints:number_sentences"}
    ),
    "format:min_words": frozenset({"format:min_words", "format:min_chars", "length_constraints:number_words"}),
    "format:max_chars": frozenset({"format:max_chars", "format:max_words", "length_constraints:number_words"}),
    "format:min_chars": frozenset({"format:min_chars", "format:min_words", "length_constraints:number_words"}),
    "format:max_sentences": frozenset(
        {"format:max_sentences", "format:max_words", "format:max_chars", "length_constraints:number_sentences"}
    ),
    "format:json": frozenset({"format:json", "detectable_format:json_format"}),
    "format:table": frozenset({"format:table"}),
    "format:title": frozenset({"format:title", "detectable_format:title"}),
    "format:sections": frozenset({"format:sections", "detectable_format:multiple_sections"}),
    "format:language": frozenset({"format:language", "language:response_language"}),
    "format:poem": frozenset({"format:poem"}),
    "format:sentence_starts": frozenset({"format:sentence_starts"}),
    "format:starts_with": frozenset({"format:starts_with"}),
    "format:ends_with": frozenset({"format:ends_with", "startend:end_checker"}),
    "format:case": frozenset({"format:case", "change_case:english_capital", "change_case:english_lowercase"}),
}


def _declared_at(case: Case) -> set[tuple[str, int]]:
    """(check id, 1-based turn) the case declares; a declared check without `turn` is on the last turn."""
    last = max(1, len(case.turns or ()))
    out = set()
    for spec in case.checks or ():
        cid, kwargs = spec_fields(spec)
        turn = kwargs.get("turn") if isinstance(kwargs, dict) else None
        turn = turn if isinstance(turn, int) and not isinstance(turn, bool) else last
        out.add((cid[len("ifeval:") :] if cid.startswith("ifeval:") else cid, turn))
    return out


# "From now on…", "接下来都…": the checks a turn implies hold for every later answer too.
_PERSISTENT_RE = re.compile(
    r"\b(?:from now on|going forward|for the rest of (?:this|our|the) (?:conversation|chat)|in (?:all|every) (?:of )?your "
    r"(?:future |following |next |subsequent )?(?:answers|replies|responses)|(?:for|in) (?:all|every) (?:future|following|subsequent) "
    r"(?:answers|replies|responses|questions)|always (?:answer|reply|respond))\b"
    r"|从现在开始|从现在起|接下来(?:的)?(?:回答|对话|所有)?(?:都|请都|全部)|接下来请|以后(?:的回答)?都|之后(?:的回答)?都|后面(?:的回答)?都|每次回答都|所有回答都",
    re.I,
)


def implied_specs(case: Case) -> list[tuple[str, dict[str, Any], str]]:
    """(check id, kwargs with the 1-based `turn`, because) for every turn's implied checks that the
    case does not declare itself at that turn. A turn that sets a rule "from now on" implies its
    checks for every later turn as well."""
    declared = _declared_at(case)
    turns = [t if isinstance(t, str) else "" for t in case.turns or ()]
    out = []
    seen: set[tuple[str, int]] = set()
    for i, prompt in enumerate(turns):
        implied = infer(prompt)
        later = range(i + 1, len(turns)) if implied and _PERSISTENT_RE.search(prompt[:2000]) else range(0)
        for imp in implied:
            for j in (i, *later):
                covered = COVERED_BY.get(imp.id, frozenset({imp.id}))
                if any((cid, j + 1) in declared for cid in covered) or (imp.id, j + 1) in seen:
                    continue
                seen.add((imp.id, j + 1))
                because = imp.because if j == i else f"{imp.because} (turn {i + 1}, from then on)"
                out.append((imp.id, {**imp.kwargs, "turn": j + 1}, because))
    return out


# ---------------------------------------------------------------------------------------------
# What kind of task a prompt sets (for directness:executes)

TASK_KINDS = ("code", "letter", "translate", "list", "summarize", "rewrite", "write")
_SUMMARIZE_RE = re.compile(r"\b(?:summari[sz]e|sum up|give (?:me )?a summary|tl;?dr)\b|总结|概括|摘要", re.I)
_REWRITE_RE = re.compile(r"\b(?:rewrite|rephrase|paraphrase|reword|proofread|correct the grammar|make (?:this|it) (?:more|less))\b|改写|重写|润色|改成|修改(?:这|下面|以下)", re.I)
_WRITE_RE = re.compile(
    r"\b(?:write|compose|create|draft)\b[^.?!\n]{0,40}?\b(poem|haiku|story|essay|slogan|tweet|speech|toast|review|limerick|song|lyrics|paragraph|notice|announcement|invitation|ad|advert\w*|description|bio|post)\b"
    r"|(?:写|创作|编)[^。？！\n]{0,12}?(诗|故事|文章|短文|作文|口号|标语|广告|通知|邀请|演讲稿|对联|歌词|段落|介绍|评论|祝福语)",
    re.I,
)


@lru_cache(maxsize=4096)
def task_kind(prompt: str) -> tuple[str, str] | None:
    """(kind, the words that say so) when the prompt asks to *do* something, else None."""
    if not prompt or not prompt.strip() or not _has_trigger(prompt):
        return None
    head = prompt[:2000]
    head = head.split("\n\n", 1)[0] if len(head) > 300 else head
    for kind, rx in (
        ("code", _CODE_EN_RE),
        ("code", _CODE_ZH_RE),
        ("code", _CODE_IMPL_RE),
        ("letter", _LETTER_EN_RE),
        ("letter", _LETTER_ZH_RE),
    ):
        m = _first(rx, head)
        if m and not (kind == "code" and _NOT_CODE_RE.search(head)) and not (kind == "letter" and _NOT_LETTER_RE.search(m.group(0))):
            return kind, m.group(0).strip()
    m = _first(TRANSLATE_RE, head, False)
    if m and re.search(r"translat|翻译|译", m.group(0), re.I):
        return "translate", m.group(0).strip()
    m = _first(_COUNT_EN_RE, head, "prefix") or _first(_COUNT_ZH_RE, head, "prefix")
    if m:
        return "list", m.group(0).strip()
    for kind, rx in (("summarize", _SUMMARIZE_RE), ("rewrite", _REWRITE_RE), ("write", _WRITE_RE)):
        m = _first(rx, head)
        if m:
            return kind, m.group(0).strip()
    return None
