"""N-arm comparison (`harness compare A B C …`, `harness.compare_arms`): Holm over arms × metrics, the
forgetting list, the prompt share, `pair()` against `harness.compare`, the two-arm JSON contract, the
ordering of checkpoint references, the CLI, the reports and the gate on chosen pairs.

The arms are replay files written by tests/arms_data.py (no model runs): raw (the base prompted raw),
icl (a prompted base), ckpt (a checkpoint halfway) and sft (the final model, which forgot most facts).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from arms_data import CAPITALS, arm_outputs, suite_rows, write_arms
from helpers import demo_suite_replays, stable, write_jsonl
from rich.console import Console
from typer.testing import CliRunner

import harness
from harness.cli import app
from harness.models import expand_model_refs
from harness.records import ModelSpec
from harness.results import ArmsComparison, parse_results
from reports.arms_html import render_arms_html
from reports.arms_markdown import render_arms_markdown
from reports.arms_terminal import render_arms
from reports.junit import render_junit

runner = CliRunner()
ARMS = ("raw", "icl", "ckpt", "sft")
STORED = Path(__file__).parent / "data" / "arms" / "compare_v1.json"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("arms")
    suite, files = write_arms(tmp)
    refs = [f"replay:{files[a]}" for a in ARMS]
    return tmp, suite, files, refs


@pytest.fixture(scope="module")
def arms(data):
    _, suite, _, refs = data
    return harness.compare_arms(refs, suites=[str(suite)])


def _holm(ps):
    """Holm's step-down adjustment written out: sort, multiply by (m - rank), running maximum, cap at 1."""
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    out, running = [0.0] * len(ps), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - rank) * ps[i]))
        out[i] = running
    return out


def test_holm_runs_over_arms_and_metrics(data, arms):
    _, suite, files, refs = data
    assert arms.kind == "arms" and arms.baseline == refs[0] and arms.names == refs and arms.n_cases == 40
    head = [(p.arm, r) for p in arms.pairs for r in p.metrics if r.headline]
    assert len(arms.pairs) == 3 and len({r.name for _, r in head}) * 3 == len(head)
    expected = _holm([r.p_value for _, r in head])
    for (_, r), want in zip(head, expected, strict=True):
        assert r.p_adjusted == pytest.approx(want, rel=1e-12) and r.holm_m == len(head)
    # The raw p-values and CIs are those of the two-arm comparison; only the correction is wider.
    two = harness.compare(refs[0], refs[1], suites=[str(suite)])
    icl = arms.metric("format", arm=refs[1])
    assert (icl.p_value, icl.ci_low, icl.ci_high) == (two.metric("format").p_value, two.metric("format").ci_low,
                                                      two.metric("format").ci_high)
    # format 0% -> 50% for icl: improved when Holm covers one pair's 22 rows, not over 3 pairs' 66
    assert two.metric("format").verdict == "improved" and two.metric("format").p_adjusted < 0.05
    assert icl.verdict == "unchanged" and icl.p_adjusted > 0.05 and icl.holm_m == 66
    # the slice family too: every row of the factual slice in every pair
    fact = [r for p in arms.pairs for r in p.metrics if r.category == "factual" and r.lang == "all"]
    assert [r.p_adjusted for r in fact] == pytest.approx(_holm([r.p_value for r in fact]))
    assert "every row of one (category, lang) slice in every pair" in arms.stats["correction_family"]


def test_trajectory_rates_and_cis(arms):
    traj = {t.family: t for t in arms.trajectory}
    assert [p.rate for p in traj["directness"].points] == [0.0, 0.6, 0.9, 1.0]
    assert [p.rate for p in traj["correctness"].points] == [1.0, 1.0, 0.6, 0.25]
    assert [p.n for p in traj["correctness"].points] == [20] * 4  # correctness applies to the factual cases
    mid = traj["directness"].points[1]
    assert mid.ci_low < 0.6 < mid.ci_high and 0.3 < mid.ci_low  # a real interval around 24 of 40
    assert [p.arm for p in traj["format"].points] == arms.names


def test_forgetting_lists_what_fell_significantly(arms):
    sft, ckpt = arms.names[3], arms.names[2]
    rows = {(f.arm, f.name, f.category, f.lang): f for f in arms.forgetting}
    head = rows[(sft, "correctness", "all", "all")]
    assert (head.baseline, head.value, head.delta, head.n) == (1.0, 0.25, -0.75, 20)
    assert head.p_adjusted < 0.05 and sorted(head.regressions) == sorted(f"f{i}" for i in range(15))
    assert (sft, "correctness", "factual", "all") in rows and (sft, "correctness:contains", "all", "all") in rows
    # ckpt lost 8 of 20 facts: p 0.008 raw, not significant after Holm over 66 tests: not forgetting
    assert not any(f.arm == ckpt for f in arms.forgetting)
    assert arms.metric("correctness", arm=ckpt).verdict == "unchanged"
    assert all(f.arm == sft and f.family == "correctness" for f in arms.forgetting)


def test_pair_is_the_two_arm_comparison(data, arms):
    _, suite, _, refs = data
    two = harness.compare(refs[0], refs[3], suites=[str(suite)])
    pair = arms.pair(refs[3])
    assert pair.kind == "compare" and pair.models.base.name == refs[0] and pair.models.sft.name == refs[3]
    # with its own two-arm statistics (harness.restat) it is harness.compare, number for number
    assert stable(harness.restat(pair).to_json()) == stable(two.to_json())
    # as stored, only the Holm-dependent fields differ
    ours = {(r.name, r.category, r.lang): r for r in pair.metrics}
    for r in two.metrics:
        o = ours[(r.name, r.category, r.lang)]
        assert (o.p_value, o.ci_low, o.ci_high, o.base, o.sft, o.fixes) == (r.p_value, r.ci_low, r.ci_high, r.base, r.sft, r.fixes)
        assert o.p_adjusted >= r.p_adjusted
    with pytest.raises(KeyError, match="no pair for arm 'nope'"):
        arms.pair("nope")


def test_restat_and_files_reproduce_the_document(tmp_path, arms):
    again = harness.restat(arms)
    assert stable(again.to_json()) == stable(arms.to_json())
    harness.save_results(arms, tmp_path / "a.json")
    back = harness.load_results(tmp_path / "a.json")
    assert isinstance(back, ArmsComparison) and back.to_json() == arms.to_json()
    strict = harness.restat(arms, alpha=0.001)
    assert strict.stats["alpha"] == 0.001 and strict.metric("format", arm=arms.names[1]).verdict == "unchanged"
    bad = arms.to_json()
    del bad["cases"][3]["arms"][arms.names[2]]
    with pytest.raises(harness.HarnessError, match=r"x.json: field 'cases\[3\]\.arms': no side for arm"):
        parse_results(bad, "x.json")
    bad = {**arms.to_json(), "baseline": "nope"}
    with pytest.raises(harness.HarnessError, match="field 'baseline': 'nope' is not one of the arms"):
        parse_results(bad, "x.json")


def _prompt_arms(arms):
    """The document as if raw and icl were one model prompted two ways (what base@raw / base@icl give)."""
    doc = arms.to_json()
    doc["arms"][0].update(path="/models/base", prompt_format="raw")
    doc["arms"][1].update(path="/models/base", prompt_format="icl")
    return harness.restat(ArmsComparison.model_validate(doc))


def test_prompt_share_of_the_sft_gain(arms):
    doc = _prompt_arms(arms)
    shares = {(s.family, s.prompt_arm): s for s in doc.prompt_share}
    d = shares[("directness", arms.names[1])]
    assert (d.raw, d.prompt, d.sft, d.sft_arm) == (0.0, 0.6, 1.0, arms.names[3])  # sft = the last other model
    assert d.share == pytest.approx((0.6 - 0.0) / (1.0 - 0.0)) and d.note is None
    f = shares[("format", arms.names[1])]
    assert f.share == pytest.approx(0.5)
    c = shares[("correctness", arms.names[1])]
    assert c.share is None and c.note == "no SFT gain"  # SFT lost correctness: no gain to share
    assert not harness.restat(arms).prompt_share  # different models: no prompt arm, no share
    md = render_arms_markdown(doc)
    assert "directness: raw.jsonl 0.0% → icl.jsonl 60.0% → sft.jsonl 100.0%: the prompt gives 60% of the gain" in md


def test_prompt_share_needs_a_significant_gain(data):
    _, suite, files, _ = data
    tmp = files["raw"].parent
    small = write_jsonl(tmp / "suite_small.jsonl", suite_rows()[:6])
    doc = harness.compare_arms([f"replay:{files[a]}" for a in ("raw", "icl", "sft")], suites=[str(small)]).to_json()
    doc["arms"][0].update(path="/m", prompt_format="raw")
    doc["arms"][1].update(path="/m", prompt_format="icl")
    out = harness.restat(ArmsComparison.model_validate(doc))
    d = next(s for s in out.prompt_share if s.family == "directness")
    assert (d.raw, d.sft, d.share, d.note) == (0.0, 1.0, None, "the SFT gain is not significant")  # 6 cases


def test_two_arm_cli_json_is_unchanged(tmp_path):
    """The document main wrote before N-arm work (tests/data/arms/compare_v1.json), key for key and in order."""
    suite, files = write_arms(tmp_path, ("raw", "sft"))
    out = tmp_path / "out.json"
    res = runner.invoke(app, ["--no-color", "compare", f"replay:{files['raw']}", f"replay:{files['sft']}",
                              "--suite", str(suite), "--json", str(out)])
    assert res.exit_code == 0, res.output
    doc = stable(json.loads(out.read_text().replace(str(tmp_path), "<TMP>")))
    assert json.dumps(doc, ensure_ascii=False) == json.dumps(json.loads(STORED.read_text()), ensure_ascii=False)


def test_checkpoints_are_ordered_by_step(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for step in (50, 100, 150, 1000):
        (tmp_path / "runs" / "sft" / f"checkpoint-{step}").mkdir(parents=True)
    ck = [f"runs/sft/checkpoint-{s}" for s in (50, 100, 150, 1000)]
    assert expand_model_refs(["base", "runs/sft/checkpoint-*", "runs/sft"]) == ["base", *ck, "runs/sft"]
    # what the shell's own expansion gives (lexicographic): steps put in order, the other arms keep their places
    shell = sorted(ck) + ["runs/sft"]
    assert shell[0] == "runs/sft/checkpoint-100"
    assert expand_model_refs(["base", *shell]) == ["base", *ck, "runs/sft"]
    assert expand_model_refs(["runs/sft/checkpoint-100", "base", "runs/sft/checkpoint-50"]) == [
        "runs/sft/checkpoint-50", "base", "runs/sft/checkpoint-100"]
    assert expand_model_refs(["base", "runs/sft/checkpoint-1?0"]) == ["base", ck[1], ck[2]]
    with pytest.raises(harness.HarnessError, match="model pattern 'runs/nope-\\*' matches nothing"):
        expand_model_refs(["base", "runs/nope-*"])
    for s in (5, 10):
        write_jsonl(tmp_path / f"checkpoint-{s}.jsonl", [])
    assert expand_model_refs(["replay:checkpoint-*.jsonl"]) == ["replay:checkpoint-5.jsonl", "replay:checkpoint-10.jsonl"]


def test_arm_names_are_distinct_and_duplicates_refused(data):
    _, suite, files, refs = data
    a = ModelSpec(name="sft", path=str(files["icl"]), source="replay", prompt_format="replay")
    b = ModelSpec(name="sft", path=str(files["sft"]), source="replay", prompt_format="replay")
    base = ModelSpec(name="base", path=str(files["raw"]), source="replay", prompt_format="replay")
    out = harness.compare_arms([base, a, b], suites=[str(suite)])
    tail = files["raw"].parent.name
    assert out.names == ["base", f"{tail}/icl.jsonl@replay", f"{tail}/sft.jsonl@replay"]
    with pytest.raises(harness.HarnessError, match="same arm as"):
        harness.compare_arms([refs[0], refs[1], refs[1]], suites=[str(suite)])
    with pytest.raises(harness.HarnessError, match="--baseline 'nope' is not one of the arms"):
        harness.compare_arms(refs[:3], baseline="nope", suites=[str(suite)])
    by_label = harness.compare_arms(refs[:3], baseline="icl.jsonl", suites=[str(suite)])
    assert by_label.baseline == refs[1] and by_label.pairs[0].arm == refs[0]
    assert harness.compare_arms(refs[:3], baseline=2, suites=[str(suite)]).baseline == refs[2]


def test_cli_three_arms_report_and_files(data, tmp_path):
    _, suite, files, refs = data
    out, html_path, md_path, xml = (tmp_path / n for n in ("a.json", "a.html", "a.md", "a.xml"))
    res = runner.invoke(app, ["--no-color", "compare", refs[0], refs[2], refs[3], "--suite", str(suite), "--json", str(out)],
                        env={"COLUMNS": "100"})
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["kind"] == "arms" and [a["name"] for a in doc["arms"]] == [refs[0], refs[2], refs[3]]
    assert "forgetting: 1 metric(s) fell significantly" in res.output and "correctness 100.0% → 25.0% in sft.jsonl" in res.output
    rep = runner.invoke(app, ["--no-color", "report", str(out), "--html", str(html_path), "--md", str(md_path),
                              "--junit", str(xml)], env={"COLUMNS": "100"})
    assert rep.exit_code == 0, rep.output
    assert "3 arms" in rep.output and "ckpt.jsonl" in rep.output
    directness = next(x for x in rep.output.splitlines() if x.lstrip().startswith("directness"))
    assert directness.rstrip().endswith("▁██")  # the sparkline of 0%, 90%, 100%
    assert "Forgetting" in md_path.read_text() and "<svg" in html_path.read_text()
    assert 'testsuite name="sft-harness.metrics.sft.jsonl"' in xml.read_text()
    detail = runner.invoke(app, ["--no-color", "report", str(out), "--detail"], env={"COLUMNS": "120"})
    assert detail.exit_code == 0 and detail.output.count("What changed (all cases)") == 2
    base2 = runner.invoke(app, ["--no-color", "compare", refs[0], refs[2], refs[3], "--suite", str(suite),
                                "--baseline", "ckpt.jsonl", "--json", str(out)])
    assert base2.exit_code == 0 and json.loads(out.read_text())["baseline"] == refs[2]
    bad = runner.invoke(app, ["compare", refs[0], refs[2], refs[3], "--suite", str(suite), "--judge", refs[0]])
    assert bad.exit_code == 2 and "--judge compares two models" in bad.output


def test_gate_on_default_and_chosen_pairs(data, tmp_path, arms):
    _, suite, _, refs = data
    path = tmp_path / "a.json"
    harness.save_results(arms, path)
    g = harness.gate(arms)
    assert not g.passed and g.pairs == [refs[3]] and g.mode == "arms"
    assert g.rules[0].rule.startswith("sft.jsonl vs raw.jsonl: ") and g.rules[0].pair == refs[3]
    assert harness.gate(arms, pairs=["icl.jsonl", refs[2]]).passed
    res = runner.invoke(app, ["--no-color", "gate", str(path)], env={"COLUMNS": "200"})
    assert res.exit_code == 1 and "sft.jsonl vs raw.jsonl" in res.output
    res = runner.invoke(app, ["--no-color", "gate", str(path), "--pair", "ckpt.jsonl", "--junit", str(tmp_path / "g.xml")])
    assert res.exit_code == 0, res.output
    assert 'testsuite name="sft-harness.metrics.ckpt.jsonl"' in (tmp_path / "g.xml").read_text()
    rules = tmp_path / "gate.toml"
    rules.write_text('[gate]\npairs = ["icl.jsonl", "ckpt.jsonl"]\n[[rule]]\nmetric = "directness"\nmin = 0.55\n')
    both = harness.gate(arms, rules)
    assert both.pairs == [refs[1], refs[2]] and both.passed and len(both.rules) == 4
    res = runner.invoke(app, ["gate", str(path), "--pair", "nope"])
    assert res.exit_code == 2 and "--pair 'nope' is not one of the arms" in res.output
    two = harness.compare(refs[0], refs[1], suites=[str(suite)])
    with pytest.raises(harness.HarnessError, match="--pair chooses pairs of an N-arm result"):
        harness.gate(two, pairs=["x"])
    cli = runner.invoke(app, ["compare", refs[0], refs[1], refs[3], "--suite", str(suite), "--gate", "--pair", "icl.jsonl"])
    assert cli.exit_code == 0, cli.output


def test_html_and_markdown_escape_model_text(tmp_path):
    hostile = "<script>alert(1)</script>"
    rows = suite_rows()
    outs = {a: arm_outputs(a) for a in ("raw", "icl", "sft")}
    outs["icl"]["f0"] = f"{CAPITALS[0][1]} {hostile}"
    suite = write_jsonl(tmp_path / "s.jsonl", rows)
    evil = tmp_path / "<img src=x onerror=alert(2)>"
    evil.mkdir()
    files = [write_jsonl(evil / f"{a}.jsonl", [{"id": k, "output": v} for k, v in o.items()]) for a, o in outs.items()]
    doc = harness.compare_arms([f"replay:{f}" for f in files], suites=[str(suite)])
    page = render_arms_html(doc)
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<svg" in page and page.count('class="chart"') == len(doc.trajectory)
    assert "<img" not in render_arms_markdown(doc)


def _demo_arms(tmp: Path, n: int) -> list[str]:
    """n arms on the demo suite: the echoing base, checkpoints that answer more and more cases, the SFT model."""
    base, sft = demo_suite_replays(tmp)
    b = [json.loads(x) for x in base.read_text().splitlines()]
    s = [json.loads(x) for x in sft.read_text().splitlines()]
    refs = [f"replay:{base}"]
    for k in range(1, n - 1):
        cut = len(s) * k // (n - 1)
        refs.append(f"replay:{write_jsonl(tmp / f'checkpoint-{100 * k}.jsonl', s[:cut] + b[cut:])}")
    return refs + [f"replay:{sft}"]


def test_terminal_first_screen_fits_for_five_arms(tmp_path):
    suite = Path(__file__).resolve().parents[1] / "benchmarks" / "demo.jsonl"
    doc = harness.compare_arms(_demo_arms(tmp_path, 5), suites=[str(suite)])
    con = Console(width=100, file=io.StringIO(), no_color=True, legacy_windows=False)
    render_arms(doc, con)
    text = con.file.getvalue()
    lines = text.splitlines()
    assert len(lines) <= 60, f"{len(lines)} lines:\n{text}"
    assert max(len(x) for x in lines) <= 100
    for fam in ("directness", "format", "coherence", "correctness"):
        assert any(x.lstrip().startswith(fam) for x in lines), fam
    assert "checkpoint-300.jsonl" in text and "forgetting" in text
    assert "Holm over" in text


def test_junit_for_arms_names_the_default_pair(arms):
    xml = render_junit(arms.to_json())
    assert 'testsuite name="sft-harness.metrics.sft.jsonl"' in xml and "ckpt" not in xml


def test_cli_two_models_baseline_and_bad_counts(data, tmp_path):
    _, suite, _, refs = data
    out = tmp_path / "two.json"
    res = runner.invoke(app, ["compare", refs[0], refs[3], "--suite", str(suite), "--baseline", refs[3], "--json", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["kind"] == "compare" and doc["models"]["base"]["name"] == refs[3]  # --baseline: the model compared with
    one = runner.invoke(app, ["compare", refs[0], "--suite", str(suite)])
    assert one.exit_code == 2 and "compare needs at least two models, got 1" in one.output
    pair = runner.invoke(app, ["compare", refs[0], refs[3], "--suite", str(suite), "--pair", "x"])
    assert pair.exit_code == 2 and "--pair chooses among 3+ arms" in pair.output
    arms_file = tmp_path / "arms.json"
    assert runner.invoke(app, ["compare", *refs, "--suite", str(suite), "--json", str(arms_file)]).exit_code == 0
    strict = runner.invoke(app, ["--no-color", "report", str(arms_file), "--alpha", "0.0001"], env={"COLUMNS": "120"})
    assert strict.exit_code == 0 and "forgetting: none" in strict.output  # p (Holm) 0.003 is not below 0.0001
