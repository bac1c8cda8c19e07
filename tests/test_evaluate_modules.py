"""The Hugging Face `evaluate` modules (harness/metrics), loaded by path: nothing downloaded."""

from __future__ import annotations

import json

import evaluate  # a pinned dependency: a broken install fails here, it is not skipped


def test_evaluate_modules_by_path(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from harness.metrics import module_path

    m = evaluate.load(module_path("ifeval"))
    out = m.compute(predictions=["No commas here.", "a, b"], instruction_id_list=[["punctuation:no_comma"]] * 2, kwargs=["[{}]"] * 2)
    assert out["prompt_level_strict"] == 0.5 and out["inst_level_loose"] == 0.5
    m = evaluate.load(module_path("correctness"))
    out = m.compute(predictions=["The capital is Paris.", "巴黎"], references=[["Paris"], ["Paris", "巴黎"]])
    assert out["correctness:contains"] == 1.0 and out["correctness:exact"] == 0.5
    m = evaluate.load(module_path("directness"))
    out = m.compute(predictions=["Paris.", "This question concerns geography."], prompts=["What is the capital of France?"] * 2)
    assert out["directness"] == 0.5 and out["directness:preamble"] == 0.5
    m = evaluate.load(module_path("format"))
    assert m.compute(predictions=["1. a\n2. b\n3. c"], prompts=["List three fruits."])["format:list_items"] == 1.0
    m = evaluate.load(module_path("coherence"))
    out = m.compute(
        predictions=[["Hi Bob!", "Your name is Bob."]], prompts=[["I am Bob.", "What is my name?"]],
        checks=[json.dumps([{"id": "coherence:recall", "kwargs": {"keywords": ["Bob"]}}])],
    )
    assert out["coherence:recall"] == 1.0
    m = evaluate.load(module_path("relevance"))
    out = m.compute(
        predictions=[["The waves roll in beneath the moon, the ocean hums."], ["The mountains stand so tall and proud, their peaks in cloud, the pines sing."]],
        prompts=[["Write a short poem about the sea."]] * 2,
    )
    assert out["relevance"] == 0.5 and out["n"] == 2
