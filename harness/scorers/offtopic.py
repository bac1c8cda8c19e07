"""Positive evidence that an answer is about something other than what was asked (relevance).

Absence of the request's words is weak evidence: a good answer may name its subject only
indirectly ("Plants catch sunlight…" for photosynthesis). An off-topic verdict needs one of:

- a **competing subject**: a request word of a category in harness/scorers/lexicon.py (a country,
  an animal, a season, a relative, an occasion…) is nowhere in the answer, while the answer's
  opening (title, salutation, first sentences, function names) names another word of that
  category: "asked about 'sea'; the answer is about 'peaks'";
- **another domain altogether**: none of the answer's category words share a domain with the
  request's, and it names at least two (banana bread for a flat tyre);
- an **echo**: the answer is a list of other requests or questions ("Write a poem about love.
  Write a poem about family.", "什么是人工智能？什么是云计算？");
- a **generic reply**: stock phrases that fit any request ("Great question! It depends on many
  factors…", "作为一个AI语言模型…");
- a **continued earlier topic**: a later turn asks something new and the answer goes on with the
  earlier answer's content instead;
- an **announced subject** (`announced`): the first sentence defines or sets out to do something else
  ("The unemployment rate is…", "CPI是…", "To jump-start a dead battery: …");
- **names of its own** (`anchors`): with no word shared with the request, the names, acronyms and
  titles the answer's opening states (relevance.py decides for which requests that counts).
"""

from __future__ import annotations

import re

from harness.scorers.domains import singular
from harness.scorers.lexicon import ASKED_FOR, NO_COMPETITION
from harness.scorers.named_kinds import ASKED_FOR as NAMED_ASKED_FOR
from harness.scorers.named_kinds import OPENING_CHARS, OPENING_ONLY
from harness.scorers.subject import named_en, zh_words
from harness.scorers.terms import EN_STOPWORDS, content_terms, stem
from harness.scorers.topics import Member, domain, members

HEAD_CHARS, HEAD_CHARS_ZH = 200, 100  # the answer's opening, where it states its own subject
CONTINUED = 0.05  # share of an answer's content terms from the earlier turns that continues them
OPENING_MARGIN = 80  # characters read past the opening so that no phrase starting inside it is cut
TOPIC_CHARS = 40  # a word this close to the start is what the answer announces ("To make a paper aeroplane, …")
_DEF_RE = re.compile(r"\b(?:def|function|func|fn)\s+([A-Za-z_]\w*)|\b([a-z_]\w*)\s*=\s*(?:lambda|\()")
_CODE_RE = re.compile(r"```|\bdef \w+\(|\bfunction \w+\(")
_ZH_RE = re.compile(r"[\u4e00-\u9fff]")


def has_code(text: str) -> bool:
    return _CODE_RE.search(text) is not None


def head_end(answer: str) -> int:
    """Where the answer's opening ends (characters)."""
    limit = HEAD_CHARS_ZH if len(_ZH_RE.findall(answer[:200])) > 40 else HEAD_CHARS
    return limit


def _opening(answer: str, end: int) -> str:
    """The answer cut after its opening, at a non-letter past a margin, so that the words found before
    `end` are those found in the whole answer (matching and jieba's segmentation are local to runs)."""
    cut = re.compile(r"[^\w\u4e00-\u9fff]").search(answer, end + OPENING_MARGIN)
    return answer[: cut.start()] if cut else answer


def _head_members(answer: str, code: bool) -> list[Member]:
    """The category words of the answer's opening, less those said in contrast ("the summer's warmth
    is gone" in a poem about autumn, "unlike a cat, …"), plus the names of the functions it defines."""
    end = head_end(answer)
    found = [
        m for m in members(_opening(answer, end), code)
        if m.pos < end and not _CONTRAST_RE.search(_near(answer, m.pos)) and not _REFERENCE_RE.search(answer[max(0, m.pos - 12) : m.pos])
    ]
    if code:
        names = " ".join(a or b for a, b in _DEF_RE.findall(answer[:5000]))
        found += list(members(names, True))
    return found


_CONTRAST_RE = re.compile(
    r"\b(?:gone|fades?|faded|fading|farewell|goodbye|no longer|unlike|instead of|rather than|not|isn't|aren't|wasn't|never)\b"
    r"|(?<!是)不是|不像|不再|远去|告别|过去了|结束了",  # "是不是" asks, it does not contrast
    re.I,
)
CONTRAST_WINDOW = 20  # characters either side of a word where a contrast cue applies to it
_REFERENCE_RE = re.compile(r"(?:\b(?:from|near|close to|next to)|离|距离|距|靠近|邻近|从)\W{0,3}$", re.I)  # "15 minutes from Osaka", "从上海出发"
_SENTENCE_END_RE = re.compile(r"[.!?。！？；;\n]")
def _near(text: str, pos: int) -> str:
    """The words around `pos` (a word's start), within its sentence."""
    lo = max(0, pos - CONTRAST_WINDOW)
    start = max((m.end() for m in _SENTENCE_END_RE.finditer(text, lo, pos)), default=lo)
    end = _SENTENCE_END_RE.search(text, pos)
    return text[start : min(end.start() if end else len(text), pos + 2 * CONTRAST_WINDOW)]


def competitor(
    request: str, answer: str, context: str = "", code: bool = False, background: str = "", prompt: str | None = None
) -> tuple[str, str, str] | None:
    """(the request's word that is missing, the answer's competing word, their category), or None.
    `background` (the earlier requests) adds its words of the categories the request does not name:
    "Which museums should I see?" after "I'm visiting Vienna" is about Vienna's. `prompt`: the user's own
    words, when `request` adds inherited subject terms (what they ask for is read from them)."""
    own = (prompt if prompt is not None else request)[:500]
    title = _title_competitor(request, answer)
    if title:
        return title
    if _ASKS_OTHER_RE.search(own):
        return None  # "Which other painting of his…": another member of the category is what was asked for
    asked = members(request, code)
    if background:  # the place the conversation is about, unless the request names one
        named = {m.category for m in asked}
        asked = (*asked, *(m for m in members(background, code) if m.category in _SETTING and m.category not in named))
    if not asked:
        return None
    by_cat: dict[str, set[int]] = {}
    bare = own
    for m in asked:  # the cue is the request's own word, not part of a name ("war" in "World War II")
        if " " in m.word:
            bare = bare.replace(m.word, " ")
    for m in asked:
        wanted = _ASKED_FOR.get(m.category)
        if m.category not in NO_COMPETITION and not (wanted and wanted.search(bare)):
            by_cat.setdefault(m.category, set()).add(m.group)
    if not by_cat:
        return None
    rest = own  # the request's words besides its lexicon words
    for a in asked:
        rest = rest.replace(a.word, " ")
    for m in _head_members(answer, code):
        if m.category in OPENING_ONLY and m.pos > OPENING_CHARS:
            continue
        if _said_in(m.word, rest):  # "the area of a circle" asked as "area of the circle circumscribing the triangle"
            continue
        groups = by_cat.get(m.category)
        if groups and m.group not in groups and not groups & _groups(answer, code) and m.group not in _groups(context, code):
            missing = next(a.word for a in asked if a.category == m.category)
            return missing, m.word, m.category
    return None


def _said_in(word: str, request: str) -> bool:
    """Whether every content word of a lexicon member (English) or every character of it (Chinese) is among
    the request's other words: the member is then what the user asked about, in other words."""
    if _ZH_RE.search(word):
        return set(word) <= set(request)
    words = {singular(w) for w in re.findall(r"[A-Za-z]{3,}", word)} - EN_STOPWORDS
    return bool(words) and words <= {singular(w) for w in re.findall(r"[A-Za-z]{3,}", request)}


# request words that point into a domain without naming one of its words ("What food is it famous for?")
_DOMAIN_CUES = {
    "food": re.compile(r"\b(?:eat|eating|food|cuisine|dish|dishes|recipe|cook|cooking|drink)\b|吃|美食|菜|做法|小吃|喝", re.I),
    "health": re.compile(r"\b(?:health|healthy|benefits?|exercise|body)\b|健康|好处|锻炼|身体", re.I),
    "world": re.compile(r"\b(?:weather|climate|visit|sights?|travel|trip)\b|天气|气候|景点|旅游|旅行|玩", re.I),
}


_ASKED_FOR = {cat: re.compile(rx, re.I) for cat, rx in {**NAMED_ASKED_FOR, **ASKED_FOR}.items()}


def _groups(text: str, code: bool) -> set[int]:
    return {m.group for m in members(text, code)} if text else set()


_SETTING = frozenset({"country", "region", "city", "continent", "landmark"})  # what an earlier request sets for later ones
_ASKS_OTHER_RE = re.compile(r"\b(?:other|another|else)\b|其他|其它|(?<![告分离区识])别的|另一|还有哪|还[\u4e00-\u9fff]{0,2}过", re.I)
_TITLE_RE = re.compile(r"《([^》\n]{1,30})》")
# an English title in quotes or markdown emphasis: capitalised, a few words ('War and Peace', *Hamlet*)
_EN_TITLE_RE = re.compile(r"(?:(?<=\s)|^)['‘\"“*_]([A-Z][\w'’]*(?:[ -][\w'’]+){0,6})['’\"”*_](?=[\s,.;:?!)]|$)")


def _titles(text: str) -> list[str]:
    return [t.lower() for t in _EN_TITLE_RE.findall(text)]


def _title_competitor(request: str, answer: str) -> tuple[str, str, str] | None:
    """A title asked about (《红楼梦》, 'War and Peace') that the answer never names, while its opening names
    another."""
    asked = _TITLE_RE.findall(request)
    if asked:
        if any(t in answer for t in asked):
            return None
        other = [t for t in _TITLE_RE.findall(answer[: head_end(answer)]) if t not in request]
        return (asked[0], other[0], "title") if other else None
    asked = _titles(request[:500])
    if not asked or any(t in answer.lower() for t in asked):
        return None
    other = [t for t in _EN_TITLE_RE.findall(answer[: head_end(answer)]) if t.lower() not in request.lower()]
    return (asked[0], other[0], "title") if other else None


def other_domain(request: str, answer: str, code: bool = False) -> tuple[str, list[str]] | None:
    """(a request word, the answer's words) when every category word of the answer lies in another
    domain than the request's (its words, or what it asks for: "what food…"), and the answer names
    two of one domain, or opens with one while sharing no content word with the request; else None."""
    asked = [m for m in members(request, code) if domain(m.category)]
    said = [m for m in members(answer, code) if domain(m.category)]
    if not asked or not said:
        return None
    asked_domains = {domain(m.category) for m in asked} | {d for d, rx in _DOMAIN_CUES.items() if rx.search(request)}
    if any(domain(m.category) in asked_domains for m in said):
        return None
    per_domain: dict[str, set[int]] = {}
    for m in said:
        per_domain.setdefault(domain(m.category), set()).add(m.group)
    if max(len(g) for g in per_domain.values()) < 2 and (said[0].pos >= TOPIC_CHARS or content_terms(answer) & content_terms(request)):
        return None  # scattered words of several domains are incidental, unless the answer opens with one
    return asked[0].word, list(dict.fromkeys(m.word.lower() for m in said))[:3]


_ASKS_QUESTIONS_RE = re.compile(r"\bquestions?\b|\bquiz|\briddles?\b|\bprompts?\b|\bfaq\b|问题|题目|提问|谜语|考题|练习题", re.I)
_SENT_SPLIT_RE = re.compile(r"(?<=[?？.!。！])\s*|\n+")
_TASK_START_RE = re.compile(
    r"(?:write|explain|describe|give|list|name|tell|summari[sz]e|compose|suggest|recommend|请写|写一|解释|介绍|描述|列举|推荐|总结|概括)",
    re.I,
)
_YOU_RE = re.compile(r"\b(?:you|your)\b|你|您", re.I)


def echo(prompt: str, answer: str) -> int:
    """How many of the answer's sentences are other requests or questions (0 unless they make at
    least half of it, two or more, and the request did not ask for questions)."""
    m = _TASK_START_RE.match(prompt.strip())
    if not m and answer.count("?") + answer.count("？") < 3 and not re.search(r"(?:Q|问)\s*[:：]", answer[:3000]):
        return 0  # the common case, decided without splitting the answer
    if _ASKS_QUESTIONS_RE.search(prompt[:500]):
        return 0
    sents = [s.strip().lstrip("-*•0123456789.) ") for s in _SENT_SPLIT_RE.split(answer[:3000])]
    sents = [s for s in sents if len(s) > 1]
    first = m.group(0).lower() if m else ""
    n = same_n = 0
    for s in sents:
        asks = s.endswith(("?", "？")) and not _YOU_RE.search(s)
        quiz = re.match(r"(?:Q|问)\s*[:：]", s) is not None
        same = len(first) >= 2 and s.lower().startswith(first) and len(s) < 120
        n += asks or quiz or same
        same_n += same
    # two asks of the request's own form ("Write a poem about love. Write a poem about family."), or three
    # questions: fewer may be a clarifying question back
    return n if (n >= 3 or n == 2 and same_n == 2) and n * 2 >= len(sents) else 0


_STOCK_PHRASES = re.compile(
    r"great question|good question|(?:many|several|lots of) (?:things|factors|aspects|ways)|depends on|different people"
    r"|everyone's situation|weigh all|as an ai|language model|happy to help|let me know if|anything else|hope this helps"
    r"|it's a good idea to|there are many|ultimately|best approach|take your time|here is a summary|discusses several"
    r"|important points|interesting findings|很好的问题|好问题|因人而异|综合考虑|多方面|不同的人|实际情况|作为一个\s*AI|作为AI"
    r"|语言模型|有所帮助|随时告诉我|随时提问|其他问题|很高兴为你|值得我们|重要的内容|表达了自己的观点|最适合自己|查阅|慢慢来|一门学问"
    r"|各方面的因素|需要考虑的因素|具体情况|自己的喜好|取决于|好方法|方式有很多|an ai assistant|人工智能助手|AI\s*助手"
    r"|法律法规|未予显示",
    re.I,
)


_SERVICE_PHRASES = re.compile(
    r"thank you for (?:contacting|reaching out|your (?:patience|order|call))|thanks for reaching out|your (?:order|ticket|refund|parcel|package)"
    r"|(?:ticket|order|tracking) (?:number|#)|store hours|our (?:store|shop|team) (?:is|will)|customer (?:service|support)|support team"
    r"|(?:sorry|apologi[sz]e) for the inconvenience|what else would you like|anything else i can help|how can i (?:help|assist) you today"
    r"|thanks for your (?:patience|feedback)|thank you for your feedback|rate (?:your|our|this) (?:experience|service|conversation)"
    r"|您的快递|快递已|单号|取件码|退款|工单|客服|您的来电|营业时间|本店|还有什么可以帮您|聊聊别的|带来不便|订单详情|感谢您的耐心|亲，"
    r"|感谢您的反馈|本次服务|您的评价|has been shipped|business days|(?:scheduled|system) maintenance|try again later"
    r"|升级维护|系统(?:正在)?升级|请稍后再试",  # not "敬请谅解": a requested notice or leave email says it too
    re.I,
)


def service_phrases(request: str, answer: str) -> list[str]:
    """The customer-service or chat boilerplate of an answer ("Your ticket number is…", "您的快递已…") when the
    request has none: a reply written for another conversation."""
    if _SERVICE_PHRASES.search(request[:2000]):
        return []  # the conversation is about an order, a refund, a delivery: such phrases belong in it
    return list(dict.fromkeys(m.group(0).lower() for m in _SERVICE_PHRASES.finditer(answer[:3000])))


# the answer is put off to ask something first ("But first, …?", "在回答之前，…？")
_PUT_OFF_RE = re.compile(
    r"\bbut first\b|\bbefore (?:we|i) (?:get into|go on|answer|start|begin)|\bfirst,? (?:tell me|let me ask)"
    r"|先问问你|在回答之前|回答之前|先告诉我|先说说你", re.I)


def counter_questions(answer: str) -> list[str]:
    """The questions an answer puts back to the user in place of an answer ("Sure! But first, what's your
    favourite movie?", "好问题！在回答之前，你平时喜欢看什么电影？周末一般做什么？"): at least one addressed to
    the user, and either the answer is mostly questions (two or more, at least half its sentences) or it
    says it puts the answer off. Whether they concern the request is the caller's business: a clarifying
    question shares its words."""
    head = answer[:600]
    sentences = [x.strip() for x in _SENT_SPLIT_RE.split(head) if x.strip()]
    questions = [x for x in sentences if x.endswith(("?", "？"))]
    if not any(_YOU_RE.search(q) for q in questions):
        return []
    if len(questions) >= 2 and len(questions) * 2 >= len(sentences) or _PUT_OFF_RE.search(head):
        return questions
    return []


def stock_phrases(answer: str) -> list[str]:
    """The stock phrases of a reply that fits any request ("great question", "因人而异")."""
    return list(dict.fromkeys(m.group(0).lower() for m in _STOCK_PHRASES.finditer(answer[:3000])))


_SHIFT_RE = re.compile(
    r"different (?:question|topic|subject)|switching topics?|change (?:of )?(?:the )?(?:topic|subject)|unrelated|on another note"
    r"|\bforget (?:the|about)\b|换个话题|换个问题|另外问一下|先不说这个|说点别的|题外话",
    re.I,
)
_GOES_ON_RE = re.compile(r"\b(?:also|as well|too)\b|if you (?:enjoy|like)|还可以|也可以|如果喜欢|另外|此外", re.I)


def topic_shift(prompt: str) -> bool:
    """The user says the turn changes the subject ("Different question: …", "换个话题，…")."""
    return _SHIFT_RE.search(prompt[:300]) is not None


def goes_on(prompt: str, answer: str, earlier: str) -> bool:
    """The answer goes on with the earlier turns' content: it shares some of it (a topic shift was
    announced) or opens as a continuation ("You can also…", "还可以…") while sharing it."""
    if shared_with(answer, earlier) < CONTINUED or _ASKS_OTHER_RE.search(prompt[:300]):
        return False  # "Name two other tragedies he wrote": more of the same was asked for
    shared = content_terms(answer) & content_terms(earlier)
    names = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", answer[:3000])}
    names |= {stem(m.word.lower()) for m in members(answer)} | {m.word for m in members(answer)}
    if len(shared) < 2 and not any(t in names or t + "s" in names for t in shared):
        return False  # one common word ("clean") in common is chance, one name ("Python", "piano") is not
    first = re.split(r"(?<=[.!?。！？])", answer.strip(), maxsplit=1)[0]
    return topic_shift(prompt) or _GOES_ON_RE.search(first) is not None


def shared_with(answer: str, earlier: str) -> float:
    """The share of the answer's content terms that come from `earlier`."""
    a = content_terms(answer)
    return len(a & content_terms(earlier)) / len(a) if a else 0.0


# The subject an answer's first sentence announces: what it defines ("The unemployment rate is …",
# "CPI是…", "市盈率（PE）等于…") or the task it sets out to do ("To jump-start a dead battery: …",
# "For a job interview: …"). A pronoun or a generic head ("It is…", "The best way…", "这种…") announces
# nothing of its own.
_EN_DEFINES_RE = re.compile(
    r"(?:(?:the|an?)\s+)?(?P<x>[A-Za-z][\w'’().+#-]*(?:\s+[A-Za-z0-9][\w'’().+#-]*){0,4}?)\s+"
    r"(?:is|are|means|refers to|stands for|measures|describes)\s+(?:the|an?|when|how|what|one|just|simply|basically|you|that|to)\b",
    re.I,
)
# "Sure! Here's a quick lemon vinaigrette: …", "Here is a 15-minute workout you can do…"
_EN_HERE_RE = re.compile(
    r"(?:(?:sure|okay|ok|of course)\W+)?here(?:'s|’s| is| are)\s+(?:(?:a|an|the|some|my|one|your)\s+)?"
    r"(?P<x>[\w'’-]+(?:\s+[\w'’-]+){0,3}?)(?=\s*[:.!,]|\s+(?:for|you|that|to|of|with|which)\b)",
    re.I,
)
_EN_TASK_RE = re.compile(r"(?:to|for|in)\s+(?P<x>(?:(?:a|an|the)\s+)?[a-z][\w'’-]*(?:\s+[\w'’-]+){0,9}?)\s*(?::|,(?!\d))", re.I)  # not "299,792"
_ZH_DEFINES_RE = re.compile(
    r"(?P<x>[A-Za-z0-9\u4e00-\u9fff（）()]{2,14}?)\s*(?:是指|指的是|就是|的意思是|表示|等于|是一种|是一个|是一门|讲的是|说的是|的做法|全长|发源于|是)")
# a code identifier the answer opens with: "`Array.prototype.filter` creates…", "`str.format()` 用花括号…", "map() applies…"
_CODE_OPENING_RE = re.compile(r"`(?P<f>[A-Za-z_][\w.]*(?:\(\))?)`|(?P<g>[A-Za-z_][\w.]*\(\))\s")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+(?:\(\))?|[A-Za-z_]\w*\(\)")
_GENERIC_HEADS = frozenset(
    """it this that these those they there here he she we you i answer key way best trick secret idea point step steps
    thing things reason reasons difference short simple main important good first rule tip tips one goal result truth
    problem question fact easiest quickest simplest honest general common basic rough overall usual typical process
    most many some both each either case cases practice theory brief summary particular addition contrast""".split()
)
_ZH_GENERIC_HEADS = re.compile(r"^(?:这|那|它|他|她|其|答案|简单|一般|通常|总的|主要|关键|方法|原因|区别|不同|首先|其实|总之|所谓|最常用|最常见|最简单|常用|常见)")


def is_identifier(text: str) -> bool:
    """A code name: dotted ("Array.prototype.filter") or called ("map()")."""
    return _IDENTIFIER_RE.fullmatch(text) is not None


def announced(answer: str) -> str | None:
    """What the answer's first sentence announces as its own subject, else None."""
    head = answer.strip().lstrip("*#>-_ \t\"'“「《")
    first = re.split(r"(?<=[.!?])\s|(?<=[。！？:：\n])", head[:300], maxsplit=1)[0]  # not inside "Array.prototype"
    code = _CODE_OPENING_RE.match(first)
    if code and _IDENTIFIER_RE.fullmatch(code.group("f") or code.group("g")):
        return code.group("f") or code.group("g")
    if _ZH_RE.search(first[:12]):
        m = _ZH_DEFINES_RE.match(first)
        x = re.sub(r"[（(][^）)]*[）)]?", "", m.group("x")) if m else ""
        if m and not _ZH_GENERIC_HEADS.match(x) and (len(_ZH_RE.findall(x)) >= 2 or re.search(r"[A-Za-z]{2,}", x)):
            return x
        return None
    m = _EN_DEFINES_RE.match(first) or _EN_TASK_RE.match(first) or _EN_HERE_RE.match(head[:200])
    if not m:
        return None
    x = m.group("x").strip()
    if m.re is _EN_HERE_RE:  # "a quick lemon vinaigrette", "three tips": the thing, without its size and praise
        x = re.sub(r"^(?:(?:quick|short|simple|easy|fun|great|little|few|good|nice|classic|basic|\d[\w-]*|one|two|three|four|five)\s+)+",
                   "", x, flags=re.I)
    words = [w.lower() for w in re.findall(r"[A-Za-z][\w'’-]*", x)]
    if not words or words[0] in _GENERIC_HEADS or all(w in _GENERIC_HEADS or len(w) < 3 for w in words):
        return None
    return x


_ZH_ANCHOR_FLAGS = ("ns", "nr", "nrt", "nt")  # places, people, organisations (jieba's "nz" tags too many common words)
_ZH_NOT_NAMES = frozenset({"东西"})  # jieba tags this common word ("thing") a place name
_ANCHOR_RE = re.compile(r"\b[A-Z]{2,}\b|《[^》\n]{1,30}》")


def anchors(answer: str, places: bool = True) -> list[str]:
    """The names an answer's opening (400 characters) states of its own: capitalised names inside a sentence,
    acronyms ("EGCG", "HTTP"), titles (《劳动合同法》), Chinese place, person and organisation names. Without
    `places`, no place names: a place is often where a named subject lies ("Japan's former capital…")."""
    head = answer.strip()[:400]
    found = [n for n in named_en(head) if not re.match(r"I['’]", n)] + _ANCHOR_RE.findall(head)
    if not places:
        found = [n for n in found if not any(m.category in _SETTING for m in members(n))]
    if _ZH_RE.search(head):
        flags = _ZH_ANCHOR_FLAGS if places else tuple(f for f in _ZH_ANCHOR_FLAGS if f != "ns")
        found += [w for w, f in zh_words(head) if f in flags and len(w) >= 2 and w not in _ZH_NOT_NAMES
                  and all(m.category in _SETTING for m in members(w, named=False))]  # "太阳" is tagged a place
    return list(dict.fromkeys(found))


_LETTER_RE = re.compile(r"\b(?:letter|note|card|message|email|e-mail|toast|speech|poem)\b|信|贺卡|卡片|留言|短信|祝福|贺词|邮件|诗", re.I)
_SALUTATION_LINE_RE = re.compile(r"^\W*(?:dear|dearest|hi|hello|to)\s+([^,\n:：!]{1,30})[,\n:：!]"
                                 r"|^\W*(?:亲爱的|尊敬的|敬爱的)([^，,\n:：!！]{1,12})[：:，,\n]", re.I)


# elders, whom a letter addresses by the kin word ("Dear Grandma", "亲爱的奶奶"); a sister, a colleague or a
# teacher may be addressed by name
_ELDER_RE = re.compile(r"grand|granny|nana|\bmom|\bmum|mother|\bdad|father|uncle|aunt|奶|祖|外婆|姥|爷|外公|妈|母亲|爸|父亲|叔|伯|舅|姑|姨", re.I)


def addressee(request: str, answer: str) -> tuple[str, str] | None:
    """(the elder relative asked to be written to, the name the answer's salutation uses) when a letter,
    note or message to a grandparent, a parent, an uncle or an aunt ("给奶奶写一封感谢信", "a thank-you note
    to my grandma") opens by addressing someone else ("亲爱的小周：", "Dear Ms. White,"): one writes to a
    grandmother as 奶奶 or Grandma."""
    if not _LETTER_RE.search(request[:300]):
        return None
    kin = [m for m in members(request[:300]) if m.category == "family" and _ELDER_RE.search(m.word)]
    m = _SALUTATION_LINE_RE.match(answer.strip())
    if not kin or not m:
        return None
    name = (m.group(1) or m.group(2)).strip()
    if {k.group for k in kin} & {x.group for x in members(name)}:
        return None
    return kin[0].word, name
