"""The backend registry: each generation backend is one module registering an engine factory.

    @backend("vllm", help="vLLM's engine: continuous batching, GPU or CPU")
    def open_vllm(spec: ModelSpec, run: RunConfig) -> Engine: ...

Adding a backend (an OpenAI-compatible server, SGLang, …): one module in harness/runners/ with a
registered factory, plus its import line at the bottom of harness/runners/__init__.py. `replay`
is registered too, without a factory: replayed outputs never open an engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harness.config import RunConfig
from harness.records import ModelSpec

EngineFactory = Callable[[ModelSpec, RunConfig], Any]  # returns a harness.runners.Engine
Settings = Callable[[ModelSpec, RunConfig], dict[str, Any]]


@dataclass(frozen=True)
class Backend:
    name: str
    help: str
    open: EngineFactory | None  # None: the backend needs no engine (replay)
    # The engine's effective settings for a model (recorded in the results; those that change outputs
    # also go into the generation cache key).
    settings: Settings | None = None


BACKENDS: dict[str, Backend] = {}


def backend(name: str, help: str, settings: Settings | None = None) -> Callable[[EngineFactory], EngineFactory]:
    """Register `fn` as the engine factory of backend `name`."""

    def register(fn: EngineFactory) -> EngineFactory:
        if name in BACKENDS:
            raise ValueError(f"backend {name!r} registered twice")
        BACKENDS[name] = Backend(name, help, fn, settings)
        return fn

    return register


BACKENDS["replay"] = Backend("replay", "outputs read from replay:FILE (no model is loaded)", None)
