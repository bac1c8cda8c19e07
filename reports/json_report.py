"""Results documents on disk, for the renderers: written atomically, read through the types.

The reading and writing live in the core (harness/outputs.py, harness/results.py); renderers take the
document as its JSON object.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.outputs import read_json, write_atomic
from harness.results import parse_results


def write_results(path: str | Path, results: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(results, ensure_ascii=False, indent=2) + "\n")


def read_results(path: str | Path) -> dict[str, Any]:
    """A results document as its JSON object, validated against the types (harness/results.py): anything
    else is a one-line error naming the file and the field."""
    p = Path(path)
    return parse_results(read_json(p, "results"), str(p)).to_json()
