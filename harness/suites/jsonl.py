"""`jsonl:` the harness's own case schema, as JSONL (one case per line), a YAML list, or a directory
of such files (one suite). See docs/suite-format.md and benchmarks/schema.json.

Unlike the public formats, our own schema is strict: any bad line is an error naming
file:line:field (a suite we or the user wrote should be fixed, not silently thinned).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, where
from harness.records import Case, CheckSpec
from harness.scorers import check_spec_error
from harness.suites import SUITE_EXTS, LoadLog, iter_records, suite_format

REQUIRED = ("id", "category", "lang", "turns")
KNOWN = {*REQUIRED, "reference", "aliases", "references", "checks", "metadata"}


def _records(path: Path) -> list[tuple[int, Any]]:
    """(line number, parsed object) pairs; a line that is not JSON is an error naming file:line."""
    return list(iter_records(path, strict=True))


def parse_case(obj: Any, path: Path, lineno: int) -> Case:
    """Validate one case object; every error names file:line and field."""
    if not isinstance(obj, dict):
        raise HarnessError(f"{where(path, lineno)}: expected a JSON object, got {type(obj).__name__}")
    for key in REQUIRED:
        if key not in obj:
            raise HarnessError(f"{where(path, lineno, key)}: missing (required: {', '.join(REQUIRED)})")
    unknown = sorted(set(obj) - KNOWN)
    if unknown:
        raise HarnessError(f"{where(path, lineno, unknown[0])}: unknown field; known: {', '.join(sorted(KNOWN))}")
    for key in ("id", "category", "lang"):
        if not isinstance(obj[key], str) or not obj[key].strip():
            raise HarnessError(f"{where(path, lineno, key)}: must be a non-empty string")
    turns = obj["turns"]
    if isinstance(turns, str):
        turns = [turns]
    if not isinstance(turns, list) or not turns or not all(isinstance(t, str) and t.strip() for t in turns):
        raise HarnessError(f"{where(path, lineno, 'turns')}: must be a non-empty list of non-empty strings")
    ref = obj.get("reference")
    if ref is not None and not isinstance(ref, str):
        raise HarnessError(f"{where(path, lineno, 'reference')}: must be a string (write {json.dumps(str(ref))}), got {type(ref).__name__}")
    aliases = obj.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise HarnessError(f"{where(path, lineno, 'aliases')}: must be a list of strings")
    checks = []
    for i, spec in enumerate(obj.get("checks") or []):
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str):
            raise HarnessError(f"{where(path, lineno, f'checks[{i}].id')}: each check needs a string 'id'")
        kwargs = spec.get("kwargs") or {}
        if not isinstance(kwargs, dict):
            raise HarnessError(f"{where(path, lineno, f'checks[{i}].kwargs')}: must be an object")
        problem = check_spec_error(spec["id"], kwargs)
        if problem:  # a suite mistake, not a model failure: said now, before anything is generated
            raise HarnessError(f"{where(path, lineno, f'checks[{i}]')}: {problem}")
        checks.append(CheckSpec(id=spec["id"], kwargs=kwargs))
    references = obj.get("references") or []
    if not isinstance(references, list) or not all(r is None or isinstance(r, str) for r in references):
        raise HarnessError(f"{where(path, lineno, 'references')}: must be a list of strings (or null)")
    metadata = obj.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise HarnessError(f"{where(path, lineno, 'metadata')}: must be an object")
    return Case(
        id=obj["id"],
        category=obj["category"],
        lang=obj["lang"],
        turns=list(turns),
        reference=ref,
        aliases=list(aliases),
        references=list(references),
        checks=checks,
        metadata=metadata,
        source=where(path, lineno),
    )


def _files(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    files = sorted(p for ext in SUITE_EXTS for p in path.glob(f"*.{ext}"))
    if not files:
        raise HarnessError(f"{path}: the directory holds no .jsonl/.yaml suite files")
    return files


def _sniff(keys) -> bool:
    return "category" in keys or "lang" in keys or ("turns" in keys and "id" in keys and "output" not in keys)


@suite_format(
    "jsonl", sniff=_sniff, rank=90, help="our own case schema: id, category, lang, turns, reference, checks..."
)
def load(path: Path, log: LoadLog | None = None) -> list[Case]:
    cases = [parse_case(obj, p, lineno) for p in _files(path) for lineno, obj in _records(p)]
    seen: dict[str, str] = {}
    for c in cases:
        if c.id in seen:
            raise HarnessError(f"{c.source}: field 'id': duplicate id {c.id!r} (first at {seen[c.id]})")
        seen[c.id] = c.source
    return cases
