"""The harness's own case schema, as JSONL (one case per line) or a YAML list. See docs/suite-format.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.errors import HarnessError, where
from harness.records import Case, CheckSpec
from harness.suites import suite_format

REQUIRED = ("id", "category", "lang", "turns")
KNOWN = {*REQUIRED, "reference", "aliases", "references", "checks", "metadata"}


def _records(path: Path) -> list[tuple[int, Any]]:
    """(line number, parsed object) pairs; a line that is not JSON is an error naming file:line."""
    if path.suffix in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise HarnessError(f"{path}: invalid YAML: {e}") from None
        if not isinstance(data, list):
            raise HarnessError(f"{path}: a YAML suite must be a list of cases")
        return [(i + 1, d) for i, d in enumerate(data)]
    out = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip() or line.lstrip().startswith("//"):
                continue
            try:
                out.append((lineno, json.loads(line)))
            except json.JSONDecodeError as e:
                raise HarnessError(f"{where(path, lineno)}: not valid JSON ({e.msg} at column {e.colno})") from None
    return out


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
        ref = str(ref)
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
        checks.append(CheckSpec(id=spec["id"], kwargs=kwargs))
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
        references=list(obj.get("references") or []),
        checks=checks,
        metadata=metadata,
        source=where(path, lineno),
    )


@suite_format("jsonl")
def load(path: Path) -> list[Case]:
    cases = [parse_case(obj, path, lineno) for lineno, obj in _records(path)]
    seen: dict[str, str] = {}
    for c in cases:
        if c.id in seen:
            raise HarnessError(f"{c.source}: field 'id': duplicate id {c.id!r} (first at {seen[c.id]})")
        seen[c.id] = c.source
    return cases
