"""The CI gate: rules files, evaluation, `harness gate` exit codes, --baseline, compare --gate,
and the documented GitHub Actions workflow."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from helpers import compare_json, demo_like
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import HarnessError
from harness.gate_rules import GateConfig, evaluate, load_rules, parse_expr, rule_from_dict

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def row(name="format", category="all", lang="all", base=0.9, sft=0.7, p=0.001, ci=(-0.3, -0.1), **kw):
    delta = round(sft - base, 4)
    verdict = "regressed" if p < 0.05 and ci[1] < 0 else "improved" if p < 0.05 and ci[0] > 0 else "unchanged"
    return {
        "name": name, "category": category, "lang": lang, "kind": "binary", "direction": "higher",
        "base": base, "sft": sft, "delta": delta, "ci_low": ci[0], "ci_high": ci[1], "p_value": p / 2,
        "p_adjusted": p, "verdict": verdict, "n": 40, "fixes": [], "regressions": ["a", "b"], **kw,
    }


def results(*rows):
    return {"schema": "harness.results/v1", "kind": "compare", "stats": {"alpha": 0.05}, "metrics": list(rows)}


def write(tmp_path, text, name="gate.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


# ---------------------------------------------------------------------------------------------
# rules


def test_parse_expressions():
    assert parse_expr("format.sft >= 0.8", "x") == ("format", "all", "all", "sft", ">=", 0.8)
    assert parse_expr("directness[factual].delta > -0.05", "x") == ("directness", "factual", "all", "delta", ">", -0.05)
    assert parse_expr("format[all/zh].sft >= 80%", "x") == ("format", "all", "zh", "sft", ">=", 0.8)
    assert parse_expr("directness:echo.regressions <= 2", "x")[:4] == ("directness:echo", "all", "all", "regressions")
    assert parse_expr("length:output_tokens.delta<=20", "x")[3:] == ("delta", "<=", 20.0)
    # without a field the SFT value is meant (docs/ci-gate.md; the judge's `judge:win_rate >= 0.5`)
    assert parse_expr("judge:win_rate >= 0.5", "x") == ("judge:win_rate", "all", "all", "sft", ">=", 0.5)
    with pytest.raises(HarnessError, match="cannot read expression"):
        parse_expr("format.sft >= high", "gate.toml: rule 1")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[rule]]\nmetric = 'format'\nminn = 0.8\n", r"gate\.toml: rule 1: unknown key\(s\) 'minn'"),
        ("[[rule]]\nname = 'floor'\nmetric = 'format'\nmin = 'high'\n", r"rule 1 \('floor'\): 'min' must be a number"),
        ("[[rule]]\nmetric = 'format'\n", "checks nothing"),
        ("[[rule]]\nmin = 0.5\n", "'metric' is required"),
        ("[[rule]]\nmetric = 'x'\nmax_drop = -1\n", "'max_drop' must be >= 0"),
        ("[[rule]]\nmetric = 'x'\nmin = 1\nmissing = 'maybe'\n", "'missing' must be"),
        ("[gate]\nrequire = ['format => 0.8']\n", r"\[gate\] require #1: cannot read expression"),
        ("[gate]\nalpha = 2.0\n", "'alpha' must be between 0 and 1"),
        ("[gate]\ndefualt = false\n", r"\[gate\]: unknown key\(s\) 'defualt'"),
        ("[rules]\nx = 1\n", r"unknown table\(s\) 'rules'"),
        ("[[rule]\nmetric = 'x'\n", "not valid TOML"),
    ],
)
def test_invalid_rules_name_the_file_and_the_rule(tmp_path, text, message):
    with pytest.raises(HarnessError, match=message) as e:
        load_rules(write(tmp_path, text))
    assert "gate.toml" in str(e.value)


def test_documented_rules_examples_are_valid(tmp_path):
    doc = (ROOT / "docs" / "ci-gate.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", doc, re.S)
    assert blocks
    for i, block in enumerate(blocks):
        cfg = load_rules(write(tmp_path, block, f"doc{i}.toml"))
        assert cfg.rules


# ---------------------------------------------------------------------------------------------
# evaluation


def gate(rows_doc, toml="", tmp_path=None):
    cfg = load_rules(write(tmp_path, toml)) if toml else GateConfig()
    return evaluate(rows_doc, cfg)


def test_default_rule_fails_only_on_significant_headline_regressions(tmp_path):
    doc = results(row("format"), row("directness", base=0.5, sft=0.45, p=0.3, ci=(-0.1, 0.02)),
                  row("format", category="code", p=0.001))
    g = gate(doc, tmp_path=tmp_path)
    assert not g["passed"] and len(g["rules"]) == 1
    # one failure: the headline format row (not the category row, not the insignificant directness drop)
    assert g["rules"][0]["failures"] == [
        "format: base 0.900 → sft 0.700 (Δ -0.200, 95% CI [-0.300, -0.100], p (Holm) 0.001, n 40, 2 pass→fail)"
    ]
    assert "1 regressed: format: base 0.900 → sft 0.700" in g["rules"][0]["detail"]
    assert "directness" not in g["rules"][0]["detail"]
    ok = gate(results(row("directness", base=0.5, sft=0.45, p=0.3, ci=(-0.1, 0.02))), tmp_path=tmp_path)
    assert ok["passed"]
    # default_scope = "all" also looks at category rows; default = false turns it off
    only_cat = results(row("format", category="code"))
    assert gate(only_cat, tmp_path=tmp_path)["passed"]
    assert not gate(only_cat, "[gate]\ndefault_scope = 'all'\n", tmp_path)["passed"]
    assert gate(doc, "[gate]\ndefault = false\n[[rule]]\nmetric = 'format'\nmin = 0.5\n", tmp_path)["passed"]


def test_level_drop_relative_and_improvement_rules(tmp_path):
    doc = results(
        row("format", base=0.9, sft=0.7),
        row("directness", base=0.4, sft=0.38, p=0.5, ci=(-0.08, 0.04)),
        row("coherence", base=0.5, sft=0.6, p=0.2, ci=(-0.02, 0.2)),
    )
    cases = {
        "[[rule]]\nmetric = 'format'\nmin = 0.8\n": False,
        "[[rule]]\nmetric = 'format'\nmin = 0.7\n": True,
        "[[rule]]\nmetric = 'format'\nmax_drop = 0.1\n": False,
        "[[rule]]\nmetric = 'directness'\nmax_drop = 0.01\n": False,
        "[[rule]]\nmetric = 'directness'\nmax_drop = 0.01\nsignificant = true\n": True,  # drop is noise
        "[[rule]]\nmetric = 'format'\nmax_drop = 0.01\nsignificant = true\n": False,
        "[[rule]]\nmetric = 'format'\nmax_drop_relative = 0.25\n": True,  # 0.2 / 0.9 = 22%
        "[[rule]]\nmetric = 'format'\nmax_drop_relative = 0.2\n": False,
        "[[rule]]\nmetric = 'coherence'\nmin_improvement = 0.1\n": True,
        "[[rule]]\nmetric = 'coherence'\nmin_improvement = 0.1\nsignificant = true\n": False,
        "[[rule]]\nmetric = 'format'\nno_regression = true\n": False,
        "[gate]\nrequire = ['format.sft >= 70%', 'directness.p_adjusted > 0.1', 'format.regressions <= 2']\n": True,
        "[gate]\nrequire = ['format.regressions < 2']\n": False,
    }
    for toml, expected in cases.items():
        g = gate(doc, "[gate]\ndefault = false\n" + toml if "[gate]" not in toml else toml.replace(
            "[gate]\n", "[gate]\ndefault = false\n"), tmp_path)
        assert g["passed"] is expected, (toml, g)


def test_failing_rule_messages_carry_the_numbers(tmp_path):
    g = gate(results(row("format", base=0.9, sft=0.7)), "[[rule]]\nmetric = 'format'\nmin = 0.8\n", tmp_path)
    fail = g["rules"][1]
    assert not fail["passed"] and fail["source"].endswith("gate.toml: rule 1")
    assert "sft 0.700 < 0.8" in fail["detail"] and "95% CI [-0.300, -0.100]" in fail["detail"]


def test_category_wildcards_missing_rows_and_alpha(tmp_path):
    doc = results(
        row("format"), row("format", category="code", base=0.9, sft=0.85, p=0.5, ci=(-0.1, 0.0)),
        row("format", category="letters", base=0.9, sft=0.5), row("format", lang="zh", base=0.9, sft=0.6),
    )
    g = gate(doc, "[gate]\ndefault = false\n[[rule]]\nmetric = 'format'\ncategory = '*'\nmin = 0.8\n", tmp_path)
    assert not g["passed"] and len(g["rules"][0]["failures"]) == 1 and "format[letters/all]" in g["rules"][0]["detail"]
    g = gate(doc, "[gate]\ndefault = false\n[[rule]]\nmetric = 'format'\nlang = '*'\nmin = 0.65\n", tmp_path)
    assert not g["passed"] and "format[all/zh]" in g["rules"][0]["detail"]
    missing = "[gate]\ndefault = false\n[[rule]]\nmetric = 'formatt'\nmin = 0.5\n"
    g = gate(doc, missing, tmp_path)
    assert not g["passed"] and "no row for metric 'formatt'" in g["rules"][0]["detail"] and "format" in g["rules"][0]["detail"]
    assert gate(doc, missing + "missing = 'skip'\n", tmp_path)["passed"]
    # A stricter alpha turns the headline regression (p_adjusted 0.001) into noise at 0.0005.
    assert not gate(doc, "[gate]\nalpha = 0.01\n", tmp_path)["passed"]
    assert gate(doc, "[gate]\nalpha = 0.0005\n", tmp_path)["passed"]


def test_rule_from_dict_expr_and_metric_must_agree():
    r = rule_from_dict({"expr": "format[code].sft >= 0.9"}, "w")
    assert (r.metric, r.category, r.expr) == ("format", "code", ("sft", ">=", 0.9))
    with pytest.raises(HarnessError, match="differ"):
        rule_from_dict({"expr": "format.sft >= 0.9", "metric": "directness"}, "w")


# ---------------------------------------------------------------------------------------------
# the command line


def test_demo_like_compare_gate_in_one_step_exit_0_then_reversed_exit_1(tmp_path):
    res, _ = compare_json(tmp_path, extra=["--gate", "--examples", "0"])
    assert res.exit_code == 0, res.output
    assert "gate passed" in res.output
    res, out = compare_json(tmp_path, reverse=True, extra=["--gate", "--examples", "0", "--md", str(tmp_path / "g.md")])
    assert res.exit_code == 1, res.output
    assert "gate FAILED" in res.output
    for name in ("directness", "correctness", "format"):
        assert re.search(rf"{name}: base [\d.]+ → sft [\d.]+", res.output), name
    assert json.loads(out.read_text())["gate"]["passed"] is False
    assert "❌ gate failed" in (tmp_path / "g.md").read_text()


def test_gate_command_exit_codes_and_outputs(tmp_path):
    _, good = compare_json(tmp_path)
    _, bad = compare_json(tmp_path, reverse=True)
    ok = runner.invoke(app, ["--no-color", "gate", str(good)], env={"COLUMNS": "160"})
    assert ok.exit_code == 0 and "gate passed" in ok.output and "What changed" in ok.output
    rules = write(tmp_path, "[[rule]]\nname = 'format floor'\nmetric = 'format'\nmin = 0.95\n")
    files = [tmp_path / "g.md", tmp_path / "g.xml", tmp_path / "g.html"]
    res = runner.invoke(
        app,
        ["--no-color", "gate", str(bad), "--rules", str(rules), "--md", str(files[0]), "--junit", str(files[1]),
         "--html", str(files[2]), "-q"],
        env={"COLUMNS": "200"},
    )
    assert res.exit_code == 1, res.output
    assert "✗ format floor" in res.output and "sft 0.000 < 0.95" in res.output and "What changed" not in res.output
    md_text, page = files[0].read_text(encoding="utf-8"), files[2].read_text(encoding="utf-8")
    assert "### Gate: ❌ failed" in md_text and "❌ **format floor**" in md_text and "sft 0.000 &lt; 0.95" in md_text
    gate_suite = next(s for s in ET.parse(files[1]).getroot().iter("testsuite") if s.get("name") == "sft-harness.gate")
    cases = {c.get("name"): c for c in gate_suite.findall("testcase")}  # the default rule and the file's
    assert set(cases) == {"no metric regressed significantly", "format floor"}
    assert "sft 0.000 < 0.95" in cases["format floor"].find("failure").get("message")
    assert "Gate" in page and "format floor" in page and "sft 0.000 &lt; 0.95" in page
    # usage and input errors: 2
    assert runner.invoke(app, ["gate", str(tmp_path / "nope.json")]).exit_code == 2
    broken = write(tmp_path, "[[rule]]\nmetric = 'format'\nminn = 1\n")
    res = runner.invoke(app, ["gate", str(good), "--rules", str(broken)])
    assert res.exit_code == 2 and "gate.toml: rule 1: unknown key" in res.output
    assert runner.invoke(app, ["gate", str(good), "--alpha", "3"]).exit_code == 2
    assert runner.invoke(app, ["gate"]).exit_code == 2


def test_compare_gate_with_bad_rules_fails_before_generating(tmp_path):
    suite, base, sft = demo_like(tmp_path)
    broken = write(tmp_path, "[gate]\nrequire = ['nonsense']\n")
    res = runner.invoke(app, ["compare", f"replay:{base}", f"replay:{sft}", "--suite", str(suite), "--rules", str(broken)])
    assert res.exit_code == 2 and "cannot read expression" in res.output and "What changed" not in res.output


def test_baseline_compares_the_sft_sides_case_by_case(tmp_path):
    suite, base, sft = demo_like(tmp_path)
    accepted, new_bad, new_same = tmp_path / "accepted.json", tmp_path / "new_bad.json", tmp_path / "new_same.json"
    common = ["--suite", str(suite)]
    assert runner.invoke(app, ["compare", f"replay:{base}", f"replay:{sft}", *common, "--json", str(accepted)]).exit_code == 0
    # the "new checkpoint" regressed to the base model's behaviour
    assert runner.invoke(app, ["compare", f"replay:{base}", f"replay:{base}", *common, "--json", str(new_bad)]).exit_code == 0
    assert runner.invoke(app, ["run", f"replay:{sft}", *common, "--json", str(new_same)]).exit_code == 0
    res = runner.invoke(app, ["--no-color", "gate", str(new_bad), "--baseline", str(accepted), "--md",
                              str(tmp_path / "b.md")], env={"COLUMNS": "200"})
    assert res.exit_code == 1, res.output
    assert "against the baseline" in res.output and "directness: base 1.000 → sft 0.021" in res.output
    assert "baseline" in (tmp_path / "b.md").read_text()
    # a run file as the new side, identical outputs: nothing changed
    res = runner.invoke(app, ["--no-color", "gate", str(new_same), "--baseline", str(accepted)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    # level rules apply to the new checkpoint (the rows' sft side)
    rules = write(tmp_path, "[gate]\nrequire = ['correctness.sft >= 0.99']\n")
    res = runner.invoke(app, ["gate", str(new_same), "--baseline", str(accepted), "--rules", str(rules)])
    assert res.exit_code == 1
    # a run file without --baseline, and files that share no case, are input errors
    assert runner.invoke(app, ["gate", str(new_same)]).exit_code == 2
    other = json.loads(accepted.read_text())
    for c in other["cases"]:
        c["id"] = "x-" + c["id"]
    (tmp_path / "other.json").write_text(json.dumps(other))
    res = runner.invoke(app, ["gate", str(new_same), "--baseline", str(tmp_path / "other.json")])
    assert res.exit_code == 2 and "share no case id" in res.output


# ---------------------------------------------------------------------------------------------
# the documented GitHub Actions workflow


def test_github_actions_workflow_is_valid():
    path = ROOT / "docs" / "github-actions-gate.yml"
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert "pull_request" in on
    assert wf["permissions"]["pull-requests"] == "write"
    steps = wf["jobs"]["gate"]["steps"]
    assert all(("uses" in s) != ("run" in s) for s in steps)
    scripts = [s["run"] for s in steps if "run" in s]
    for script in scripts:  # every shell step parses
        subprocess.run(["bash", "-n"], input=script, text=True, check=True)
        assert script.count("${{") == script.count("}}")
    text = "\n".join(scripts)
    assert "harness gate" in text and "--baseline" in text and "--md gate.md" in text
    assert "GITHUB_STEP_SUMMARY" in text and "gh pr comment" in text and "--body-file gate.md" in text
    gate_step = next(s for s in steps if s.get("id") == "gate")
    assert "GITHUB_OUTPUT" in gate_step["run"]
    assert any("steps.gate.outputs.code" in str(s.get("if", "")) for s in steps)
    # every harness option the workflow uses exists on that command
    checked = 0
    for script in scripts:
        joined = script.replace("\\\n", " ")
        for line in joined.splitlines():
            m = re.match(r"\s*(?:\S*/)?harness\s+(.*)", line)
            if not m:
                continue
            words = shlex.split(m.group(1))
            command, options = words[0], [w for w in words if w.startswith("--")]
            help_text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).output
            for opt in options:
                assert opt in help_text, (command, opt)
            checked += 1
    assert checked == 2  # compare and gate


def test_advisory_metrics_are_reported_but_not_gated_by_default():
    results = {"metrics": [row("relevance", advisory=True), row("relevance:on_topic", advisory=True)], "stats": {"alpha": 0.05}}
    out = evaluate(results, GateConfig())
    assert out["passed"], out
    assert "advisory, not checked: relevance" in out["rules"][0]["detail"]
    named = evaluate(results, GateConfig(rules=[rule_from_dict({"metric": "relevance", "no_regression": True}, "gate.toml")]))
    assert not named["passed"]


def test_relevance_rows_are_marked_advisory(tmp_path):
    res, out = compare_json(tmp_path)
    assert res.exit_code == 0, res.output
    rows = json.loads(out.read_text())["metrics"]
    assert rows and all(r.get("advisory") is True for r in rows if r["family"] == "relevance")
    assert not any(r.get("advisory") for r in rows if r["family"] != "relevance")
