"""Evidence, for relevance, that an answer states the asked fact of something else:

- **another year** (`other_year`): the request asks about one year's event ("Who won the World Cup in
  2014?", "2008年奥运会在哪里举办？"); the answer never says that year, and its first clause names the
  same event with another year ("Spain won the 2010 World Cup", "2012年夏季奥运会在英国伦敦举行");
- **the same deed, done to something else** (`other_deed`): the request asks who did something to a
  named thing ("Who composed The Four Seasons?", "谁发明了造纸术？"); the answer's first clause says who did
  that deed to another named thing ("Handel composed Messiah", "Alien was directed by Ridley Scott",
  "活字印刷术是毕昇发明的"), and never names the asked one;
- **a narrower scope** (`narrower_scope`): the request asks for the world's tallest, longest, largest…
  ("What's the tallest building in the world?", "世界上最长的河流是哪条？") and the answer's first clause
  gives one place's instead ("The tallest building in the United States is…", "中国最长的河流是长江") and
  never says "world";
- **another error** (`other_error`): the conversation names an exception ("IndexError",
  "IndentationError") and the answer opens on another one ("A KeyError means…", "NameError 表示…") and
  never names the asked one;
- **the opposite** (`opposite`): the request asks for one end of a pair ("closest", "fall", "最小") and
  the answer's first clause gives the other ("Neptune is the farthest planet", "The Berlin Wall went up
  on…", "面积最大的是新疆"), never saying the asked one.

They read only the answer's opening: a good answer may mention other years, works and errors further on.
"""

from __future__ import annotations

import re

from harness.scorers.subject import zh_words
from harness.scorers.terms import stem
from harness.scorers.text import has_cjk

_YEAR_RE = re.compile(r"(?<!\d)(1[0-9]{3}|20[0-9]{2})(?!\d)")
_CLAUSE_END_RE = re.compile(r"(?<=[.!?;])\s|[。！？；\n]")
# who did what to it: the deed's verb (English: past tense as asked; Chinese: the verb itself)
_WHO_EN_RE = re.compile(r"^\W*who\s+(?P<v>[a-z]+ed|wrote|built|drew|sang|won|made|founded|invented|discovered|painted)\s+"
                        r"(?P<o>[^?]{2,80})\?*\s*$", re.I)
_WHO_ZH_RE = re.compile(r"^(?:是)?谁(?P<v>发明|发现|创作|写|画|导演|设计|建造|修建|创立|创办|提出|作曲|编写|主演|演唱)了?(?P<o>[^？?。]{2,20})[？?。]?$"
                        r"|^(?P<o2>[^，,？?]{2,20}?)是谁(?P<v2>发明|发现|创作|写|画|导演|设计|建造|修建|创立|创办|提出|作曲|编写|主演|演唱)的[？?]?$")
_IRREGULAR = {"wrote": "write", "built": "build", "drew": "draw", "sang": "sing", "won": "win", "made": "make"}
# an opening that points back at the asked thing or describes it ("It was…", "The famous portrait…", "这项技术…")
_POINTER_RE = re.compile(r"^\W*(?:[Ii]ts?|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose|[Tt]hey|[Hh]e|[Ss]he|[Tt]he\s+[a-z]|[Aa]n?\s+[a-z])\b"
                         r"|^\W*(?:这|那|它|他|她|该)")
_NAMED_EN_RE = re.compile(r"[A-Z][\w'’-]*|《[^》]+》|\"[^\"]+\"|“[^”]+”")


def first_clause(answer: str, limit: int = 200) -> str:
    """The answer up to its first sentence or clause end, without leading markup."""
    head = answer.strip().lstrip("*#>-_ \t\"'“")
    return _CLAUSE_END_RE.split(head, maxsplit=1)[0][:limit]


def other_year(prompt: str, answer: str, terms: list[str]) -> tuple[str, str] | None:
    """(the asked year, the answer's year) when the answer's first clause names one of the request's
    `terms` with another year and the answer never says the asked one."""
    asked = set(_YEAR_RE.findall(prompt))
    if len(asked) != 1:
        return None
    year = asked.pop()
    if year in answer:
        return None
    clause = first_clause(answer)
    others = [y for y in _YEAR_RE.findall(clause) if y != year]
    low = clause.lower()
    words = {w for t in terms if not _YEAR_RE.fullmatch(t) for w in (re.findall(r"[A-Za-z]{3,}", t) or [t]) if len(w) >= 2}
    if others and any(w.lower() in low for w in words):  # "the 2010 World Cup" names the "FIFA World Cup"
        return year, others[0]
    return None


def _verb_forms(verb: str) -> tuple[str, ...]:
    low = verb.lower()
    base = _IRREGULAR.get(low, stem(low))
    return low, base


def other_deed(prompt: str, answer: str, mentioned: bool) -> tuple[str, str, str] | None:
    """(the deed, the asked thing, the other thing) when the request asks who did a deed to a named thing
    and the answer's first clause says who did it to another named thing; `mentioned`: whether the
    answer names the asked thing anywhere (then it is no substitution)."""
    if mentioned:
        return None
    q = prompt.strip()
    clause = first_clause(answer)
    if _POINTER_RE.search(clause):
        return None
    m = _WHO_EN_RE.match(q)
    if m:
        verb, obj = m.group("v"), m.group("o").strip()
        if not re.search(r"[A-Z\"“]", obj):  # a named thing: "The Four Seasons", "Jaws", "penicillin" is not
            return None
        forms = _verb_forms(verb)
        words = list(re.finditer(r"[A-Za-z][\w'’-]*", clause))
        at = next((w for w in words if w.group(0).lower() == forms[0] or stem(w.group(0).lower()) == forms[1]), None)
        if at is None:
            return None
        before, after = clause[: at.start()], clause[at.end():]
        passive = re.search(r"\b(?:was|were|is|are|has been|had been)\s+(?:\w+ly\s+)?$", before)
        other = before[: passive.start()] if passive else re.split(r"[,;(]|\s(?:in|at|on|for|with|during|after|against|by)\s", after, maxsplit=1)[0]
        named = [n for n in _NAMED_EN_RE.findall(other) if n.lower() not in ("the", "a", "an")]
        if named and not any(n.lower() in q.lower() for n in named):  # "the 2018 World Cup" is the asked one
            return verb.lower(), obj, other.strip(" ,")
        return None
    m = _WHO_ZH_RE.match(q)
    if m:
        verb, obj = m.group("v") or m.group("v2"), (m.group("o") or m.group("o2")).strip()
        i = clause.find(verb)
        if i <= 0:
            return None
        head = clause[:i]
        shi = head.find("是")
        subject = head[:shi] if shi > 0 else ""
        words = zh_words(subject)
        if len(subject) >= 2 and subject not in q and not _POINTER_RE.search(subject) and words and words[-1][1][:1] == "n":
            return verb, obj, subject
        after = re.split(r"[，,。；;（(]", clause[i + len(verb):].lstrip("了"), maxsplit=1)[0]
        if shi < 0 and len(after) >= 2 and after not in q and obj not in after:
            return verb, obj, after
    return None


_ERROR_RE = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception|Warning)\b")
ERROR_OPENING_CHARS = 120


def other_error(conversation: str, answer: str) -> tuple[str, str] | None:
    """(the asked exception, the answer's) when the answer opens on another exception than every one the
    conversation names, and never names those."""
    asked = set(_ERROR_RE.findall(conversation))
    if not asked or any(a in answer for a in asked):
        return None
    other = _ERROR_RE.findall(answer.strip()[:ERROR_OPENING_CHARS])
    return (sorted(asked)[0], other[0]) if other else None


_WORLD_EN_RE = re.compile(r"\b(?:in the world|on earth|world's|worldwide|on the planet)\b", re.I)
_SUPERLATIVE_EN_RE = re.compile(r"\b(?:\w+est|most \w+|largest|biggest|highest)\b", re.I)
_IN_PLACE_EN_RE = re.compile(r"\b(?:\w+est|most \w+)\b[^.;,]{0,40}?\bin (?:the )?((?:[A-Z][\w'’.-]*\s?)+)")
_WORLD_ZH = ("世界上", "全世界", "全球", "世界")


def narrower_scope(prompt: str, answer: str) -> tuple[str, str] | None:
    """(the asked scope, the answer's place) when a superlative asked of the world is answered for one place."""
    clause = first_clause(answer)
    if _WORLD_EN_RE.search(prompt) and _SUPERLATIVE_EN_RE.search(prompt):
        if _WORLD_EN_RE.search(answer) or re.search(r"\bglobal(?:ly)?\b|\bof all\b", answer, re.I):
            return None
        m = _IN_PLACE_EN_RE.search(clause)
        return ("the world", m.group(1).strip()) if m else None
    if "最" in prompt and any(w in prompt for w in _WORLD_ZH) and not any(w in answer for w in _WORLD_ZH):
        m = re.match(r"\W*([\u4e00-\u9fff]{2,6}?)(?:的|境内|国内)?最", clause)
        if m and any(flag[:2] == "ns" for _, flag in zh_words(m.group(1))):
            return "世界", m.group(1)
    return None


# Pairs of opposites a question asks for one of (en, zh). Kept to words that are rarely said in passing by an
# answer to the other: "first" / "last" and "north" / "south" are not here.
_OPPOSITES_EN = (
    ("closest|nearest", "farthest|furthest"), ("largest|biggest", "smallest"), ("longest", "shortest"),
    ("highest|tallest", "lowest"), ("oldest", "youngest|newest"), ("fastest", "slowest"), ("hottest", "coldest"),
    ("deepest", "shallowest"), ("heaviest", "lightest"), ("born", "died"), ("maximum", "minimum"),
    ("fall|fell|collapse|collapsed|torn down|came down", "built|went up|erected|construction"),
)
_OPPOSITES_ZH = (
    ("最近", "最远"), ("最大", "最小"), ("最长", "最短"), ("最高", "最低|最矮"), ("最早", "最晚"), ("最快", "最慢"),
    ("最热", "最冷"), ("最深", "最浅"), ("最多", "最少"), ("出生", "去世|逝世"), ("倒塌|拆除", "修建|建造|建成"),
)


def _alt(words: str, zh: bool) -> re.Pattern[str]:
    return re.compile(words if zh else r"\b(?:" + words + r")\b", re.I)


_PAIRS = {zh: [(_alt(a, zh), _alt(b, zh)) for a, b in (_OPPOSITES_ZH if zh else _OPPOSITES_EN)] for zh in (False, True)}


def opposite(prompt: str, answer: str) -> tuple[str, str] | None:
    """(the asked word, its opposite) when the request asks for one end of a pair and the answer's first
    clause gives the other, never saying the asked one; else None."""
    head = first_clause(answer)
    for a, b in _PAIRS[has_cjk(prompt)]:
        for asked, other in ((a, b), (b, a)):
            x, y = asked.search(prompt), other.search(head)
            if x and y and not other.search(prompt) and not asked.search(answer):
                return x.group(0), y.group(0)
    return None
