"""Content terms of a text, for comparing what two texts are about (zh and en).

English words are lower-cased and stemmed (Snowball: "reversing" ~ "reverses", "stories" ~
"story"); function words are dropped. Chinese has no spaces, so its content is read as character
bigrams inside runs of Han characters, minus bigrams of function characters ("我们", "一个").
Both sides of every comparison go through the same function, so "the ocean's waves" and
"waves of the ocean" share their terms, and "海浪" and "大海的浪" share "海".
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from harness.scorers.text import CJK_RANGES, nfkc, strip_code_blocks

_STEMMER = snowballstemmer.stemmer("english")

EN_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being below
    between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each even
    ever every few for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's its itself
    just let let's like made make makes many may me might more most much must mustn't my myself need no nor not now of
    off often on once one only or other others ought our ours ourselves out over own per please quite rather really
    same say says shall shan't she she'd she'll she's should shouldn't so some still such sure than that that's the
    their theirs them themselves then there there's these they they'd they'll they're they've this those though
    through to too under until up upon us use used using very want was wasn't way we we'd we'll we're we've well were
    weren't what what's when when's where where's whether which while who who's whom whose why why's will with within
    without won't would wouldn't yes yet you you'd you'll you're you've your yours yourself yourselves
    okay ok sure certainly course here's thing things something anything everything really also just lot lots
    write wrote written give gave tell told show shown let's new first second""".split()
)

# Han characters that carry grammar rather than content; a bigram of two of them is no term.
ZH_FUNCTION_CHARS = frozenset("的了是在和与及或也都就还又很把被让给对向从而且但如果因为所以这那个些一不没有我你您他她它们吗呢吧啊呀么之其此为以于上下中来去说要会能可得地着过")

_CJK_RUN_RE = re.compile(f"[{CJK_RANGES}]+")
_LATIN_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:\.\d+)?")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of one lower-cased English word (other scripts pass through)."""
    return _STEMMER.stemWord(word) if word.isascii() else word


def en_terms(text: str, keep_numbers: bool = True) -> list[str]:
    """Stemmed English content words in order; identifiers are split (snake_case, camelCase)."""
    out = []
    # Han characters end a word: "那const呢" holds the word "const" (Chinese is read by zh_bigrams)
    for w in _LATIN_WORD_RE.findall(_CAMEL_RE.sub(" ", _CJK_RUN_RE.sub(" ", text.replace("_", " ")))):
        lw = w.lower().replace("’", "'")
        if lw[0].isdigit():
            if keep_numbers:
                out.append(lw)
            continue
        if len(lw) < 3 or lw in EN_STOPWORDS:
            continue
        out.append(stem(lw))
    return out


def zh_bigrams(text: str) -> list[str]:
    """Han character bigrams inside runs, without bigrams made only of function characters."""
    out = []
    for run in _CJK_RUN_RE.findall(text):
        for i in range(len(run) - 1):
            a, b = run[i], run[i + 1]
            if a in ZH_FUNCTION_CHARS and b in ZH_FUNCTION_CHARS:
                continue
            out.append(a + b)
    return out


@lru_cache(maxsize=4096)
def content_terms(text: str, max_chars: int = 20_000) -> frozenset[str]:
    """The set of content terms of `text` (code blocks included as identifiers)."""
    t = nfkc(text[:max_chars])
    return frozenset(en_terms(t)) | frozenset(zh_bigrams(t))


def prose_terms(text: str) -> frozenset[str]:
    """Content terms outside fenced code."""
    return content_terms(strip_code_blocks(text))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared terms over the smaller set: 1.0 when one text's content is inside the other's
    (a shortened or an expanded version), ~0 when they share nothing."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


_CAMEL_WORD_RE = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b")
_UPPER_WORD_RE = re.compile(r"\b[A-Z]{2,5}\b")


@lru_cache(maxsize=4096)
def initialisms(text: str) -> frozenset[str]:
    """What a text's names would be shortened to: the initials of 2-4 content words in a row ("graphics
    processing unit" -> GPU, "artificial intelligence" -> AI) and of a word's capitalised parts ("JavaScript"
    -> JS)."""
    out = {"".join(p[0] for p in re.findall(r"[A-Z][a-z]*", w)) for w in _CAMEL_WORD_RE.findall(text)}
    run: list[str] = []
    for w in [*re.findall(r"[A-Za-z]+", text[:2000]), ""]:
        if w and w.lower() not in EN_STOPWORDS:
            run.append(w)
            continue
        for n in range(2, 5):
            out.update("".join(x[0] for x in run[i : i + n]).upper() for i in range(len(run) - n + 1))
        run = []
    return frozenset(out)


def initialisms_used(answer: str, request: str) -> frozenset[str]:
    """The capitalised short forms in `answer` that shorten words of `request` ("GPU" for "graphics processing unit")."""
    return frozenset(_UPPER_WORD_RE.findall(answer[:5000])) & initialisms(request)
