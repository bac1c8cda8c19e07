"""Later turns that work on an earlier answer: "Rewrite your previous response…", "Make it
shorter", "把上面的内容翻译成英文", "Tell me more about the second point", "Remove the word 'very'".

`infer_backrefs(turn)` reads a later user turn (en and zh) and returns the coherence checks its
words imply, each with the words that imply it:

- coherence:builds_on {of: j}   the turn refers back to the answer of turn j ("your previous
  response", "the above", "it"/"them" with a verb acting on it, "the poem", "上面", "刚才",
  "这首诗", "把它…") and asks to do something with it
- coherence:shorter {than: j}   shorten / condense / summarise it / 缩短 / 精简 / 概括
- coherence:longer {than: j}    expand / elaborate / make it longer / 扩写 / 详细一点 (the whole answer)
- coherence:drops {terms}       remove / don't mention a concrete word ("the word 'very'", a quoted
  phrase, a capitalised name) / 去掉“…”
- coherence:keeps {terms}       keep / 保留 a concrete word

The check functions judge the answer against the assistant message the conversation actually
held (the model's own, or the golden one under --history golden). Precision comes first: a rule
fires only on an explicit reference and an explicit request. Measured on
benchmarks/labelled/followup_instructions.jsonl by benchmarks/perf/followup_checks.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import Any

from harness.scorers.dialogue import Turn
from harness.scorers.implied import LANGS_EN, REQUEST_RE, TRANSLATE_RE, Implied
from harness.scorers.terms import content_terms, overlap
from harness.scorers.text import KwargError, count_words, crosses_language, find_any, int_kwarg, snippet, str_list_kwarg

_KINDS_EN = (
    r"response|answer|reply|message|output|version|paragraph|text|story|poem|email|e-mail|letter|list|plan|summary|essay|"
    r"post|code|function|program|script|joke|haiku|limerick|description|explanation|recipe|outline|slogan|speech|song|"
    r"tweet|table|article|draft|bio|review|itinerary|translation|sentence|sentences|points?|steps?|tips?|ideas?|"
    r"suggestions?|options?|examples?|items?|names?|titles?|questions?|json|answers|responses|replies"
)
_REF_EN_RE = re.compile(
    r"\b(?:your|the|that|this|those|these)\s+(?:(?:previous|last|earlier|above|prior|former|original|first|second|third|"
    r"whole|entire|same|latest|initial|own)\s+)+(?:" + _KINDS_EN + r")\b"
    r"|\b(?:your|that|this|those|these)\s+(?:" + _KINDS_EN + r")\b"
    r"|\bthe\s+(?:story|poem|email|e-mail|letter|list|plan|summary|essay|code|function|program|script|joke|haiku|limerick|"
    r"recipe|outline|slogan|tagline|ad|advert|speech|song|tweet|table|article|draft|itinerary|paragraph|json|bio)\b"
    r"|\bthe above\b|\babove (?:text|response|answer|content|list|passage|paragraph)\b"
    r"|\bwhat you (?:just )?(?:wrote|said|gave me|listed|described|suggested|proposed|came up with|mentioned)\b",
    re.I,
)
_VERBS_EN = (
    r"rewrite|re-write|rephrase|reword|revise|rework|redo|edit|modify|alter|amend|adjust|change|update|reformulate|restate|"
    r"shorten|condense|trim|cut|simplify|expand|extend|elaborate|continue|translate|summari[sz]e|sum up|convert|turn|make|put|"
    r"format|fix|improve|polish|proofread|correct|add|remove|delete|drop|replace|include|incorporate|explain|present|"
    r"organi[sz]e|restructure|split|combine|merge|critique|evaluate|review|optimi[sz]e|refactor|parallelize|output|give|"
    r"write|repeat|reorder|sort|rank|number|list|break|reduce|tone|tweak|retell|recast|paraphrase|read|double-check|check|"
    r"apply|adapt|insert|append|prepend|end|start|begin|use|keep|tighten|lengthen|flesh|spice|transform|reformat"
)
_PRONOUN_REF_EN_RE = re.compile(
    r"\b(?:" + _VERBS_EN + r")\w*\s+(?:(?:me|us)\s+)?(?:it|them|this|that|these|those|everything|each (?:one|of them)|all of (?:it|them)|both)\b"
    r"|\b(?:" + _VERBS_EN + r")\w*\s+(?:\S+\s+){0,5}?(?:to|from|of|in|into|on|for|with)\s+(?:it|them|those|these)\b(?!\s+(?:is|are|was|were)\b)"
    r"|\b(?:the|a)\s+next\s+(?:chapter|part|paragraph|verse|stanza|scene|episode|installment)\b|\bkeep going\b|\bgo on\b|\bcontinue\b"
    r"|\b(?:it|them|this|that)\s+(?:shorter|longer|more|less|simpler|clearer|funnier|sadder|happier|formal|informal|"
    r"into|in(?:to)? (?:a|an|the)|as (?:a|an)|again)\b",
    re.I,
)
# A transform verb opening a turn that brings no material of its own: it works on the last answer.
_BARE_EN_RE = re.compile(
    r"^\W*(?:(?:now|ok(?:ay)?|great|thanks|thank you|good|nice|cool|perfect|alright|and|next|then)[,.!]?\s+)*"
    r"(?:(?:please|could you|can you|would you|will you)\s+)?"
    r"(?:make|shorten|condense|expand|elaborate|translate|summari[sz]e|sum up|rewrite|rephrase|simplify|trim|"
    r"shorter|longer|more concise|more detail|again|(?:do|repeat|redo) (?:it|that|the same(?: task| thing)?)(?: again)?)\b",
    re.I,
)
# Reshaping with no subject of its own ("Put it in a table." / "分条列出。" / "输出为JSON。"): it works on the
# last answer. A new subject ("…about bees", "关于…", "推荐…") makes it a new request.
_RESHAPE_EN_RE = re.compile(
    r"^\W*(?:(?:now|ok(?:ay)?|great|thanks|thank you|good|nice|cool|perfect|alright|and|next|then|also)[,.!]?\s+)*"
    r"(?:(?:please|could you|can you|would you|will you)\s+)?"
    r"(?:put|turn|convert|format|present|reformat|organi[sz]e|add|remove|delete|drop|output|show|number|sort|split|"
    r"rewrite|rephrase|summari[sz]e|translate|shorten|expand|lengthen|simplify|make|give me (?:it|that|them|those|these)|"
    r"say (?:it|that)|in (?:json|a table|bullet points|one sentence|\w+ words|(?:" + "|".join(LANGS_EN) + r")\b))",
    re.I,
)
_RESHAPE_ZH_RE = re.compile(
    r"(?:^|[，,。.！!；;])[\s]*(?:好的?|谢谢|不错|很好|嗯|那|然后|接着|现在|另外)?[\s，,。.！!]*(?:请|麻烦|能不能|能否|可以|可不可以|再|帮我|你)*"
    r"(?:多写|写长|写短|改短|改长|用[^，。？！]{1,8}?(?:概括|总结|回答|说明|列出|解释|写出来|写)|分条|列成|列出来|输出为|输出成|做成|整理成|写成|改成|换成|变成|转成|翻译|译成|总结|概括|缩短|精简|压缩|扩写|展开|继续|接着写|往下写|"
    r"加上|加一个|加个|删掉|删去|去掉|结尾|开头|重写|重新写|改写|再写一遍|讲得更|说得更|用[^，。？！]{1,8}?(?:形式|格式|语|文)|以[^，。？！]{1,10}(?:开头|结尾))"
)
_NEW_SUBJECT_RE = re.compile(r"\babout\b|\bon the topic\b|\b(?:a|an)\s+(?:new|another|different)\b|关于|推荐|介绍一下|讲讲|另一个|新的", re.I)
_QUESTION_RE = re.compile(r"^\W*(?:what|why|how|who|when|where|which|is|are|does|do|did|was|were|can i|should)\b|(?:什么|为什么|怎么|哪|吗|呢|是不是)[^。]*[？?]\s*$", re.I)
_REF_ZH_RE = re.compile(
    r"上面|上述|以上|刚才|刚刚|之前(?:的|那|你)|前面(?:的|那|你)|你的回答|你(?:刚才|刚刚)?(?:写|说|给|列|提)的|"
    r"这首|这个故事|这封|这段|这篇|这份|这些(?:建议|步骤|要点|内容|名字|例子|方法)?|这个(?:列表|清单|方案|计划|回答|函数|代码|表格|标题|名字|句子|故事|口号)|"
    r"(?:把|将|给|对|为)(?:它|它们|这|那|这些|那些|上面|刚才|以上|故事|诗|文章|信|邮件|列表|清单|计划|方案|口号|广告)|其中|第一(?:个|次|首|篇|封|版)?的?(?:回答|回复|版本|诗|故事|信|邮件)"
)
_VERBS_ZH = (
    r"改写|重写|改成|改为|换成|缩短|精简|压缩|改短|扩写|扩充|展开|翻译|译成|总结|概括|归纳|润色|修改|删掉|删去|删除|去掉|加上|列出|列|"
    r"补充|整理|变成|转成|转换|再写|简化|解释|说明|优化|调整|缩写|改|写成|列成|做成|分成|加|换|续写|讲得|说得"
)
_BARE_ZH_RE = re.compile(
    r"^[\s，,。.！!]*(?:好的?|谢谢|不错|很好|嗯|那|然后|接着|现在)?[\s，,。.！!]*(?:请|麻烦|能不能|能否|可以|可不可以|再|帮我)*"
    r"(?:短一点|短一些|简短一点|简短些|简洁一点|长一点|长一些|详细一点|详细一些|详细点|具体一点|简单一点|通俗一点|"
    r"改短|缩短|精简|扩写|展开|翻译成|译成|改写|重写|换个说法|改成|写成|再来一(?:遍|次)|再写一(?:遍|次))"
)
# The turn brings its own material ("Rewrite this sentence: …", "翻译：…"): not a back-reference.
_OWN_MATERIAL_RE = re.compile(r"[:：]\s*\S[^\n]{15,}|\n\s*\S[^\n]{15,}|[\"“「『][^\"”」』]{25,}[\"”」』]")

_CHANGE_RE = re.compile(
    r"\b(?:" + _VERBS_EN + r")\b|shorter|longer|simpler|more|less|instead|again|but\b|without"
    r"|改|换|缩|扩|翻译|译|总结|概括|润色|删|去掉|加|补充|变|转|简化|短|长|详细|通俗|不要",
    re.I,
)
_SHORTER_RE = re.compile(
    r"\b(?:shorten\w*|shorter|condense\w*|trim\w*|cut (?:it|them|this|that)? ?down|more concise|concise|briefer|more brief|"
    r"summari[sz]\w*|sum (?:it|them|this|that)? ?up|tl;?dr|fewer words|reduce (?:it|the length)|tighten\w*)\b"
    r"|缩短|精简|改短|短一点|短一些|简短|简洁|概括|总结|缩写|删减|压缩|浓缩|短些",
    re.I,
)
_LONGER_RE = re.compile(
    r"\b(?:expand\w*|elaborate\w*|longer|lengthen\w*|more detail(?:s|ed)?|in more depth|in (?:more|greater) detail|"
    r"flesh (?:it|this|that) out|add more|extend\w*)\b"
    r"|扩写|扩充|展开|详细|长一点|长一些|多写|写多|丰富一下|补充更多|具体一点|写长",
    re.I,
)
# "Tell me more about the second point": a part of the answer, not the whole - no length verdict.
_PART_RE = re.compile(
    r"\b(?:the|your)\s+(?:first|second|third|fourth|fifth|last|\d+(?:st|nd|rd|th))\s+(?:point|step|tip|idea|part|paragraph|"
    r"item|option|suggestion|reason|example|section)\b|\b(?:point|step|item|option|number)\s+\d\b"
    r"|第[一二三四五六七八九十\d]+(?:点|步|条|个|部分|段|项)|其中(?:的)?",
    re.I,
)
_QUOTED_TERM = r"[\"“'‘「『]([^\"”'’」』\n]{1,40})[\"”'’」』]"
_NAMED = r"(?:(?:the|its|their)\s+)?(?:(?:brand|product|company|character|place|city)\s+)?(?:words?|names?|phrases?|terms?|titles?)?\s*"
_DROPS_EN_RE = re.compile(
    r"(?i:\b(?:remove|delete|drop|omit|take out|cut out|get rid of|leave out|exclude|eliminate|strip)\w*\s+(?:all\s+|any\s+|every\s+)?"
    r"(?:(?:mentions?|references?|uses?|instances?|occurrences?) of\s+)?)" + _NAMED
    + r"(?:" + _QUOTED_TERM + r"|([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)?)\b)"
    r"|(?i:\b(?:don'?t|do not|never|without)\s+(?:mention|use|include|say|using|mentioning|including)\w*\s+)" + _NAMED
    + r"(?:" + _QUOTED_TERM + r"|([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)?)\b)"
    r"|(?i:\bwithout\s+the\s+)([a-z][a-z -]{1,30}?)\s+(?i:idea|option|part|item|suggestion|step|section|point|bit|line|one)\b"
)
_DROPS_ZH_RE = re.compile(
    r"(?:去掉|删掉|删除|去除|删去|拿掉|不要(?:再)?(?:提|出现|用|写|包含|提到)|别(?:再)?(?:提|用|写)|不要有)(?:到)?(?:关于)?\s*((?:[\"“'‘「『][^\"”'’」』\n]{1,40}[\"”'’」』]\s*(?:和|、|,|，|以及)?\s*)+)"
    + r"|(?:去掉|删掉|删除|删去)\s*([\u4e00-\u9fffA-Za-z]{1,8})这个(?:词|字|名字)"
)
_KEEPS_EN_RE = re.compile(
    r"(?i:\b(?:keep|retain|preserve|don'?t change|leave)\w*\s+)" + _NAMED + r"(?:" + _QUOTED_TERM
    + r"|([A-Z][a-z]{2,}(?:\s+[A-Z][a-z]+)?)\b)"
)
_KEEPS_ZH_RE = re.compile(r"(?:保留|留着|不要改|别改|不要动)\s*" + _QUOTED_TERM + r"|(?:保留|留着)\s*([\u4e00-\u9fffA-Za-z]{1,8})这个(?:词|名字)")
_FIRST_REF_RE = re.compile(
    r"\b(?:your|the)\s+(?:very\s+)?(?:first|original|initial)\s+(?:response|answer|reply|message|version|list|story|poem|draft)\b"
    r"|第一(?:个|次|首|篇|封|版)?的?(?:回答|回复|版本|诗|故事|信|邮件)|最(?:开始|早|初)的?(?:回答|版本)",
    re.I,
)
_KIND_WORDS = {
    "poem": ("poem", "haiku", "limerick", "verse", "诗"), "story": ("story", "tale", "故事"),
    "email": ("email", "e-mail", "邮件"), "letter": ("letter", "信"), "code": ("code", "function", "program", "script", "代码", "函数", "程序"),
    "list": ("list", "清单", "列表"), "plan": ("plan", "itinerary", "计划", "方案"), "slogan": ("slogan", "口号", "标语"),
    "table": ("table", "表格"), "speech": ("speech", "演讲"), "essay": ("essay", "文章", "作文"), "recipe": ("recipe", "菜谱", "食谱"),
    "ad": ("ad", "advert", "tagline", "广告"), "description": ("description", "bio", "简介", "介绍"),
}
_CREATE_RE = re.compile(r"\b(?:write|compose|create|draft|give|make|come up|suggest|list|tell)\b|写|编|创作|讲|给我|列|起草|拟", re.I)
_KIND_RE = re.compile(r"\b(?:the|that|this|your)\s+(poem|haiku|limerick|story|tale|email|e-mail|letter|code|function|program|script|list|plan|itinerary|slogan|table|speech|essay|recipe|ad|advert|tagline|description|bio)\b|这(?:首|个|封|段|篇|份)(诗|故事|邮件|信|代码|函数|程序|列表|清单|计划|方案|口号|标语|表格|演讲稿?|文章|作文|菜谱|食谱|广告|简介)", re.I)


def _kind_of(word: str) -> str | None:
    w = word.lower()
    return next((k for k, words in _KIND_WORDS.items() if any(w.startswith(x) for x in words)), None)


def _target(prompt: str, earlier_prompts: tuple[str, ...]) -> int:
    """1-based turn whose answer the back-reference means: "your first answer", the turn that asked
    for "the poem"/"这首诗", else the previous turn."""
    if _FIRST_REF_RE.search(prompt):
        return 1
    m = _KIND_RE.search(prompt)
    kind = _kind_of(m.group(1) or m.group(2)) if m else None
    if kind:  # the latest turn that asked for one
        for j in range(len(earlier_prompts) - 1, -1, -1):
            p = earlier_prompts[j].lower()
            if any(re.search(r"\b" + re.escape(w) + r"\b" if w.isascii() else re.escape(w), p) for w in _KIND_WORDS[kind]) and _CREATE_RE.search(p):
                return j + 1
    return len(earlier_prompts)


_UPCOMING_RE = re.compile(r"\b(?:start|begin|end|finish|conclude|close|open|keep|make|format|structure|limit)\s+$", re.I)
_VERB_EN_RE = re.compile(r"\b(?:" + _VERBS_EN + r")\w*\b", re.I)


def find_backref(prompt: str) -> re.Match[str] | None:
    """The words by which a later turn refers to an earlier answer and asks to act on it, else None."""
    p = prompt[:1000]
    asks_only = _QUESTION_RE.search(p) is not None and REQUEST_RE.search(p) is None
    for m in _REF_EN_RE.finditer(p):
        # "end your answer with…", "keep your reply short": the answer to come, not an earlier one
        if _VERB_EN_RE.search(p) and not asks_only and not _UPCOMING_RE.search(p, 0, m.start()):
            return m
    if _OWN_MATERIAL_RE.search(p):
        return None  # "Rewrite this sentence: …": the turn brings the text to work on
    for rx in (_PRONOUN_REF_EN_RE, _BARE_EN_RE, _BARE_ZH_RE):
        m = rx.search(p)
        if m and not asks_only:
            return m
    m = _REF_ZH_RE.search(p)
    if m and re.search(_VERBS_ZH, p[max(0, m.start() - 10) : m.end() + 30]) and not asks_only:
        return m
    if not _NEW_SUBJECT_RE.search(p) and not asks_only:
        return _RESHAPE_EN_RE.search(p) or _RESHAPE_ZH_RE.search(p)
    return None


_QUOTED_ALL_RE = re.compile(_QUOTED_TERM)


# A later turn that builds on the earlier exchange without reworking it: a question about "your
# solution", "What if …", "How about …", "the same strategy", "the first example", "this process".
_FOLLOWS_EN_RE = re.compile(
    r"\b(?:your|the|that|this|those|these)\s+(?:(?:previous|last|earlier|above|prior|former|original|first|second|third|same|"
    r"own|listed|mentioned|given|current)\s+)*(?:response|answer|reply|solution|approach|method|implementation|algorithm|"
    r"function|code|program|example|examples|question|problem|list|plan|process|reaction|experiment|strategy|statement|"
    r"statements|story|poem|idea|ideas|suggestion|suggestions|principles|points|steps|equation|equations|film|book|norms)\b"
    r"|^\W*(?:what if|how about|what about|and if|suppose|building on|based on|now|then|so)\b|\b(?:above|aforementioned)\b"
    r"|\bthe same\b|\bin your (?:response|answer|solution)\b"
    r"|\bthere\s*[?.!]|\b(?:in|from|to|at|near|around)\s+there\b|\b(?:live|go|visit|see|do|eat|stay|get|travel)\w*\s+there\b",
    re.I,
)
_FOLLOWS_ZH_RE = re.compile(r"上面|上述|以上|刚才|刚刚|之前|前面|你的(?:回答|方案|答案|解法|代码|建议)|这个(?:方案|方法|过程|问题|例子|函数|算法)|^(?:那|如果|假如|要是|那么)")


def infer_follow_up(turn: Turn) -> Implied | None:
    """coherence:follow_up {of: j} for a later turn that refers back without asking to rework an answer."""
    if turn.index == 0 or not turn.prompt.strip():
        return None
    p = turn.prompt[:1000]
    m = _FOLLOWS_EN_RE.search(p) or _FOLLOWS_ZH_RE.search(p)
    if m is None:
        return None
    return Implied("coherence:follow_up", {"of": _target(p, turn.earlier_prompts)}, m.group(0).strip())


def check_stays_with(turn: Turn, kwargs: Mapping[str, Any], min_overlap: float) -> Verdict | None:
    """The answer shares content with the exchange of turn j (its request and the answer it held)."""
    j, earlier = _earlier(turn, kwargs, "of")
    exchange = f"{turn.earlier_prompts[j - 1]}\n{earlier}"
    if crosses_language(exchange, turn.answer) or not turn.answer.strip():
        return None
    ta, tb = content_terms(exchange), content_terms(turn.answer)
    if len(ta) < MIN_TERMS or len(tb) < MIN_TERMS:
        return None
    ov = overlap(ta, tb)
    pct = round(100 * ov)
    if ov < min_overlap:
        return False, f"shares {pct}% of the content of turn {j} (floor {round(100 * min_overlap)}%): it drops the thread", ov
    return True, f"follows on from turn {j}: shares {pct}% of its content", ov


def _terms(groups: tuple[str | None, ...]) -> list[str]:
    out = []
    for g in groups:
        if g and g.strip():
            quoted = _QUOTED_ALL_RE.findall(g)
            out.extend(q.strip() for q in quoted) if quoted else out.append(g.strip())
    return out


def infer_backrefs(turn: Turn) -> list[Implied]:
    """The coherence checks a later turn's words imply about an earlier answer (none on turn 1)."""
    if turn.index == 0 or not turn.prompt.strip():
        return []
    out: list[Implied] = []
    p = turn.prompt[:1000]
    ref = find_backref(p)
    if ref is not None:
        j = _target(p, turn.earlier_prompts)
        out.append(Implied("coherence:builds_on", {"of": j}, ref.group(0).strip()))
        m = _SHORTER_RE.search(p)
        if m:
            out.append(Implied("coherence:shorter", {"than": j}, m.group(0).strip()))
        else:
            m = _LONGER_RE.search(p)
            if m and not _PART_RE.search(p):
                out.append(Implied("coherence:longer", {"than": j}, m.group(0).strip()))
    for rx, cid in ((_DROPS_EN_RE, "coherence:drops"), (_DROPS_ZH_RE, "coherence:drops"), (_KEEPS_EN_RE, "coherence:keeps"), (_KEEPS_ZH_RE, "coherence:keeps")):
        terms = [t for m in rx.finditer(p) for t in _terms(m.groups())]
        if terms and all(x.id != cid for x in out):
            out.append(Implied(cid, {"terms": list(dict.fromkeys(terms))}, rx.search(p).group(0).strip()))  # type: ignore[union-attr]
    return out


# ---------------------------------------------------------------------------------------------
# The checks. Each returns (passed, reason, value), or None when there is nothing to judge.

Verdict = tuple[bool, str, float | None]
MIN_TERMS = 4  # fewer content terms on either side: too little to judge an overlap
VERBATIM = 0.97  # sequence similarity at which a "changed" answer is a copy


def _earlier(turn: Turn, kwargs: Mapping[str, Any], key: str) -> tuple[int, str]:
    j = int_kwarg(kwargs, key, turn.index, minimum=1)
    if j > turn.index:
        raise KwargError(f"kwarg '{key}' is {j} but turn {turn.number} has only {turn.index} earlier answer(s)")
    return j, turn.earlier_answers[j - 1]


_WS_RE = re.compile(r"\s+")
_TERSE_RE = re.compile(r"\b(?:one|a single|two|three) words?\b|\bin a word\b|\bone-word\b|\byes or no\b|一个词|一个字|两个字|用一句话|是或否", re.I)


def check_builds_on(turn: Turn, kwargs: Mapping[str, Any], min_overlap: float) -> Verdict | None:
    j, earlier = _earlier(turn, kwargs, "of")
    if not earlier.strip():
        return None  # nothing to build on
    if not turn.answer.strip():
        return False, f"empty answer: nothing of turn {j}'s answer is kept", 0.0
    change = kwargs.get("change")
    if change is None:
        change = _CHANGE_RE.search(turn.prompt[:1000]) is not None
    # case and punctuation kept: "rewrite it in capital letters" changes nothing else
    a, b = _WS_RE.sub(" ", earlier[:5000]).strip(), _WS_RE.sub(" ", turn.answer[:5000]).strip()
    if change and (a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= VERBATIM):
        return False, f"repeats turn {j}'s answer verbatim though a change was asked", 1.0
    if crosses_language(earlier, turn.answer) or TRANSLATE_RE.search(turn.prompt[:1000]):
        return None  # a translation shares no words with its source: its language is checked by format:language
    ta, tb = content_terms(earlier), content_terms(turn.answer)
    if len(ta) < MIN_TERMS:
        return None
    if len(tb) < MIN_TERMS:  # a few words: judged only when they share nothing and no terse answer was asked
        if ta & tb or _TERSE_RE.search(turn.prompt[:1000]):
            return None
        return False, f"keeps nothing of turn {j}'s answer ({snippet(turn.answer, 40)!r})", 0.0
    ov = overlap(ta, tb)
    pct = round(100 * ov)
    if ov < min_overlap:
        return False, f"shares {pct}% of the content of turn {j}'s answer (floor {round(100 * min_overlap)}%): it ignores it", ov
    return True, f"builds on turn {j}'s answer: shares {pct}% of its content", ov


def check_shorter(turn: Turn, kwargs: Mapping[str, Any], max_ratio: float) -> Verdict | None:
    j, earlier = _earlier(turn, kwargs, "than")
    n_old, n_new = count_words(earlier), count_words(turn.answer)
    if n_old < 5:
        return None
    ratio = n_new / n_old
    ok = ratio <= max_ratio and n_new > 0
    return ok, f"{n_new} words against turn {j}'s {n_old} ({ratio:.2f}x; shorter means <= {max_ratio}x)", ratio


def check_longer(turn: Turn, kwargs: Mapping[str, Any], min_ratio: float) -> Verdict | None:
    j, earlier = _earlier(turn, kwargs, "than")
    n_old, n_new = count_words(earlier), count_words(turn.answer)
    if n_old < 1:
        return None
    ratio = n_new / n_old
    return ratio >= min_ratio, f"{n_new} words against turn {j}'s {n_old} ({ratio:.2f}x; longer means >= {min_ratio}x)", ratio


def _term_verdict(turn: Turn, kwargs: Mapping[str, Any], want_present: bool) -> Verdict:
    terms = str_list_kwarg(kwargs, "terms")
    wrong = [t for t in terms if (find_any(turn.answer, [t]) is not None) != want_present]
    shown = ", ".join(repr(snippet(t, 30)) for t in (wrong or terms))
    if want_present:
        return (not wrong, f"keeps {shown}" if not wrong else f"drops {shown}, which was to be kept", 0.0 if wrong else 1.0)
    return (not wrong, f"no longer mentions {shown}" if not wrong else f"still mentions {shown}", float(len(wrong)))


def check_drops(turn: Turn, kwargs: Mapping[str, Any]) -> Verdict:
    return _term_verdict(turn, kwargs, want_present=False)


def check_keeps(turn: Turn, kwargs: Mapping[str, Any]) -> Verdict:
    return _term_verdict(turn, kwargs, want_present=True)
