"""vLLM backend: one `vllm.LLM` per model, every prompt of a turn in one `generate` call.

vLLM starts its engine core in a spawned process, so any script that reaches this code needs
an `if __name__ == "__main__":` guard (the `harness` console script has one).
"""

from __future__ import annotations

import contextlib
import gc
import os
import time

from harness.config import RunConfig
from harness.models import load_tokenizer, model_load_error
from harness.prompting import Message, render_ids, resolve_prompt_format, stop_token_ids
from harness.records import FINISH_LENGTH, FINISH_STOP, ModelSpec, TurnOutput


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
        # vLLM's CPU start-up prints dozens of advisory warnings; the report is what matters.
        # Set VLLM_LOGGING_LEVEL=WARNING (or run with --debug) to see them.
        os.environ.setdefault("VLLM_LOGGING_LEVEL", "ERROR")
        os.environ.setdefault("PYTHONWARNINGS", "ignore::FutureWarning")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from transformers import GenerationConfig
        from vllm import LLM

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
            self.llm = LLM(model=spec.path, seed=run.seed, dtype="auto", enforce_eager=_on_cpu())
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
