"""Which precision a model generates in.

transformers' `dtype="auto"` loads a checkpoint in the dtype it declares; vLLM's `"auto"` on CPU turns a
float32 checkpoint into bfloat16, so the two backends would decode a small float32 model (the demo pair, a
freshly trained one) differently, and neither in the precision it was trained in. On CPU we therefore ask
vLLM for the checkpoint's own dtype (float32 or bfloat16; float16 becomes bfloat16, which the CPU build
runs). On a GPU `auto` stays vLLM's choice. `[run] dtype` in harness.toml overrides all of this. The
effective dtype is part of the generation cache key, so changing it never serves stale outputs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from harness.config import RunConfig
from harness.errors import HarnessError
from harness.records import ModelSpec

DTYPES = ("auto", "float32", "bfloat16", "float16")


def checkpoint_dtype(path: str) -> str | None:
    """The dtype a local checkpoint's config.json declares (`dtype`, or the older `torch_dtype`)."""
    cfg = Path(path) / "config.json"
    try:
        data = json.loads(cfg.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("dtype") or data.get("torch_dtype") if isinstance(data, dict) else None
    return value if value in DTYPES else None


@lru_cache(maxsize=1)
def on_gpu() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except ImportError:
        return False


def generation_dtype(spec: ModelSpec, run: RunConfig, backend: str) -> str:
    """The dtype to load `spec` in for `backend`: a DTYPES value ("auto" only for vLLM on a GPU)."""
    if run.dtype not in DTYPES:
        raise HarnessError(f"[run] dtype must be one of {', '.join(DTYPES)}, got {run.dtype!r}")
    if backend == "openai":
        return "server"  # the server loaded the weights; its precision is its own setting
    if run.dtype != "auto":
        return run.dtype
    declared = checkpoint_dtype(spec.path)
    if backend == "hf":
        return declared or "float32"  # what transformers' "auto" does
    if on_gpu():
        return "auto"
    return "float32" if declared == "float32" else "bfloat16"
