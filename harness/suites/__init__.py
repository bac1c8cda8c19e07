"""The suite-format registry: `--suite FORMAT:PATH`, or a built-in suite name.

A suite format is one module with a function `load(path) -> list[Case]` registered with
`@suite_format("name")`, plus one import line at the bottom of this file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from harness.errors import HarnessError
from harness.records import Case

BENCHMARKS_DIR = Path(__file__).resolve().parents[2] / "benchmarks"

LoaderFn = Callable[[Path], list[Case]]
FORMATS: dict[str, LoaderFn] = {}


def suite_format(name: str) -> Callable[[LoaderFn], LoaderFn]:
    def register(fn: LoaderFn) -> LoaderFn:
        FORMATS[name] = fn
        return fn

    return register


def builtin_suites() -> dict[str, Path]:
    """Built-in suites: every data file directly under benchmarks/ (name = file stem)."""
    found: dict[str, Path] = {}
    for ext in ("jsonl", "yaml", "yml"):
        for p in sorted(BENCHMARKS_DIR.glob(f"*.{ext}")):
            found.setdefault(p.stem, p)
    return found


def load_suite(ref: str) -> list[Case]:
    """Load a suite reference: a built-in name, `FORMAT:PATH`, or a path (format from the extension)."""
    fmt, _, rest = ref.partition(":")
    if rest and fmt in FORMATS:
        path, name = Path(rest), Path(rest).stem
    elif rest and not Path(ref).exists() and len(fmt) > 1:
        raise HarnessError(f"unknown suite format {fmt!r} in {ref!r}; known formats: {', '.join(sorted(FORMATS))}")
    else:
        builtins = builtin_suites()
        if ref in builtins:
            fmt, path, name = "jsonl", builtins[ref], ref
        else:
            path, name = Path(ref), Path(ref).stem
            if not path.exists():
                raise HarnessError(
                    f"suite {ref!r} is neither a built-in suite ({', '.join(builtins) or 'none'}) nor an existing file"
                )
            fmt = "jsonl"
    if not path.exists():
        raise HarnessError(f"suite file not found: {path}")
    cases = FORMATS[fmt](path)
    for c in cases:
        c.suite = c.suite or name
    if not cases:
        raise HarnessError(f"{path}: the suite holds no cases")
    return cases


def load_suites(refs: list[str]) -> list[Case]:
    """Load several suites; ids must stay unique across them (prefixed by suite on clash)."""
    cases: list[Case] = []
    seen: set[str] = set()
    for ref in refs:
        for c in load_suite(ref):
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
    out = [
        c for c in cases if (not categories or c.category in categories) and (not langs or c.lang in langs)
    ]
    return out[:limit] if limit else out


# Registration lines: one per suite format module.
from harness.suites import jsonl  # noqa: E402,F401
