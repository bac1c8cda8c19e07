"""transformers `generate` backend, for machines without vLLM: batched, left-padded."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Any

from harness.config import RunConfig
from harness.engine_options import merged
from harness.errors import HarnessError
from harness.icl import end_answer, load_icl_prompt
from harness.models import load_tokenizer, model_load_error
from harness.prompting import Message, prompt_tokens, render_ids, resolve_prompt_format, stop_token_ids
from harness.records import FINISH_LENGTH, FINISH_STOP, ModelSpec, TurnOutput
from harness.runners.backends import backend
from harness.runners.dtype import generation_dtype


class HFEngine:
    backend = "hf"

    def __init__(self, spec: ModelSpec, run: RunConfig):
        import torch
        from transformers import AutoModelForCausalLM

        self.run = run
        self.tokenizer = load_tokenizer(spec)
        options = engine_settings(spec, run)
        try:
            with _quiet_loading():
                self.model = AutoModelForCausalLM.from_pretrained(spec.path, **options)
        except (OSError, ValueError, TypeError) as e:
            raise model_load_error(spec, e) from None
        if spec.adapter:
            self.model = load_adapter(self.model, self.tokenizer, spec)
        if "device_map" in options:  # placed by accelerate (e.g. "auto": split over the GPUs); inputs go to its first device
            self.device = self.model.device
            self.model.eval()
        else:
            self.device = "cuda" if torch.cuda.is_available() else "cpu"
            self.model.to(self.device).eval()
        self.prompt_format, note = resolve_prompt_format(self.tokenizer, spec.prompt_format)
        self.notes = [note] if note else []
        self.icl = load_icl_prompt(spec.icl_prompt) if self.prompt_format == "icl" else None
        self.stops = self.icl.stops if self.icl else ()
        self.stop_ids = stop_token_ids(self.tokenizer, getattr(self.model, "generation_config", None))
        self.pad_id = self.tokenizer.pad_token_id
        if self.pad_id is None:
            self.pad_id = self.stop_ids[0] if self.stop_ids else 0
        # Positions the model was built for; a prompt beyond them would run on with only a warning.
        self.max_context = getattr(self.model.config, "max_position_embeddings", None) or getattr(
            self.model.config, "n_positions", None
        )

    def prompt_tokens(self, conversation: list[Message], limit: int) -> int:
        return prompt_tokens(self.tokenizer, conversation, self.prompt_format, limit, self.icl)

    def generate(self, conversations: list[list[Message]], max_tokens: int, on_done=None) -> list[TurnOutput]:
        import torch

        prompts = [render_ids(self.tokenizer, conv, self.prompt_format, self.icl) for conv in conversations]
        outs: list[TurnOutput | None] = [None] * len(prompts)
        # Batches of similar length: less padding to attend over.
        order = sorted(range(len(prompts)), key=lambda k: len(prompts[k]))
        bs = max(1, self.run.batch_size)
        for i in range(0, len(order), bs):
            picked = order[i : i + bs]
            batch = [prompts[k] for k in picked]
            width = max(len(p) for p in batch)
            # Left padding keeps every prompt's last token adjacent to its first generated one.
            ids = torch.tensor([[self.pad_id] * (width - len(p)) + p for p in batch], device=self.device)
            mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in batch], device=self.device)
            sampling = self.run.temperature > 0
            if sampling:
                torch.manual_seed(self.run.seed)
            t0 = time.perf_counter()
            with torch.no_grad():
                gen = self.model.generate(
                    input_ids=ids,
                    attention_mask=mask,
                    max_new_tokens=max_tokens,
                    do_sample=sampling,
                    temperature=self.run.temperature if sampling else None,
                    top_p=self.run.top_p if sampling else None,
                    top_k=None,
                    eos_token_id=self.stop_ids or None,
                    pad_token_id=self.pad_id,
                    # icl: stop a row once it writes the next user marker (cut exactly below)
                    **({"stop_strings": list(self.stops), "tokenizer": self.tokenizer} if self.stops else {}),
                )
            per_request = (time.perf_counter() - t0) / len(batch)
            for k, p, row in zip(picked, batch, gen[:, width:].tolist(), strict=True):
                cut = next((j for j, t in enumerate(row) if t in self.stop_ids), None)
                tokens = row if cut is None else row[:cut]
                text = self.tokenizer.decode(tokens, skip_special_tokens=False)
                hit = False
                if self.stops:
                    text, hit = end_answer(text, self.stops)
                    tokens = tokens[: self._through_stop(tokens)] if hit else tokens
                outs[k] = TurnOutput(
                        text=text,
                        finish_reason=FINISH_STOP if cut is not None or hit else FINISH_LENGTH,
                        prompt_tokens=len(p),
                        output_tokens=len(tokens),
                        latency_s=per_request,
                )
                if on_done is not None:
                    on_done(k, outs[k])  # cached batch by batch: an interrupted run keeps them
        return outs  # type: ignore[return-value]

    def _through_stop(self, tokens: list[int]) -> int:
        """How many tokens the model generated up to the one that completed a stop string (a row that
        stopped early is padded after it): the least n whose decoded prefix holds one, by bisection."""
        lo, hi = 1, len(tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            if end_answer(self.tokenizer.decode(tokens[:mid], skip_special_tokens=False), self.stops)[1]:
                hi = mid
            else:
                lo = mid + 1
        return hi

    def close(self) -> None:
        del self.model
        import gc

        gc.collect()


@contextmanager
def _quiet_loading():
    """No "Loading weights" bar from transformers: the runner reports its own progress."""
    from transformers.utils import logging as hf_logging

    was_off = not hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if not was_off:
            hf_logging.enable_progress_bar()


def load_adapter(model: Any, tokenizer: Any, spec: ModelSpec) -> Any:
    """The base with a PEFT (LoRA) adapter applied. SFT may have added tokens (chat markers) to the base:
    the embeddings grow to the adapter's tokenizer first, as they did in training."""
    from peft import PeftModel

    if len(tokenizer) > model.get_input_embeddings().weight.shape[0]:
        model.resize_token_embeddings(len(tokenizer))
    try:
        return PeftModel.from_pretrained(model, spec.adapter)
    except (OSError, ValueError, RuntimeError, KeyError) as e:
        first = str(e).strip().splitlines()[0][:300] if str(e).strip() else type(e).__name__
        raise HarnessError(
            f"the adapter {spec.adapter} does not fit the base model {spec.path}: {first} "
            "(set [models.NAME] base = the model it was trained on)"
        ) from None


def engine_settings(spec: ModelSpec, run: RunConfig) -> dict[str, Any]:
    """from_pretrained's keyword arguments: the precision ([run] dtype), then [run.hf], then [models.NAME.hf]."""
    return {"dtype": generation_dtype(spec, run, "hf"), **merged(run.hf, spec.hf)}


@backend("hf", help="transformers' generate(), batched with left padding; CPU or GPUs (device_map)", settings=engine_settings)
def open_hf(spec: ModelSpec, run: RunConfig) -> HFEngine:
    return HFEngine(spec, run)
