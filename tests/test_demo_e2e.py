"""The whole story on real (tiny) models: pretrain a base, SFT it, compare through vLLM.

Slow (a minute or two): the reduced demo pair (conftest's `reduced_demo`, built once per session), then
the CLI as a user would run it.
"""

import json

import pytest
from typer.testing import CliRunner

from harness.cli import app


@pytest.mark.slow
def test_reduced_demo_pair_sft_answers_and_stops(tmp_path, reduced_demo):
    _, base, sft = reduced_demo
    out = tmp_path / "res.json"
    res = CliRunner().invoke(
        app, ["--no-color", "compare", str(base), str(sft), "--suite", "demo", "--backend", "vllm", "--json", str(out)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["models"]["base"]["backend"] == "vllm" and data["models"]["sft"]["backend"] == "vllm"
    assert data["models"]["base"]["prompt_format"] == "raw"
    assert data["models"]["sft"]["prompt_format"] == "chat"
    # the build trains on decontaminated rows and leaves its training report in the SFT dir (issue K item 3)
    assert data["models"]["sft"]["training"]["suites"] == [{"suite": "demo", "decontaminated": True, "against": "demo"}]
    direct = next(
        r for r in data["metrics"] if r["name"] == "directness" and r["category"] == "all" and r["lang"] == "all"
    )
    assert direct["sft"] > direct["base"] and direct["verdict"] == "improved", direct

    # The phenomenon itself: base runs on to the cap, SFT stops on its own.
    def share_stopped(side):
        reasons = [r for c in data["cases"] for r in c[side]["finish_reasons"]]
        return sum(r == "stop" for r in reasons) / len(reasons)

    assert share_stopped("base") < 0.5 < share_stopped("sft"), (share_stopped("base"), share_stopped("sft"))


@pytest.mark.slow
def test_train_the_example_alpaca_file_then_compare(tmp_path, reduced_demo):
    """Issue E's acceptance, as a user types it: clean the dirty Alpaca example, train the (reduced) demo
    base on it, compare: SFT beats base on directness, and the comparison says the data was checked."""
    from pathlib import Path

    _, base, _ = reduced_demo
    data = Path(__file__).resolve().parents[1] / "examples" / "demo-alpaca.jsonl"
    out, res_json = tmp_path / "sft", tmp_path / "res.json"
    res = CliRunner().invoke(
        app, ["--no-color", "train", "--base", str(base), "--data", str(data), "--out", str(out), "--compare",
              "--json", str(res_json)],
    )
    assert res.exit_code == 0, res.output
    report = json.loads((out / "training_report.json").read_text())
    assert report["data"]["counts"]["rejected"] == 8 and report["training"]["tokens_per_second"] > 0
    data_out = json.loads(res_json.read_text())
    direct = next(r for r in data_out["metrics"] if r["name"] == "directness" and r["category"] == "all" and r["lang"] == "all")
    assert direct["verdict"] == "improved", direct
    assert data_out["models"]["sft"]["training"]["suites"] == [{"suite": "demo", "decontaminated": True, "against": "demo"}]
