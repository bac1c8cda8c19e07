"""vLLM backend: one `vllm.LLM` per model, every prompt of a turn in one `generate` call.

vLLM starts its engine core in a spawned process, so any script that reaches this code needs
an `if __name__ == "__main__":` guard (the `harness` console script has one).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator

from harness.config import RunConfig, harness_home
from harness.models import load_tokenizer, model_load_error
from harness.prompting import Message, render_ids, resolve_prompt_format, stop_token_ids
from harness.records import FINISH_LENGTH, FINISH_STOP, ModelSpec, TurnOutput
from harness.runners.dtype import generation_dtype


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

    def __init__(self, spec: ModelSpec, run: RunConfig):
        if _on_cpu():
            # The CPU build sizes its KV cache from this variable (GiB); its default is large.
            os.environ.setdefault("VLLM_CPU_KVCACHE_SPACE", str(max(1, int(run.vllm_kv_cache_gib))))
        quiet_vllm()
        from transformers import GenerationConfig

        self.run = run
        self.tokenizer = load_tokenizer(spec)
        self.prompt_format, note = resolve_prompt_format(self.tokenizer, spec.prompt_format)
        self.notes = [note] if note else []
        try:
            gen_cfg = GenerationConfig.from_pretrained(spec.path)
        except (OSError, ValueError):
            gen_cfg = None
        self.stop_ids = stop_token_ids(self.tokenizer, gen_cfg)
        try:
            with engine_stderr_to_log():
                from vllm import LLM

                dtype = generation_dtype(spec, run, self.backend)
                self.llm = LLM(model=spec.path, seed=run.seed, dtype=dtype, enforce_eager=_on_cpu())
        except (OSError, ValueError) as e:
            raise model_load_error(spec, e) from None
        self.max_len = self.llm.llm_engine.model_config.max_model_len

    def generate(self, conversations: list[list[Message]], max_tokens: int) -> list[TurnOutput]:
        from vllm import SamplingParams, TokensPrompt

        params = SamplingParams(
            max_tokens=max_tokens,
            temperature=self.run.temperature,
            top_p=self.run.top_p,
            seed=self.run.seed if self.run.temperature > 0 else None,
            stop_token_ids=self.stop_ids,
            # Keep template tokens in the text: a leaked "<|im_start|>user" is a finding.
            skip_special_tokens=False,
        )
        prompts = []
        for conv in conversations:
            ids = render_ids(self.tokenizer, conv, self.prompt_format)
            room = self.max_len - max_tokens
            if len(ids) > room:  # keep the most recent context; the cap itself is not shortened
                ids = ids[-room:]
            prompts.append(TokensPrompt(prompt_token_ids=ids))
        t0 = time.perf_counter()
        results = self.llm.generate(prompts, params, use_tqdm=False)
        per_request = (time.perf_counter() - t0) / max(1, len(prompts))
        outs = []
        for res in results:
            o = res.outputs[0]
            tokens = list(o.token_ids)
            stopped = o.finish_reason == "stop"
            if stopped and tokens and tokens[-1] in self.stop_ids:
                tokens = tokens[:-1]  # count only the answer, as the hf backend does
            outs.append(
                TurnOutput(
                    text=o.text,
                    finish_reason=FINISH_STOP if stopped else FINISH_LENGTH,
                    prompt_tokens=len(res.prompt_token_ids or []),
                    output_tokens=len(tokens),
                    latency_s=per_request,
                )
            )
        return outs

    def close(self) -> None:
        # Release the engine (and its worker process) before the next model is loaded.
        with contextlib.suppress(Exception):
            self.llm.llm_engine.engine_core.shutdown()
        del self.llm
        gc.collect()
