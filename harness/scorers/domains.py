"""Which broad field a text is about (cooking, programming, personal finance, history, …), from word
lists in `domain_words.json`, for relevance: a request about boiling an egg answered with advice on a
credit score is off topic whatever words the two share.

Each field lists English words and phrases (matched without plural endings, so "spatulas" is
"spatula") and Chinese words of two or more characters (matched as substrings, longest first). A word
may belong to several fields; a text's fields are those of the words found in it. The lists were
written for words that point to one field in any sentence ("spatula", "mortgage", "IndexError",
"朝代"); words with everyday senses in other fields ("bank", "court", "cell") are left out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from harness.scorers.text import nfkc

WORDS_FILE = Path(__file__).with_name("domain_words.json")
MAX_CHARS = 4000  # a text's field shows well before this
OPENING_CHARS = 40  # a field word this close to the start is what the answer is about
_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’][a-z]+)?")
_PLAIN_RE = re.compile(r"[a-z][a-z0-9' -]*")  # an English entry matched word by word


# Fields whose answers cross into each other as a matter of course: a dog that ate chocolate is a matter of
# its health, a climb of a mountain one of a trip, a birthday toast one of family. An answer in a
# neighbouring field of the request's is no evidence.
NEIGHBOURS = {
    "health_medicine": ("pets_animals", "fitness_sport", "cooking_food", "biology_ecology", "parenting_family",
                        "fashion_beauty"),
    "travel_transport": ("nature_weather", "history_politics", "law_government", "consumer_tech"),
    "social_messages": ("parenting_family", "cooking_food", "education_study", "business_career"),
    "programming": ("consumer_tech", "math"),
    "math": ("nature_weather", "personal_finance", "education_study"),  # degrees, interest, homework
    "personal_finance": ("business_career", "law_government"),
    "education_study": ("literature_language", "parenting_family", "business_career"),
    "gardening_plants": ("nature_weather", "biology_ecology", "home_cleaning_diy"),
    "physical_science": ("nature_weather", "biology_ecology", "math"),
    "history_politics": ("law_government", "literature_language", "music_film_arts"),
    "music_film_arts": ("literature_language",),
    "pets_animals": ("biology_ecology", "nature_weather"),
    "home_cleaning_diy": ("cooking_food", "parenting_family"),
}


def near(field: str) -> frozenset[str]:
    """The field and its neighbours."""
    return frozenset([field, *NEIGHBOURS.get(field, ()), *(f for f, ns in NEIGHBOURS.items() if field in ns)])


@dataclass(frozen=True)
class _Lists:
    phrases: dict[tuple[str, ...], frozenset[str]]  # an entry's words, singular -> its fields
    longest: int  # words in the longest phrase
    literal: re.Pattern[str] | None  # entries read as written ("C++", "node.js", "IndexError")
    literal_fields: dict[str, frozenset[str]]
    zh: re.Pattern[str] | None
    zh_fields: dict[str, frozenset[str]]


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """A lower-cased English word without its plural or possessive ending. Lighter than a stemmer on
    purpose: Snowball makes "stockings" a "stock" and "organization" an "organ"."""
    w = word.lower().replace("’", "'").removesuffix("'s")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "zes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def _words(words: str) -> tuple[str, ...]:
    return tuple(singular(w) for w in _TOKEN_RE.findall(words))


@lru_cache(maxsize=1)
def _lists() -> _Lists:
    data: dict[str, dict[str, list[str]]] = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    phrases: dict[tuple[str, ...], set[str]] = {}
    literal: dict[str, set[str]] = {}
    zh: dict[str, set[str]] = {}
    for field, lists in data.items():
        for entry in lists.get("en", []):
            if _PLAIN_RE.fullmatch(entry) and _words(entry):
                phrases.setdefault(_words(entry), set()).add(field)
            else:
                literal.setdefault(entry.lower(), set()).add(field)
        for entry in lists.get("zh", []):
            if len(entry) >= 2:
                zh.setdefault(entry, set()).add(field)

    def alternation(words: dict[str, set[str]], bounded: bool) -> re.Pattern[str] | None:
        if not words:
            return None
        body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<![\w.])(?:{body})(?![\w+#])" if bounded else f"(?:{body})")

    return _Lists(
        phrases={k: frozenset(v) for k, v in phrases.items()},
        longest=max((len(k) for k in phrases), default=1),
        literal=alternation(literal, True),
        literal_fields={k: frozenset(v) for k, v in literal.items()},
        zh=alternation(zh, False),
        zh_fields={k: frozenset(v) for k, v in zh.items()},
    )


@lru_cache(maxsize=4096)
def field_words(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(word as found, its fields) for each field word of `text`, in order, each word once."""
    lists = _lists()
    t = nfkc(text[:MAX_CHARS])
    found: dict[str, frozenset[str]] = {}
    tokens = [(m.group(0), singular(m.group(0))) for m in _TOKEN_RE.finditer(t)]
    i = 0
    while i < len(tokens):
        for n in range(min(lists.longest, len(tokens) - i), 0, -1):
            fields = lists.phrases.get(tuple(s for _, s in tokens[i:i + n]))
            if fields:
                found.setdefault(" ".join(w.lower() for w, _ in tokens[i:i + n]), fields)
                i += n
                break
        else:
            i += 1
    if lists.literal is not None:
        for m in lists.literal.finditer(t.lower()):
            found.setdefault(m.group(0), lists.literal_fields[m.group(0)])
    if lists.zh is not None:
        for m in lists.zh.finditer(t):
            found.setdefault(m.group(0), lists.zh_fields[m.group(0)])
    return tuple(found.items())


def fields(text: str) -> dict[str, list[str]]:
    """Field -> the words of `text` that point to it."""
    out: dict[str, list[str]] = {}
    for word, fs in field_words(text):
        for f in sorted(fs):
            out.setdefault(f, []).append(word)
    return out


def other_field(request: str, answer: str, min_words: int = 2, opening: bool = False) -> tuple[str, list[str], str, list[str]] | None:
    """(the request's field, its words, the answer's field, its words) when the answer speaks of one
    field in at least `min_words` distinct words and none of its field words belongs to a field of the
    request (which names at least one) or to a neighbour of one (`NEIGHBOURS`); else None. With
    `opening`, one field word within the answer's first `OPENING_CHARS` characters is enough."""
    asked = fields(request)
    said = field_words(answer)
    if not asked or len(said) < (1 if opening else min_words):
        return None
    close = frozenset().union(*(near(f) for f in asked))
    if any(fs & close for _, fs in said):
        return None
    per = fields(answer)
    top = max(per, key=lambda f: len(per[f]))
    words = per[top]
    if len(words) < min_words:
        first = field_words(answer[:OPENING_CHARS]) if opening else ()
        if not first:
            return None
        top, words = sorted(first[0][1])[0], [first[0][0]]
    mine = max(asked, key=lambda f: len(asked[f]))
    return mine, asked[mine], top, words
