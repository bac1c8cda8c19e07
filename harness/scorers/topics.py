"""Finding the category words of harness/scorers/lexicon.py in a text (en + zh), for relevance.

English words are matched by their Snowball stem ("dogs" ~ "dog"), or exactly where the lexicon
writes "=word" (so "training" is no train); identifiers are split (`find_max` -> "find", "max").
Chinese members of two or more characters are matched as substrings, longest first (so "春节"
is the festival, not spring); one-character members ("猫", "秋") only as a whole jieba word, so
"上海" holds no sea. The named things of a kind (named_kinds.py: rivers, festivals, dishes, git
commands …) are found beside them by a second lexicon, English exactly. Each text is read once (cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from harness.scorers.lexicon import CATEGORIES, CODE, IGNORED
from harness.scorers.named_kinds import CODE_KINDS, named_groups
from harness.scorers.regions import place_groups
from harness.scorers.subject import zh_words
from harness.scorers.terms import stem

MAX_CHARS = 6000  # an answer's subject shows well before this
_WORD_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-zà-ÿ]+|[A-Z]+")
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
CODE_CATEGORIES = frozenset(CODE) | CODE_KINDS  # read only where code is asked for or shown


@dataclass(frozen=True)
class Member:
    category: str
    group: int  # index of the group in the lexicon (same group = same subject)
    word: str  # as it stands in the text
    pos: int  # character offset in the text


@dataclass(frozen=True)
class _Lexicon:
    en: dict[tuple[str, ...], tuple[str, int]]  # token keys ("s:stem" or "=word") -> (category, group)
    en_first: dict[str, int]  # a member's first token key -> the longest member starting with it
    zh: dict[str, tuple[str, int]]
    zh_single: dict[str, tuple[str, int]]
    zh_max: int
    domain: dict[str, str]
    words: dict[int, tuple[str, ...]]  # group -> its members


def _key(member: str) -> tuple[str, ...]:
    exact = member.startswith("=")
    toks = [t.lower() for t in _WORD_RE.findall(member.lstrip("="))]
    return tuple(("=" + t) if exact else ("s:" + stem(t)) for t in toks)


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    en: dict[tuple[str, ...], tuple[str, int]] = {}
    zh: dict[str, tuple[str, int]] = {}
    single: dict[str, tuple[str, int]] = {}
    domain: dict[str, str] = {}
    words: dict[int, tuple[str, ...]] = {}
    gid = 0
    for table in (CATEGORIES, CODE):
        for cat, (dom, text) in table.items():
            domain[cat] = dom
            for group in text.split("|"):
                members = tuple(m.strip() for m in group.split(",") if m.strip())
                gid += 1
                words[gid] = tuple(m.lstrip("=") for m in members)
                for m in members:
                    if _CJK_RUN_RE.fullmatch(m):
                        (single if len(m) == 1 else zh)[m] = (cat, gid)
                    else:
                        en[_key(m)] = (cat, gid)
    for cat, groups in place_groups().items():  # whole classes of places, after the hand-written groups
        domain[cat] = "world"
        for members in groups:
            keys = [(m, _key(m)) for m in members]
            if any(m in zh or m in single or k in en for m, k in keys):
                continue  # the hand-written group (with its demonyms) stands
            gid += 1
            words[gid] = members
            for m, k in keys:
                if _CJK_RUN_RE.fullmatch(m):
                    zh[m] = (cat, gid)
                else:
                    en[k] = (cat, gid)
    for m in IGNORED:
        if _CJK_RUN_RE.fullmatch(m):
            zh[m] = ("", 0)
        else:
            en[_key(m)] = ("", 0)
    first: dict[str, int] = {}
    for k in en:
        first[k[0]] = max(first.get(k[0], 0), len(k))
    return _Lexicon(en, first, zh, single, max(len(k) for k in zh), domain, words)


@lru_cache(maxsize=1)
def named_lexicon() -> _Lexicon:
    """The named things of a kind (named_kinds.py), a lexicon of their own: matched beside the hand-written
    one, so that "chocolate chip cookies" adds a baked good and leaves the lexicon's "cookies" found.
    English members match exactly ("rowing" is no "rows"), group numbers follow the lexicon's."""
    base = lexicon()
    en: dict[tuple[str, ...], tuple[str, int]] = {}
    zh: dict[str, tuple[str, int]] = {}
    domain: dict[str, str] = {}
    words: dict[int, tuple[str, ...]] = {}
    gid = max(base.words, default=0)
    for cat, (dom, groups) in named_groups().items():
        domain[cat] = base.domain.get(cat, dom)  # a hand-written category of the same name ("sport") keeps its domain
        for group in groups:
            gid += 1
            kept = []
            for m in group:
                if _CJK_RUN_RE.fullmatch(m):
                    if len(m) > 1:  # one character ("茶") is too often part of another word
                        zh.setdefault(m, (cat, gid))
                        kept.append(m)
                elif k := tuple("=" + t.lower() for t in _WORD_RE.findall(m)):  # "1984" has no word to match
                    en.setdefault(k, (cat, gid))
                    kept.append(m)
            words[gid] = tuple(kept)
    first: dict[str, int] = {}
    for k in en:
        first[k[0]] = max(first.get(k[0], 0), len(k))
    return _Lexicon(en, first, zh, {}, max((len(k) for k in zh), default=1), domain, words)


@lru_cache(maxsize=65536)
def _token_keys(token: str) -> tuple[str, str]:
    low = token.lower()
    return "=" + low, "s:" + stem(low)


def _en_members(text: str, lex: _Lexicon, code: bool) -> list[Member]:
    toks = [(m.group(0), m.start()) for m in _WORD_RE.finditer(text)]
    keys = [_token_keys(t) for t, _ in toks]
    first = lex.en_first
    out, free = [], 0  # left to right, longest member first; `free`: the first token not yet taken
    # a word written in one piece and split at its capitals ("JavaScript" -> "Java", "Script") is first looked
    # up whole: "JavaScript" is no "Java"
    whole: dict[int, int] = {}  # first token of a word in several pieces -> its last token
    start = 0
    for i in range(1, len(toks) + 1):
        if i == len(toks) or toks[i][1] != toks[i - 1][1] + len(toks[i - 1][0]):
            if i - 1 > start:
                whole[start] = i - 1
            start = i
    for i in sorted({*whole, *(j for j, k in enumerate(keys) if k[0] in first or k[1] in first)}):  # where a member can start
        if i < free:
            continue
        if i in whole:
            word = text[toks[i][1] : toks[whole[i]][1] + len(toks[whole[i]][0])]
            exact, stemmed = _token_keys(word)
            hit = lex.en.get((exact,)) or lex.en.get((stemmed,))
            if hit:
                if hit[0] and (code or hit[0] not in CODE_CATEGORIES):
                    out.append(Member(hit[0], hit[1], word, toks[i][1]))
                free = whole[i] + 1
                continue
        longest = max(first.get(keys[i][0], 0), first.get(keys[i][1], 0))
        for n in range(min(longest, len(toks) - i), 0, -1):
            run = keys[i : i + n]  # all exact, or all stemmed
            hit = lex.en.get(tuple(k[0] for k in run)) or lex.en.get(tuple(k[1] for k in run))
            if hit and n == 1 and len(toks[i][0]) == 1 and not text.startswith(("++", "#"), toks[i][1] + 1):
                hit = None  # "c" of "C++" / "C#" only with its symbols: "the constant c" is no language
            if hit:
                cat, gid = hit
                if cat and (code or cat not in CODE_CATEGORIES):
                    last = toks[i + n - 1]  # the words as written ("git cherry-pick", "Array.prototype.filter")
                    out.append(Member(cat, gid, text[toks[i][1] : last[1] + len(last[0])], toks[i][1]))
                free = i + n
                break
    return out


def _zh_members(text: str, lex: _Lexicon, code: bool) -> list[Member]:
    out = []
    for run in _CJK_RUN_RE.finditer(text):
        s, base, i = run.group(0), run.start(), 0
        covered = [False] * len(s)
        while i < len(s):
            for n in range(min(lex.zh_max, len(s) - i), 1, -1):
                hit = lex.zh.get(s[i : i + n])
                if hit:
                    cat, gid = hit
                    if cat and (code or cat not in CODE_CATEGORIES):
                        out.append(Member(cat, gid, s[i : i + n], base + i))
                    covered[i : i + n] = [True] * n
                    i += n
                    break
            else:
                i += 1
        if lex.zh_single and any(ch in lex.zh_single for ch in s):
            pos = 0
            for w, _ in zh_words(s):
                if len(w) == 1 and w in lex.zh_single and not covered[pos]:
                    cat, gid = lex.zh_single[w]
                    if code or cat not in CODE_CATEGORIES:
                        out.append(Member(cat, gid, w, base + pos))
                pos += len(w)
    return out


@lru_cache(maxsize=8192)
def members(text: str, code: bool = False, named: bool = True) -> tuple[Member, ...]:
    """The lexicon words in `text`, in order of position; with `named`, the named things of a kind too."""
    t = text[:MAX_CHARS]
    found = []
    for lex in (lexicon(), named_lexicon()) if named else (lexicon(),):
        found += _en_members(t, lex, code) + (_zh_members(t, lex, code) if _CJK_RUN_RE.search(t) else [])
    return tuple(sorted(found, key=lambda m: m.pos))


def domain(category: str) -> str:
    lex = lexicon() if category in lexicon().domain else named_lexicon()
    return lex.domain[category]


def group_words(group: int) -> tuple[str, ...]:
    lex = lexicon() if group in lexicon().words else named_lexicon()
    return lex.words.get(group, ())
