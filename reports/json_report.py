"""Write and read results documents atomically (a crash never leaves half a file)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from harness.errors import HarnessError

SCHEMA = "harness.results/v1"


def _file_mode(path: Path) -> int:
    """The mode `open()` would give: the existing file's, else 0666 less the umask (mkstemp makes 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write through a temporary file and a rename: a crash or a full disk never leaves half a file.
    Any failure is a HarnessError naming the path ("cannot write out/x.json: No space left on device")."""
    path = Path(path)
    tmp: str | None = None
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory", str(path))
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise NotADirectoryError(20, f"{parent} is a file, not a directory", str(path))
                break
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise HarnessError(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise


def write_results(path: str | Path, results: dict[str, Any]) -> None:
    write_atomic(path, json.dumps(results, ensure_ascii=False, indent=2) + "\n")


def read_results(path: str | Path) -> dict[str, Any]:
    """A results document, checked enough that every reader can trust its shape: anything else is a
    one-line error naming the file and the field (a crash in a CI step must not read as a verdict)."""
    path = Path(path)
    if path.is_dir():
        raise HarnessError(f"{path}: is a directory, not a results JSON file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HarnessError(f"results file not found: {path}") from None
    except UnicodeDecodeError:
        raise HarnessError(f"{path}: not a text file (results are UTF-8 JSON)") from None
    except json.JSONDecodeError as e:
        raise HarnessError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    except OSError as e:
        raise HarnessError(f"{path}: cannot read: {e.strerror or e}") from None
    if not isinstance(data, dict):
        raise HarnessError(f"{path}: expected a results object ({SCHEMA}), got a JSON {type(data).__name__}")
    if data.get("schema") != SCHEMA:
        raise HarnessError(f"{path}: field 'schema': expected {SCHEMA!r}, got {data.get('schema')!r}")
    check_shape(data, path)
    return data


SIDES = {"compare": ("base", "sft"), "baseline": ("base", "sft"), "run": ("output",)}


def check_shape(data: dict[str, Any], path: str | Path) -> None:
    """The fields renderers and the gate read: kind, metrics rows, cases with their sides' outputs and checks."""

    def bad(field: str, want: str, got: Any) -> HarnessError:
        return HarnessError(f"{path}: field '{field}': expected {want}, got {type(got).__name__} {str(got)[:60]!r}")

    kind = data.get("kind")
    if kind not in SIDES:
        raise bad("kind", "one of " + ", ".join(SIDES), kind)
    for key in ("metrics", "cases"):
        if not isinstance(data.get(key, []), list):
            raise bad(key, "a list", data.get(key))
    for i, row in enumerate(data.get("metrics") or []):
        if not isinstance(row, dict) or not isinstance(row.get("name"), str):
            raise bad(f"metrics[{i}]", "an object with a string 'name'", row)
    for i, case in enumerate(data.get("cases") or []):
        if not isinstance(case, dict):
            raise bad(f"cases[{i}]", "an object", case)
        for side in SIDES[kind]:
            got = case.get(side)
            if not isinstance(got, dict):
                raise bad(f"cases[{i}].{side}", "an object", got)
            for key in ("outputs", "checks"):
                if not isinstance(got.get(key, []), list):
                    raise bad(f"cases[{i}].{side}.{key}", "a list", got.get(key))
            if not isinstance(got.get("scores", {}), dict):
                raise bad(f"cases[{i}].{side}.scores", "an object", got.get("scores"))
            for j, c in enumerate(got.get("checks") or []):
                if not isinstance(c, dict) or not isinstance(c.get("id"), str):
                    raise bad(f"cases[{i}].{side}.checks[{j}]", "an object with a string 'id'", c)
