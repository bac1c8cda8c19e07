"""The model judge in the reports: its own section (a model's opinion, apart from the checks), its
grades and preferences beside the example answers, and its text treated as model output.

Documents are built here by hand and validated with harness.results, so no model, replay file or
/tmp artefact is needed.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from rich.console import Console

from harness.results import parse_results
from reports.html import render_html
from reports.markdown import render_markdown
from reports.terminal import render_compare, render_run

TITLE = "Judge: a model's opinion (judge-7b, prompts v1) — advisory, not a check"
HOSTILE = "Looks <b>bold</b> <script>alert(1)</script> \x1b[31mred | cell\nnext <img src=x onerror=alert(2)>"
UNPARSED = "unparsed: no grade found (expected 'Rating: [[N]]', N from 1 to 10)"


def _side(outputs: list[str], score: float) -> dict[str, Any]:
    return {"outputs": outputs, "finish_reasons": ["stop"] * len(outputs), "output_tokens": [5] * len(outputs),
            "scores": {"correctness": score},
            "checks": [{"id": "correctness:contains", "passed": bool(score), "reason": "looked for the answer",
                        "turn": 1, "family": "correctness"}]}


def _score(v: float | None, why: str = "", error: str | None = None, raw: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"score": v, "rationale": why}
    if error:
        out.update(error=error, raw=raw)
    return out


def _pair(pref: str | None, flipped: bool = False, error: str | None = None) -> dict[str, Any]:
    ab = {"sft": "B", "base": "A", "tie": "tie"}.get(pref or "", None)
    return {"ab": ab, "ba": "A" if flipped else ab and {"A": "B", "B": "A"}.get(ab, "tie"), "preference": pref,
            "flipped": flipped, "rationale_ab": "Assistant B is clearer.", "rationale_ba": HOSTILE, "error": error}


def judge_section(kind: str = "compare") -> dict[str, Any]:
    model = {"name": "judge-7b", "backend": "openai", "source": "served"}
    common = {"model": model, "prompt_version": "v1", "prompts": {"single.en": "abc123"}, "decoding": {"temperature": 0},
              "calls": 14, "generated": 10, "cached": 4, "unparsed": 1, "missing": 0}
    if kind == "run":
        return {**common, "modes": ["single"],
                "metrics": [{"name": "judge:score", "family": "judge", "kind": "continuous", "value": 6.25, "n": 2,
                             "advisory": True}],
                "per_turn": [{"turn": 1, "n": 2, "value": 6.5}, {"turn": 2, "n": 1, "value": 4.0}]}
    row = {"category": "all", "lang": "all", "family": "judge", "kind": "continuous", "direction": "higher",
           "advisory": True, "holm_m": 2}
    return {
        **common, "modes": ["single", "pairwise"],
        "metrics": [
            {**row, "name": "judge:score", "test": "wilcoxon", "base": 3.3297, "sft": 6.1775, "delta": 2.8478,
             "ci_low": 2.1302, "ci_high": 3.5761, "p_value": 0.0004, "p_adjusted": 0.0008, "verdict": "improved",
             "significant": True, "n": 2},
            {**row, "name": "judge:win_rate", "test": "sign", "base": 0.25, "sft": 0.75, "delta": 0.5,
             "ci_low": 0.1, "ci_high": 0.9, "p_value": 0.5, "p_adjusted": 0.5, "verdict": "unchanged",
             "significant": False, "n": 2},
        ],
        "pairwise": {"n": 2, "wins": 1, "ties": 1, "losses": 0, "win_rate": 0.75, "judged_turns": 3, "order_flips": 1,
                     "order_flip_rate": 0.3333, "lc_win_rate": 0.8123, "length_coef": -0.42, "length_unit": "characters",
                     "length_bins": [
                         {"bin": "SFT shorter (< 0.8x)", "n": 2, "wins": 1, "ties": 1, "losses": 0, "win_rate": 0.75},
                         {"bin": "about as long", "n": 0, "wins": 0, "ties": 0, "losses": 0, "win_rate": None},
                         {"bin": "SFT longer (> 1.25x)", "n": 0, "wins": 0, "ties": 0, "losses": 0, "win_rate": None}]},
        "per_turn": [{"turn": 1, "n": 2, "base": 3.5, "sft": 6.5, "wins": 1, "ties": 1, "losses": 0, "win_rate": 0.75},
                     {"turn": 2, "n": 1, "base": 3.0, "sft": 7.0, "wins": 0, "ties": 1, "losses": 0, "win_rate": 0.5}],
        "notes": ["judge note <i>x</i>"],
    }


def compare_doc(judge: bool = True) -> dict[str, Any]:
    """Two cases: one SFT broke (two turns: an order-dependent pair, an unparsed grade), one it fixed."""
    cases = [
        {"id": "multi-1", "category": "multiturn", "lang": "en", "turns": ["What is 2+2?", "And 3+3?"],
         "base": _side(["4", "6"], 1.0), "sft": _side(["five", "seven"], 0.0)},
        {"id": "fact-1", "category": "factual", "lang": "en", "turns": ["Capital of France?"],
         "base": _side(["Capital of France? Capital of"], 0.0), "sft": _side(["Paris."], 1.0)},
    ]
    if judge:
        cases[0]["judge"] = [
            {"turn": 1, "base": _score(7, "Correct and short."), "sft": _score(3, HOSTILE), "pair": _pair("tie", flipped=True)},
            {"turn": 2, "base": _score(6, "Fine."),
             "sft": _score(None, "I think it is fine.", error=UNPARSED, raw="I think it is fine."),
             "pair": _pair(None, error="ba: unparsed: no verdict found")},
        ]
        cases[1]["judge"] = [{"turn": 1, "reference_guided": True, "base": _score(2, "Echoes the question."),
                              "sft": _score(9, "Right answer."), "pair": _pair("sft")}]
    doc: dict[str, Any] = {
        "schema": "harness.results/v1", "kind": "compare", "suites": ["hand"], "n_cases": 2,
        "settings": {"temperature": 0.0, "seed": 0, "history": "own"},
        "stats": {"alpha": 0.05, "ci_level": 0.95, "bootstrap": {"resamples": 100, "seed": 0}},
        "models": {"base": {"name": "base-m", "path": "b", "backend": "replay"},
                   "sft": {"name": "sft-m", "path": "s", "backend": "replay"}},
        "metrics": [{"name": "correctness", "category": "all", "lang": "all", "family": "correctness", "base": 0.5, "sft": 0.5, "delta": 0.0,
                     "ci_low": -1.0, "ci_high": 1.0, "p_value": 1.0, "p_adjusted": 1.0, "holm_m": 1,
                     "verdict": "unchanged", "n": 2, "fixes": ["fact-1"], "regressions": ["multi-1"]}],
        "cases": cases,
    }
    if judge:
        doc["judge"] = judge_section()
    parse_results(doc, "test document")  # the hand-made document is a valid harness.results/v1 document
    return doc


def run_doc(judge: bool = True) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "schema": "harness.results/v1", "kind": "run", "suites": ["hand"], "n_cases": 1,
        "model": {"name": "sft-m", "path": "s", "backend": "replay"},
        "metrics": [{"name": "correctness", "category": "all", "lang": "all", "family": "correctness", "value": 1.0, "n": 1}],
        "cases": [{"id": "multi-1", "category": "multiturn", "lang": "en", "turns": ["a", "b"],
                   "output": {"outputs": ["x", "y"], "scores": {"correctness": 1.0}},
                   "judge": [{"turn": 1, "output": _score(7, HOSTILE)}, {"turn": 2, "output": _score(4, "meh")}]}],
    }
    if judge:
        doc["judge"] = judge_section("run")
    else:
        doc["cases"][0].pop("judge")
    parse_results(doc, "test document")
    return doc


def terminal(doc: dict[str, Any], width: int = 160, colour: bool = False, run: bool = False) -> str:
    con = Console(file=io.StringIO(), width=width, force_terminal=colour, color_system="truecolor" if colour else None)
    if run:
        render_run(doc, con)
    else:
        render_compare(doc, con, 4)
    return con.file.getvalue()


def flat(text: str) -> str:
    """Terminal text without box drawing and line breaks, for phrases a narrow layout may wrap."""
    return re.sub(r"[\s│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┻╋┼└┘┌┐├┤┬┴]+", " ", text)


# ---------------------------------------------------------------------------------------------
# the section


def test_terminal_judge_section_shows_its_numbers():
    out = terminal(compare_doc())
    assert TITLE in out
    section = out[out.index(TITLE):out.index("Side by side")]
    # the two rows: a 1-10 grade (not a percentage), a share; Δ, CI, p (Holm) and verdict
    assert re.search(r"judge:score \(mean grade, 1-10\)\s*│\s*3\.33 │\s*6\.18 │\s*\+2\.85 │ \[\+2\.13, \+3\.58\] │\s*<0\.001 │", section)
    assert re.search(r"judge:win_rate \(SFT's pairwise win rate\)\s*│\s*25\.0% │\s*75\.0% │\s*\+50\.0 │ \[\+10\.0, \+90\.0\] │\s*0\.500 │", section)
    assert "improved (advisory)" in section and "unchanged (advisory)" in section
    assert "SFT won 1, tied 1, lost 0 of 2: win rate 75.0%" in section
    assert "length-controlled win rate 81.2% (raw 75.0%)" in section
    assert "verdict changed with the order on 1 of 3 turns (33.3%), counted as ties" in section
    assert "calls 14 (generated 10, cached 4) · unparsed 1 · missing 0" in section
    assert re.search(r"SFT shorter \(< 0\.8x\)\s*│\s*2 │\s*1 / 1 / 0 │\s*75\.0%", section)  # the length bins
    assert re.search(r"│\s*2 │\s*1 │\s*3\.00 │\s*7\.00 │\s*0 / 1 / 0 │\s*50\.0% │", section)  # per turn
    assert "note: judge note <i>x</i>" in section
    # after the checks' tables, before the examples
    assert out.index("What changed") < out.index(TITLE) < out.index("Side by side")


def test_terminal_narrow_keeps_the_section_readable():
    out = terminal(compare_doc(), width=80)
    assert "Judge: a model's opinion" in out
    assert "advisory, not a check" in flat(out)
    assert "judge:win_rate" in out and "75.0%" in out


def test_html_judge_section_shows_its_numbers():
    page = render_html(compare_doc())
    section = page[page.index('<section class="judge-section"'):page.index("</section>")]
    assert "Judge: a model&#x27;s opinion (judge-7b, prompts v1) — advisory, not a check" in section
    for cell in ("<td>3.33</td>", "<td>6.18</td>", "<td>+2.85</td>", "<td>[+2.13, +3.58]</td>", "<td>25.0%</td>",
                 "<td>75.0%</td>", "<td>+50.0</td>", "<td>1 / 1 / 0</td>", "<td>7.00</td>"):
        assert cell in section, cell
    assert "counted as ties" in section and "length-controlled win rate 81.2%" in section
    assert "unparsed 1 · missing 0" in section
    assert page.index("<h2>Flips</h2>") < page.index('<section class="judge-section"') < page.index("<h2>Cases</h2>")


def test_markdown_judge_section_shows_its_numbers():
    text = render_markdown(compare_doc())
    assert "### Judge: a model's opinion (judge-7b, prompts v1) — advisory, not a check" in text
    assert "| judge:score (mean grade, 1-10) | 3.33 | 6.18 | +2.85 | [+2.13, +3.58] | &lt;0.001 | 2 |" in text
    assert "| judge:win\\_rate (SFT's pairwise win rate) | 25.0% | 75.0% | +50.0 | [+10.0, +90.0] | 0.500 | 2 |" in text
    assert "verdict changed with the order on 1 of 3 turns (33.3%), counted as ties" in text
    assert "| 2 | 1 | 3.00 | 7.00 | 0 / 1 / 0 | 50.0% |" in text
    assert "| SFT shorter (&lt; 0.8x) | 2 | 1 / 1 / 0 | 75.0% |" in text
    assert "judge note &lt;i&gt;x&lt;/i&gt;" in text


def test_no_judge_no_section():
    doc = compare_doc(judge=False)
    for out in (terminal(doc), terminal(doc, width=70), render_html(doc), render_markdown(doc)):
        assert "Judge" not in out and "judge" not in out.lower().replace("judged", "")
    assert "judge" not in terminal(run_doc(judge=False), run=True).lower()


def test_typed_documents_render_the_same():
    doc = compare_doc()
    typed = parse_results(doc)
    assert render_markdown(typed) == render_markdown(doc)
    assert render_html(typed) == render_html(doc)


# ---------------------------------------------------------------------------------------------
# beside the answers


def test_terminal_examples_show_grades_rationales_and_preferences():
    out = terminal(compare_doc(), width=200)
    examples = out[out.index("Side by side"):]
    assert "judge: 7/10 — Correct and short." in examples
    assert "judge: 9/10 — Right answer." in examples
    assert "judge, pairwise: turn 1: tie (order-dependent: counted as a tie)" in flat(examples)
    assert "judge, pairwise: SFT preferred" in examples  # the one-turn case: no turn label
    assert "judge: " + UNPARSED in flat(examples)
    assert "None/10" not in out and "nan" not in out


def test_terminal_rationale_is_cut():
    doc = compare_doc()
    doc["cases"][1]["judge"][0]["sft"]["rationale"] = "word " * 200
    out = flat(terminal(doc, width=200))
    assert "more chars]" in out
    assert ("word " * 60) not in out


def test_html_cases_show_grades_rationales_and_preferences():
    page = render_html(compare_doc())
    assert 'judge: <span class="grade">7/10</span> — <span class=why>Correct and short.</span>' in page
    assert f'<span class="unparsed">{UNPARSED.replace(chr(39), "&#x27;")}</span>' in page
    assert "<summary>the judge&#x27;s raw reply</summary><pre>I think it is fine.</pre>" in page
    assert "turn 1: <span class=\"unparsed\">tie (order-dependent: counted as a tie)</span>" in page
    assert "no preference (ba: unparsed: no verdict found)" in page
    assert '<span class="tag judge-tag">judge: SFT preferred</span>' in page


def test_markdown_examples_show_grades_and_preferences():
    text = render_markdown(compare_doc())
    rows = [line for line in text.splitlines() if line.startswith("| multi\\-1 |") or line.startswith("| multi-1 |")]
    assert len(rows) == 2
    assert "tie (order-dependent: counted as a tie)" in rows[0]
    assert "unparsed: no grade found" in rows[1] and "no preference (ba: unparsed: no verdict found)" in rows[1]
    assert any(line.startswith("| fact-1 | 1 | 2/10 | 9/10 | SFT preferred |") for line in text.splitlines())


# ---------------------------------------------------------------------------------------------
# the judge's text is model output


def test_html_escapes_rationales():
    page = render_html(compare_doc())
    body = page[page.index("<body>"):]
    assert "<b>bold</b>" not in body and "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "\x1b" not in page and "\\x1b[31mred" in body  # ESC shown, not sent
    assert "<i>x</i>" not in body  # the judge's notes too
    assert page.count("<script") == 2  # the report's own: its data and its code


@pytest.mark.parametrize("colour", [False, True])
def test_terminal_shows_escape_characters_visibly(colour):
    out = terminal(compare_doc(), width=200, colour=colour)
    assert "\\x1b[31mred" in out
    assert "\x1b[31mred" not in out
    if not colour:
        assert "\x1b" not in out


def test_markdown_rationales_cannot_break_tables_or_inject_html():
    text = render_markdown(compare_doc())
    assert "<b>" not in text and "<script" not in text and "<img" not in text and "\x1b" not in text
    table = [line for line in text.splitlines() if line.startswith("| multi")]
    for line in table:
        cells = re.split(r"(?<!\\)\|", line)  # an escaped \| does not end a cell
        assert len(cells) == 8, line  # 6 cells between 7 bars
    assert "red \\| cell next" in text  # the rationale's bar escaped, its newline folded


def test_unparsed_is_never_a_number():
    doc = compare_doc()
    for out in (terminal(doc, width=200), render_html(doc), render_markdown(doc)):
        assert "unparsed: no grade found" in out
        assert not re.search(r"(?<![\d.])(None|nan|0)/10", out)  # no grade made up for it


# ---------------------------------------------------------------------------------------------
# run documents


def test_run_terminal_shows_mean_and_per_turn_grades():
    out = terminal(run_doc(), run=True)
    assert "Judge: a model's opinion (judge-7b, prompts v1) — advisory, not a check" in out
    assert "judge:score: mean grade 6.25 / 10 over 2 cases" in out
    assert re.search(r"│\s*1 │\s*2 │\s*6\.50 │", out) and re.search(r"│\s*2 │\s*1 │\s*4\.00 │", out)
    assert "calls 14 (generated 10, cached 4) · unparsed 1 · missing 0" in out
