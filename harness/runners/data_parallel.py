"""`--dp N`: one model's cases shared out over N engine replicas, each a Ray actor holding its own engine
(as lm-evaluation-harness does for vLLM), on this machine or on a Ray cluster (`RAY_ADDRESS`).

- Cases are dealt out whole (a multi-turn conversation stays on one replica), case i to replica
  i mod N: deterministic, and every replica gets about the same share of each suite's mix.
- Each replica runs the ordinary runner (`run_model`) on its share and writes the generation cache
  as it goes, to a part of its own (`<model>.part<i>.jsonl`; every run reads all parts), so a killed
  run resumes whatever the next `--dp` is, and replicas never write to one file.
- The outputs are merged by case id in the suite's order: the same document as `--dp 1` (greedy
  decoding gives the same texts; a test checks it).
- Resources: on a cluster with GPUs each replica asks for `tensor_parallel_size x
  pipeline_parallel_size` GPUs (one for hf); without GPUs, one CPU each.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import Any

from harness.config import RunConfig, harness_home
from harness.errors import HarnessError
from harness.records import Case, ModelSpec

PROGRESS_EVERY_S = 0.5  # how often the driver asks the replicas how far they are


def shards(cases: list[Case], n: int) -> list[list[Case]]:
    """Case i to replica i mod n; empty shares dropped."""
    return [s for s in (cases[i::n] for i in range(n)) if s]


def _replica_resources(spec: ModelSpec, run: RunConfig, gpus_in_cluster: float) -> dict[str, Any]:
    if gpus_in_cluster <= 0:
        return {"num_cpus": 1}
    options = {**run.engine, **spec.engine}
    per = int(options.get("tensor_parallel_size", 1)) * int(options.get("pipeline_parallel_size", 1))
    return {"num_gpus": max(1, per), "num_cpus": 1}


def _ray():
    try:
        import ray
    except ImportError:
        raise HarnessError("--dp needs Ray: pip install 'ray==2.60.0' (or run with --dp 1)") from None
    return ray


class _Replica:
    """One engine replica: the ordinary runner on its share of the cases, in its own process."""

    def run(self, spec: ModelSpec, cases: list[Case], run: RunConfig, use_cache: bool | None, part: int, tally: Any = None):
        from harness.runners import run_model

        def progress(phase: str, done: int, total: int) -> None:
            if tally is not None and phase.startswith("generating"):
                tally.put.remote(part, done)  # fire and forget: progress must never slow generation

        return run_model(spec, cases, run, progress=progress, use_cache=use_cache, cache_part=part)


class _Tally:
    """Turns done per replica, so the driver reports progress turn by turn, not share by share."""

    def __init__(self) -> None:
        self.done: dict[int, int] = {}

    def put(self, part: int, done: int) -> None:
        self.done[part] = max(done, self.done.get(part, 0))

    def total(self) -> int:
        return sum(self.done.values())


def run_sharded(spec: ModelSpec, cases: list[Case], run: RunConfig, progress: Any, use_cache: bool | None):
    from harness.runners import ModelRun

    ray = _ray()
    start = time.perf_counter()
    shares = shards(cases, run.data_parallel)
    started_here = not ray.is_initialized()
    if started_here:
        env = {k: v for k, v in os.environ.items() if k.startswith(("VLLM_", "HF_", "TRANSFORMERS_", "CUDA_"))}
        env["HARNESS_HOME"] = str(harness_home())
        ray.init(
            address=os.environ.get("RAY_ADDRESS") or None,
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={"env_vars": env},
        )
    actors: list[Any] = []
    try:
        gpus = float(ray.cluster_resources().get("GPU", 0))
        replica = ray.remote(**_replica_resources(spec, run, gpus))(_Replica)
        one = replace(run, data_parallel=1)
        tally = ray.remote(num_cpus=0)(_Tally).remote() if progress else None
        actors = [replica.remote() for _ in shares]
        if tally is not None:
            actors.append(tally)  # killed with the replicas below
        pending = {
            a.run.remote(spec, share, one, use_cache, i, tally): i
            for i, (a, share) in enumerate(zip(actors, shares, strict=False))
        }
        done: dict[int, ModelRun] = {}
        turns = sum(len(c.turns) for c in cases)
        phase = f"generating {spec.name} on {len(shares)} replicas"
        if progress:
            progress(phase, 0, turns)
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1, timeout=PROGRESS_EVERY_S)
            if progress and tally is not None:
                progress(phase, min(ray.get(tally.total.remote()), turns), turns)
            for ref in ready:
                i = pending.pop(ref)
                try:
                    done[i] = ray.get(ref)
                except ray.exceptions.RayTaskError as e:
                    cause = e.cause if isinstance(getattr(e, "cause", None), Exception) else e
                    if isinstance(cause, HarnessError):
                        raise HarnessError(f"replica {i}: {cause}") from None
                    raise RuntimeError(f"replica {i} failed: {cause}") from None
        if progress:
            progress(phase, turns, turns)
    finally:
        for a in actors:
            ray.kill(a)
        if started_here:
            ray.shutdown()
    runs = [done[i] for i in range(len(shares))]
    order = {c.id: k for k, c in enumerate(cases)}
    generations = dict(sorted(((cid, g) for r in runs for cid, g in r.generations.items()), key=lambda kv: order[kv[0]]))
    notes = list(dict.fromkeys(n for r in runs for n in r.notes))
    return ModelRun(
        spec=spec,
        backend=runs[0].backend,
        prompt_format=next((r.prompt_format for r in runs if r.prompt_format), spec.prompt_format),
        generations=generations,
        notes=notes,
        generated_turns=sum(r.generated_turns for r in runs),
        cached_turns=sum(r.cached_turns for r in runs),
        seconds=time.perf_counter() - start,
        max_tokens=runs[0].max_tokens,
        skipped={k: v for r in runs for k, v in r.skipped.items()},
        engine={**runs[0].engine, "data_parallel": len(shares)},
    )
