"""Write and read results documents atomically (a crash never leaves half a file)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from harness.errors import HarnessError

SCHEMA = "harness.results/v1"


def write_atomic(path: str | Path, text: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_results(path: str | Path, results: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(results, ensure_ascii=False, indent=2) + "\n")


def read_results(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HarnessError(f"results file not found: {path}") from None
    except json.JSONDecodeError as e:
        raise HarnessError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise HarnessError(f"{path}: field 'schema': expected {SCHEMA!r}, got {data.get('schema')!r}")
    return data
