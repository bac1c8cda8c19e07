"""compare/run through the real CLI (typer's CliRunner): JSON contract, report, errors."""

import json

from helpers import BASE, SFT, SUITE, replay_file, write_jsonl
from typer.testing import CliRunner

from harness.cli import app

runner = CliRunner()


def test_compare_replay_json_contract(tmp_path):
    suite = write_jsonl(tmp_path / "s.jsonl", SUITE)
    b, s = replay_file(tmp_path / "b.jsonl", BASE), replay_file(tmp_path / "s_out.jsonl", SFT)
    out = tmp_path / "res.json"
    res = runner.invoke(
        app, ["--no-color", "compare", f"replay:{b}", f"replay:{s}", "--suite", str(suite), "--json", str(out)],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["schema"] == "harness.results/v1" and data["kind"] == "compare"
    assert set(data["models"]) == {"base", "sft"}
    for m in data["models"].values():
        assert {"name", "path", "backend", "prompt_format"} <= set(m) and m["backend"] == "replay"
    names = {(r["name"], r["category"]) for r in data["metrics"]}
    assert {("directness", "all"), ("format", "all"), ("coherence", "all"), ("directness", "factual")} <= names
    for r in data["metrics"]:
        assert {"name", "category", "base", "sft", "delta", "verdict", "p_value", "n"} <= set(r)
        assert r["verdict"] in ("improved", "regressed", "unchanged")
        assert abs(r["delta"] - (r["sft"] - r["base"])) < 1e-3
    direct = next(r for r in data["metrics"] if r["name"] == "directness" and r["category"] == "all")
    assert direct["base"] == 0.0 and direct["sft"] == 1.0 and direct["n"] == 4
    assert sorted(direct["fixes"]) == ["f1", "f2", "i1", "m1"]
    # Four discordant pairs cannot reach p < 0.05 with McNemar's exact test: honest "unchanged".
    assert direct["verdict"] == "unchanged" and direct["small_sample"]
    case = next(c for c in data["cases"] if c["id"] == "m1")
    assert case["prompt"] == "My dog is called Rex." and len(case["turns"]) == 2
    for side in ("base", "sft"):
        assert {"outputs", "finish_reasons", "scores", "checks"} <= set(case[side])
        assert all({"id", "passed", "reason"} <= set(c) for c in case[side]["checks"])
        assert case[side]["finish_reasons"] == ["unknown", "unknown"]
    assert case["sft"]["scores"]["coherence"] == 1.0 and case["base"]["scores"]["coherence"] == 0.0
    # The report shows the side-by-side examples, with the model's markup as plain text.
    assert "Side by side" in res.output and "<script>alert(1)</script>" in res.output

    again = runner.invoke(app, ["--no-color", "report", str(out)])
    assert again.exit_code == 0 and "What changed" in again.output


def test_run_single_model_json(tmp_path):
    suite = write_jsonl(tmp_path / "s.jsonl", SUITE)
    s = replay_file(tmp_path / "s_out.jsonl", SFT)
    out = tmp_path / "run.json"
    res = runner.invoke(app, ["run", f"replay:{s}", "--suite", str(suite), "--json", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["kind"] == "run" and data["model"]["backend"] == "replay"
    assert all("output" in c and "scores" in c["output"] for c in data["cases"])
    assert any(m["name"] == "directness" and m["value"] == 1.0 for m in data["metrics"])


def test_compare_tiny_models_hf(tmp_path, tiny_raw, tiny_chat):
    suite = write_jsonl(tmp_path / "s.jsonl", SUITE)
    out = tmp_path / "res.json"
    args = ["compare", str(tiny_raw), str(tiny_chat), "--suite", str(suite), "--backend", "hf"]
    res = runner.invoke(app, [*args, "--max-tokens", "8", "--json", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["models"]["base"]["prompt_format"] == "raw"
    assert data["models"]["sft"]["prompt_format"] == "chat"
    assert data["models"]["sft"]["generated_turns"] == 5
    assert all(len(c["base"]["outputs"]) == len(c["turns"]) for c in data["cases"])
    # Second run: everything comes from the cache.
    res = runner.invoke(app, [*args, "--max-tokens", "8", "--json", str(out)])
    assert res.exit_code == 0, res.output
    again = json.loads(out.read_text())
    for side in ("base", "sft"):
        assert (again["models"][side]["cached_turns"], again["models"][side]["generated_turns"]) == (5, 0), side
    assert [c[s]["outputs"] for c in again["cases"] for s in ("base", "sft")] == [
        c[s]["outputs"] for c in data["cases"] for s in ("base", "sft")
    ]


def test_cli_errors_are_one_clear_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "category": "f", "lang": "en"}\n')
    res = runner.invoke(app, ["compare", "replay:a", "replay:b", "--suite", str(bad)])
    assert res.exit_code == 2 and "bad.jsonl:1: field 'turns'" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["compare", "nonsense-model", "other", "--suite", str(bad)])
    assert res.exit_code == 2
    good = write_jsonl(tmp_path / "s.jsonl", SUITE)
    res = runner.invoke(app, ["compare", "nonsense-model", "other", "--suite", str(good)])
    assert res.exit_code == 2 and "unknown model 'nonsense-model'" in res.output
    res = runner.invoke(app, ["report", str(tmp_path / "missing.json")])
    assert res.exit_code == 2 and "results file not found" in res.output


def test_scoring_table_in_harness_toml_changes_verdicts(tmp_path):
    """[scoring] thresholds reach the scorers and bad keys name the file."""
    suite = write_jsonl(tmp_path / "s.jsonl", [{"id": "q", "category": "factual", "lang": "en",
                                               "turns": ["What is the capital of France and why?"]}])
    out_file = replay_file(tmp_path / "o.jsonl", {"q": "What is the capital of France and why? Paris, by history."})

    def echo_check(config_text):
        cfg = tmp_path / "harness.toml"
        cfg.write_text(config_text)
        res = runner.invoke(app, ["run", f"replay:{out_file}", "--suite", str(suite), "--config", str(cfg),
                                  "--json", str(tmp_path / "r.json")])
        assert res.exit_code == 0, res.output
        checks = json.loads((tmp_path / "r.json").read_text())["cases"][0]["output"]["checks"]
        return next(c for c in checks if c["id"] == "directness:echo")

    assert echo_check("")["passed"] is False  # the default echo threshold is 60% of the prompt
    lax = echo_check("[scoring]\necho_min_ratio = 1.01\n")
    assert lax["passed"] is True and "echo from 101%" in lax["reason"]
    cfg = tmp_path / "harness.toml"
    cfg.write_text("[scoring]\necho_min_ration = 0.5\n")
    res = runner.invoke(app, ["run", f"replay:{out_file}", "--suite", str(suite), "--config", str(cfg)])
    assert res.exit_code == 2 and "[scoring]" in res.output and "echo_min_ration" in res.output
