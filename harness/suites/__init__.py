"""The suite-format registry: `--suite FORMAT:PATH`, `--suite hf:NAME[:split]`, a path, or a built-in name.

A suite format is one module registering a loader plus one import line at the bottom of this
file. Two kinds of registration:

- `@record_format("name", sniff=..., help=...)` on `convert(record: dict, n: int) -> Case` for a
  format made of one JSON object per case (JSONL, a JSON array, or hub rows). The shared reader
  names file:line on bad input, skips bad records (reported) and drops duplicate ids.
- `@suite_format("name", ...)` on `load(path, log) -> list[Case]` for a format that reads its
  file itself (our own `jsonl:` schema, which is strict: any bad line is an error).

A path without a prefix is auto-detected from the keys of its first record (`sniff`).
`hf:NAME[:split]` loads a dataset from the Hugging Face hub through `datasets` and converts its
rows with the record format its columns match.

Skipped records are reported as notes (or raise with `strict=True`). `suite_prompts(cases)`
gives every user turn text of loaded cases (issue E: decontamination of training data).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, where
from harness.records import Case

BENCHMARKS_DIR = Path(__file__).resolve().parents[2] / "benchmarks"
SUITE_EXTS = ("jsonl", "yaml", "yml")
SHOW_SKIPPED = 3  # how many skipped-record messages a note quotes


class RecordError(Exception):
    """One record of a public-format file is unusable: `field` names what is wrong."""

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class LoadLog:
    """What a loader skipped (file:line: field: why) and other remarks, for notes or --strict."""

    def __init__(self) -> None:
        self.skipped: list[str] = []
        self.remarks: list[str] = []

    def skip(self, location: str, why: str) -> None:
        self.skipped.append(f"{location}: {why}")

    def remark(self, message: str) -> None:
        self.remarks.append(message)

    def summary(self, label: str) -> list[str]:
        out = list(self.remarks)
        if self.skipped:
            first = "; ".join(self.skipped[:SHOW_SKIPPED])
            more = f" (+{len(self.skipped) - SHOW_SKIPPED} more)" if len(self.skipped) > SHOW_SKIPPED else ""
            out.append(f"{label}: skipped {len(self.skipped)} record(s): {first}{more}")
        return out


LoaderFn = Callable[[Path, LoadLog], list[Case]]
ConvertFn = Callable[[dict[str, Any], int], Case]
SniffFn = Callable[[Mapping[str, Any]], bool]
SourceFn = Callable[[str, LoadLog], tuple[list[Case], str]]  # spec -> (cases, suite name)


@dataclass
class SuiteFormat:
    name: str
    load: LoaderFn
    help: str = ""
    sniff: SniffFn | None = None
    convert: ConvertFn | None = None  # record formats only (also used for hub rows)
    rank: int = 50  # sniffing order: lower first (formats with distinctive keys before generic ones)


FORMATS: dict[str, SuiteFormat] = {}
SOURCES: dict[str, tuple[SourceFn, str]] = {}  # non-file prefixes: hf


def suite_format(
    name: str, *, sniff: SniffFn | None = None, help: str = "", rank: int = 50
) -> Callable[[LoaderFn], LoaderFn]:
    """Register `load(path, log) -> list[Case]` as format `name`."""

    def register(fn: LoaderFn) -> LoaderFn:
        FORMATS[name] = SuiteFormat(name, fn, help or (fn.__doc__ or "").strip(), sniff, rank=rank)
        return fn

    return register


def record_format(name: str, *, sniff: SniffFn, help: str, rank: int = 50) -> Callable[[ConvertFn], ConvertFn]:
    """Register `convert(record, n) -> Case` (n = 1-based record number) as format `name`."""

    def register(fn: ConvertFn) -> ConvertFn:
        def load(path: Path, log: LoadLog) -> list[Case]:
            return convert_records(iter_records(path, log), fn, log, label=str(path))

        FORMATS[name] = SuiteFormat(name, load, help, sniff, fn, rank)
        return fn

    return register


def suite_source(name: str, help: str) -> Callable[[SourceFn], SourceFn]:
    """Register a prefix whose target is not a local file (`hf:NAME[:split]`)."""

    def register(fn: SourceFn) -> SourceFn:
        SOURCES[name] = (fn, help)
        return fn

    return register


def known_prefixes() -> list[str]:
    return sorted([*FORMATS, *SOURCES])


# ---------------------------------------------------------------------------------------------
# Reading records


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise HarnessError(f"{path}: not UTF-8 text (byte {e.start}): a binary file? JSONL, JSON and YAML files must be UTF-8 text") from None
    except OSError as e:
        raise HarnessError(f"{path}: cannot read ({e.strerror or e})") from None


def _json_array(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    """(line, element) of a JSON array file; a syntax error stops with file:line:column."""
    dec = json.JSONDecoder()
    i = text.index("[") + 1
    line, seen = 1, 0

    def fail(pos: int, msg: str) -> HarnessError:
        ln = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        return HarnessError(f"{where(path, ln)}: not valid JSON ({msg} at column {col}); cannot read past it")

    expect_value = True
    while True:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        if i >= len(text):
            raise fail(i, "unterminated array")
        ch = text[i]
        if ch == "]":
            return
        if ch == "," and not expect_value:
            expect_value = True
            i += 1
            continue
        if not expect_value:
            raise fail(i, "expected ',' or ']'")
        try:
            obj, end = dec.raw_decode(text, i)
        except json.JSONDecodeError as e:
            raise fail(e.pos, e.msg) from None
        line += text.count("\n", seen, i)
        seen = i
        yield line, obj
        i, expect_value = end, False


def jsonl_lines(text: str) -> list[str]:
    """JSONL lines: split on "\n" only (a trailing "\r" dropped). `str.splitlines` would also split on
    U+2028, U+0085 and friends, which JSON allows unescaped inside strings."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def iter_records(path: Path, log: LoadLog | None = None, strict: bool = False) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for a JSONL file, a JSON array file or a YAML list.

    A JSONL line that is not JSON is skipped and logged (an error when `strict`); a broken JSON
    array or YAML document cannot be read past, so it is an error.
    """
    if path.suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(_read_text(path))
        except yaml.YAMLError as e:
            raise HarnessError(f"{path}: invalid YAML: {e}") from None
        if not isinstance(data, list):
            raise HarnessError(f"{path}: a YAML suite must be a list of cases")
        yield from ((i + 1, d) for i, d in enumerate(data))
        return
    text = _read_text(path)
    if text.lstrip().startswith("["):
        yield from _json_array(path, text)
        return
    for lineno, line in enumerate(jsonl_lines(text), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as e:
            msg = f"not valid JSON ({e.msg} at column {e.colno})"
            if strict or log is None:
                raise HarnessError(f"{where(path, lineno)}: {msg}") from None
            log.skip(where(path, lineno), msg)


def convert_records(
    records: Iterator[tuple[int, Any]] | list[tuple[int, Any]], convert: ConvertFn, log: LoadLog, label: str
) -> list[Case]:
    """Convert records to cases: bad records and duplicate ids are skipped and logged."""
    cases: list[Case] = []
    first_at: dict[str, str] = {}
    for n, (lineno, obj) in enumerate(records, 1):
        loc = where(label, lineno)
        try:
            if not isinstance(obj, dict):
                raise RecordError(None, f"expected a JSON object, got {type(obj).__name__}")
            case = convert(obj, n)
        except RecordError as e:
            log.skip(where(label, lineno, e.field), e.message)
            continue
        if case.id in first_at:
            log.skip(where(label, lineno, "id"), f"duplicate id {case.id!r} (first at {first_at[case.id]})")
            continue
        first_at[case.id] = loc
        case.source = loc
        cases.append(case)
    return cases


def first_record(path: Path) -> Any:
    """The first record of a JSONL / JSON array file, for format sniffing (None if empty)."""
    text = _read_text(path)
    if text.lstrip().startswith("["):
        for _, obj in _json_array(path, text):
            return obj
        return None
    for lineno, line in enumerate(jsonl_lines(text), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            try:
                return json.loads(line)
            except json.JSONDecodeError as e:
                raise HarnessError(
                    f"{where(path, lineno)}: not valid JSON ({e.msg}), so the format cannot be detected; "
                    f"fix the line or name the format: FORMAT:{path} ({', '.join(known_prefixes())})"
                ) from None
    return None


def sniff_keys(keys: Mapping[str, Any], label: str) -> str:
    """The format whose sniff accepts these keys (lowest rank first); a clear error otherwise."""
    for fmt in sorted(FORMATS.values(), key=lambda f: f.rank):
        if fmt.sniff is not None and fmt.sniff(keys):
            return fmt.name
    outputs = ("choices", "response", "output", "completion")
    if any(k in keys for k in outputs) or ("question_id" in keys and "answer_id" in keys):
        raise HarnessError(
            f"{label}: looks like a file of model outputs (keys: {', '.join(sorted(keys))}), not a suite; "
            "pass it as a model: replay:FILE"
        )
    raise HarnessError(
        f"{label}: cannot detect the suite format from the keys of the first record "
        f"({', '.join(sorted(keys)) or 'none'}); name it: FORMAT:PATH with FORMAT one of {', '.join(known_prefixes())}"
    )


def detect_format(path: Path) -> str:
    """Sniff a file's format from its first record's keys (YAML and directories: our own schema)."""
    if path.is_dir() or path.suffix in (".yaml", ".yml"):
        return "jsonl"
    obj = first_record(path)
    if obj is None:
        raise HarnessError(f"{path}: the suite holds no cases")
    if not isinstance(obj, dict):
        raise HarnessError(f"{where(path, 1)}: expected a JSON object per case, got {type(obj).__name__}")
    return sniff_keys(obj, str(path))


# ---------------------------------------------------------------------------------------------
# Suites


def builtin_suites() -> dict[str, Path]:
    """Built-in suites: every data file directly under benchmarks/ (name = file stem)."""
    found: dict[str, Path] = {}
    for ext in SUITE_EXTS:
        for p in sorted(BENCHMARKS_DIR.glob(f"*.{ext}")):
            found.setdefault(p.stem, p)
    return found


def _report(log: LoadLog, label: str, notes: list[str] | None, strict: bool) -> None:
    lines = log.summary(label)
    if strict and log.skipped:
        raise HarnessError(f"{lines[-1]} (--strict: fix or remove these records)")
    for m in lines:
        if notes is None:
            warnings.warn(m, stacklevel=3)
        else:
            notes.append(m)


def load_suite(ref: str, notes: list[str] | None = None, strict: bool = False) -> list[Case]:
    """Load a suite reference: a built-in name, `FORMAT:PATH`, `hf:NAME[:split]`, or a path (sniffed).

    Skipped records go to `notes` (a warning when None); with `strict` they are an error.
    """
    log = LoadLog()
    builtins = builtin_suites()
    fmt, sep, rest = ref.partition(":")
    if ref in builtins:
        path, name, fmt = builtins[ref], ref, "jsonl"
    elif sep and fmt in SOURCES:
        if not rest:
            raise HarnessError(f"{ref!r}: give a dataset name after '{fmt}:'")
        cases, name = SOURCES[fmt][0](rest, log)
        label = ref
        path = None
    elif sep and fmt == "replay":
        raise HarnessError(
            f"{ref!r} is a file of model outputs, not a suite: pass it as a model (BASE/SFT) and name the suite "
            "its outputs answer with --suite"
        )
    elif sep and fmt in FORMATS:
        path, name = Path(rest), Path(rest).stem
    elif sep and not Path(ref).exists() and len(fmt) > 1:
        raise HarnessError(f"unknown suite format {fmt!r} in {ref!r}; known formats: {', '.join(known_prefixes())}")
    else:
        path, name = Path(ref), Path(ref).stem
        if not path.exists():
            raise HarnessError(
                f"suite {ref!r} is neither a built-in suite ({', '.join(builtins) or 'none'}) nor an existing file"
            )
        fmt = detect_format(path)
    if path is not None:
        if not path.exists():
            raise HarnessError(f"suite file not found: {path}")
        if path.is_dir() and fmt != "jsonl":
            raise HarnessError(f"{path} is a directory; the {fmt}: format reads one file")
        if path.is_dir():
            name = path.name
        cases = FORMATS[fmt].load(path, log)
        label = str(path)
    if not cases:
        detail = "; ".join(log.skipped[:SHOW_SKIPPED])
        raise HarnessError(f"{label}: the suite holds no usable cases" + (f" ({detail})" if detail else ""))
    _report(log, label, notes, strict)
    for c in cases:
        c.suite = c.suite or name
    return cases


def load_suites(refs: list[str], notes: list[str] | None = None, strict: bool = False) -> list[Case]:
    """Load several suites; ids must stay unique across them (prefixed by suite on clash)."""
    cases: list[Case] = []
    seen: set[str] = set()
    for ref in refs:
        for c in load_suite(ref, notes=notes, strict=strict):
            if c.id in seen:
                c.id = f"{c.suite}/{c.id}"
            if c.id in seen:
                raise HarnessError(f"{c.source}: field 'id': duplicate case id {c.id!r}")
            seen.add(c.id)
            cases.append(c)
    return cases


def filter_cases(
    cases: list[Case], categories: list[str] | None = None, langs: list[str] | None = None, limit: int | None = None
) -> list[Case]:
    out = [c for c in cases if (not categories or c.category in categories) and (not langs or c.lang in langs)]
    return out[:limit] if limit else out


def suite_prompts(cases: list[Case]) -> list[str]:
    """Every user turn text of `cases`, in order (issue E: decontaminate training data against them)."""
    return [t for c in cases for t in c.turns]


def format_help() -> list[tuple[str, str]]:
    """(prefix, one-line description) for every known format and source, for `harness suites`."""
    rows = [(f.name, f.help) for f in sorted(FORMATS.values(), key=lambda f: f.rank)]
    rows += [(name, help_) for name, (_, help_) in SOURCES.items()]
    return rows


# Registration lines: one per suite format module (sniffing order is each format's `rank`).
from harness.suites import alpaca, dolly, hub, ifeval, jsonl, messages, mt_bench, sharegpt, vicuna_bench  # noqa: E402,F401,I001
