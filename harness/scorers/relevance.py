"""Relevance: does the answer address what was asked about?

- relevance:on_topic  (every turn with a subject) the answer mentions the request's subject: one of
  its subject terms (harness/scorers/subject.py: the object of write/describe/explain, what follows
  "about"/"关于", "给…写", named entities, quoted titles, the entity a question asks about), directly,
  by an inflection (stemmed English), or by a word of the same group in harness/scorers/aliases.py.
  A follow-up that points back ("How many people live there?", "它们吃什么？") inherits the subject
  of the earlier turns and the entities the previous answer named. For the last turn, the case's
  `reference` and `aliases` count as the subject too. The reason names the terms that were missing.

Not judged (no check) when the request has no subject terms ("Tell me a joke.", "你好"), or when
an answer with too few words of its own to tell ("Tokyo.", "八条。", "1. Kiwi 2. Guava") names no
entity of its own: a terse right answer need not repeat the question. Precision (an off-topic
verdict is right) comes first. Measured on benchmarks/labelled/relevance_pairs.jsonl by
benchmarks/perf/relevance_checks.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from harness.records import Case, Check, Generation
from harness.scorers import scorer
from harness.scorers.aliases import ALIAS_GROUPS
from harness.scorers.backref import find_backref, infer_backrefs
from harness.scorers.dialogue import conversation
from harness.scorers.implied import TRANSLATE_RE
from harness.scorers.subject import Subject, conversation_subject, zh_word_counts
from harness.scorers.subject import zh_words as _jieba_words
from harness.scorers.terms import ZH_FUNCTION_CHARS, content_terms, en_terms, overlap, stem, zh_bigrams
from harness.scorers.text import crosses_language, find_any, normalize, snippet

FAMILY = "relevance"
CID = f"{FAMILY}:on_topic"
MIN_ANSWER_TERMS = 4  # fewer content terms: a terse answer, not judged
REWORK_ON, REWORK_OFF = 0.2, 0.1  # a reworked answer keeps >= 20% of the earlier one's content; < 10%: another subject
_ZH_RE = re.compile(r"[\u4e00-\u9fff]")
LONG_ANSWER_TERMS = 10  # a question's answer this long restates what it is about
RARE_CHAR_FREQ = 3000  # jieba dictionary count below which a single character carries a subject ("沙", "秋", "熊")
_OPENING_NAME_RE = re.compile(r"(?:[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z]+|of|de|the|van|von))*(?=\s+(?:is|was|has|had|are|were|lies|sits|stands|became|carries|wrote|painted|founded)\b|'s\b)")
_NOT_NAMED_OPENERS = frozenset("The A An It This That These Those There Here I We You He She They Sure Yes No Well Okay OK Roughly About Around Almost".split())


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
    """The content words inside a Chinese term, by jieba's search segmentation."""
    return tuple(w for w, f in _jieba_words(term) if len(w) >= 2 and w != term and (f.startswith(("n", "v", "a")) or f in ("l", "i", "j")))


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


def judge(subject: Subject, answer: str, context: str = "", extra: list[str] | None = None) -> tuple[bool, str] | None:
    """(on topic?, reason), or None when it cannot be told. `extra` (the case's reference answer) counts
    as a mention of the subject, but its absence is no evidence: a wrong answer is correctness's business."""
    specific = list(subject.specific)
    if not specific or not answer.strip():
        return None
    hit = _mentioned(answer, [*specific, *(extra or [])], names=frozenset(subject.named) | frozenset(extra or []))
    if hit:
        via = "" if hit[1].lower() == hit[0].lower() else f" (as {hit[1]!r})"
        return True, f"mentions {hit[0]!r}{via}"
    where = " (inherited from earlier turns)" if subject.inherited else ""
    size = _size(answer)
    rel = _mentioned(answer, subject.generic, related=False)
    if not subject.question:
        if rel and subject.positional:  # "a packing list for a beach holiday" -> a ski packing list
            return False, f"talks about {rel[0]!r} but not {_shown(specific)}{where}: another subject"
        if rel:
            return None
        if size < MIN_ANSWER_TERMS:
            return None  # too few words of its own to tell
        return False, f"mentions none of the request's subject terms{where}: {_shown(specific)}"
    if rel:  # the relation asked about, of another subject: "Berlin is the capital of Germany"
        return False, f"talks about {rel[0]!r} but not {_shown(specific)}{where}: another subject"
    opener = _opening_entity(answer)
    if opener and not subject.asks_for_name and normalize(opener) not in normalize(context):
        return False, f"is about {opener!r}, not {_shown(specific)}{where}"
    if not subject.inherited and size >= LONG_ANSWER_TERMS:
        return False, f"a full answer that mentions none of the request's subject terms: {_shown(specific)}"
    return None  # a bare answer ("Paris.", "Roughly 14 million.") need not restate the question


def _size(answer: str) -> int:
    stems, _ = _answer_index(answer)
    return len(stems) + len(zh_bigrams(answer[:2000]))


def _opening_entity(answer: str) -> str | None:
    """A name the answer opens with ("Osaka has…", "大阪约有…"), else None."""
    head = answer.strip().lstrip("*#>-_ \t\"'“《")[:60]
    m = _OPENING_NAME_RE.match(head)
    if m and m.group(0).split()[0] not in _NOT_NAMED_OPENERS:
        return m.group(0).strip()
    if _ZH_RE.match(head):
        words = _jieba_words(head)
        if words and words[0][1] in ("ns", "nr", "nrt", "nz", "nt") and len(words[0][0]) >= 2:
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
    ta, tb = _rework_terms(earlier), _rework_terms(answer)
    if len(ta) < MIN_ANSWER_TERMS or len(tb) < 3 or crosses_language(earlier, answer):
        return None
    ov = overlap(ta, tb)
    what = f"turn {j}'s answer" if j else "the text it was given"
    if ov >= REWORK_ON:
        return True, f"reworks {what} (shares {round(100 * ov)}% of its content)"
    if ov < REWORK_OFF:
        return False, f"was asked to rework {what} but shares {round(100 * ov)}% of its content: another subject"
    return None


# Advisory: on held-back labelled answers its off-topic verdicts are right 73% of the time (target 95%),
# so the default CI rule does not fail on it (benchmarks/perf/relevance_checks.py).
@scorer(FAMILY, help="the answer addresses the request's subject (its terms, an inflection or an alias); every turn", advisory=True)
def score_relevance(case: Case, gen: Generation, cfg: object = None) -> list[Check]:
    """The answer addresses the request's subject: every turn, follow-ups inheriting earlier turns' subject."""
    out = []
    for t in conversation(case, gen):
        if TRANSLATE_RE.search(t.prompt[:1000]):
            continue  # a translation shares no words with the request's language
        material = given_text(t.prompt)
        if material:  # "Rewrite this sentence: …", "总结下面这段话：…": the answer reworks that text
            v = _rework_verdict(material, t.answer, None)
        elif t.index and find_backref(t.prompt):
            target = next((x.kwargs["of"] for x in infer_backrefs(t) if x.id == "coherence:builds_on"), t.index)
            v = _rework_verdict(t.earlier_answers[target - 1], t.answer, target)
        else:
            subject = conversation_subject([*t.earlier_prompts, t.prompt], t.earlier_answers)
            extra = []
            if t.index == len(case.turns) - 1 and case.reference:
                extra = [str(x) for x in [case.reference, *(case.aliases or [])] if x is not None and str(x).strip()]
            context = " ".join([*t.earlier_prompts, t.prompt, *t.earlier_answers])
            v = judge(subject, t.answer, context, extra)
        if v is not None:
            out.append(Check(CID, v[0], v[1], 1.0 if v[0] else 0.0, turn=t.number))
    return out
