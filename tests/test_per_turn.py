"""The per-turn view: results `per_turn`, the terminal/Markdown/HTML tables, side-by-side answers
with the checks each turn failed, and files written before checks carried their turn."""

from __future__ import annotations

import json

from helpers import compare_json
from typer.testing import CliRunner

from harness.cli import app
from harness.per_turn import per_turn_rows, per_turn_values
from reports.html import render_html
from reports.markdown import render_markdown

runner = CliRunner()


def test_compare_writes_per_turn_rows(tmp_path):
    res, out = compare_json(tmp_path, extra=["--detail"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    rows = {(r["family"], r["turn"]): r for r in data["per_turn"]}
    assert {t for _, t in rows} == {1, 2}  # the 8 two-turn cases
    co = rows[("coherence", 2)]
    # base fabricates "User:" in turn 2 and forgets the name, SFT recalls it
    assert co["n"] == 8 and co["base"] == 0.0 and co["sft"] == 1.0 and len(co["fixes"]) == 8
    assert co["p_value"] < 0.05 and co["ci_low"] > 0 and "p_adjusted" in co and co["verdict"] in ("improved", "unchanged")
    assert rows[("all", 2)]["n"] == 8
    checks = data["cases"][0]["sft"]["checks"]
    assert all(isinstance(c["turn"], int) for c in checks)
    text = res.output
    assert "Per turn" in text and "turn 2" in text
    assert "turn 2:  ✗" in text  # the side-by-side shows which turn failed


def test_markdown_and_html_show_the_per_turn_table(tmp_path):
    _, out = compare_json(tmp_path)
    data = json.loads(out.read_text())
    md = render_markdown(data)
    assert "Per turn (multi-turn cases)" in md and "| family | turn 1 | turn 2 |" in md
    page = render_html(data)
    assert "<h2>Per turn</h2>" in page and "class=per-turn" in page and "turn 2 · " in page


def test_a_file_without_turns_has_no_per_turn_view(tmp_path):
    _, out = compare_json(tmp_path)
    data = json.loads(out.read_text())
    del data["per_turn"]
    for case in data["cases"]:
        for side in ("base", "sft"):
            for c in case[side]["checks"]:
                c.pop("turn", None)
    assert per_turn_rows(data["cases"]) == []
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    res = runner.invoke(app, ["--no-color", "report", str(old), "--detail"], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "Per turn" not in res.output


def test_run_rows_per_turn():
    cases = [
        {"turns": ["a", "b"], "output": {"checks": [
            {"id": "directness:echo", "passed": True, "turn": 1, "family": "directness"},
            {"id": "directness:echo", "passed": False, "turn": 2, "family": "directness"}]}},
        {"turns": ["a", "b"], "output": {"checks": [
            {"id": "directness:echo", "passed": True, "turn": 1, "family": "directness"},
            {"id": "directness:echo", "passed": True, "turn": 2, "family": "directness"}]}},
        {"turns": ["single"], "output": {"checks": [{"id": "directness:echo", "passed": False, "turn": 1}]}},
    ]
    rows = {(r["family"], r["turn"]): r for r in per_turn_values(cases)}
    assert rows[("directness", 1)] == {"family": "directness", "turn": 1, "value": 1.0, "n": 2}
    assert rows[("directness", 2)]["value"] == 0.5 and rows[("all", 2)]["value"] == 0.5
