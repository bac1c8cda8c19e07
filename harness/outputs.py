"""Files the harness writes and reads: atomic writes, JSON reads with one-line errors, and output
paths the user named (no two outputs in one file, no output over an input).

`--json X --html X` would leave only the last writer's file; `--out` equal to an input would
overwrite the data being read. Both lose work with exit 0, so they are refused up front.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from harness.errors import HarnessError


def _same(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.expanduser().resolve() == b.expanduser().resolve()


def check_outputs(outputs: dict[str, Path | str | None], inputs: dict[str, Path | str | None] | None = None) -> None:
    """Raise a HarnessError when two outputs are one file, or an output is one of the inputs."""
    outs = [(label, Path(p)) for label, p in outputs.items() if p is not None]
    for i, (la, a) in enumerate(outs):
        for lb, b in outs[i + 1 :]:
            if _same(a, b):
                raise HarnessError(f"{la} and {lb} name the same file {a}: each output needs its own path")
    for li, p in (inputs or {}).items():
        if p is None or ":" in str(p) and not Path(p).exists():
            continue  # FORMAT:PATH / hf:NAME references are not plain files
        for lo, o in outs:
            if _same(o, Path(p)):
                raise HarnessError(f"{lo} {o} is also {li}: writing it would overwrite what is being read")


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


def read_json(path: Path, what: str) -> Any:
    """A JSON file's content; anything unreadable is a one-line HarnessError naming the file
    (a crash in a CI step must not read as a verdict)."""
    if path.is_dir():
        raise HarnessError(f"{path}: is a directory, not a {what} JSON file")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HarnessError(f"{what} file not found: {path}") from None
    except UnicodeDecodeError:
        raise HarnessError(f"{path}: not a text file ({what} files are UTF-8 JSON)") from None
    except json.JSONDecodeError as e:
        raise HarnessError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    except OSError as e:
        raise HarnessError(f"{path}: cannot read: {e.strerror or e}") from None


def write_named(path: str | Path, text: str, what: str) -> None:
    """`write_atomic`, its error naming what was being written ("the training rows: cannot write …")."""
    try:
        write_atomic(path, text)
    except HarnessError as e:
        raise HarnessError(f"the {what}: {e}") from None
