"""A compare states, per evaluated suite, whether the model's training data was decontaminated against it."""

from __future__ import annotations

import json

from harness.provenance import provenance_lines, training_provenance
from harness.records import ModelSpec
from harness.suites import load_suites
from harness.suites.fingerprint import prompts_fingerprint


def _model_with_report(tmp_path, data):
    d = tmp_path / "model"
    d.mkdir()
    (d / "training_report.json").write_text(json.dumps({"data": data}))
    return ModelSpec(name="sft", path=str(d), source="local")


def test_checked_against_the_evaluated_suite(tmp_path):
    demo = load_suites(["demo"])
    core = load_suites(["core"])
    spec = _model_with_report(tmp_path, {"cleaned": True, "decontamination": [
        {"ref": "demo", "cases": len(demo), "prompts_sha256": prompts_fingerprint(demo), "rows_dropped": 3}]})
    prov = training_provenance(spec, demo + core)
    by = {s["suite"]: s for s in prov["suites"]}
    assert by["demo"]["decontaminated"] is True and by["demo"]["against"] == "demo"
    assert by["core"]["decontaminated"] is False
    lines = dict((s, ok) for ok, s in provenance_lines(prov))
    assert any(ok is True and "'demo'" in s for s, ok in lines.items())
    assert any(ok is False and "NOT checked against suite 'core'" in s for s, ok in lines.items())


def test_an_edited_suite_is_not_the_suite_that_was_checked(tmp_path):
    demo = load_suites(["demo"])
    spec = _model_with_report(tmp_path, {"cleaned": True, "decontamination": [
        {"ref": "demo", "prompts_sha256": prompts_fingerprint(demo)}]})
    demo[0].turns[0] = demo[0].turns[0] + " Answer in French."
    assert training_provenance(spec, demo)["suites"][0]["decontaminated"] is False


def test_no_report_is_unknown_and_uncleaned_data_is_said(tmp_path):
    demo = load_suites(["demo"])
    assert training_provenance(ModelSpec(name="m", path=str(tmp_path), source="local"), demo) is None
    assert provenance_lines(None)[0][0] is None
    spec = _model_with_report(tmp_path, {"cleaned": False})
    ok, sentence = provenance_lines(training_provenance(spec, demo))[0]
    assert ok is False and "not cleaned" in sentence


def test_a_filtered_part_of_a_checked_suite_counts_as_checked(tmp_path):
    from harness.provenance import suite_record

    core = load_suites(["core"])
    spec = _model_with_report(tmp_path, {"cleaned": True, "decontamination": [suite_record("core", core)]})
    part = [c for c in core if c.category == "code"][:5]
    assert training_provenance(spec, part)["suites"][0] == {"suite": "core", "decontaminated": True, "against": "core"}
    stranger = load_suites(["demo"])[:3]
    assert training_provenance(spec, stranger)["suites"][0]["decontaminated"] is False
