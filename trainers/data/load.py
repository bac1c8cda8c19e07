"""Read training-data sources into Examples: JSONL, JSON arrays, Parquet and `hf:NAME[:split]`.

`load_examples(["a.jsonl", "sharegpt:b.json", "hf:tatsu-lab/alpaca"])` -> `Loaded`. A source is
`[FORMAT:]PATH` (the format sniffed from the first record's keys when not named) or
`hf:NAME[:split]` / `hf:NAME:CONFIG:SPLIT`. Every row either becomes an Example or a Rejected
row naming file:line, the field and why (invalid JSON included); a source that cannot be read
at all, or whose rows are all rejected, is a HarnessError naming it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, where
from harness.suites import LoadLog, RecordError, iter_records
from trainers.data.formats import FORMATS, Example, Rejected, sniff_format, to_example

SHOW = 3


@dataclass
class SourceStats:
    source: str
    format: str
    rows: int = 0  # rows read: examples + rejected
    rejected: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "format": self.format, "rows": self.rows, "rejected": self.rejected}


@dataclass
class Loaded:
    examples: list[Example] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    sources: list[SourceStats] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.examples) + len(self.rejected)


class _RejectLog(LoadLog):
    """iter_records reports an unparsable JSONL line through `skip`: keep it as a Rejected row."""

    def __init__(self) -> None:
        super().__init__()
        self.rejected: list[Rejected] = []

    def skip(self, location: str, why: str) -> None:
        self.rejected.append(Rejected(location, None, why))


def split_spec(spec: str) -> tuple[str | None, str]:
    """`FORMAT:PATH` -> (format, path); a plain path (even one with a colon) -> (None, path)."""
    fmt, sep, rest = spec.partition(":")
    if sep and (fmt in FORMATS or fmt == "hf"):
        return fmt, rest
    if sep and not Path(spec).exists() and len(fmt) > 1 and "/" not in fmt:
        raise HarnessError(f"unknown data format {fmt!r} in {spec!r}; known: {', '.join(sorted([*FORMATS, 'hf']))}")
    return None, spec


def _parquet_rows(path: Path) -> Iterator[tuple[int, Any]]:
    # pyarrow (what `datasets` reads Parquet with) streamed in batches: no cache copy, no progress bars.
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as e:
        raise HarnessError(f"{path}: cannot read as Parquet ({type(e).__name__}: {str(e)[:200]})") from None
    n = 0
    for batch in pf.iter_batches(batch_size=4096):
        for row in batch.to_pylist():
            n += 1
            yield n, row


def _hub_rows(spec: str) -> Iterator[tuple[int, Any]]:
    from harness.suites.hub import parse_spec

    name, config, split = parse_spec(spec)
    import datasets

    try:
        ds = datasets.load_dataset(name, config, split=split or "train")
    except Exception as e:  # offline, not found, bad split: one clear message
        raise HarnessError(
            f"hf:{spec}: could not load {name!r} from the Hugging Face hub ({type(e).__name__}: {str(e)[:200]}). "
            "Download it where the hub is reachable, save it as JSONL or Parquet and pass FORMAT:PATH."
        ) from None
    for i, row in enumerate(ds, 1):
        yield i, dict(row)


def _rows(spec: str, fmt: str | None, target: str, log: _RejectLog) -> tuple[Iterable[tuple[int, Any]], str]:
    """(line or row number, record) pairs of one source, and its label for file:line."""
    if fmt == "hf":
        if not target:
            raise HarnessError(f"{spec!r}: give a dataset name after 'hf:'")
        return _hub_rows(target), f"hf:{target}"
    path = Path(target)
    if not path.exists():
        raise HarnessError(f"training data not found: {path}")
    if path.is_dir():
        raise HarnessError(f"{path} is a directory; pass the data files")
    if path.suffix == ".parquet":
        return _parquet_rows(path), str(path)
    if path.suffix in (".yaml", ".yml"):
        raise HarnessError(f"{path}: training data is read from JSONL, JSON or Parquet files")
    return iter_records(path, log), str(path)


def load_source(spec: str) -> tuple[list[Example], list[Rejected], SourceStats]:
    fmt, target = split_spec(spec)
    log = _RejectLog()
    rows, label = _rows(spec, fmt, target, log)
    examples: list[Example] = []
    pending: list[tuple[int, Any]] = []  # records seen before the format is known (auto-detection)
    it = iter(rows)
    if fmt is None:
        keys_seen = None
        for lineno, rec in it:
            pending.append((lineno, rec))
            if isinstance(rec, dict):
                keys_seen = rec
                fmt = sniff_format(rec)
                break
        if keys_seen is None:
            bad = [*log.rejected, *(Rejected(where(label, ln), None, "expected a JSON object") for ln, _ in pending)]
            detail = "; ".join(str(r) for r in bad[:SHOW])
            raise HarnessError(f"{label}: no usable rows" + (f" ({len(bad)} rejected: {detail})" if bad else ""))
        if fmt is None:
            keys = ", ".join(sorted(keys_seen))
            raise HarnessError(
                f"{label}: cannot detect the training-data format (keys: {keys}); name it: FORMAT:PATH "
                f"with FORMAT one of {', '.join(sorted(FORMATS))}"
            )
    rejected_rows: list[Rejected] = []
    for lineno, rec in _chain(pending, it):
        loc = where(label, lineno)
        try:
            examples.append(to_example(rec, fmt, loc))
        except RecordError as e:
            rejected_rows.append(Rejected(loc, e.field, e.message))
    rejected = sorted(log.rejected + rejected_rows, key=lambda r: _line(r.source))
    stats = SourceStats(label, fmt, len(examples) + len(rejected), len(rejected))
    if not examples:
        detail = "; ".join(str(r) for r in rejected[:SHOW])
        raise HarnessError(f"{label}: no usable rows" + (f" ({len(rejected)} rejected: {detail})" if detail else ""))
    return examples, rejected, stats


def _chain(first: list[tuple[int, Any]], rest: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    yield from first
    yield from rest


def _line(source: str) -> int:
    tail = source.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def load_examples(specs: list[str]) -> Loaded:
    """Load every source in order; the first unreadable one is a HarnessError naming it."""
    out = Loaded()
    for spec in specs:
        examples, rejected, stats = load_source(spec)
        out.examples += examples
        out.rejected += rejected
        out.sources.append(stats)
    return out
