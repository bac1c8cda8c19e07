"""Output paths the user named: no two outputs in one file, and no output over an input.

`--json X --html X` would leave only the last writer's file; `--out` equal to an input would
overwrite the data being read. Both lose work with exit 0, so they are refused up front.
"""

from __future__ import annotations

import os
from pathlib import Path

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
