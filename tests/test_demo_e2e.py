"""The whole story on real (tiny) models: pretrain a base, SFT it, compare through vLLM.

Slow (a minute or two): builds the reduced demo pair, then runs the CLI as a user would.
"""

import json

import pytest
from typer.testing import CliRunner

from harness.cli import app


@pytest.mark.slow
def test_reduced_demo_pair_sft_answers_and_stops(tmp_path, isolated_home):
    from harness.demo.build import build_demo

    base, sft = build_demo(reduced=True)
    assert base.is_dir() and sft.is_dir() and str(isolated_home) in str(base)
    out = tmp_path / "res.json"
    res = CliRunner().invoke(
        app, ["--no-color", "compare", str(base), str(sft), "--suite", "demo", "--json", str(out)]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["models"]["base"]["backend"] == "vllm" and data["models"]["sft"]["backend"] == "vllm"
    assert data["models"]["base"]["prompt_format"] == "raw"
    assert data["models"]["sft"]["prompt_format"] == "chat"
    direct = next(
        r for r in data["metrics"] if r["name"] == "directness" and r["category"] == "all" and r["lang"] == "all"
    )
    assert direct["sft"] > direct["base"] and direct["verdict"] == "improved", direct

    # The phenomenon itself: base runs on to the cap, SFT stops on its own.
    def share_stopped(side):
        reasons = [r for c in data["cases"] for r in c[side]["finish_reasons"]]
        return sum(r == "stop" for r in reasons) / len(reasons)

    assert share_stopped("base") < 0.5 < share_stopped("sft"), (share_stopped("base"), share_stopped("sft"))
