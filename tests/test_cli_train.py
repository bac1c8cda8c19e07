"""`harness train` through the CLI on a tiny random base: clean -> train -> report -> provenance in a later run."""

from __future__ import annotations

import json

from helpers import write_jsonl
from tiny_models import build_tiny_base
from typer.testing import CliRunner

from harness.cli import app
from harness.suites import load_suites

runner = CliRunner()


def _alpaca(path, leaked_prompt):
    rows = [{"instruction": f"What is {a} plus {b}?", "input": "", "output": f"{a} plus {b} is {a + b}."}
            for a in range(1, 5) for b in range(1, 5)]
    rows.append(dict(rows[0]))  # an exact duplicate
    rows.append({"instruction": leaked_prompt, "input": "", "output": "Leaked answer."})
    rows.append({"instruction": "Say hi.", "input": "", "output": ""})  # empty answer
    lines = [*rows, '{"instruction": "broken", "output": ']
    write_jsonl(path, lines)
    return len(lines)


def test_train_cleans_trains_reports_and_a_later_run_knows_the_decontamination(tmp_path):
    base = build_tiny_base(tmp_path / "base")
    demo = load_suites(["demo"])
    leaked = next(c for c in demo if len(c.turns) == 1 and len(c.prompt.split()) >= 5).prompt
    data = tmp_path / "train.jsonl"
    n_lines = _alpaca(data, leaked)
    cfg = tmp_path / "train.toml"
    cfg.write_text("[sft]\nepochs = 1\nbatch_size = 4\nlogging_steps = 1\nlearning_rate = 1e-3\n")
    out = tmp_path / "sft"
    args = ["--no-color", "train", "--base", str(base), "--data", str(data), "--out", str(out), "--config", str(cfg),
            "--against", "demo"]
    res = runner.invoke(app, args, env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "training configuration" in res.output and "learning_rate" in res.output
    assert "decontaminated against demo" in res.output

    report = json.loads((out / "training_report.json").read_text())
    counts = report["data"]["counts"]
    assert report["data"]["cleaned"] is True
    assert counts == {"read": n_lines, "kept": 16, "rejected": 1, "dropped": 3}
    assert {k: v["count"] for k, v in report["data"]["dropped"].items() if v["count"]} == {
        "empty_answer": 1, "exact_duplicate": 1, "contaminated": 1}
    assert report["training"]["steps"] == 4 and report["training"]["tokens_per_second"] > 0
    assert len((out / "data" / "train.jsonl").read_text().splitlines()) == 16
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (out / "training_report.md").read_text()
    assert f"Cleaning: {n_lines} rows read, **16 kept**, 3 dropped, 1 rejected" in md
    assert "| contaminated | 1 |" in md and "| exact_duplicate | 1 |" in md
    assert f"| `demo` | {len(demo)} | 1 |" in md and "- rejected `" in md
    tok_cfg = json.loads((out / "tokenizer_config.json").read_text())
    assert "<|im_start|>" in (tok_cfg.get("chat_template") or (out / "chat_template.jinja").read_text())

    # a later run of this model states what its training data was checked against
    res = runner.invoke(app, ["--no-color", "run", str(out), "--backend", "hf", "--suite", "demo", "--limit", "2",
                              "--max-tokens", "4", "--json", str(tmp_path / "r.json")], env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    training = json.loads((tmp_path / "r.json").read_text())["model"]["training"]
    assert training["suites"] == [{"suite": "demo", "decontaminated": True, "against": "demo"}]
    assert "decontaminated against suite 'demo'" in res.output

    # the model is not overwritten by accident
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "--force" in res.output


def test_train_refuses_when_nothing_usable_remains(tmp_path):
    base = build_tiny_base(tmp_path / "base")
    data = tmp_path / "bad.jsonl"
    data.write_text(json.dumps({"instruction": "Say hi.", "input": "", "output": "   "}) + "\n")
    res = runner.invoke(app, ["--no-color", "train", "--base", str(base), "--data", str(data), "--out", str(tmp_path / "o"),
                              "--against", "demo"])
    assert res.exit_code == 2 and "nothing to train on" in res.output
    assert not (tmp_path / "o" / "config.json").exists()
    res = runner.invoke(app, ["--no-color", "train", "--base", str(base), "--data", str(tmp_path / "missing.jsonl"),
                              "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "missing.jsonl" in res.output
    (tmp_path / "not-a-model").mkdir()
    res = runner.invoke(app, ["--no-color", "train", "--base", str(tmp_path / "not-a-model"), "--data", str(data),
                              "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and "not-a-model" in res.output
    cfg = tmp_path / "t.toml"
    cfg.write_text("[sft]\nepoch = 1\n")
    res = runner.invoke(app, ["--no-color", "train", "--base", str(base), "--data", str(data), "--out", str(tmp_path / "o"),
                              "--config", str(cfg)])
    assert res.exit_code == 2 and "epoch" in res.output and "t.toml" in res.output


def test_train_no_clean_is_recorded_and_reported_as_unchecked(tmp_path):
    from harness.provenance import provenance_lines, training_provenance
    from harness.records import ModelSpec

    base = build_tiny_base(tmp_path / "base")
    data = tmp_path / "train.jsonl"
    _alpaca(data, "Some prompt that no suite has in it at all.")
    cfg = tmp_path / "train.toml"
    cfg.write_text("[sft]\nmax_steps = 2\nbatch_size = 4\n")
    out = tmp_path / "sft"
    res = runner.invoke(app, ["--no-color", "train", "--base", str(base), "--data", str(data), "--out", str(out),
                              "--config", str(cfg), "--no-clean"])
    assert res.exit_code == 0, res.output
    report = json.loads((out / "training_report.json").read_text())
    assert report["data"]["cleaned"] is False and report["training"]["steps"] == 2
    assert "**Not cleaned**" in (out / "training_report.md").read_text()
    prov = training_provenance(ModelSpec("sft", str(out), "local"), load_suites(["demo"]))
    ok, sentence = provenance_lines(prov)[0]
    assert ok is False and "not cleaned" in sentence


def test_a_trl_value_trl_rejects_is_a_clear_error_naming_the_config(tmp_path):
    base = build_tiny_base(tmp_path / "base")
    data = tmp_path / "train.jsonl"
    _alpaca(data, "Some prompt that no suite has in it at all.")
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[trl]\noptim = "no_such_optimizer"\n')
    res = runner.invoke(app, ["--no-color", "train", "--base", str(base), "--data", str(data), "--out", str(tmp_path / "o"),
                              "--config", str(cfg), "--no-clean"])
    assert res.exit_code == 2 and "bad.toml" in res.output and "no_such_optimizer" in res.output


def test_train_lora_without_merge_compares_the_adapter(tmp_path, tiny_raw):
    data = tmp_path / "train.jsonl"
    _alpaca(data, "a prompt that is not in any suite at all")
    cfg = tmp_path / "train.toml"
    cfg.write_text("[sft]\nepochs = 1\nbatch_size = 4\nlearning_rate = 1e-3\n[lora]\nenabled = true\nmerge = false\nr = 4\n")
    suite = tmp_path / "s.jsonl"
    suite.write_text('{"id": "x", "category": "chat", "lang": "en", "turns": ["hi"]}\n')
    out, res_json = tmp_path / "sft", tmp_path / "res.json"
    res = runner.invoke(app, ["--no-color", "train", "--base", str(tiny_raw), "--data", str(data), "--out", str(out),
                              "--config", str(cfg), "--compare", "--suite", str(suite), "--json", str(res_json)],
                        env={"COLUMNS": "160"})
    assert res.exit_code == 0, res.output
    assert "the adapter over the base (merge = false)" in res.output
    sft = json.loads(res_json.read_text())["models"]["sft"]
    assert sft["adapter"] == str((out / "adapter").resolve()) and sft["path"] == str(tiny_raw)
    assert sft["training"]["report"] == str(out / "training_report.json")  # provenance found beside the adapter
