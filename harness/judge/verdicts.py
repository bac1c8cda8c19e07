"""Reading a judge's verdict from its text: a grade `[[7]]` or a preference `[[A]]`/`[[B]]`/`[[C]]`.

Only unambiguous verdicts are read. A text with no verdict, two different verdicts, or a grade
outside 1-10 is "unparsed": its reason is recorded with the raw text, never guessed or defaulted.
Accepted forms, most explicit first:
  grade:       [[7]]  [[7.5]]  [[7/10]]  — else a labelled number: "Rating: 7", "Score: 7/10", "评分：7", "得分: 7 分"
               (a label, then a colon or "=": prose such as "the user's rating of 5" is not a verdict)
               — else a last line that is only "[7]" (FastChat's fallback; "[0]" inside prose is code, not a grade)
  preference:  [[A]] [[B]] [[C]] ([[tie]], [[平局]] for C) — else "Verdict: A" / "结论：B"
  on topic:    [[yes]] [[no]] ([[是]], [[否]]) — else "On topic: yes" / "切题：否"
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOW, HIGH = 1.0, 10.0
_GRADE = re.compile(r"\[\[\s*(\d+(?:\.\d+)?)\s*(?:/\s*10\s*)?\]\]")
_GRADE_LABELLED = re.compile(
    r"(?:rating|score|grade|评分|得分|分数|打分)\s*\**\s*(?:=|:|：)\s*\**\s*(\d+(?:\.\d+)?)\s*(?:/\s*10|分|points?)?\s*\**",
    re.IGNORECASE,
)
# FastChat's fallback "[5]", accepted only as the reply's whole last line (inside prose, "[0]" is code)
_GRADE_LAST_LINE = re.compile(r"\A\s*(?:(?:rating|score|评分)\s*[:：]\s*)?\[\s*(\d+(?:\.\d+)?)\s*\]\s*\Z", re.IGNORECASE)
_PREF = re.compile(r"\[\[\s*(A|B|C|tie|平局)\s*\]\]", re.IGNORECASE)
_PREF_LABELLED = re.compile(r"(?:verdict|结论|判断)\s*(?:is|:|：)\s*\**\s*\[?\s*(A|B|C|tie|平局)\b\s*\]?", re.IGNORECASE)
PREF_NAMES = {"a": "A", "b": "B", "c": "tie", "tie": "tie", "平局": "tie"}
_TOPIC = re.compile(r"(?:(?:on[ -]topic|切题)\s*[:：]\s*)?\[\[\s*(yes|no|是|否)\s*\]\]", re.IGNORECASE)
_TOPIC_LABELLED = re.compile(r"(?:on[ -]topic|切题|是否切题)\s*\**\s*(?::|：)\s*\**\s*\[?\s*(yes|no|是|否)\b\s*\]?", re.IGNORECASE)
TOPIC_NAMES = {"yes": "yes", "no": "no", "是": "yes", "否": "no"}


@dataclass(frozen=True)
class Verdict:
    value: float | str | None  # a grade (float), a preference ("A", "B", "tie"), or None: unparsed
    rationale: str  # the text without the verdict
    error: str | None = None  # why no value was read


def _strip(text: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for a, b in sorted(spans):
        out.append(text[at:a])
        at = b
    out.append(text[at:])
    rationale = "".join(out)
    rationale = re.sub(r"(?im)^\s*(?:rating|score|verdict|评分|结论)\s*[:：]?\s*$", "", rationale)
    return rationale.strip()


def _one(matches: list[re.Match], read) -> tuple[object | None, str | None]:
    values = list(dict.fromkeys(read(m) for m in matches))
    if len(values) > 1:
        return None, "ambiguous: the reply gives " + " and ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values)
    return values[0], None


def parse_grade(text: str) -> Verdict:
    """A 1-10 grade: the [[N]] form, else one labelled number ("Rating: 7")."""
    if not isinstance(text, str) or not text.strip():
        return Verdict(None, "", "empty reply")
    for pattern in (_GRADE, _GRADE_LABELLED):
        found = list(pattern.finditer(text))
        if not found:
            continue
        value, error = _one(found, lambda m: float(m.group(1)))
        if error:
            return Verdict(None, text.strip(), error)
        assert isinstance(value, float)
        if not LOW <= value <= HIGH:
            return Verdict(None, text.strip(), f"grade {value:g} is outside 1-10")
        return Verdict(value, _strip(text, [m.span() for m in found]) if pattern is _GRADE else text.strip())
    last = text.strip().splitlines()[-1]
    m = _GRADE_LAST_LINE.match(last)
    if m:
        value = float(m.group(1))
        if not LOW <= value <= HIGH:
            return Verdict(None, text.strip(), f"grade {value:g} is outside 1-10")
        return Verdict(value, text.strip()[: -len(last)].strip())
    return Verdict(None, text.strip(), "no grade found (expected 'Rating: [[N]]', N from 1 to 10)")


def _parse_choice(text: str, patterns: tuple[re.Pattern, re.Pattern], names: dict[str, str], expected: str) -> Verdict:
    """One of a few named verdicts: the [[X]] form (stripped from the rationale), else a labelled one."""
    if not isinstance(text, str) or not text.strip():
        return Verdict(None, "", "empty reply")
    for pattern in patterns:
        found = list(pattern.finditer(text))
        if not found:
            continue
        value, error = _one(found, lambda m: names[m.group(1).lower()])
        if error:
            return Verdict(None, text.strip(), error)
        return Verdict(value, _strip(text, [m.span() for m in found]) if pattern is patterns[0] else text.strip())
    return Verdict(None, text.strip(), f"no verdict found (expected {expected})")


def parse_preference(text: str) -> Verdict:
    """A preference between the answers shown as A and B: "A", "B" or "tie"."""
    return _parse_choice(text, (_PREF, _PREF_LABELLED), PREF_NAMES, "[[A]], [[B]] or [[C]]")


def parse_on_topic(text: str) -> Verdict:
    """Whether the reply is on topic: "yes" or "no"."""
    return _parse_choice(text, (_TOPIC, _TOPIC_LABELLED), TOPIC_NAMES, "'On topic: [[yes]]' or '[[no]]'")
