"""--dp N: cases shared out over N engine replicas (Ray actors, here 2 local workers on CPU with hf
engines); the merged outputs equal --dp 1, and the replicas' cache parts make any later run resume."""

import json

import pytest
from helpers import write_jsonl
from typer.testing import CliRunner

import harness
from harness.cli import app
from harness.records import Case
from harness.runners import run_model
from harness.runners.data_parallel import shards

runner = CliRunner()
CASES = [Case(id=f"s{i}", category="chat", lang="en", turns=[t]) for i, t in
         enumerate(["hi", "name a fruit", "what is red", "count to three", "hello", "red"])]
CASES.append(Case(id="m", category="multiturn", lang="en", turns=["hi", "name a fruit", "count to three"]))


def test_shares_are_whole_cases_dealt_out_in_turn():
    parts = shards(CASES, 3)
    assert [[c.id for c in p] for p in parts] == [["s0", "s3", "m"], ["s1", "s4"], ["s2", "s5"]]
    assert len(shards(CASES[:1], 4)) == 1  # no empty replicas


@pytest.mark.slow
def test_two_ray_replicas_give_the_same_outputs_and_resume(tiny_chat, isolated_home, tmp_path):
    cfg = harness.load_config(backend="hf", max_tokens=10, data_parallel=2)
    spec = harness.resolve_models([str(tiny_chat)], cfg)[0]
    seen: list[tuple[str, int, int]] = []
    sharded = run_model(spec, CASES, cfg.run, progress=lambda phase, done, total: seen.append((phase, done, total)))
    assert sharded.engine["data_parallel"] == 2 and sharded.generated_turns == 9
    # progress is counted in turns over both replicas (not in finished shares), and never goes back
    assert {t for _, _, t in seen} == {9} and seen[0][1] == 0 and seen[-1][1] == 9
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)
    assert list(sharded.generations) == [c.id for c in CASES]  # the suite's order
    parts = sorted(p.name for p in (isolated_home / "cache" / "generations").glob("*.part*.jsonl"))
    assert len(parts) == 2  # each replica wrote its own part of the cache
    single = run_model(spec, CASES, harness.with_run(cfg.run, data_parallel=1))
    assert single.cached_turns == 9 and single.generated_turns == 0  # resumed from the replicas' parts
    fresh = run_model(spec, CASES, harness.with_run(cfg.run, data_parallel=1, use_cache=False))
    assert {k: g.texts for k, g in sharded.generations.items()} == {k: g.texts for k, g in fresh.generations.items()}

    suite = write_jsonl(tmp_path / "s.jsonl", [{"id": c.id, "category": c.category, "lang": "en", "turns": c.turns} for c in CASES])
    res = runner.invoke(app, ["run", str(tiny_chat), "--suite", str(suite), "--backend", "hf", "--max-tokens", "10",
                              "--dp", "2", "--json", str(tmp_path / "r.json")])
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["model"]["engine"]["data_parallel"] == 2 and doc["model"]["cached_turns"] == 9
    assert runner.invoke(app, ["run", str(tiny_chat), "--dp", "0"]).exit_code == 2
