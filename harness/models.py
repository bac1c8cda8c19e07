"""Model references: harness.toml name, local directory, hub id, replay file, or the demo pair, each
optionally with a prompt format suffix: `base@icl`, `./ckpt@raw`, `openai:M@http://host/v1@icl`."""

from __future__ import annotations

import glob
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from harness.config import PROMPT_FORMATS, HarnessConfig
from harness.errors import HarnessError
from harness.records import ModelSpec

DEMO_NAMES = ("base", "sft")
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
SUFFIX = re.compile(r"^[A-Za-z][\w-]*$")  # what reads as a format name after the last "@" (a URL never does)


def split_prompt_suffix(ref: str) -> tuple[str, str | None]:
    """`NAME@FORMAT` -> (NAME, FORMAT); a reference without one -> (ref, None). Only a word after the last
    "@" is a suffix (`openai:M@http://host/v1` keeps its URL), and a word that is no prompt format is an
    error listing the known ones."""
    head, sep, tail = ref.rpartition("@")
    if not sep or not head or not SUFFIX.match(tail):
        return ref, None
    if tail not in PROMPT_FORMATS:
        raise HarnessError(
            f"{ref!r}: unknown prompt format {tail!r} after '@'; known: {', '.join(PROMPT_FORMATS)} (e.g. {head}@icl)"
        )
    if split_prompt_suffix(head)[1] is not None:
        raise HarnessError(f"{ref!r}: two prompt formats; name one (e.g. {split_prompt_suffix(head)[0]}@{tail})")
    return head, tail


# the directories a trainer saves every N steps (and replay files named after them)
CHECKPOINT = re.compile(r"^checkpoint-(\d+)(?:\.jsonl?)?$")
GLOB_CHARS = set("*?[")


def expand_model_refs(refs: Sequence[str]) -> list[str]:
    """Model references with quoted glob patterns expanded (`runs/sft/checkpoint-*`, `replay:out/*.jsonl`)
    and checkpoint directories in step order: the shell sorts `checkpoint-100` before `checkpoint-50`, so
    the `checkpoint-<step>` references of one directory are put in step order in the places they hold,
    every other reference keeping its place. A pattern that matches nothing is an error."""
    out: list[str] = []
    for ref in refs:
        prefix, pattern = ("replay:", ref[len("replay:"):]) if ref.startswith("replay:") else ("", ref)
        if ref.startswith("openai:") or not GLOB_CHARS & set(pattern):
            out.append(ref)
            continue
        found = sorted(glob.glob(str(Path(pattern).expanduser())))
        if not found:
            raise HarnessError(f"model pattern {ref!r} matches nothing")
        out += [prefix + f for f in found]
    return _checkpoints_by_step(out)


def _checkpoints_by_step(refs: list[str]) -> list[str]:
    def step(ref: str) -> int | None:
        m = CHECKPOINT.match(Path(ref.removeprefix("replay:").rstrip("/")).name)
        return int(m.group(1)) if m else None

    groups: dict[str, list[int]] = {}  # parent directory -> positions of its checkpoint-<step> references
    for i, ref in enumerate(refs):
        if step(ref) is not None:
            groups.setdefault(str(Path(ref.rstrip("/")).parent), []).append(i)
    out = list(refs)
    for slots in groups.values():
        ordered = sorted((refs[i] for i in slots), key=step)  # type: ignore[arg-type, return-value]
        for i, ref in zip(slots, ordered, strict=True):
            out[i] = ref
    return out


def resolve_model(
    ref: str, cfg: HarnessConfig, demo_builder: Callable[[], tuple[Path, Path]] | None = None
) -> ModelSpec:
    """Turn what the user typed into a ModelSpec, or raise a HarnessError saying why not.

    The demo pair (`base`, `sft`) resolves only with a `demo_builder` (harness.api passes the one in
    harness/demo/, which trains with trainers/: the core does not import them). A `@FORMAT` suffix picks
    the prompt format and stays in the name, so two arms of one model tell apart in the results."""
    if ref not in cfg.models and not Path(ref).expanduser().exists():
        named, fmt = split_prompt_suffix(ref)
        if fmt is not None:
            spec = resolve_model(named, cfg, demo_builder)
            if spec.source == "replay":
                raise HarnessError(f"{ref!r}: replayed outputs were generated elsewhere; a prompt format does not apply")
            spec.name, spec.prompt_format = ref, fmt
            return spec
    if ref in cfg.models:
        entry = cfg.models[ref]
        if entry.backend == "openai":
            if not entry.base_url:
                raise HarnessError(f"model {ref!r}: backend \"openai\" needs base_url (e.g. http://127.0.0.1:8000/v1)")
            return ModelSpec(
                name=ref, path=f"openai:{entry.path}@{entry.base_url.rstrip('/')}", source="openai",
                prompt_format=entry.prompt_format, max_tokens=entry.max_tokens, backend="openai",
                served_model=entry.path, base_url=entry.base_url.rstrip("/"), api_key_env=entry.api_key_env,
                icl_prompt=_icl_file(entry.icl_prompt),
            )
        if entry.base:
            adapter = Path(entry.path).expanduser()
            if not (adapter / "adapter_config.json").is_file():
                raise HarnessError(f"model {ref!r}: base is set, so path must be an adapter directory (adapter_config.json)")
            spec = _adapter(ref, adapter, "config", base=entry.base)
        else:
            spec = _from_path(ref, entry.path, source="config")
        spec.engine, spec.hf = dict(entry.engine), dict(entry.hf)
        spec.prompt_format = entry.prompt_format
        spec.icl_prompt = _icl_file(entry.icl_prompt)
        spec.max_tokens = entry.max_tokens
        spec.backend = entry.backend
        return spec
    if ref in DEMO_NAMES and demo_builder is not None:  # harness.api passes the demo's builder
        base, sft = demo_builder()
        return ModelSpec(name=ref, path=str(base if ref == "base" else sft), source="demo")
    if ref.startswith("openai:"):
        from harness.runners.openai_engine import parse_ref

        model, url = parse_ref(ref)
        return ModelSpec(name=ref, path=f"openai:{model}@{url}", source="openai", backend="openai",
                         served_model=model, base_url=url)
    return _from_path(ref, ref, source=None)


def _icl_file(path: str | None) -> str | None:
    """A replacement in-context prompt as an absolute path (relative ones are read from the working
    directory, as a model's `path` is), so data-parallel replicas elsewhere read the same file."""
    return str(Path(path).expanduser().resolve()) if path else None


def _from_path(name: str, path: str, source: str | None) -> ModelSpec:
    if path.startswith("replay:"):
        from harness.runners.replay import check_replay_file

        file = check_replay_file(path[len("replay:") :])
        return ModelSpec(name=name, path=str(file), source="replay", prompt_format="replay")
    p = Path(path).expanduser()
    if p.exists():
        if p.is_dir() and not (p / "config.json").exists() and (p / "adapter_config.json").exists():
            return _adapter(name, p, source)
        if not p.is_dir() or not (p / "config.json").exists():
            raise HarnessError(f"{p} is not a model directory (no config.json inside)")
        return ModelSpec(name=name, path=str(p.resolve()), source=source or "local")
    if HUB_ID.match(path) and not path.startswith((".", "/", "~")):
        return ModelSpec(name=name, path=path, source=source or "hub")
    known = ", ".join(DEMO_NAMES)
    if source == "config":
        raise HarnessError(f"model {name!r}: path {path!r} does not exist")
    raise HarnessError(
        f"unknown model {name!r}: not a name from harness.toml, not the demo pair ({known}), "
        "not an existing directory, not a hub id (owner/name), not replay:FILE and not openai:MODEL@URL"
    )


def _adapter(name: str, adapter: Path, source: str | None, base: str | None = None) -> ModelSpec:
    """A LoRA/PEFT adapter directory: the base named in its adapter_config.json (or `base`) plus the adapter."""
    import json

    try:
        cfg = json.loads((adapter / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise HarnessError(f"{adapter / 'adapter_config.json'}: cannot read it ({e})") from None
    named = base or (cfg.get("base_model_name_or_path") if isinstance(cfg, dict) else None)
    if not named:
        raise HarnessError(f"{adapter}: the adapter does not name its base model; set [models.{name}] base = \"…\"")
    try:
        spec = _from_path(name, str(named), source)
    except HarnessError as e:
        raise HarnessError(f"{adapter}: its base model {named!r} cannot be used ({e}); set [models.{name}] base = \"…\"") from None
    if spec.adapter:
        raise HarnessError(f"{adapter}: its base {named!r} is itself an adapter")
    spec.adapter = str(adapter.resolve())
    spec.source = source or "adapter"
    return spec


def configured_names(cfg: HarnessConfig) -> list[str]:
    return [*cfg.models, *DEMO_NAMES]


def model_load_error(spec: ModelSpec, err: Exception) -> HarnessError:
    if spec.source == "hub":
        return HarnessError(
            f"could not load {spec.path!r} from the Hugging Face hub ({type(err).__name__}: {str(err)[:200]}). "
            "If the hub is unreachable from this machine, download the model where it is reachable "
            "and pass its local directory."
        )
    return HarnessError(f"could not load model {spec.name!r} from {spec.path}: {str(err)[:300]}")


def tokenizer_path(spec: ModelSpec) -> str:
    """An adapter's own tokenizer (a chat template and tokens SFT added) when it has one, else the base's."""
    if spec.adapter and any((Path(spec.adapter) / f).exists() for f in ("tokenizer.json", "tokenizer_config.json")):
        return spec.adapter
    return spec.path


def load_tokenizer(spec: ModelSpec) -> Any:
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(tokenizer_path(spec))
    except (OSError, ValueError) as e:
        raise model_load_error(spec, e) from None
