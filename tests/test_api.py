"""The Python API (harness/api.py) and the typed results document (harness/results.py)."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from helpers import BASE, SFT, SUITE, replay_file, stable, write_jsonl
from typer.testing import CliRunner

import harness
from harness.cli import app
from harness.results import Comparison, RunResult, results_json_schema

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "docs" / "results.schema.json"
runner = CliRunner()
# What may differ between two runs of the same comparison: wall-clock times and the creation stamp.



def _replay(tmp_path):
    suite = write_jsonl(tmp_path / "s.jsonl", SUITE)
    return suite, replay_file(tmp_path / "b.jsonl", BASE), replay_file(tmp_path / "o.jsonl", SFT)


def test_the_schema_file_is_generated_from_the_types():
    assert json.loads(SCHEMA_FILE.read_text()) == results_json_schema(), (
        "docs/results.schema.json is stale: python -m harness.results > docs/results.schema.json"
    )


def test_cli_and_api_give_identical_documents_on_tiny_models(tmp_path, tiny_raw, tiny_chat):
    suite = write_jsonl(tmp_path / "s.jsonl", SUITE)
    out = tmp_path / "cli.json"
    res = runner.invoke(app, ["compare", str(tiny_raw), str(tiny_chat), "--suite", str(suite), "--backend", "hf",
                              "--max-tokens", "12", "--no-cache", "--json", str(out)])
    assert res.exit_code == 0, res.output
    cfg = harness.load_config(backend="hf", max_tokens=12, use_cache=False)
    api = harness.compare(str(tiny_raw), str(tiny_chat), suites=[str(suite)], config=cfg)
    cli = json.loads(out.read_text())
    assert stable(api.to_json()) == stable(cli)  # number for number, case for case
    assert api.metric("directness").verdict == cli["metrics"][0]["verdict"]
    assert api.models.base.generated_turns == 5 and api.n_cases == 4
    jsonschema.validate(cli, json.loads(SCHEMA_FILE.read_text()))


def test_compare_run_gate_and_files_through_the_api(tmp_path):
    suite, b, s = _replay(tmp_path)
    r = harness.compare(f"replay:{b}", f"replay:{s}", suites=[str(suite)])
    assert isinstance(r, Comparison) and r.kind == "compare" and r.n_cases == 4
    fmt = r.metric("format")
    assert (fmt.base, fmt.sft, fmt.n) == (0.0, 1.0, 1) and fmt.verdict == "unchanged"  # one case: not significant
    assert r.metric("correctness", lang="zh").sft == 1.0
    assert r.case("m1").sft.outputs[1].startswith("Your dog is called Rex")
    assert {c.id for c in r.case("m1").base.failed()} >= {"coherence:recall"}
    with pytest.raises(KeyError, match="no metric row 'nope'.*directness"):
        r.metric("nope")
    g = harness.gate(r)
    assert g.passed and g.rules[0].source == "default rule"
    rules = tmp_path / "gate.toml"
    rules.write_text("[[rule]]\nmetric = 'directness'\nmax = 0.5\n")
    strict = harness.gate(r, rules)
    assert not strict.passed and [x.rule for x in strict.failed()] == ["directness.sft <= 0.5"]

    run = harness.run(f"replay:{s}", suites=[str(suite)])
    assert isinstance(run, RunResult) and run.metric("format").value == 1.0
    with pytest.raises(harness.HarnessError, match="one model"):
        harness.gate(run)
    assert harness.gate(run, baseline=r).passed  # the same SFT outputs as the accepted comparison

    harness.save_results(r, tmp_path / "r.json")
    back = harness.load_results(tmp_path / "r.json")
    assert back.to_json() == json.loads((tmp_path / "r.json").read_text()) == r.to_json()
    schema = json.loads(SCHEMA_FILE.read_text())
    for doc in (r.to_json(), run.to_json(), harness.against_baseline(run, r).to_json()):
        jsonschema.validate(doc, schema)


def test_two_scoring_configs_side_by_side_in_one_process(tmp_path):
    suite, b, s = _replay(tmp_path)
    plain = harness.compare(f"replay:{b}", f"replay:{s}", suites=[str(suite)])
    off = harness.load_config()
    from dataclasses import replace

    off.scoring = replace(off.scoring, correctness_variants=["contains", "exact", "f1"])
    lax = harness.compare(f"replay:{b}", f"replay:{s}", suites=[str(suite)], config=off)
    again = harness.compare(f"replay:{b}", f"replay:{s}", suites=[str(suite)])
    ids = lambda res: {c.id for c in res.case("f1").sft.checks if c.family == "correctness"}  # noqa: E731
    assert ids(plain) == {"correctness:contains"}
    assert ids(lax) == {"correctness:contains", "correctness:exact", "correctness:f1"}
    assert stable(again.to_json()) == stable(plain.to_json())  # nothing of `off` stayed behind


def test_bad_documents_and_future_versions_are_refused(tmp_path):
    suite, b, s = _replay(tmp_path)
    doc = harness.compare(f"replay:{b}", f"replay:{s}", suites=[str(suite)]).to_json()
    newer = {**copy.deepcopy(doc), "schema": "harness.results/v2"}
    with pytest.raises(harness.HarnessError, match=r"x.json: written by a newer sft-harness .*upgrade"):
        Comparison.from_json(newer, "x.json")
    p = tmp_path / "newer.json"
    p.write_text(json.dumps(newer))
    for cmd in (["report", str(p)], ["gate", str(p)]):
        res = runner.invoke(app, cmd)
        assert res.exit_code == 2 and "newer sft-harness" in res.output, res.output
    bad = copy.deepcopy(doc)
    bad["metrics"][2]["n"] = "many"
    with pytest.raises(harness.HarnessError, match=r"field 'metrics\[2\]\.n'"):
        Comparison.from_json(bad, "x.json")
    with pytest.raises(harness.HarnessError, match="a 'compare' results document, not a RunResult"):
        RunResult.from_json(doc)
    # fields a newer v1 writer adds are kept, and written back
    extended = {**copy.deepcopy(doc), "trajectory": {"model": "m"}}
    extended["metrics"][0]["new_field"] = 1
    assert Comparison.from_json(extended).to_json() == extended


def test_options_are_validated_like_the_config_file():
    with pytest.raises(harness.HarnessError, match="unknown run option.*max_token"):
        harness.load_config(max_token=5)
    with pytest.raises(harness.HarnessError, match="history must be one of own, golden"):
        harness.load_config(history="theirs")
    with pytest.raises(harness.HarnessError, match="max_tokens' must be at least 1"):
        harness.load_config(max_tokens=0)
    with pytest.raises(harness.HarnessError, match="alpha"):
        harness.compare("replay:x", "replay:y", alpha=2)


def test_the_example_script_runs_on_the_tiny_models(tmp_path, tiny_raw, tiny_chat, isolated_home):
    suite = write_jsonl(tmp_path / "s.jsonl", SUITE)
    out = tmp_path / "reports"
    p = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "compare_checkpoints.py"), str(tiny_raw), str(tiny_chat), str(tiny_chat),
         "--suite", str(suite), "--backend", "hf", "--max-tokens", "8", "--out", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
        env={**__import__("os").environ, "HARNESS_HOME": str(isolated_home)},
    )
    assert p.returncode in (0, 1), p.stderr
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith(tiny_chat.name)]
    assert len(lines) == 2 and "directness:" in lines[0] and "gate" in lines[0]
    saved = harness.load_results(out / f"{tiny_chat.name}.json")
    assert saved.kind == "compare" and (out / f"{tiny_chat.name}.html").read_text().startswith("<!doctype html>")


def test_written_results_are_checked_against_the_schema(tmp_path, results_files_match_the_schema):
    suite, b, s = _replay(tmp_path)
    before = results_files_match_the_schema["files"]
    res = runner.invoke(app, ["compare", f"replay:{b}", f"replay:{s}", "--suite", str(suite), "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0 and results_files_match_the_schema["files"] == before + 1
    r = harness.load_results(tmp_path / "r.json")
    broken = r.model_copy(update={"n_cases": "four"})  # model_copy does not validate: only the schema can catch it
    with pytest.raises(AssertionError, match="n_cases"), pytest.warns(UserWarning):
        harness.save_results(broken, tmp_path / "broken.json")
    assert not (tmp_path / "broken.json").exists()
