"""User-facing errors: the CLI prints these as one clear message, without a traceback."""

from __future__ import annotations


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
