"""Checkpoint trajectory: evaluate the model on a small suite while it trains (`harness train --eval-every N`).

Points, each one `harness.run` (the harness's own runner and scorers, greedy, the run config's max_tokens)
on the same cases:
- step 0: the base, resolved as `harness run BASE` resolves it (so the point is that command's numbers);
- every N optimizer steps: the weights being trained, saved for the purpose to a temporary directory
  beside the output (full weights, or the LoRA adapter over the base) and removed after the point;
- the last step: the saved output directory itself, after training wrote it (so the point is the SFT side
  of `harness compare BASE OUT`).
The hf backend by default (in-process, next to the trainer; `[run] backend` in harness.toml overrides it);
a configured model judge is not run. Snapshots are generated without the generation cache: each lives in a
fresh temporary directory, whose cache entries could never be read again. The base and the output use the
cache like any `harness run` (the cache key follows their files' sizes and mtimes, so retrained weights
are a new key). The random-number state is restored after every point, so evaluating does not change
the training. Only the main process evaluates (`harness train` runs one process).
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import TrainerCallback

import harness
from harness.config import HarnessConfig
from harness.errors import HarnessError
from harness.records import ModelSpec
from harness.trajectory import PointModel, Trajectory, TrajectoryPoint, family_rates, trajectory_json
from trainers.sft import set_chat_generation
from trainers.trajectory_options import TrajectoryOptions

OnPoint = Callable[[TrajectoryPoint], None]


class TrajectoryRecorder:
    """Evaluates models on one selection of cases and keeps the points (see the module docstring)."""

    def __init__(
        self, base: ModelSpec, cases: harness.CaseSet, config: HarnessConfig, every: int,
        on_point: OnPoint | None = None, scratch: Path | None = None,
    ) -> None:
        self.base = base
        self.cases = cases
        self.every = every
        self.on_point = on_point
        self.scratch = scratch  # where snapshots are written (None: the system's temp dir)
        run = harness.with_run(config.run, backend=config.run.backend or "hf")
        judge = dataclasses.replace(config.judge, model=None)  # a judge per point would dwarf the training
        self.config = dataclasses.replace(config, run=run, judge=judge)
        self.snapshot_config = dataclasses.replace(self.config, run=dataclasses.replace(run, use_cache=False))
        self.points: list[TrajectoryPoint] = []
        self.notes: list[str] = []

    def evaluate(self, spec: ModelSpec, model: PointModel, step: int, epoch: float | None, loss: float | None) -> TrajectoryPoint:
        config = self.snapshot_config if model == "checkpoint" else self.config
        start = time.perf_counter()
        with _kept_rng(), _quiet_loading():
            result = harness.run(spec, self.cases, config)
        point = TrajectoryPoint(step=step, epoch=epoch, loss=loss, model=model, families=family_rates(result),
                                seconds=round(time.perf_counter() - start, 2))
        self.points = [p for p in self.points if p.step != step or p.model == "base"] + [point]
        if self.on_point is not None:
            self.on_point(point)
        return point

    def base_point(self, resumed_at: int) -> None:
        if resumed_at:
            self.notes.append(f"resumed at step {resumed_at}: steps between 0 and {resumed_at} were not evaluated")
        self.evaluate(self.base, "base", 0, 0.0, None)

    def snapshot_point(self, model: Any, tokenizer: Any, step: int, epoch: float | None, loss: float | None) -> None:
        if self.scratch is not None:
            self.scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".trajectory-", dir=self.scratch) as tmp:
            with _quiet_loading():
                save_snapshot(model, tokenizer, Path(tmp))
            (spec,) = harness.resolve_models([tmp], self.config)  # a full model, or an adapter over its base
            self.evaluate(spec, "checkpoint", step, epoch, loss)

    def finish(self, out: Path, stats: dict[str, Any]) -> dict[str, Any]:
        """The last point, on the saved output; then the whole trajectory for the training report. `stats`:
        `steps`, `epochs` and `log_history` (run_training's, or a Trainer's state.global_step/epoch/log_history)."""
        step = int(stats["steps"])
        logged = [r.get("loss") for r in stats.get("log_history", []) if r.get("step") == step]
        loss = next((v for v in logged if v is not None), None)
        (spec,) = harness.resolve_models([str(out)], self.config)
        self.evaluate(spec, "output", step, stats.get("epochs"), loss)
        return {"trajectory": trajectory_json(self.trajectory())}

    def trajectory(self) -> Trajectory:
        run = self.config.run
        return Trajectory(suites=self.cases.refs, n_cases=len(self.cases.cases), every=self.every, backend=run.backend,
                          max_tokens=run.max_tokens, points=self.points, notes=[*self.cases.notes, *self.notes])


class TrajectoryCallback(TrainerCallback):
    """Evaluates the base when training begins and the weights every `every` steps; the last step is left
    to `TrajectoryRecorder.finish`, on the weights as saved. The trainer is told to log the loss at each
    of these steps, so every point carries the loss logged there (the mean since the previous log)."""

    def __init__(self, recorder: TrajectoryRecorder) -> None:
        self.recorder = recorder
        self.pending: int | None = None  # a step whose snapshot waits for its logged loss

    def on_train_begin(self, args, state, control, **kwargs):  # noqa: ANN001 - HF callback signature
        if state.is_world_process_zero:
            self.recorder.base_point(resumed_at=state.global_step)

    def on_step_end(self, args, state, control, **kwargs):  # noqa: ANN001
        step = state.global_step
        if step >= state.max_steps:
            control.should_log = True  # the loss of the last point (evaluated once the model is saved)
        elif step % self.recorder.every == 0:
            control.should_log = True
            self.pending = step
        return control

    def on_log(self, args, state, control, logs=None, model=None, processing_class=None, **kwargs):  # noqa: ANN001
        if self.pending != state.global_step or not logs or "loss" not in logs:
            return
        self.pending = None
        if state.is_world_process_zero:
            self.recorder.snapshot_point(model, processing_class, state.global_step, state.epoch, float(logs["loss"]))


def save_snapshot(model: Any, tokenizer: Any, where: Path) -> None:
    """The weights being trained, loadable by the harness: a LoRA model as its adapter (the harness applies
    it over the base named in adapter_config.json), other models in full with the generation settings the
    output will have (trainers.sft.set_chat_generation). The model is not moved or cast."""
    from peft import PeftModel

    if isinstance(model, PeftModel):
        model.save_pretrained(where)
    else:
        set_chat_generation(model, tokenizer)
        model.save_pretrained(where, safe_serialization=True)
    tokenizer.save_pretrained(where)


def prepare_trajectory(
    base: ModelSpec, options: TrajectoryOptions, config: HarnessConfig, on_point: OnPoint | None = None,
    scratch: Path | None = None,
) -> TrajectoryRecorder | None:
    """The recorder for `options` (None when `every` is not set); bad options and unknown suites are
    HarnessErrors raised here, before anything trains."""
    if options.every is None:
        return None
    try:
        options.check()
    except ValueError as e:
        raise HarnessError(str(e)) from None
    try:
        cases = harness.load_cases([options.suite], limit=options.limit, strict=config.run.replay_strict)
    except HarnessError as e:
        raise HarnessError(f"--eval-suite: {e}") from None
    return TrajectoryRecorder(base, cases, config, options.every, on_point, scratch)


@contextlib.contextmanager
def _kept_rng() -> Iterator[None]:
    """Loading and running a model may draw random numbers; training continues from the same state."""
    states = (random.getstate(), np.random.get_state(), torch.get_rng_state(),
              torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None)
    try:
        yield
    finally:
        random.setstate(states[0])
        np.random.set_state(states[1])
        torch.set_rng_state(states[2])
        if states[3] is not None:
            torch.cuda.set_rng_state_all(states[3])


@contextlib.contextmanager
def _quiet_loading() -> Iterator[None]:
    """No "Loading weights" / "Writing model shards" bars per point between the training's own progress lines."""
    from transformers.utils import logging

    was = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if was:
            logging.enable_progress_bar()
