"""Never crash: every scorer and every check (IFEval's 25 included, with every kwarg they take) on any
text, empty or huge; each check says passed or not, and why."""

from __future__ import annotations

from helpers import make_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.records import FINISH_LENGTH, FINISH_STOP
from harness.scorers import score_case
from harness.scorers.format import FORMAT_CHECKS
from harness.scorers.ifeval_instructions import INSTRUCTIONS

ALL_SPECS = [(f"format:{k}", {"n": 3, "limit": 5, "min_items": 2, "lang": "zh", "min_sections": 2}) for k in FORMAT_CHECKS]
ALL_SPECS += [("format:json", {"schema": {"type": "object", "required": ["a"]}})]
ALL_SPECS += [
    ("coherence:recall", {"keywords": ["巴黎"]}), ("coherence:follow_up", {"entities": ["Paris", "巴黎"]}),
    ("coherence:follow_up", {}), ("coherence:consistency", {}),
]
IFEVAL_KW = {
    "keywords": ["the", "a(b"], "keyword": "the", "frequency": 2, "relation": "at least", "forbidden_words": ["x"],
    "letter": "e", "let_frequency": 3, "let_relation": "less than", "language": "en", "num_sentences": 2,
    "num_paragraphs": 2, "num_words": 10, "nth_paragraph": 1, "first_word": "the", "num_placeholders": 1,
    "postscript_marker": "P.S.", "num_bullets": 2, "num_highlights": 1, "section_spliter": "Section",
    "num_sections": 2, "prompt_to_repeat": "Write", "end_phrase": "bye", "capital_frequency": 2, "capital_relation": "less than",
}
ALL_SPECS += [(iid, IFEVAL_KW) for iid in INSTRUCTIONS] + [("detectable_format:bogus", {})]


def score_all(turns, answers, finish=FINISH_STOP):
    case, gen = make_case(turns, answers, ALL_SPECS, reference="巴黎 Paris", aliases=["6,300"], references=["Paris."] * len(turns), finish=finish)
    out = score_case(case, gen)
    for fam, checks in out.items():
        for c in checks:
            assert isinstance(c.passed, bool) and c.reason and c.id.split(":", 1)[0] == fam
    return out


text_st = st.text(
    alphabet=st.one_of(
        st.characters(), st.sampled_from(list("abcXYZ?!.,:：？！。，、*-#\n\t`{}[]\"'<>|") + list("的一是了我不人在他有这中大"))
    ),
    max_size=300,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prompt=text_st, answer=text_st, finish=st.sampled_from([FINISH_STOP, FINISH_LENGTH]))
def test_any_text_never_crashes_any_scorer(prompt, answer, finish):
    score_all([prompt], [answer], finish)
    score_all([prompt, answer], [answer, prompt], finish)


def test_empty_and_huge_outputs_never_crash():
    big = ("Write a letter. Dear Tom, 这是中文，混合 English text. * bullet\n" * 20000)[:1_000_000]
    for answer in ("", " ", big, "*" * 1_000_000, "\n\n" * 400_000):
        score_all(["List three fruits in under 50 words, as JSON.", "用不超过50字回答。"], ["ok", answer], FINISH_LENGTH)
