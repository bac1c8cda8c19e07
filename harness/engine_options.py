"""Engine options from harness.toml: `[run.engine]` / `[models.NAME.engine]` are keyword arguments of
vLLM's engine (its `EngineArgs` fields), `[run.hf]` / `[models.NAME.hf]` of transformers'
`from_pretrained`. A model's own table wins over `[run]`'s.

Keys are checked when the file is read, against vLLM's own field list (read from its source, so the
check costs milliseconds, not the seconds importing vLLM takes): an unknown key is an error naming
the file, the table and the key, with the close matches. Options that change what a model
generates (quantization, the KV-cache precision, the revision, …) are part of the generation cache
key; options that only change speed or memory (parallelism, batch sizes) are not.
"""

from __future__ import annotations

import ast
import difflib
import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

from harness.errors import HarnessError

# from_pretrained keyword arguments the hf backend passes on (device_map: placement over GPUs, e.g.
# "auto"; attn_implementation: eager | sdpa | flash_attention_2). The precision is [run] dtype.
HF_KEYS = frozenset({
    "device_map", "attn_implementation", "trust_remote_code", "revision", "low_cpu_mem_usage", "max_memory",
    "offload_folder", "quantization_config",
})
# Set by the harness itself: the model path, the seed and the precision have their own settings.
RESERVED = {"model": "the model is the reference you pass", "seed": "use [run] seed or --seed",
            "dtype": "use [run] dtype (it is part of the cache key)", "torch_dtype": "use [run] dtype"}
PER_MODEL_ONLY = {"trust_remote_code"}  # runs code from the model's repository: one model at a time
# Options that change the generated text (the rest change speed or memory only).
OUTPUT_KEYS = frozenset({
    "quantization", "kv_cache_dtype", "revision", "code_revision", "tokenizer", "tokenizer_revision",
    "tokenizer_mode", "hf_overrides", "max_model_len", "rope_scaling", "rope_theta", "load_format",
    "trust_remote_code", "attn_implementation", "quantization_config", "override_generation_config",
    "generation_config", "enable_lora", "max_lora_rank",
})


@lru_cache(maxsize=1)
def vllm_engine_keys() -> frozenset[str] | None:
    """The fields of vLLM's `EngineArgs`, read from the installed source; None when vLLM is absent."""
    spec = importlib.util.find_spec("vllm")
    if spec is None or not spec.submodule_search_locations:
        return None
    source = Path(next(iter(spec.submodule_search_locations))) / "engine" / "arg_utils.py"
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return _imported_keys()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "EngineArgs":
            keys = {n.target.id for n in node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
            return frozenset(keys) if keys else _imported_keys()
    return _imported_keys()


def _imported_keys() -> frozenset[str] | None:
    import dataclasses

    try:
        from vllm.engine.arg_utils import EngineArgs
    except ImportError:
        return None
    return frozenset(f.name for f in dataclasses.fields(EngineArgs))


def check_options(options: Any, kind: str, where: str, per_model: bool) -> dict[str, Any]:
    """Validate one `engine` (vLLM) or `hf` table; returns it as a dict."""
    if not isinstance(options, dict):
        raise HarnessError(f"{where}: must be a table of key = value lines, got {type(options).__name__}")
    known = vllm_engine_keys() if kind == "engine" else HF_KEYS
    for key in options:
        if key in RESERVED:
            raise HarnessError(f"{where}: {key!r} is set by the harness ({RESERVED[key]})")
        if key in PER_MODEL_ONLY and not per_model:
            raise HarnessError(
                f"{where}: {key!r} runs code from a model's repository: turn it on for that model only, in "
                f"[models.NAME.{kind}]"
            )
        if known is not None and key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            what = "vLLM engine argument (EngineArgs field)" if kind == "engine" else "from_pretrained option the hf backend passes"
            raise HarnessError(f"{where}: unknown key {key!r}: not a {what}{hint}")
    return dict(options)


def merged(run_options: dict[str, Any], model_options: dict[str, Any]) -> dict[str, Any]:
    """A model's options over the run's."""
    return {**run_options, **model_options}


def output_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options that change what is generated: these go into the generation cache key."""
    return {k: options[k] for k in sorted(options) if k in OUTPUT_KEYS}
