"""Relevance: does the answer address what was asked about?

- relevance:on_topic  (every turn with a subject) passes when the answer mentions the request's
  subject: one of its subject terms (harness/scorers/subject.py: the object of write/describe/
  explain, what follows "about"/"关于", "给…写", named entities, quoted titles, the entity a question
  asks about), directly, by an inflection (stemmed English), or by a word of the same group in
  harness/scorers/aliases.py or harness/scorers/lexicon.py. It fails only on positive evidence of
  another subject (harness/scorers/offtopic.py): a competing word of the same category in the
  answer's opening ("asked about 'sea'; the answer is about 'peaks'"), an answer whose words all
  lie in another domain, an echo of other requests, a generic stock reply, an opening that names
  another entity ("Osaka has…"), an opening that defines or sets out to do something else ("The
  unemployment rate is…" for inflation), an answer that shares no word with a request of its own
  subject and names other things ("…catechins, especially EGCG" for TCP vs UDP), another named thing
  of the same kind (named_kinds.py: 清明节 answered with 端午节), the opposite of what was asked
  ("closest" -> "the farthest planet", deeds.py), an English answer announcing another task ("To unclog
  a toilet, …" for a bathroom sink), or a later turn's answer that goes on with the earlier topic. A
  follow-up that points back ("How many people live there?", "它们吃什么？") inherits the subject of
  the earlier turns and the entities the previous answer named. For the last turn, the case's
  `reference` and `aliases` count as the subject too.

Not judged (no check) when the request has no subject terms ("Tell me a joke.", "你好"), or when the
answer neither mentions the subject nor shows another one: a paraphrase ("Plants catch sunlight…"
for photosynthesis) or a terse right answer ("Tokyo.", "八条。") need not repeat the question.
Precision (an off-topic verdict is right) comes first. Measured on benchmarks/labelled/relevance_*.jsonl
by benchmarks/perf/relevance_checks.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from harness.records import Case, Check, Generation
from harness.scorers import offtopic, scorer
from harness.scorers.aliases import ALIAS_GROUPS
from harness.scorers.backref import find_backref, infer_backrefs
from harness.scorers.deeds import narrower_scope, opposite, other_deed, other_error, other_year
from harness.scorers.dialogue import conversation
from harness.scorers.domains import other_field
from harness.scorers.implied import TRANSLATE_RE
from harness.scorers.subject import (
    ASKS_CODE_RE,
    Subject,
    conversation_subject,
    points_back,
    subject_terms,
    zh_word_counts,
)
from harness.scorers.subject import zh_words as _jieba_words
from harness.scorers.terms import (
    EN_STOPWORDS,
    ZH_FUNCTION_CHARS,
    content_terms,
    en_terms,
    initialisms_used,
    overlap,
    stem,
)
from harness.scorers.text import crosses_language, find_any, normalize, snippet
from harness.scorers.topics import group_words
from harness.scorers.topics import members as topic_members

FAMILY = "relevance"
CID = f"{FAMILY}:on_topic"
MIN_ANSWER_TERMS = 4  # fewer content terms: a terse answer, not judged
REWORK_ON, REWORK_OFF = 0.2, 0.1  # a reworked answer keeps >= 20% of the earlier one's content; < 10%: another subject
_ZH_RE = re.compile(r"[\u4e00-\u9fff]")
RARE_CHAR_FREQ = 3000  # jieba dictionary count below which a single character carries a subject ("沙", "秋", "熊")
_OPENING_NAME_RE = re.compile(r"(?:[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z]+|of|de|the|van|von))*(?=\s+(?:is|was|has|had|are|were|lies|sits|stands|became|carries|wrote|painted|founded|follows|tells|began|begins|"
    r"ended|remains|offers|features|describes|opened|covers|includes|lives|grows|[a-z]{3,}(?:s|ed))\b)")
_LANGUAGE_CATS = ("country", "language")
# what follows a name that a sentence is about ("大阪约有…", "刘邦于…", "故宫位于…"), not a label ("上联：") or a word
# jieba takes for a name ("明白了")
_ZH_PREDICATE_RE = re.compile(r"·|是|位于|坐落|地处|约有|有|的|于|出生|生于|建于|在|又叫|又称|被称为|素有")
_NEW_SUBJECT_RE = re.compile(r"\binstead\b|\brather than\b|换成|改成写|改为写|换一个", re.I)
_NOT_NAMED_OPENERS = frozenset("The A An It This That These Those There Here I We You He She They Sure Yes No Well Okay OK Roughly About Around Almost "
                                "Most Many Some All Every Each Both Few Several".split())


def _alias_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for group in ALIAS_GROUPS:
        for w in group:
            for key in {w.lower(), stem(w.lower())}:
                index.setdefault(key, set()).update(group)
    return {k: frozenset(v) for k, v in index.items()}


_ALIASES = _alias_index()
_ASCII_WORD_RE = re.compile(r"^[a-z][a-z'’-]*$")


@lru_cache(maxsize=4096)
def _answer_index(answer: str) -> tuple[frozenset[str], str]:
    """(stems of the answer's English words, the normalised answer) for term lookups."""
    text = answer[:20_000]
    return frozenset(en_terms(text, keep_numbers=True)), normalize(text)


def mentions(answer: str, term: str, related: bool = True, chars: bool = True) -> str | None:
    """The form in which `answer` mentions `term`: itself, an inflection, or with `related` an alias or
    an uncommon character of a Chinese term; else None."""
    stems, norm = _answer_index(answer)
    t = term.strip()
    low = t.lower()
    aliases = _ALIASES.get(low, frozenset()) | _ALIASES.get(stem(low), frozenset()) if related else frozenset()
    for cand in (t, *sorted(aliases)):
        c = cand.lower()
        if _ASCII_WORD_RE.match(c):
            if stem(c) in stems:
                return cand
        elif find_any(norm, [cand]) is not None:
            return cand
    short = initialisms_used(answer, t) if related else frozenset()
    if short:  # "JS" for "JavaScript", "GPU" for "graphics processing unit"
        return min(short)
    if related and len(t) >= 3 and _ZH_RE.search(t):
        # a longer Chinese term is mentioned by one of its words ("感谢信" by "感谢", "大熊猫" by "熊猫")
        for part in zh_parts(t):
            if part in norm or any(a in norm for a in _ALIASES.get(part, ())):
                return part
    if related and chars and 2 <= len(t) <= 3 and _ZH_RE.search(t):
        # or, loosely, by its first character when that is uncommon ("沙漠" ~ "沙丘", "秋天" ~ "秋风"); never a name
        hit = t[0] if t[0] in norm and t[0] in rare_chars(t) else None
        if hit:
            return hit
    return None


@lru_cache(maxsize=4096)
def rare_chars(term: str) -> frozenset[str]:
    """The characters of a Chinese term that are uncommon on their own (jieba's dictionary counts)."""
    freq = zh_word_counts()
    return frozenset(ch for ch in term if _ZH_RE.match(ch) and freq.get(ch, 0) < RARE_CHAR_FREQ and ch not in ZH_FUNCTION_CHARS)


@lru_cache(maxsize=4096)
def zh_parts(term: str) -> tuple[str, ...]:
    """The content words inside a Chinese term, by jieba's segmentation, and the place it names: jieba keeps
    "成都旅游" whole, and a trip to Chengdu is about 成都."""
    words = [w for w, f in _jieba_words(term) if len(w) >= 2 and w != term and (f.startswith(("n", "v", "a")) or f in ("l", "i", "j"))]
    places = [m.word for m in topic_members(term, named=False) if m.category in _PLACE_CATEGORIES and len(m.word) >= 2
              and term.replace(m.word, "", 1) in _PLACE_TOPICS]  # not "北京大学": a university is no trip to Beijing
    return tuple(dict.fromkeys(words + places))


_PLACE_CATEGORIES = frozenset({"city", "region", "country"})
_PLACE_TOPICS = frozenset({"旅游", "旅行", "游玩", "自由行", "攻略", "美食", "小吃", "景点", "天气", "住宿"})


def _mentioned(
    answer: str, terms: tuple[str, ...] | list[str], related: bool = True, names: frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    for t in terms:
        hit = mentions(answer, t, related, chars=t not in names)
        if hit is not None:
            return t, hit
    return None


def _shown(terms: tuple[str, ...] | list[str]) -> str:
    return ", ".join(repr(snippet(t, 30)) for t in terms[:4]) + (" …" if len(terms) > 4 else "")


def judge(
    subject: Subject, answer: str, prompt: str = "", context: str = "", extra: list[str] | None = None, earlier: str = "",
    context_prompts: str = "",
) -> tuple[bool, str] | None:
    """(on topic?, reason), or None when it cannot be told. Off topic only on positive evidence of
    another subject (harness/scorers/offtopic.py); a mention of the subject is on topic. `extra`
    (the case's reference answer) counts as a mention of the subject, but its absence is no
    evidence: a wrong answer is correctness's business. `earlier`: the earlier turns
    (prompts and answers), `context_prompts` the earlier requests."""
    specific = list(subject.specific) or [m.word for m in topic_members(prompt)]  # "有什么改善睡眠的建议？"
    if not specific or not answer.strip():
        return None
    where = " (inherited from earlier turns)" if subject.inherited else ""
    n = offtopic.echo(prompt, answer)
    if n:
        return False, f"answers with {n} other requests or questions instead of addressing {_shown(specific)}"
    mirror = None if subject.question else mirrored_statement(prompt, answer, [*subject.specific, *subject.generic])
    if mirror:
        return True, f"answers what the user said about themselves (as {mirror!r})"
    hit = _mentioned(answer, [*specific, *(extra or [])], names=frozenset(subject.named) | frozenset(extra or []))
    if subject.replaced and not hit:  # "And what about Portugal?" answered about Sweden again: the earlier turn's answer
        old = _mentioned(answer, list(subject.replaced), related=False, names=frozenset(subject.replaced))
        if old:
            return False, f"answers about {old[0]!r} again; the follow-up asks about {_shown(specific)} instead"
    # a follow-up's own name replaces the inherited subject ("And what about Portugal?" after Sweden)
    asked = " ".join([prompt, *specific]) if subject.inherited and not subject_terms(prompt).named else prompt
    code = bool(ASKS_CODE_RE.search(prompt[:500])) or offtopic.has_code(answer)
    background = "" if offtopic.topic_shift(prompt) else context_prompts
    # an answer that opens by pointing back at the subject ("These are regions where…", "It's a loan…") names
    # other things of its kind to explain it, not instead of it
    comp = None if _PRONOUN_OPENING_RE.search(answer.strip()) else offtopic.competitor(asked, answer, context, code, background, prompt)
    if comp:
        return False, f"asked about {comp[0]!r}; the answer is about {comp[1]!r} instead ({comp[2]}){where}"
    to = offtopic.addressee(prompt, answer)
    if to:
        return False, f"a piece for {to[0]!r} addressed to {to[1]!r}{where}"
    year = other_year(prompt, answer, specific)
    if year:
        return False, f"asked about {year[0]}; the answer is about {year[1]}{where}"
    scope = narrower_scope(prompt, answer)
    if scope:
        return False, f"asked about {scope[0]!r}; the answer is about {scope[1]!r} only{where}"
    error = other_error(" ".join([prompt, context]), answer)
    if error:
        return False, f"asked about {error[0]!r}; the answer is about {error[1]!r}{where}"
    flipped = opposite(prompt, answer)
    if flipped:
        return False, f"asked for {flipped[0]!r}; the answer gives {flipped[1]!r}{where}"
    own = list((subject_terms(prompt) if subject.inherited else subject).specific)
    if earlier and own and not _mentioned(answer, own) and offtopic.goes_on(prompt, answer, earlier):
        return False, f"goes on with the earlier turns' topic instead of {_shown(own)}"
    indirect = _answered_indirectly(subject, prompt)
    own_subject = None if indirect else offtopic.announced(answer)
    if hit and not extra and not subject.inherited and not indirect:
        # a word of the request said in passing ("climate", "Python") does not make an answer that opens with
        # another subject ("Prince Hamlet of Denmark learns…", "map() applies…") about the request's own
        terms = list(dict.fromkeys([*specific, *subject.generic]))
        missing = [t for t in terms if not mentions(answer, t)]
        other = own_subject or (None if _ZH_RE.search(answer[:20]) else _opening_entity(answer))
        tool_only = own_subject is not None and own_subject.isascii() and not _shares_beyond_tools(own_subject, prompt)
        if len(missing) * 2 >= len(terms) and other and (tool_only or not _related(other, " ".join([prompt, context, *terms]))):
            return False, f"mentions {hit[0]!r} but is about {other!r}, not {_shown(missing)}{where}"
    task = None if extra else other_task(own_subject, answer, prompt, context, subject)
    if task:
        return False, f"announces {task[0]!r}, leaving out the request's {_shown(task[1])}{where}"
    deed = other_deed(prompt, answer, hit is not None)
    if deed:
        return False, f"asked who {deed[0]} {deed[1]!r}; the answer says who {deed[0]} {deed[2]!r}{where}"
    if hit:
        via = "" if hit[1].lower() == hit[0].lower() else f" (as {hit[1]!r})"
        return True, f"mentions {hit[0]!r}{via}"
    service = offtopic.service_phrases(" ".join([prompt, context]), answer)
    if len(service) >= 2:
        return False, f"a customer-service reply ({_shown(service)}) that says nothing about {_shown(specific)}"
    asked_back = offtopic.counter_questions(answer)
    if asked_back and not _shares_words(answer[:600], " ".join([prompt, context_prompts])):  # a clarifying question would
        return False, f"asks the user {_shown(asked_back)} instead of addressing {_shown(specific)}"
    opener = _opening_entity(answer)
    passive = opener and re.match(re.escape(opener) + r"\s+(?:is|was|were|are)\s+(?:\w+ly\s+)?(?:written|painted|composed|invented|directed|built|founded|credited)\b", answer.strip().lstrip("*#>-_ \t\"'“《"))
    if opener and (passive or not subject.asks_for_name) and normalize(opener) not in normalize(context + " " + prompt):
        return False, f"is about {opener!r}, not {_shown(specific)}{where}"
    if own_subject and not _related(own_subject, " ".join([prompt, context, *specific, *(extra or [])])):
        return False, f"sets out to talk about {own_subject!r}, not {_shown(specific)}{where}"
    stock = offtopic.stock_phrases(answer)
    if len(stock) >= 2 and not re.search(r"\d", answer) and not _mentioned(answer, subject.generic, related=False):
        return False, f"a generic reply ({_shown(stock)}) that says nothing about {_shown(specific)}"
    # names and titles are the answer ("How about Maple?", 《夏洛特烦恼》); a pet's name may be a food's ("年糕")
    naming, recommending = bool(_NAMING_RE.search(prompt[:300])), bool(_RECOMMEND_RE.search(prompt[:300]))
    # an answer pointing back at the subject ("It was painted by…", "These eight-armed cephalopods…") names the
    # things around it, not another matter
    other = None if subject.inherited or naming or _PRONOUN_OPENING_RE.search(answer.strip()) else offtopic.other_domain(asked, answer, code)
    if other:
        return False, f"asked about {other[0]!r}; the answer is about {_shown(other[1])}, another matter{where}"
    swap = None if naming or recommending else substituted_subject(subject, prompt, answer, context)  # also for a question for a number ("铁的熔点是多少？")
    if swap:
        return False, f"answers about the {swap[1]!r} of {swap[0]!r}, not of {_shown(specific)}{where}"
    unnamed = None if subject.inherited else unnamed_imagery(prompt, answer)
    if unnamed:
        return False, f"a {unnamed[0]} about {unnamed[1]!r} that names neither it nor anything of its kind ({_shown(unnamed[2])})"
    if not indirect and not (naming or recommending) and _disjoint_allowed(subject, prompt, answer) and not _related(answer[:2000], " ".join([prompt, context, *(extra or [])])):
        names = offtopic.anchors(answer, places=not subject.named)
        if names:
            return False, f"shares no word with the request about {_shown(specific)} and names {_shown(names)} instead{where}"
    topic = unrelated_opening(subject, prompt, answer, " ".join([prompt, context, *(extra or [])]))
    if topic:
        return False, f"shares no word with the conversation and opens with another topic ({topic!r}){where}"
    if naming:  # names are often of one other field: a hamster called 汤圆, 芝麻 or 布丁
        return None
    # one word of another field at the very start counts when the answer says enough and shares no word with
    # the conversation; not for recommendations, whose titles may name anything ("The Grand Budapest Hotel")
    talk = " ".join([prompt, context])
    opening = not recommending and len(content_terms(answer)) >= UNRELATED_MIN_TERMS and not _shares_words(answer, talk)
    # else None: no mention, but no evidence of another subject either (a paraphrase or a bare answer)
    return _field_verdict(talk, answer, opening, where)


def _field_verdict(request: str, answer: str, opening: bool = False, where: str = "") -> tuple[bool, str] | None:
    """Off topic when the answer speaks of another broad field than the request's (harness/scorers/domains.py)."""
    field = other_field(request, answer, opening=opening)
    if not field:
        return None
    return False, (f"the request is about {field[0].replace('_', ' ')} ({_shown(field[1])}); the answer about "
                   f"{field[2].replace('_', ' ')} ({_shown(field[3])}) and nothing of the request's field{where}")


# "my"/"I"/"我" and the words after it up to the statement's value ("My name is | Olivia", "我住在|苏州")
_FIRST_PERSON_RE = re.compile(r"(?:\b(?:(my)|(I))\s+|(我))([^.!?;,。！？；，、\n]{1,30})$", re.I)


def mirrored_statement(prompt: str, answer: str, values: list[str]) -> str | None:
    """The user's statement about themselves ("I live in Suzhou.", "我叫林晓雨。") taken up in the second
    person ("So you live in…", "你叫…"): the reply addresses the statement whatever value it repeats, as
    "your name is Grace" addresses "My name is Olivia" (a wrong value is the business of recall and
    correctness, not of relevance). Returns the mirrored words found, else None."""
    if re.search(r"[.!?。！？]", prompt.strip().rstrip(".!?。！？")):  # one statement, not a story told in the first person
        return None
    opening = re.split(r"(?<=[.!?。！？])", answer.strip(), maxsplit=1)[0][:150]  # the reply takes it up first
    found = []
    for value in values:
        i = prompt.find(value)
        m = _FIRST_PERSON_RE.search(prompt[:i]) if i > 0 else None
        if m is None:
            continue
        rel = m.group(4).strip()
        mine = "你" + rel if m.group(3) else ("your " if m.group(1) else "you ") + rel
        if re.search(re.escape(mine).replace(r"\ ", r"\s+"), opening, re.I):
            found.append(mine)
    return max(found, key=len, default=None)


# a question for a name, a time or a number: a bare answer ("In 1945: …", "In Europe, …") need not restate it
_FACTOID_RE = re.compile(
    r"\b(?:who|whom|when|where|which|how (?:many|much|long|old|far|tall|big|high|deep)|what (?:year|time|day|date|age))\b"
    r"|谁|哪|几|多少|什么时候|何时|多久|多大|多高|多长|多远", re.I)


# requests whose good answers often share no word with them: a poem, a slogan, advice ("How do I…", "怎么…")
_WRITING = r"poem|poetry|haiku|story|quote|slogan|tagline|toast|tweet|lyrics|limerick|诗|故事|名言|口号|对联|广告语|标语|歌词|祝福"
_OBLIQUE_RE = re.compile(_WRITING + r"|how (?:do|can|should) i|how to|tips|怎么|如何|建议", re.I)
# a request for a name or a recommendation: its answer names things of its own ("How about Maple?")
_NAMING_RE = re.compile(r"\bnames? for\b|\bname (?:ideas|suggestions|my|our|his|her|the|a|an|it|him|them)\b"
                        r"|\b(?:a|some|\w+ly) (?:\w+ )?names?\b(?! of)|起个名|取个名|起名|取名", re.I)
_RECOMMEND_RE = re.compile(r"\b(?:suggest|recommend)|\b(?:any|some) (?:\w+ )?(?:ideas|picks)\b|推荐", re.I)
# an answer that opens by pointing back at the subject ("It is…", "这种…") or with a bare yes/no
_PRONOUN_OPENING_RE = re.compile(r"^\W*(?:it|its|it's|they|this|these|those|he|she)\b|^\W*that\s+(?!(?:is|was|depends|sounds)\b)[a-z]"
                                 r"|^\W*(?:它|这|他|她)", re.I)  # "That light, unfermented brew…" for green tea
_POINTS_BACK_RE = re.compile(_PRONOUN_OPENING_RE.pattern + r"|^\W*(?:that|those|there|here|yes|no|sure)\b|^\W*(?:那|是的|不是|简单来说|一般)", re.I)
DISJOINT_MIN_TERMS = 6  # an answer sharing no word with the request is evidence only when it says this much


def _answered_indirectly(subject: Subject, prompt: str) -> bool:
    """The request is one whose right answer need not name its subject and may open with something else: a
    question for a name, a time or a number ("Neil Armstrong, in 1969.") or for a cause ("Sunlight is…")."""
    return subject.asks_for_name or bool(_FACTOID_RE.search(prompt[:300]) or _WHY_RE.search(prompt[:300]))


def _disjoint_allowed(subject: Subject, prompt: str, answer: str) -> bool:
    """Whether sharing no word with the request can count against the answer (besides `_answered_indirectly`):
    an own-subject request (not a follow-up, not one whose good answers are oblique) and an answer long
    enough, that does not open by pointing back."""
    return not (subject.inherited or _OBLIQUE_RE.search(prompt[:300]) or _POINTS_BACK_RE.search(answer.strip())
                or len(content_terms(answer)) < DISJOINT_MIN_TERMS)


# a question for a cause: its answer opens with the cause ("Sunlight is a mix of all colours…", "主要是月球引力…")
_WHY_RE = re.compile(r"\bwhy\b|what caus(?:es|ed)|为什么|为何|怎么会|什么原因|原因是什么", re.I)


def _related(words: str, request: str) -> bool:
    """`words` (what the answer announces) share a content term with the request, directly or by an alias."""
    if offtopic.is_identifier(words):  # "Array.prototype.filter" for "….map": the name itself, not its prefix
        last = re.split(r"[.(]", words.rstrip("()"))[-1].lower()
        return last in {w.lower() for w in re.findall(r"[A-Za-z_]\w*", request)}
    ours = content_terms(words)
    theirs = content_terms(request)
    if not ours or ours & theirs or initialisms_used(words, request):  # "CPU" for "central processing unit"
        return True
    return any(content_terms(a) & theirs for t in ours for a in _ALIASES.get(t, ())) or _mentioned(request, list(ours)) is not None


# words an announced task may add to the request's without changing it ("a gentle 10-minute routine")
_GENERIC_MODIFIERS = frozenset(stem(w) for w in """version friendly flavored flavoured gentle minute minutes standard typical
    quick simple easy classic basic well loved perfect great best good delicious healthy fun short long little big small new
    better nice lovely popular common general function program code script implementation solution snippet example
    python javascript java""".split())
# the openings that announce a task: "To unclog a toilet, …", "For a four-cheese pizza, …", "Here are some … podcasts"
_TASK_OPENING_RE = re.compile(r"^\W*(?:to|for)\s|^\W*here(?:'s|’s| is| are)\b", re.I)


def other_task(
    announced: str | None, answer: str, prompt: str, context: str, subject: Subject
) -> tuple[str, list[str]] | None:
    """(the task an English answer announces, the request's words it leaves out) when the answer opens
    with a task ("To unclog a toilet, …", "To write a CSV file in Python, …") that shares a word with the
    request, adds one of its own ("toilet", "write") and drops one of the request's subject ("bathroom sink",
    "read"); else None. Not for a turn that reworks an earlier answer ("Make it vegetarian")."""
    if not announced or _ZH_RE.search(prompt) or points_back(prompt) or not _TASK_OPENING_RE.match(answer):
        return None
    req, ann = content_terms(prompt), content_terms(announced)
    added = {w for w in ann - req - content_terms(context) if w not in _GENERIC_MODIFIERS and not w[0].isdigit()}
    dropped = (req - ann) & content_terms(" ".join(subject.specific))
    if not (added and dropped and ann & req):
        return None
    said = list(dict.fromkeys(w for w in re.findall(r"[A-Za-z][\w'’-]*", prompt) if content_terms(w) & (req - ann)))
    return announced, said


def _shares_beyond_tools(words: str, request: str) -> bool:
    """`words` (a task the answer announces) share a content term with the request other than the name of a
    programming language: "To vertically align text in CSS" shares only "CSS" with centring a div in CSS."""
    common = content_terms(words) & content_terms(request)
    return any(not any(m.category == "codelang" for m in topic_members(t)) for t in common)


_ZH_QUESTION_CHARS = frozenset("什哪怎样何多少几谁")


def _shares_words(answer: str, request: str) -> bool:
    """A content word in common, Chinese bigrams of question and function characters ("什么") aside."""
    common = content_terms(answer) & content_terms(request)
    return any(not set(t) <= ZH_FUNCTION_CHARS | _ZH_QUESTION_CHARS for t in common)


# a poem or a story about a concrete thing names it or something of its kind ("waves", "shore" for the sea);
# about an abstract one ("insomnia", "思乡"), a season, a time of day, the weather or the moon and stars it may
# paint it instead ("Amber leaves let go of the maple" for autumn, "玉盘挂天边" for the moon)
_CREATIVE_RE = re.compile(r"\b(?:poem|poetry|haiku|story|limerick|lyrics|song|verse|fable|tale)s?\b|诗|故事|歌词|儿歌|童谣|童话", re.I)
CONCRETE_CATEGORIES = frozenset({"landform", "animal", "creature", "plant", "dish", "produce", "beverage", "city",
                                 "landmark", "vehicle"})


def unnamed_imagery(prompt: str, answer: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(the form, the thing, its kind's words) when a poem or story about a concrete thing names neither the
    thing nor any word of its group in the lexicon: a poem about friendship for one about the sea."""
    form = _CREATIVE_RE.search(prompt[:300])
    if not form or len(content_terms(answer)) < MIN_ANSWER_TERMS:
        return None
    asked = [m for m in topic_members(prompt[:300]) if m.category in CONCRETE_CATEGORIES]
    if not asked or {m.group for m in asked} & {m.group for m in topic_members(answer)}:
        return None
    zh = bool(_ZH_RE.search(prompt))
    kind = [w for w in group_words(asked[0].group) if w != asked[0].word and bool(_ZH_RE.search(w)) == zh]
    return form.group(0).lower(), asked[0].word, tuple(kind[:4])


# requests whose good answers open with something else by nature: a piece of writing, a description, a
# mechanism ("Plants catch sunlight…" for photosynthesis), a number or a time ("真空中约每秒30万公里")
_PAINTS_RE = re.compile(_WRITING + r"|describe|tell me about|joke|描述|描写|介绍|讲讲|笑话", re.I)
_MECHANISM_RE = re.compile(r"\bhow (?:does|do|did|is|are) .{1,60}?\b(?:work|form|happen|function|made|produced)|explain how"
                           r"|原理|怎么形成|如何形成|怎么工作", re.I)
_NUMERAL_RE = re.compile(r"\d|[一二两三四五六七八九十百千万半几]")
_NUMBER_RE = re.compile(r"多少|几|\bhow (?:many|much|long|old|far|tall|big|high|deep)\b|\bwhat (?:year|time|day|date|age)\b|\bwhen\b", re.I)
# an English opening that states something of a subject: a few words, then a verb ("Volcanoes form…",
# "The S&P 500 is…", "Tennis elbow usually improves…"); not an instruction ("Press Esc…", "Rehearse out loud…")
_EN_STATEMENT_RE = re.compile(
    r"^(?:(?:the|a|an)\s+)?((?:[\w&'’()-]+\s+){1,4}?)(?:is|are|was|were|has|have|had|can|will|lets|let|means|refers|became"
    r"|forms?|works|finds|uses|grew|blends|tracks|happens|occurs|contains|describes|gives|makes|takes|helps|keeps|needs|shows"
    r"|supports|remains|sits|lies|stands|[a-z]{3,}(?:s|ed))\b", re.I)
_IMPERATIVES = frozenset(
    "press rehearse try use fill add open click run go start make take keep avoid mix stir put set turn hold let check drink "
    "eat write tell ask call choose pick find get give look read see stop wait wash cut boil bring break buy clean close cook "
    "cover do lay leave move pay place plan pour practice practise pull push remove repeat rest save select send sit sleep "
    "slice soak sort spend stand stay store switch think type visit walk watch wear work".split())
_ZH_ASKING_CHARS = frozenset("什哪怎样何多少几谁呢吗请帮写给首篇段个下用做吧能可以想要问")
UNRELATED_MIN_HAN, UNRELATED_MIN_TERMS = 15, 8  # long enough to be about something


def unrelated_opening(subject: Subject, prompt: str, answer: str, conversation: str) -> str | None:
    """The topic an answer opens with when it shares no word with the whole conversation (Chinese: no
    content character) and states something of another subject from its first words: "Binary search
    finds…" for what to pack, "叶酸建议从备孕前…" for whether AI will replace programmers. Not for requests
    whose good answers open with something else by nature (names, numbers, causes, mechanisms, writing)."""
    head = re.sub(r"^\d+[.)]\s+", "", answer.strip().lstrip("*#>-_ \t\"'“"))  # a list's first item states it too
    if subject.asks_for_name or _POINTS_BACK_RE.search(head):
        return None
    if any(rx.search(prompt[:300]) for rx in (_WHY_RE, _MECHANISM_RE, _PAINTS_RE, _NEW_SUBJECT_RE)):
        return None
    if _NUMBER_RE.search(prompt[:300]) and _NUMERAL_RE.search(head[:60]):
        return None  # a number asked for and given up front ("真空中约每秒30万公里")
    latin = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", conversation)}
    if _ZH_RE.search(prompt):
        han = _ZH_RE.findall(answer[:3000])
        if len(han) < UNRELATED_MIN_HAN or set(han) & _content_chars(conversation):
            return None
        if any(w in answer.lower() for w in latin):
            return None
        words = _jieba_words(head[:20])
        first = words[0] if words else ("", "")
        return first[0] if first[1][:1] in ("n", "t") or first[1] == "eng" else None
    if len(content_terms(answer)) < UNRELATED_MIN_TERMS or _related(answer[:2000], conversation):
        return None
    m = _EN_STATEMENT_RE.match(head)
    if not m or head.split()[0].lower() in _IMPERATIVES or _ADVERBIAL_LEAD_RE.match(head):  # "In 2009 most…": no subject first
        return None
    return m.group(1).strip()


def _content_chars(text: str) -> frozenset[str]:
    return frozenset(c for c in _ZH_RE.findall(text) if c not in ZH_FUNCTION_CHARS and c not in _ZH_ASKING_CHARS)


_FIRST_CLAUSE_RE = re.compile(r"(?<=[.!?])\s|[。！？；;:：\n]")
_ADVERBIAL_LEAD_RE = re.compile(r"\W*(?:for|in|at|on|with|by|from|about|after|before|during|under|over|once|when|if)\b", re.I)
_SPEAKER_RE = re.compile(r"\b(?:I|I'm|I’m|me|my|we|our|you|your)\b|我|你|您", re.I)
_SALUTATION_RE = re.compile(r"^\W*(?:dear|hi|hello|to whom|尊敬的|亲爱的|您好|你好)", re.I)
# words before the relation that qualify it rather than name another subject ("about", "on average")
_LEAD_QUALIFIERS = frozenset(en_terms("about around approximately roughly nearly almost typical typically usually generally "
                                      "average common commonly main mainly standard normal normally pure whole total "
                                      "late early mid january february march april may june july august september october "
                                      "november december"))  # "Late March to early April" is a time, not a subject


def relations(subject: Subject, prompt: str) -> list[str]:
    """What the request asks about its subject: the generic terms, and its other content words ("发生" in
    "辛亥革命发生在哪一年？")."""
    own = " ".join(subject.specific).lower()
    if _ZH_RE.search(prompt):
        extra = [w for w, f in _jieba_words(prompt[:200]) if len(w) >= 2 and f[:1] in ("v", "n") and not set(w) & set(own)
                 and not set(w) <= ZH_FUNCTION_CHARS | _ZH_QUESTION_CHARS]
    else:
        own_stems = {stem(t) for t in own.split()}
        extra = [w for w in re.findall(r"[A-Za-z][\w'’-]*", prompt[:200]) if len(w) >= 4 and w.lower() not in EN_STOPWORDS
                 and stem(w.lower()) not in own_stems]
    return list(dict.fromkeys([*subject.generic, *extra]))


def substituted_subject(subject: Subject, prompt: str, answer: str, context: str = "") -> tuple[str, str] | None:
    """(the other subject, the relation) when the answer's first clause states the asked relation of
    something else: "Methanol boils at 64.7 °C" for the boiling point of ethanol, "铜的熔点约为1083℃" for
    iron's. Only for a request that names its subject, the relation being one of `relations()`, and an answer
    that does not mention that subject and opens neither with a pronoun nor a salutation. What the
    earlier turns (`context`) talked about is no other subject."""
    if not subject.specific or subject.inherited or subject.asks_for_name:
        return None
    if _OBLIQUE_RE.search(prompt[:300]) or _WHY_RE.search(prompt[:300]):
        return None  # a how-to's steps or a cause open with other things by nature
    head = answer.strip().lstrip("*#>-_ \t\"'“")
    if _POINTS_BACK_RE.search(head) or _SALUTATION_RE.search(head):
        return None
    clause = _FIRST_CLAUSE_RE.split(head, maxsplit=1)[0][:160]
    at, relation = None, ""
    for g in relations(subject, prompt):
        if g.isascii():
            words = re.findall(r"[a-z0-9]+", g.lower())
            first = stem(words[0]) if words else None
            i = next((m.start() for m in re.finditer(r"[A-Za-z0-9][\w-]*", clause) if stem(m.group(0).lower()) == first), None)
        else:
            i = clause.find(g)
        if i is not None and i > 0 and (at is None or i < at):
            at, relation = i, g
    if at is None:
        return None  # the relation is not stated, or it opens the clause (no subject before it)
    lead = clause[:at]
    if lead.count("《") > lead.count("》") or len(re.findall(r"[\"“”]", lead)) % 2:
        return None  # the relation is said inside a title the answer names ("《Python编程：从入门到实践》")
    if _ADVERBIAL_LEAD_RE.match(lead):
        return None  # "For a standard adult renewal…", "About 6 minutes once it's in boiling water": no subject
    if _SPEAKER_RE.search(lead):
        return None  # about the speaker or the user ("I'm sorry, but I am not able to embrace…"): a refusal, no other subject
    if _ZH_RE.search(lead):
        others = [w for w, f in _jieba_words(lead) if f.startswith("n") and w not in prompt and w not in context
                  and not set(w) <= ZH_FUNCTION_CHARS]
    else:
        asked = content_terms(prompt)
        others = [w for w in re.findall(r"[A-Za-z][\w'’-]*", lead) if len(w) >= 3 and w.lower() not in EN_STOPWORDS
                  and stem(w.lower()) not in asked and stem(w.lower()) not in _LEAD_QUALIFIERS and w.lower() not in context.lower()]
    return (others[0], relation) if others else None


def _opening_entity(answer: str) -> str | None:
    """A name the answer opens with ("Osaka has…", "大阪约有…"), else None."""
    head = answer.strip().lstrip("*#>-_ \t\"'“《")[:60]
    head = re.sub(r"^The\s+(?=[A-Z])", "", head)  # "The Lusitania was…"
    m = _OPENING_NAME_RE.match(head)
    if m and m.group(0).split()[0] not in _NOT_NAMED_OPENERS:
        name = re.sub(r"(?:\s+(?:of|de|the|van|von))+$", "", m.group(0).strip())  # "Share the bikes": no name
        # one capitalised word opening a sentence is a name only if the answer capitalises it again ("Wall sits…" is not)
        if " " in name or re.search(r"[^.!?\s]\s+" + re.escape(name) + r"\b", answer[len(name) : 3000]) or topic_members(name):
            return name
    if _ZH_RE.match(head):
        words = _jieba_words(head)
        if words and words[0][1] in ("ns", "nr", "nrt", "nz", "nt") and len(words[0][0]) >= 2 and _ZH_PREDICATE_RE.match(head[len(words[0][0]) :]):
            return words[0][0]
    return None


def _rework_terms(text: str) -> frozenset[str]:
    """Content terms, with Chinese read by its uncommon characters: a reworked poem keeps its imagery
    ("浪", "潮") more than its word pairs."""
    terms = content_terms(text)
    if _ZH_RE.search(text):
        terms = frozenset(t for t in terms if t.isascii()) | rare_chars("".join(_ZH_RE.findall(text[:5000])))
    return terms


_MATERIAL_RE = re.compile(
    r"(?:rewrite|rephrase|paraphrase|reword|summari[sz]e|shorten|simplify|proofread|correct|improve|edit|polish|"
    r"改写|改得|改成|重写|总结|概括|缩写|润色|修改|简化|精简)[^\n]{0,40}?[:：]\s*(.{12,})"
    r"|[“\"「『]([^”\"」』]{12,})[”\"」』]",
    re.I | re.S,
)


def given_text(prompt: str) -> str | None:
    """The text a rewrite/summary request brings along ("Rewrite this sentence: …"), else None."""
    if not _MATERIAL_RE.search(prompt[:200]) or not re.search(
        r"rewrite|rephrase|paraphrase|reword|summari[sz]e|shorten|simplify|proofread|correct|improve|edit|polish|改|重写|总结|概括|缩写|润色|简化|精简",
        prompt[:200], re.I,
    ):
        return None
    m = _MATERIAL_RE.search(prompt[:5000])
    return (m.group(1) or m.group(2)).strip() if m else None


def _rework_verdict(earlier: str, answer: str, j: int | None) -> tuple[bool, str] | None:
    """A turn that reworks an earlier answer (or the text it brings) is on topic when it keeps its content."""
    what = f"turn {j}'s answer" if j else "the text it was given"
    comp = offtopic.competitor(earlier, answer, code=offtopic.has_code(earlier))
    if comp:
        return False, f"{what} is about {comp[0]!r}; the reworked one is about {comp[1]!r} instead ({comp[2]})"
    ta, tb = _rework_terms(earlier), _rework_terms(answer)
    if len(ta) < MIN_ANSWER_TERMS and _ZH_RE.search(earlier):  # a plain sentence has few uncommon characters: read its words
        ta, tb = content_terms(earlier), content_terms(answer)
    if len(ta) < MIN_ANSWER_TERMS or len(tb) < 3 or crosses_language(earlier, answer):
        return None
    ov = overlap(ta, tb)
    if ov >= REWORK_ON:
        return True, f"reworks {what} (shares {round(100 * ov)}% of its content)"
    if ov < REWORK_OFF:
        return False, f"was asked to rework {what} but shares {round(100 * ov)}% of its content: another subject"
    return None


# Advisory: on held-back labelled answers (splits holdout16 + 17, 400 written blind, each run once) its off-topic
# verdicts are right 91% of the time and it catches 56% of off-topic answers (target 95% / 85%), so the
# default CI rule does not fail on it (benchmarks/perf/relevance_checks.py).
@scorer(FAMILY, help="the answer addresses the request's subject (its terms, an inflection or an alias); every turn", advisory=True)
def score_relevance(case: Case, gen: Generation, cfg: object = None) -> list[Check]:
    """The answer addresses the request's subject: every turn, follow-ups inheriting earlier turns' subject."""
    out = []
    for t in conversation(case, gen):
        if TRANSLATE_RE.search(t.prompt[:1000]):
            # a translation shares no words with the request's language; only another language is evidence
            comp = offtopic.competitor(t.prompt, t.answer)
            v = (False, f"asked about {comp[0]!r}; the answer is about {comp[1]!r} instead") if comp and comp[2] in _LANGUAGE_CATS else None
            if v is None:  # a translation keeps its text's field in the other language: another field is evidence
                v = _field_verdict(t.prompt, t.answer)
        elif material := given_text(t.prompt):  # "Rewrite this sentence: …", "总结下面这段话：…": the answer reworks that text
            v = _rework_verdict(material, t.answer, None)
        elif t.index and _NEW_SUBJECT_RE.search(t.prompt[:300]):  # "Now make it about a pilot instead", "换成写太阳的"
            v = judge(subject_terms(t.prompt), t.answer, t.prompt, " ".join([*t.earlier_prompts, *t.earlier_answers]))
        elif t.index and find_backref(t.prompt):
            target = next((x.kwargs["of"] for x in infer_backrefs(t) if x.id == "coherence:builds_on"), t.index)
            v = _rework_verdict(t.earlier_answers[target - 1], t.answer, target)
        else:
            subject = conversation_subject([*t.earlier_prompts, t.prompt], t.earlier_answers)
            extra = []
            if t.index == len(case.turns) - 1 and case.reference:
                extra = [str(x) for x in [case.reference, *(case.aliases or [])] if x is not None and str(x).strip()]
            context = " ".join([*t.earlier_prompts, *t.earlier_answers])
            v = judge(subject, t.answer, t.prompt, context, extra, context, t.earlier_prompts[-1] if t.earlier_prompts else "")
        if v is not None:
            out.append(Check(CID, v[0], v[1], 1.0 if v[0] else 0.0, turn=t.number))
    return out
