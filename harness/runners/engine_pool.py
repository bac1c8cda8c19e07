"""Engines shared between the models of one run: a base and its LoRA adapter (the SFT) on vLLM are
served by one engine, loaded once with LoRA enabled; the base's prompts go without a LoRA request,
the SFT's with it. Everything else opens and closes its own engine, one model at a time, as before
(two engines at once could not share a GPU).

    pool = EnginePool(specs, run)          # knows every model of the run up front
    run_model(spec, cases, run, engines=pool); pool.done(spec)   # for each spec, in order
    pool.close()
"""

from __future__ import annotations

from typing import Any

from harness.config import RunConfig
from harness.records import ModelSpec


class EnginePool:
    def __init__(self, specs: list[ModelSpec], run: RunConfig):
        from harness.runners import choose_backend

        self.run = run
        self.backends = {id(s): choose_backend(s, run)[0] for s in specs}
        groups: dict[str, list[ModelSpec]] = {}
        for s in specs:
            if self.backends[id(s)] == "vllm":
                groups.setdefault(s.path, []).append(s)
        # A group shares an engine when it holds several models over one base and one of them is an adapter.
        self.shared = {path: group for path, group in groups.items() if len(group) > 1 and any(s.adapter for s in group)}
        self.pending = {path: len(group) for path, group in self.shared.items()}
        self.llms: dict[str, Any] = {}

    def sharing(self, spec: ModelSpec) -> bool:
        return spec.path in self.shared and self.backends.get(id(spec)) == "vllm"

    def open(self, spec: ModelSpec, backend: str, run: RunConfig) -> Any:
        from harness.runners import open_engine

        if backend != "vllm" or not self.sharing(spec):
            return open_engine(spec, backend, run)
        from harness.runners.vllm_engine import VLLMEngine, engine_settings, load_llm

        if spec.path not in self.llms:
            adapter_spec = next(s for s in self.shared[spec.path] if s.adapter)
            self.llms[spec.path] = load_llm(spec, engine_settings(adapter_spec, run))  # LoRA on for the whole group
        engine = VLLMEngine(spec, run, llm=self.llms[spec.path])
        engine.notes.append(f"one vLLM engine served {', '.join(s.name for s in self.shared[spec.path])} (base + LoRA adapter)")
        return engine

    def done(self, spec: ModelSpec) -> None:
        """`spec` has finished: its shared engine closes when the last model using it is done."""
        if spec.path in self.pending and self.sharing(spec):
            self.pending[spec.path] -= 1
            if self.pending[spec.path] == 0:
                self._close(spec.path)

    def close(self) -> None:
        for path in list(self.llms):
            self._close(path)

    def _close(self, path: str) -> None:
        from harness.runners.vllm_engine import close_llm

        llm = self.llms.pop(path, None)
        if llm is not None:
            close_llm(llm)
