"""`harness train --eval-every N`: the trajectory callback on a tiny training run, its report, its errors.

The base is a tiny Llama only briefly trained on four question/answer pairs (tiny_models.build_tiny_chat with
few steps), fine-tuned on those pairs: its pass rates move from step to step, so a point evaluated on the
wrong weights (the base, an older step, a stale cache entry) shows as a different number.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console
from tiny_models import PAIRS, build_tiny_chat
from typer.testing import CliRunner

import harness
from harness.cli import app
from harness.trajectory import FamilyRate, Trajectory, TrajectoryPoint, family_rates, load_trajectory

runner = CliRunner()
TRAIN_TOML = ("[sft]\nmax_steps = 5\nbatch_size = 2\nlearning_rate = 3e-3\nlogging_steps = 10\ngroup_by_length = false\n"
              "save_steps = 2\nsave_total_limit = 5\n")


def _files(root: Path) -> dict[str, Path]:
    suite = root / "pairs.jsonl"
    suite.write_text("".join(json.dumps({"id": f"p{i}", "category": "factual", "lang": "en", "turns": [q], "reference": a})
                             + "\n" for i, (q, a) in enumerate(PAIRS)))
    data = root / "train.jsonl"
    data.write_text("".join(json.dumps({"instruction": q, "input": "", "output": a}) + "\n" for q, a in PAIRS))
    (root / "harness.toml").write_text("[run]\nmax_tokens = 8\n")
    (root / "train.toml").write_text(TRAIN_TOML)
    return {"suite": suite, "data": data, "harness": root / "harness.toml", "train": root / "train.toml"}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """`harness train … --eval-every 2` once: (base dir, out dir, files, CLI output)."""
    root = tmp_path_factory.mktemp("trajectory")
    monkey = pytest.MonkeyPatch()
    monkey.setenv("HARNESS_HOME", str(root / "home"))
    # The raw copy (no chat template, as a pretrained base), 20 steps: at 10 or 40 the five points took only
    # two distinct values, too few to tell the steps apart.
    _, base = build_tiny_chat(root, steps=20)
    files = _files(root)
    out = root / "sft"
    res = runner.invoke(app, ["--no-color", "train", "--base", str(base), "--data", str(files["data"]), "--out", str(out),
                              "--config", str(files["train"]), "--no-clean", "--harness-config", str(files["harness"]),
                              "--eval-every", "2", "--eval-suite", str(files["suite"])], env={"COLUMNS": "200"})
    monkey.undo()
    assert res.exit_code == 0, res.output
    return base, out, files, res.output


def _config(files):
    return harness.load_config(files["harness"], backend="hf", use_cache=False)  # generated afresh: a real check


def test_points_at_zero_every_n_and_the_last_step_with_the_logged_loss(trained):
    _, out, _, output = trained
    report = json.loads((out / "training_report.json").read_text())
    t = Trajectory.model_validate(report["trajectory"])
    assert [(p.step, p.model) for p in t.points] == [(0, "base"), (2, "checkpoint"), (4, "checkpoint"), (5, "output")]
    assert t.every == 2 and t.n_cases == 4 and t.backend == "hf" and t.max_tokens == 8
    assert t.points[0].loss is None and t.points[0].epoch == 0.0
    logged = {r["step"]: r["loss"] for r in report["loss_history"] if r["loss"] is not None}
    assert [p.loss for p in t.points[1:]] == [logged[2], logged[4], logged[5]]  # logged there although logging_steps is 10
    assert t.points[-1].epoch == report["training"]["epochs"]
    for step in (0, 2, 4, 5):  # one console line per point, during training
        assert f"trajectory step {step} " in output
    assert not list(out.glob(".trajectory-*"))  # snapshots removed
    assert report["hyperparameters"]["trajectory"] == {"every": 2, "suite": str(trained[2]["suite"]), "limit": None}


def test_first_point_is_the_base_and_the_last_the_saved_output_number_for_number(trained):
    base, out, files, _ = trained
    t = load_trajectory(out)
    cfg = _config(files)
    cases = harness.load_cases([str(files["suite"])])
    assert t.points[0].families == family_rates(harness.run(str(base), cases, cfg))
    assert t.points[-1].families == family_rates(harness.run(str(out), cases, cfg))
    assert t.points[0].families != t.points[-1].families  # the weights changed: the check above could fail


def test_each_checkpoint_point_is_that_steps_weights(trained):
    """The trainer's own checkpoints at steps 2 and 4 give the same numbers as the points evaluated there."""
    _, out, files, _ = trained
    t = load_trajectory(out)
    cfg = _config(files)
    cases = harness.load_cases([str(files["suite"])])
    by_step = {p.step: p.families for p in t.points}
    for step in (2, 4):
        assert by_step[step] == family_rates(harness.run(str(out / "checkpoints" / f"checkpoint-{step}"), cases, cfg))
    assert len({json.dumps({k: v.model_dump() for k, v in f.items()}, sort_keys=True) for f in by_step.values()}) >= 3


def test_evaluating_does_not_change_the_training(trained, tmp_path):
    """The same run without the callback ends in the same weights (the random-number state is restored)."""
    from safetensors.torch import load_file

    from trainers.sft import run_training
    from trainers.train_config import load_train_config

    base, out, files, _ = trained
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]} for q, a in PAIRS]
    run_training(str(base), rows, tmp_path / "plain", load_train_config(files["train"]))
    ours, plain = load_file(out / "model.safetensors"), load_file(tmp_path / "plain" / "model.safetensors")
    assert ours.keys() == plain.keys() and all((ours[k] == plain[k]).all() for k in ours)


def test_harness_report_renders_the_trajectory(trained, tmp_path):
    _, out, _, _ = trained
    res = runner.invoke(app, ["--no-color", "report", str(out), "--html", str(tmp_path / "t.html"), "--md", str(tmp_path / "t.md")],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    t = load_trajectory(out / "training_report.json")
    for fam in t.families():
        assert fam in res.output
    last = t.points[-1]
    assert f"{100 * last.families['directness'].rate:.1f}%" in res.output and "saved output" in res.output
    page = (tmp_path / "t.html").read_text()
    assert page.count("<svg") == 2 and page.count("<polyline") == len(t.families()) + 1  # families + the loss
    md = (tmp_path / "t.md").read_text()
    assert md.count("\n| ") == 1 + len(t.points)  # the header and one row per point
    assert "## Trajectory" in (out / "training_report.md").read_text()


def test_the_renderers_escape_text_from_the_report():
    from reports.train_trajectory import render_html, render_markdown, render_terminal

    bad = "<script>alert(1)</script>|`x`"
    t = Trajectory(suites=[bad], n_cases=1, every=1, points=[
        TrajectoryPoint(step=0, model="base", families={bad: FamilyRate(rate=0.5, n=2)}),
        TrajectoryPoint(step=3, loss=1.5, model="output", families={bad: FamilyRate(rate=1.0, n=2)}),
    ], notes=["[bold]not markup[/bold] <b>"])
    page = render_html(t)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;" in page
    md = render_markdown(t)
    assert "<script>" not in md and "\\|" in md and "| 3 | – | 1.5000 | saved output | 100.0% |" in md
    con = Console(record=True, width=200, no_color=True)
    render_terminal(t, con)
    text = con.export_text()
    assert "[bold]not markup[/bold]" in text and "50.0%" in text


@pytest.mark.parametrize(("flags", "message"), [
    (["--eval-every", "0"], "--eval-every ([trajectory] every) must be at least 1, got 0"),
    (["--eval-every", "2", "--eval-suite", "no-such-suite"], "--eval-suite: suite 'no-such-suite' is neither"),
    (["--eval-every", "2", "--eval-limit", "0"], "--eval-limit ([trajectory] limit) must be at least 1"),
    (["--eval-suite", "demo"], "--eval-suite/--eval-limit need --eval-every N"),
])
def test_bad_trajectory_options_stop_before_training(tmp_path, flags, message):
    files = _files(tmp_path)
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.json").write_text(json.dumps({"model_type": "llama"}))  # readable config: the flags fail first
    out = tmp_path / "o"
    res = runner.invoke(app, ["--no-color", "train", "--base", str(base), "--data", str(files["data"]), "--out", str(out),
                              "--no-clean", *flags], env={"COLUMNS": "300"})
    assert res.exit_code == 2 and message in " ".join(res.output.split()) and "Traceback" not in res.output
    assert not out.exists()  # nothing cleaned, written or trained


def test_trajectory_section_in_the_training_toml_is_checked(tmp_path):
    from trainers.train_config import load_train_config

    cfg = tmp_path / "t.toml"
    cfg.write_text("[trajectory]\nevery = 0\n")
    with pytest.raises(ValueError, match=r"t\.toml: --eval-every \(\[trajectory\] every\) must be at least 1"):
        load_train_config(cfg)
    cfg.write_text('[trajectory]\nevery = 25\nsuite = "core"\nlimit = "auto"\n')
    t = load_train_config(cfg).trajectory
    assert (t.every, t.suite, t.limit) == (25, "core", None)


def test_report_of_a_run_without_trajectory_says_how_to_get_one(tmp_path):
    (tmp_path / "training_report.json").write_text(json.dumps({"schema": "harness.training_report/v1", "trajectory": None}))
    res = runner.invoke(app, ["--no-color", "report", str(tmp_path)])
    assert res.exit_code == 2 and "no trajectory" in res.output and "--eval-every" in res.output


def test_lora_snapshots_are_evaluated_as_the_adapter_over_the_base(trained, tmp_path):
    """Through the Python API: a LoRA run's points are its adapter at that step (the trainer's checkpoint)."""
    from trainers.sft import run_training
    from trainers.train_config import load_train_config
    from trainers.trajectory import TrajectoryCallback, TrajectoryRecorder

    base, _, files, _ = trained
    toml = tmp_path / "lora.toml"
    toml.write_text(TRAIN_TOML.replace("max_steps = 5", "max_steps = 2").replace("save_steps = 2", "save_steps = 1")
                    + "[lora]\nenabled = true\nr = 4\nmerge = false\n")
    cfg = _config(files)
    cases = harness.load_cases([str(files["suite"])], limit=2)
    lines = []
    recorder = TrajectoryRecorder(harness.resolve_models([str(base)], cfg)[0], cases, cfg, every=1,
                                  on_point=lines.append, scratch=tmp_path / "out")
    rows = [{"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]} for q, a in PAIRS]
    stats = run_training(str(base), rows, tmp_path / "out", load_train_config(toml),
                         callbacks=[TrajectoryCallback(recorder)], after_save=recorder.finish)
    points = Trajectory.model_validate(stats["trajectory"]).points
    assert [(p.step, p.model) for p in points] == [(0, "base"), (1, "checkpoint"), (2, "output")] and len(lines) == 3
    checkpoint = tmp_path / "out" / "checkpoints" / "checkpoint-1"
    assert (checkpoint / "adapter_config.json").is_file()
    assert points[1].families == family_rates(harness.run(str(checkpoint), cases, cfg))
    assert points[2].families == family_rates(harness.run(str(tmp_path / "out"), cases, cfg))
