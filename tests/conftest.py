"""Shared fixtures: tiny models built on disk in seconds, the reduced demo pair, an isolated HARNESS_HOME.

`tiny_chat` is a ~100K-parameter Llama (head_dim 64, as vLLM's CPU attention needs) briefly
trained to answer a handful of chat prompts and stop at <|im_end|>; `tiny_raw` is the same
weights without a chat template (both from tests/tiny_models.py). Nothing is downloaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory) -> tuple[Path, Path]:
    from tiny_models import build_tiny_chat  # here, not at the top: it imports torch, which most tests never need

    return build_tiny_chat(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def tiny_chat(tiny_models) -> Path:
    return tiny_models[0]


@pytest.fixture(scope="session")
def tiny_raw(tiny_models) -> Path:
    return tiny_models[1]


@pytest.fixture(scope="session")
def reduced_demo(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(home, base, sft): the reduced demo pair, built once per test session (about a minute on 2 cores) in
    its own HARNESS_HOME, not the user's. Tests only read it: training writes to their own --out."""
    from harness.demo.build import build_demo

    home = tmp_path_factory.mktemp("demo-home")
    base, sft = build_demo(home=home, reduced=True)
    return home, base, sft


@pytest.fixture(autouse=True, scope="session")
def results_files_match_the_schema():
    """Every results file the harness writes during the tests (CLI --json, the API's save_results, in
    this process) is validated against docs/results.schema.json before it is written."""
    import jsonschema

    from harness import api

    schema = json.loads((Path(__file__).resolve().parents[1] / "docs" / "results.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    save = api.save_results
    checked = {"files": 0}

    def save_checked(result, path):
        error = jsonschema.exceptions.best_match(validator.iter_errors(result.to_json()))
        assert error is None, f"{path}: not a valid results document: {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        checked["files"] += 1
        save(result, path)

    patch = pytest.MonkeyPatch()
    patch.setattr(api, "save_results", save_checked)
    yield checked
    patch.undo()


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Each test gets its own HARNESS_HOME so caches never leak between tests."""
    home = tmp_path / "harness-home"
    monkeypatch.setenv("HARNESS_HOME", str(home))
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    return home


def pytest_configure(config):
    os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", "1")
