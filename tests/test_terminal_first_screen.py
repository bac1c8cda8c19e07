"""The terminal's first screen (`harness compare` / `harness report` without --detail): the verdict on one
screen, every family name whole at any width, a regression shown first, the judge in a few lines; and
--detail, which shows everything.

The document is a real comparison of the built-in demo suite (118 cases: factual, instruction, code,
creative, reasoning, two- and three-turn chats, English and Chinese) from replay files written here: a
base model that echoes the prompt in a loop, an SFT model that gives the suite's reference answers, except
on two cases it made worse. A judge section like the one `--judge` writes is added by hand. No model runs.
"""

from __future__ import annotations

import copy
import io
import json
import re
from typing import Any

import pytest
from helpers import DEMO_SUITE, demo_suite_replays
from rich.console import Console
from typer.testing import CliRunner

from harness.cli import app
from harness.results import parse_results
from reports.formatting import pick_first_screen
from reports.terminal import render_compare

runner = CliRunner()
HINT = "--detail"


def judge_section(n: int) -> dict[str, Any]:
    row = {"category": "all", "lang": "all", "family": "judge", "kind": "continuous", "direction": "higher",
           "advisory": True, "holm_m": 2, "significant": True, "verdict": "improved"}
    return {
        "model": {"name": "judge-7b", "backend": "openai", "source": "served"}, "prompt_version": "v1",
        "prompts": {"single.en": "abc123"}, "decoding": {"temperature": 0}, "modes": ["single", "pairwise"],
        "calls": 4 * n, "generated": 4 * n, "cached": 0, "unparsed": 0, "missing": 0,
        "metrics": [
            {**row, "name": "judge:score", "test": "wilcoxon", "base": 2.41, "sft": 7.02, "delta": 4.61,
             "ci_low": 4.02, "ci_high": 5.2, "p_value": 1e-9, "p_adjusted": 2e-9, "n": n},
            {**row, "name": "judge:win_rate", "test": "sign", "base": 0.12, "sft": 0.88, "delta": 0.76,
             "ci_low": 0.6, "ci_high": 0.9, "p_value": 1e-8, "p_adjusted": 1e-8, "n": n},
        ],
        "pairwise": {"n": n, "wins": n - 6, "ties": 4, "losses": 2, "win_rate": 0.88, "judged_turns": n + 14,
                     "order_flips": 3, "order_flip_rate": 0.05, "lc_win_rate": 0.85, "length_coef": 0.2,
                     "length_unit": "characters", "length_bins": []},
        "per_turn": [],
    }


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The `harness compare` run (default view, with --gate) and its document, with a judge section."""
    tmp = tmp_path_factory.mktemp("first_screen")
    base, sft = demo_suite_replays(tmp)
    out = tmp / "res.json"
    res = runner.invoke(app, ["--no-color", "compare", f"replay:{base}", f"replay:{sft}", "--suite", str(DEMO_SUITE),
                              "--json", str(out), "--gate"], env={"COLUMNS": "100"})
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(out.read_text())
    plain = copy.deepcopy(doc)
    doc["judge"] = judge_section(doc["n_cases"])
    parse_results(doc, "test document")
    judged = tmp / "judged.json"
    judged.write_text(json.dumps(doc, ensure_ascii=False))
    return {"output": res.output, "exit": res.exit_code, "doc": doc, "plain": plain, "path": judged}


def screen(doc: dict[str, Any], width: int = 100, detail: bool = False, n: int | None = None) -> str:
    con = Console(width=width, record=True, no_color=True, highlight=False, file=io.StringIO())
    render_compare(doc, con, n, detail=detail)
    return con.export_text()


def families(doc: dict[str, Any]) -> list[str]:
    return [r["name"] for r in doc["metrics"] if r["category"] == "all" and r["lang"] == "all" and ":" not in r["name"]]


def test_the_document_is_demo_like(compared):
    doc = compared["doc"]
    assert doc["n_cases"] == 118 and any(len(c["turns"]) > 2 for c in doc["cases"])
    assert {"directness", "format", "coherence", "correctness"} <= set(families(doc))
    assert sum(1 for r in doc["metrics"] if r["category"] == "all" and r["lang"] == "all") > 20  # sub-checks too


@pytest.mark.parametrize("width", [100, 160])
def test_the_default_view_fits_one_screen(compared, width):
    text = screen(compared["doc"], width)
    lines = text.splitlines()
    assert len(lines) <= 60, f"{len(lines)} lines:\n{text}"
    assert max(len(line) for line in lines) <= width
    assert "What changed" in text and "sft-harness compare" in text and lines[-1].startswith(HINT)
    for section in ("Per turn", "Measured values", "By category", "By language", "Flips", "Instruction-level"):
        assert section not in text, section
    # one row per family, no sub-checks
    assert not re.search(r"│\s+(echo|continuation|contains|recall)\s+│", text)


def test_the_header_is_compact(compared):
    text = screen(compared["doc"])
    head = text[: text.index("What changed")]
    assert len(head.splitlines()) <= 12
    for part in ("base", "sft", "replay", "118 cases", "temperature", "Holm over", "training"):
        assert part in head, part


@pytest.mark.parametrize("width", [80, 100, 160])
def test_family_names_are_whole_at_every_width(compared, width):
    doc = compared["doc"]
    for detail in (False, True):
        text = screen(doc, width, detail=detail)
        assert max(len(line) for line in text.splitlines()) <= width
        for name in families(doc):
            assert re.search(rf"[│┃] {re.escape(name)} +[│┃]", text), (name, width, detail)
    # the detail view: measured-value names are the longest; they never wrap or vanish either
    text = screen(doc, width, detail=True)
    for r in doc["metrics"]:
        if r["category"] == "all" and r["lang"] == "all" and r.get("kind") == "continuous":
            assert re.search(rf"[│┃] {re.escape(r['name'])} +[│┃]", text), (r["name"], width)
    if width >= 100:
        assert "95% CI" in screen(doc, width)


def test_a_regression_is_shown_first(compared):
    doc = compared["doc"]
    text = screen(doc)
    regressed = [c["id"] for c in doc["cases"] if any(
        c["sft"]["scores"][f] < c["base"]["scores"][f] for f in c["sft"]["scores"] if f in c["base"]["scores"])]
    assert regressed
    examples = text[text.index("Side by side"):]
    first = next(line for line in examples.splitlines()[1:] if line.startswith(("▼", "▲")))
    assert first.startswith("▼ regressed") and any(cid in first for cid in regressed)
    assert f"of {len(regressed)} case(s) that regressed" in examples
    assert 2 <= sum(line.startswith(("▼", "▲")) for line in examples.splitlines()) <= 3
    assert "▲ improved" in examples and "✗ " in examples and "✓ " in examples  # the telling check, both sides
    # the regression's answer is model text: shown literally, never styled or run
    assert "[bold red]styled?[/bold red]" in examples and "\\x1b[2J" in examples and "\x1b" not in text


def test_examples_spread_over_families_and_categories(compared):
    picks = pick_first_screen(compared["doc"], 3)
    assert [p["change"] for p in picks][:1] == ["regressed"] and len(picks) == 3
    assert len({p["case"]["category"] for p in picks}) == 3 and len({p["family"] for p in picks}) >= 2
    for p in picks:
        bad = "sft" if p["change"] == "regressed" else "base"
        assert p["check"] is not None and not p["check"]["passed"] and p["check"] in p["case"][bad]["checks"]


def test_without_regressions_the_improvements_are_shown(compared):
    doc = copy.deepcopy(compared["doc"])
    doc["cases"] = [c for c in doc["cases"] if all(
        c["sft"]["scores"][f] >= c["base"]["scores"][f] for f in c["sft"]["scores"] if f in c["base"]["scores"])]
    text = screen(doc)
    assert "▼" not in text and "(none regressed)" in text and text.count("▲ improved") == 3


def test_examples_n_caps_the_default_view(compared):
    assert screen(compared["doc"], n=1).count("▼ regressed") == 1
    assert "▲ improved" not in screen(compared["doc"], n=1)
    none = screen(compared["doc"], n=0)
    assert "Side by side" not in none and none.splitlines()[-1].startswith(HINT)


def test_the_judge_is_summarised_in_three_lines(compared):
    text = screen(compared["doc"])
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("Judge"))
    assert "a model's opinion (judge-7b)" in lines[i] and "advisory" in lines[i]
    assert "judge:score" in lines[i + 1] and "2.41 → 7.02" in lines[i + 1] and "improved" in lines[i + 1]
    assert "judge:win_rate" in lines[i + 2] and "12.0% → 88.0%" in lines[i + 2]
    assert "Side by side" in lines[i + 3]  # nothing more of the judge
    assert "pairwise, per case" not in text and "By length" not in text
    assert "Judge" not in screen(compared["plain"])


def test_the_cli_default_view_and_the_gate(compared):
    out = compared["output"]
    assert "What changed" in out and "Side by side" in out and "Per turn" not in out
    assert ("gate passed" in out) == (compared["exit"] == 0) and ("gate FAILED" in out) == (compared["exit"] == 1)


def test_detail_shows_everything(compared):
    path = compared["path"]
    short = runner.invoke(app, ["--no-color", "report", str(path)], env={"COLUMNS": "100"})
    full = runner.invoke(app, ["--no-color", "report", str(path), "--detail"], env={"COLUMNS": "100"})
    assert short.exit_code == 0 and full.exit_code == 0, short.output + full.output
    assert len(short.output.splitlines()) <= 60 < len(full.output.splitlines())
    for section in ("Measured values", "Instruction-level", "Per turn", "By category", "By language", "Flips",
                    "prompts v1) — advisory", "pairwise, per case", "Side by side: every regression first"):
        assert section in full.output and section not in short.output, section
    assert re.search(r"│\s+echo\s+│", full.output)  # sub-checks
    more = runner.invoke(app, ["--no-color", "report", str(path), "--detail", "--examples", "6"], env={"COLUMNS": "160"})
    assert more.output.count("╭─ demo-") > full.output.count("╭─ demo-")


def test_a_case_the_base_knew_is_shown_first_among_improvements(compared):
    """The chapter's lesson in one example: the base's continuation already held the answer (correctness
    passed) but it did not answer (directness failed); the SFT answers and passes everything."""
    assert not any(p.get("knew") for p in pick_first_screen(compared["doc"], 3))  # the base echoes: it never knew
    doc = copy.deepcopy(compared["doc"])
    case = next(c for c in doc["cases"] if c["category"] == "factual" and len(c["turns"]) == 1
                and isinstance(c.get("reference"), str) and all(v >= 1 for v in c["sft"]["scores"].values()))
    case["base"]["outputs"] = [f"A question about it. The answer is {case['reference']}. The answer is {case['reference']}."]
    case["base"]["scores"]["correctness"] = 1.0
    assert case["base"]["scores"]["directness"] < 1
    picks = pick_first_screen(doc, 3)
    improved = [p for p in picks if p["change"] == "improved"]
    assert improved[0]["case"] is case and improved[0]["knew"] and improved[0]["family"] == "directness"
    assert all(all(v >= 1 for v in p["case"]["sft"]["scores"].values()) for p in improved)  # clean wins
    text = screen(doc)
    assert f"the base had the answer '{case['reference']}'" in text and len(text.splitlines()) <= 60
    # an SFT that fails anything else on that case is no example of the lesson
    case["sft"]["scores"]["format"] = 0.0
    assert not any(p.get("knew") for p in pick_first_screen(doc, 3))
