"""Every knob of the harness, named once with its default and a one-line help.

`harness.toml` (optional, in the working directory or given with --config) may hold:

    [models.NAME]
    path = "Qwen/Qwen2.5-0.5B"     # local dir, hub id, or replay:FILE.jsonl
    prompt_format = "auto"         # auto | chat | raw | icl (NAME@FORMAT picks one per reference)
    icl_prompt = "my-prompt.txt"   # optional: replaces the built-in in-context prompt of `icl`
    max_tokens = 256
    backend = "vllm"               # optional: vllm | hf | replay

    [run]
    max_tokens = 128
    temperature = 0.0
    seed = 0
"""

from __future__ import annotations

import math
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from harness.engine_options import check_options
from harness.errors import HarnessError


def available_cores() -> int:
    """CPU cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1

# auto: the chat template if the tokenizer has one, else raw; icl: raw text inside the in-context
# alignment prompt (harness/icl.py). A model reference's suffix NAME@FORMAT names one of these.
PROMPT_FORMATS = ("auto", "chat", "raw", "icl")


def harness_home() -> Path:
    """Cache root: $HARNESS_HOME, default ~/.cache/sft-harness."""
    return Path(os.environ.get("HARNESS_HOME") or Path.home() / ".cache" / "sft-harness")


@dataclass
class RunConfig:
    max_tokens: int = field(default=128, metadata={"help": "token cap per turn; a base model that never stops hits it"})
    temperature: float = field(default=0.0, metadata={"help": "0 = greedy decoding (default, deterministic)"})
    top_p: float = field(default=1.0, metadata={"help": "nucleus sampling mass when temperature > 0"})
    seed: int = field(default=0, metadata={"help": "sampling seed"})
    backend: str | None = field(default=None, metadata={"help": "vllm | hf | openai | replay; default: vllm on a GPU, hf without one"})
    batch_size: int = field(default=64, metadata={"help": "prompts per batch for the hf backend"})
    history: str = field(default="own", metadata={"help": "multi-turn history: own (the model's answers) | golden (the case's references)"})
    use_cache: bool = field(default=True, metadata={"help": "reuse cached generations for identical requests"})
    dtype: str = field(
        default="auto",
        metadata={"help": "weights' precision: auto (the checkpoint's own on CPU, vLLM's choice on a GPU) | float32 | bfloat16 | float16"},
    )
    vllm_kv_cache_gib: float = field(default=1.0, metadata={"help": "VLLM_CPU_KVCACHE_SPACE on CPU when unset"})
    replay_strict: bool = field(default=False, metadata={"help": "replay: unmatched, missing or duplicate outputs are errors"})
    request_concurrency: int = field(default=16, metadata={"help": "openai backend: requests in flight at once per model"})
    request_timeout_s: float = field(default=120.0, metadata={"help": "openai backend: seconds to wait for one reply"})
    request_retries: int = field(
        default=4, metadata={"help": "openai backend: retries (with backoff) on 429, 5xx, timeouts, dropped connections"}
    )
    data_parallel: int = field(
        default=1, metadata={"help": "engine replicas per model, as Ray actors (--dp): each takes a share of the cases"}
    )
    engine: dict[str, Any] = field(
        default_factory=dict, metadata={"help": "[run.engine]: vLLM engine arguments for every model (EngineArgs fields)"}
    )
    hf: dict[str, Any] = field(
        default_factory=dict, metadata={"help": "[run.hf]: from_pretrained options for the hf backend (device_map, …)"}
    )


@dataclass(frozen=True)
class ScoringConfig:
    """Thresholds of the scorers (harness/scorers/); `[scoring]` in harness.toml overrides them.

    Passed to every scorer as an argument (`score_case(case, gen, cfg)`), never installed globally:
    two runs with different thresholds can score side by side in one process. Frozen: derive a
    variant with `dataclasses.replace`."""

    echo_min_ratio: float = field(default=0.6, metadata={"help": "share of the prompt repeated at the start = echo"})
    echo_min_prompt_tokens: int = field(
        default=3, metadata={"help": "prompts with fewer words/CJK chars are not judged for echo ('你好' -> '你好！')"}
    )
    continuation_min_questions: int = field(
        default=2, metadata={"help": "new questions (not addressed to the user) that make an output a continuation"}
    )
    continuation_min_question_share: float = field(
        default=0.25, metadata={"help": "...and make at least this share of its sentences (a story may ask one)"}
    )
    repetition_ngram: int = field(default=4, metadata={"help": "n for the repeated n-gram check"})
    repetition_max_ratio: float = field(
        default=0.5, metadata={"help": "max share of repeated n-grams before 'looping'"}
    )
    repetition_min_ngrams: int = field(
        default=8, metadata={"help": "outputs with fewer n-grams are too short to judge by the n-gram ratio"}
    )
    repetition_max_sentence_repeats: int = field(
        default=2, metadata={"help": "a sentence seen more often than this = looping"}
    )
    repetition_min_sentence_tokens: int = field(
        default=3, metadata={"help": "shorter sentences ('Yes.', '好的。') may repeat freely"}
    )
    scan_max_chars: int = field(
        default=100_000, metadata={"help": "n-gram/sentence analysis looks at this many leading characters at most"}
    )
    workers: int = field(
        default=0, metadata={"help": "scoring processes: 0 = one per core for 2,000+ cases, 1 = in-process"}
    )
    correctness_variants: list[str] = field(
        default_factory=lambda: ["contains"],
        metadata={"help": "checks of the correctness family: any of contains, exact, f1 (all must pass)"},
    )
    correctness_f1_min: float = field(default=0.5, metadata={"help": "correctness:f1 passes at this token F1"})
    implied_checks: bool = field(
        default=True, metadata={"help": "add the format checks a prompt's words imply (explicit checks win)"}
    )
    concise_max_ratio: float = field(
        default=3.0, metadata={"help": "directness:concise: an answer may be this many times the reference's length"}
    )
    concise_min_words: int = field(
        default=40, metadata={"help": "directness:concise: ...but always at least this many words (CJK characters count as words)"}
    )
    follow_up_min_similarity: float = field(
        default=0.3, metadata={"help": "coherence:follow_up with a local sentence-transformers model: cosine similarity floor"}
    )
    builds_on_min_overlap: float = field(
        default=0.2,
        metadata={"help": "coherence:builds_on: an answer reworking an earlier one shares at least this share of its content terms"},
    )
    follow_up_min_overlap: float = field(
        default=0.1,
        metadata={"help": "coherence:follow_up {of}: an answer to a turn that refers back shares at least this share of that exchange's content terms"},
    )
    shorter_max_ratio: float = field(
        default=0.9, metadata={"help": "coherence:shorter: the new answer has at most this many times the earlier one's words"}
    )
    longer_min_ratio: float = field(
        default=1.1, metadata={"help": "coherence:longer: the new answer has at least this many times the earlier one's words"}
    )
    embedding_model: str | None = field(
        default=None, metadata={"help": "local sentence-transformers model dir for coherence:follow_up (never downloaded)"}
    )


DEFAULT_SCORING = ScoringConfig()  # frozen: a shared default, never state


@dataclass
class ModelEntry:
    path: str  # a directory, a hub id, replay:FILE; for backend = "openai" the model's name on the server
    prompt_format: str = "auto"
    icl_prompt: str | None = None  # a file replacing the built-in in-context prompt (prompt format icl)
    max_tokens: int | None = None
    backend: str | None = None
    base_url: str | None = None  # backend = "openai": the server's URL, e.g. http://127.0.0.1:8000/v1
    api_key_env: str | None = None  # backend = "openai": the environment variable with the API key
    base: str | None = None  # path is a LoRA/PEFT adapter: the base model it applies to (else its adapter_config's)
    engine: dict[str, Any] = field(default_factory=dict)  # [models.NAME.engine]: vLLM engine arguments
    hf: dict[str, Any] = field(default_factory=dict)  # [models.NAME.hf]: from_pretrained options


JUDGE_MODES = ("single", "pairwise", "on_topic")
DEFAULT_JUDGE_MODES = ("single", "pairwise")  # on_topic is asked for: it adds a call per answer


@dataclass
class JudgeConfig:
    """`[judge]` in harness.toml (or --judge): a model that grades answers. Off unless a model is named."""

    model: str | None = field(
        default=None, metadata={"help": "the judge: any model reference the runner takes (openai:M@URL, a directory, replay:FILE)"}
    )
    modes: list[str] = field(
        default_factory=lambda: list(DEFAULT_JUDGE_MODES),
        metadata={"help": "single (a 1-10 grade per answer), pairwise (base vs SFT, both orders), on_topic (is each "
                          "answer about what was asked: judge:on_topic); run uses single and on_topic"},
    )
    max_tokens: int = field(default=512, metadata={"help": "token cap of one judge reply (rationale + verdict)"})
    temperature: float = field(default=0.0, metadata={"help": "judge decoding; 0 = greedy, reproducible"})
    prompts: str = field(default="v1", metadata={"help": "version of the judge prompts (harness/judge/prompts/VERSION/)"})
    confirm_above: int = field(
        default=200, metadata={"help": "judge calls above which a run that cannot ask (no terminal) needs --yes"}
    )
    out: str | None = field(
        default=None,
        metadata={"help": "write each judge request and reply as JSONL {id, prompt, output}: --judge replay:FILE re-scores from it"},
    )


@dataclass
class HarnessConfig:
    path: Path | None = None
    models: dict[str, ModelEntry] = field(default_factory=dict)
    run: RunConfig = field(default_factory=RunConfig)
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    judge: JudgeConfig = field(default_factory=JudgeConfig)


def _type_ok(value: Any, hint: Any) -> bool:
    """Does a TOML value fit a field's annotated type (int, float, bool, str, list[str], X | None)?"""
    if hint is Any:
        return True
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_type_ok(value, a) for a in args)
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    if typing.get_origin(hint) is list:
        return isinstance(value, list) and all(_type_ok(v, args[0]) for v in value) if args else isinstance(value, list)
    return isinstance(value, hint) if isinstance(hint, type) else True


def _type_name(hint: Any) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string", type(None): "absent"}
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(hint) if a is not type(None))
    if typing.get_origin(hint) is list:
        return "a list of " + _type_name(typing.get_args(hint)[0]).replace("a ", "").replace("an ", "") + "s"
    return names.get(hint, getattr(hint, "__name__", str(hint)))


def _build(cls: type, data: Any, where: str) -> Any:
    """`cls` from one TOML table: unknown keys and values of the wrong type are errors naming the
    file, the table and the field (a string where a number belongs is never taken)."""
    if not isinstance(data, dict):
        raise HarnessError(f"{where}: must be a table ([...] with key = value lines), got {type(data).__name__}")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise HarnessError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    hints = typing.get_type_hints(cls)
    for key, value in data.items():
        if not _type_ok(value, hints[key]):
            raise HarnessError(f"{where}: field '{key}' must be {_type_name(hints[key])}, got {value!r}")
        if isinstance(value, float) and hints[key] is float and not math.isfinite(value):
            raise HarnessError(f"{where}: field '{key}' must be a finite number, got {value!r}")
    obj = cls(**data)
    return obj


def _check_run_ranges(run: RunConfig, where: str) -> None:
    for name, ok, want in (
        ("max_tokens", run.max_tokens >= 1, "at least 1"),
        ("temperature", run.temperature >= 0, "0 or more"),
        ("top_p", 0 < run.top_p <= 1, "in (0, 1]"),
        ("batch_size", run.batch_size >= 1, "at least 1"),
        ("vllm_kv_cache_gib", run.vllm_kv_cache_gib > 0, "more than 0"),
        ("history", run.history in ("own", "golden"), "own or golden"),
        ("dtype", run.dtype in ("auto", "float32", "bfloat16", "float16"), "auto, float32, bfloat16 or float16"),
        ("request_concurrency", run.request_concurrency >= 1, "at least 1"),
        ("data_parallel", run.data_parallel >= 1, "at least 1"),
        ("request_timeout_s", run.request_timeout_s > 0, "more than 0"),
        ("request_retries", run.request_retries >= 0, "0 or more"),
    ):
        if not ok:
            raise HarnessError(f"{where}: field '{name}' must be {want}, got {getattr(run, name)!r}")


def check_judge(judge: JudgeConfig, where: str) -> None:
    bad = [m for m in judge.modes if m not in JUDGE_MODES]
    if bad or not judge.modes:
        raise HarnessError(f"{where}: field 'modes' must list one or more of {', '.join(JUDGE_MODES)}, got {judge.modes!r}")
    for name, ok, want in (
        ("max_tokens", judge.max_tokens >= 1, "at least 1"),
        ("temperature", judge.temperature >= 0, "0 or more"),
        ("confirm_above", judge.confirm_above >= 0, "0 or more"),
    ):
        if not ok:
            raise HarnessError(f"{where}: field '{name}' must be {want}, got {getattr(judge, name)!r}")


def load_config(path: str | Path | None = None) -> HarnessConfig:
    """Read harness.toml (explicit path, else ./harness.toml if present, else defaults)."""
    if path is None:
        candidate = Path("harness.toml")
        if not candidate.exists():
            return HarnessConfig()
        path = candidate
    path = Path(path)
    if not path.exists():
        raise HarnessError(f"config file not found: {path}")
    if path.is_dir():
        raise HarnessError(f"{path}: is a directory, not a harness.toml file")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise HarnessError(f"{path}: invalid TOML: {e}") from None
    except UnicodeDecodeError:
        raise HarnessError(f"{path}: not a text file (harness.toml is UTF-8 TOML)") from None
    except OSError as e:
        raise HarnessError(f"{path}: cannot read: {e.strerror or e}") from None
    cfg = HarnessConfig(path=path)
    models = data.get("models") or {}
    if not isinstance(models, dict):
        raise HarnessError(f"{path}: 'models' must be a table of [models.NAME] tables, got {type(models).__name__}")
    for name, entry in models.items():
        where = f"{path}: [models.{name}]"
        if not isinstance(entry, dict) or "path" not in entry:
            raise HarnessError(f"{where}: field 'path' is required")
        model = _build(ModelEntry, entry, where)
        model.engine = check_options(model.engine, "engine", f"{where[:-1]}.engine]", per_model=True)
        model.hf = check_options(model.hf, "hf", f"{where[:-1]}.hf]", per_model=True)
        if model.prompt_format not in PROMPT_FORMATS:
            raise HarnessError(f"{where}: field 'prompt_format' must be one of {', '.join(PROMPT_FORMATS)}, got {model.prompt_format!r}")
        if model.icl_prompt is not None:
            from harness.icl import load_icl_prompt

            try:
                load_icl_prompt(model.icl_prompt)  # checked now: a bad file fails before any model loads
            except HarnessError as e:
                raise HarnessError(f"{where}: field 'icl_prompt': {e}") from None
        cfg.models[name] = model
    if "run" in data:
        cfg.run = _build(RunConfig, data["run"], f"{path}: [run]")
        cfg.run.engine = check_options(cfg.run.engine, "engine", f"{path}: [run.engine]", per_model=False)
        cfg.run.hf = check_options(cfg.run.hf, "hf", f"{path}: [run.hf]", per_model=False)
        _check_run_ranges(cfg.run, f"{path}: [run]")
    if "scoring" in data:
        cfg.scoring = _build(ScoringConfig, data["scoring"], f"{path}: [scoring]")
    if "judge" in data:
        cfg.judge = _build(JudgeConfig, data["judge"], f"{path}: [judge]")
        check_judge(cfg.judge, f"{path}: [judge]")
    unknown = sorted(set(data) - {"models", "run", "scoring", "judge"})
    if unknown:
        raise HarnessError(f"{path}: unknown table(s) {', '.join(unknown)}; known: models, run, scoring, judge")
    return cfg
