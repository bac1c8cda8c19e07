"""User-facing errors: the CLI prints these as one clear message, without a traceback.

Exit codes of every `harness` command (docs/exit-codes.md): only a failed CI gate exits 1, so a
crash can never read as a regression.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_GATE_FAILED = 1  # `harness gate` / `compare --gate`: a rule failed
EXIT_INPUT = 2  # a usage or input error: bad option, file, config, path; a disk that cannot be written
EXIT_INTERNAL = 3  # a bug in the harness (the message says so; --debug shows the traceback)
EXIT_INTERRUPTED = 130  # Ctrl-C / SIGINT (128 + 2): everything finished so far is cached


class HarnessError(Exception):
    """An error the user can fix (bad file, unknown model, missing path...)."""


def where(path: object, line: int | None = None, field: str | None = None) -> str:
    """Format a location as file:line:field for error messages."""
    loc = str(path)
    if line is not None:
        loc += f":{line}"
    if field:
        loc += f": field '{field}'"
    return loc
