"""Runner: turns cases into generations, through one small engine interface.

An engine (vllm, hf) loads one model and answers a batch of conversations, one assistant turn
each. `run_model` drives it: single-turn prompts go in one batch; multi-turn conversations are
batched turn by turn across conversations, each continuing with the model's own previous
answers (`history="own"`) or with the case's golden `references` for earlier turns
(`history="golden"`). Replayed outputs (`replay:FILE`) skip the engine entirely.
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from harness.config import RunConfig, harness_home
from harness.engine_options import output_options
from harness.errors import HarnessError
from harness.icl import load_icl_prompt
from harness.prompting import Message
from harness.records import Case, Generation, ModelSpec, TurnOutput
from harness.runners.backends import BACKENDS
from harness.runners.cache import GenerationCache, model_fingerprint, request_key
from harness.runners.dtype import generation_dtype

# Prompts per engine call: large enough for vLLM's continuous batching. A killed run loses nothing
# finished: every generation is written to the cache as soon as the engine hands it back.
CHUNK = 512

OnDone = Callable[[int, TurnOutput], None]  # (index in the batch, its output), as each one finishes


class Engine(Protocol):
    backend: str
    prompt_format: str  # the format actually used: chat | raw | icl
    notes: list[str]
    max_context: int | None  # prompt + generated tokens the model takes; None: unknown

    def prompt_tokens(self, conversation: list[Message], limit: int) -> int:
        """The prompt's length in tokens; exact up to `limit`, and more than `limit` when longer."""
        ...

    def generate(
        self, conversations: list[list[Message]], max_tokens: int, on_done: OnDone | None = None
    ) -> list[TurnOutput]: ...

    def close(self) -> None: ...


@dataclass
class ModelRun:
    spec: ModelSpec
    backend: str
    prompt_format: str
    generations: dict[str, Generation]
    notes: list[str] = field(default_factory=list)
    generated_turns: int = 0
    cached_turns: int = 0
    seconds: float = 0.0
    max_tokens: int | None = None
    skipped: dict[str, str] = field(default_factory=dict)  # case id -> why it was not run (prompt too long)
    engine: dict[str, Any] = field(default_factory=dict)  # the engine's effective settings (backends.py)


def vllm_available() -> bool:
    return importlib.util.find_spec("vllm") is not None


# Why a run without --backend uses hf on a machine without a GPU (measured: docs/performance.md).
CPU_DEFAULT_NOTE = (
    "hf backend: no GPU here, and on CPU transformers' batched generate outruns vLLM, whose engine start "
    "dominates (docs/performance.md); --backend vllm forces vLLM"
)


def gpu_available() -> bool:
    from harness.runners.dtype import on_gpu

    return on_gpu()


def choose_backend(spec: ModelSpec, run: RunConfig) -> tuple[str, str | None]:
    """(backend, note). Order: replay and served models, --backend, the model's own setting; else vLLM on
    a machine with a GPU, hf without one (or without vLLM)."""
    if spec.source == "replay":
        return "replay", None
    if spec.backend == "openai":  # a served model: whatever --backend says applies to the local ones
        return "openai", None
    wanted = run.backend or spec.backend
    if wanted == "replay":
        raise HarnessError(f"model {spec.name!r} is not a replay file; use replay:FILE.jsonl")
    if wanted and wanted not in BACKENDS:
        raise HarnessError(f"unknown backend {wanted!r}; known: {', '.join(BACKENDS)}")
    if wanted == "vllm":
        if vllm_available():
            return "vllm", None
        return "hf", "vLLM is not installed: fell back to the transformers (hf) backend"
    if wanted is None:
        if not vllm_available():
            return "hf", "vLLM is not installed: using the transformers (hf) backend"
        if not gpu_available():
            return "hf", CPU_DEFAULT_NOTE
        return "vllm", None
    return wanted, None


def _engine_settings(spec: ModelSpec, run: RunConfig, backend: str) -> dict[str, Any]:
    settings = BACKENDS[backend].settings
    return settings(spec, run) if settings is not None else {}


def open_engine(spec: ModelSpec, backend: str, run: RunConfig) -> Engine:
    """The engine of a registered backend (harness/runners/backends.py) for one model."""
    factory = BACKENDS[backend].open
    if factory is None:
        raise HarnessError(f"backend {backend!r} does not load a model")
    return factory(spec, run)


Progress = Callable[[str, int, int], None]  # (phase, done, total)

# own: each turn continues after the model's own earlier answers (MT-Bench); golden: after the case's
# reference answers for the earlier turns (MT-Bench-101), separating poor recall from error propagation.
HISTORY_MODES = ("own", "golden")


def _history_text(case: Case, k: int, own: str, golden: bool, fallback: set[str]) -> str:
    """The assistant message that turn k leaves in the conversation for turn k+1."""
    if not golden or k + 1 >= len(case.turns):
        return own
    ref = case.references[k] if k < len(case.references) else None
    if isinstance(ref, str) and ref.strip():
        return ref
    fallback.add(case.id)
    return own


def _too_long(engine: Engine, case: Case, k: int, conversation: list[Message], max_tokens: int, skipped: dict[str, str]) -> bool:
    """A prompt that does not fit the model's context with room for `max_tokens` is not generated:
    engines would cut it silently (vLLM from the left) or run past the model's positions (hf)."""
    if engine.max_context is None:
        return False
    room = engine.max_context - max_tokens
    n = engine.prompt_tokens(conversation, room) if room > 0 else 1
    if n <= room:
        return False
    turn = f"turn {k + 1}: " if len(case.turns) > 1 else ""
    skipped[case.id] = f"{turn}a prompt of more than {room} tokens (context {engine.max_context} - max_tokens {max_tokens})"
    return True


def run_model(
    spec: ModelSpec,
    cases: list[Case],
    run: RunConfig,
    progress: Progress | None = None,
    use_cache: bool | None = None,
    cache_part: int | None = None,
    engines: Any = None,
) -> ModelRun:
    """Generate (or fetch from cache / replay) every turn of every case for one model. With
    `run.data_parallel` > 1 the cases are shared out over engine replicas (harness/runners/data_parallel.py);
    `cache_part` is a replica's own cache file; `engines` an EnginePool sharing engines between models."""
    start = time.perf_counter()
    max_tokens = spec.max_tokens or run.max_tokens
    backend, note = choose_backend(spec, run)
    if backend == "replay":
        from harness.runners.replay import replay_generations

        gens, notes = replay_generations(spec.path, cases, strict=run.replay_strict)
        if run.history == "golden" and any(c.multi_turn for c in cases):
            notes.append("--history golden has no effect on replayed outputs (they were generated elsewhere)")
        return ModelRun(spec, "replay", "replay", gens, notes, seconds=time.perf_counter() - start)

    if run.data_parallel > 1 and cache_part is None and backend in ("vllm", "hf") and len(cases) > 1:
        from harness.runners.data_parallel import run_sharded

        return run_sharded(spec, cases, run, progress, use_cache)
    if run.history not in HISTORY_MODES:
        raise HarnessError(f"unknown history mode {run.history!r}; known: {', '.join(HISTORY_MODES)}")
    golden = run.history == "golden"
    notes = [note] if note else []
    settings = {
        "backend": backend,
        "prompt_format": spec.prompt_format,
        "max_tokens": max_tokens,
        "temperature": run.temperature,
        "top_p": run.top_p,
        "seed": run.seed,
        "dtype": generation_dtype(spec, run, backend),
    }
    engine_settings = _engine_settings(spec, run, backend)
    changes_outputs = output_options(engine_settings)
    if changes_outputs:  # absent by default: keys of runs without such options stay as they were
        settings["engine"] = changes_outputs
    if spec.prompt_format == "icl":
        # The prompt's text and where answers end change the outputs: a new prompt is a new request.
        # (Absent for other formats: their keys stay as they were.)
        icl = load_icl_prompt(spec.icl_prompt)
        settings["icl"] = {"digest": icl.digest, "stop": list(icl.stops)}
        notes.append(icl.label)  # recorded in the results (ModelRecord.notes) and shown in the report header
    if golden:
        # Own-history keys stay as they were (existing caches remain valid); golden ones differ by the
        # mode and by the golden answers in the conversation.
        settings["history"] = "golden"
    own_fallback: set[str] = set()
    fp = model_fingerprint(spec.path, spec.adapter)
    use_cache = run.use_cache if use_cache is None else use_cache
    cache_dir = harness_home() / "cache" / "generations"
    name = f"{fp}.jsonl" if cache_part is None else f"{fp}.part{cache_part}.jsonl"
    parts = tuple(sorted(cache_dir.glob(f"{fp}.part*.jsonl"))) + ((cache_dir / f"{fp}.jsonl",) if cache_part is not None else ())
    cache = GenerationCache(cache_dir / name if use_cache else None, also_read=parts if use_cache else ())

    outputs: dict[str, list[TurnOutput]] = {c.id: [] for c in cases}
    histories: dict[str, list[Message]] = {c.id: [] for c in cases}
    skipped: dict[str, str] = {}
    engine: Engine | None = None
    prompt_format = ""
    generated = cached = 0
    total_turns = sum(len(c.turns) for c in cases)

    def record(c: Case, k: int, out: TurnOutput) -> None:
        outputs[c.id].append(out)
        histories[c.id].append({"role": "assistant", "content": _history_text(c, k, out.text, golden, own_fallback)})

    try:
        for k in range(max((len(c.turns) for c in cases), default=0)):
            active = [c for c in cases if len(c.turns) > k and c.id not in skipped]
            misses: list[tuple[Case, str]] = []
            for c in active:
                histories[c.id].append({"role": "user", "content": c.turns[k]})
                convo = [m["content"] for m in histories[c.id]] if golden else c.turns[: k + 1]
                key = request_key(fp, settings, convo)
                hit = cache.get(key)
                if hit is None:
                    misses.append((c, key))
                    continue
                out, fmt = hit
                prompt_format = prompt_format or fmt
                record(c, k, out)
                cached += 1
            for i in range(0, len(misses), CHUNK):
                chunk = misses[i : i + CHUNK]
                if engine is None:
                    if progress:
                        progress(f"loading {spec.name} ({backend})", 0, 1)
                    engine = engines.open(spec, backend, run) if engines is not None else open_engine(spec, backend, run)
                    prompt_format = engine.prompt_format
                    notes.extend(engine.notes)
                chunk = [(c, key) for c, key in chunk if not _too_long(engine, c, k, histories[c.id], max_tokens, skipped)]
                if not chunk:
                    continue
                done: list[TurnOutput | None] = [None] * len(chunk)

                def finished(j: int, out: TurnOutput, chunk=chunk, done=done, fmt=prompt_format) -> None:
                    done[j] = out
                    cache.put(chunk[j][1], out, fmt)  # on disk at once: a killed run resumes from here

                try:
                    returned = engine.generate([histories[c.id] for c, _ in chunk], max_tokens, on_done=finished)
                    for j, out in enumerate(returned):  # an engine that does not report as it goes
                        if done[j] is None:
                            finished(j, out)
                finally:
                    cache.sync()
                if any(out is None for out in done):
                    raise RuntimeError(f"the {backend} engine returned {len(returned)} of {len(chunk)} generations")
                for (c, _), out in zip(chunk, done, strict=True):
                    record(c, k, out)
                generated += len(chunk)
                if progress:
                    progress(f"generating {spec.name}", generated + cached, total_turns)
    finally:
        cache.close()
        if engine is not None:
            engine.close()
    notes.extend(cache.notes)
    if cache.torn_lines:
        notes.append(f"the generation cache had {cache.torn_lines} torn line(s) from an interrupted write: skipped and removed")
    if skipped:
        why = next(iter(skipped.values()))
        shown = ", ".join(list(skipped)[:5]) + (" …" if len(skipped) > 5 else "")
        message = f"{len(skipped)} case(s) skipped, prompt longer than the model's context (e.g. {why}): {shown}"
        if run.replay_strict:
            raise HarnessError(f"{spec.name}: {message} (--strict)")
        notes.append(message)
    if own_fallback:
        notes.append(
            f"--history golden: {len(own_fallback)} case(s) lack a golden answer for an earlier turn; the model's "
            f"own answer was used there (e.g. {', '.join(sorted(own_fallback)[:5])})"
        )
    # Under golden history the scorers judge each later answer against what the model was shown.
    gens = {
        cid: Generation(
            case_id=cid,
            turns=outs,
            max_tokens=max_tokens,
            history=[m["content"] for m in histories[cid] if m["role"] == "assistant"] if golden else None,
        )
        for cid, outs in outputs.items()
        if cid not in skipped
    }
    return ModelRun(
        spec=spec,
        backend=backend,
        prompt_format=prompt_format or spec.prompt_format,
        generations=gens,
        notes=notes,
        generated_turns=generated,
        cached_turns=cached,
        seconds=time.perf_counter() - start,
        max_tokens=max_tokens,
        skipped=skipped,
        engine=engine_settings,
    )


# Registration lines: one per backend module (harness/runners/backends.py).
from harness.runners import hf_engine, openai_engine, vllm_engine  # noqa: E402,F401
