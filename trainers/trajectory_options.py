"""The `[trajectory]` section of a training TOML, also set by `harness train --eval-every/--eval-suite/--eval-limit`.

Kept apart from trainers/options.py, which imports TRL: the command line reads these fields' help
texts when it starts, and TRL takes seconds to import.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class TrajectoryOptions:
    every: int | None = field(default=None, metadata={"help": "evaluate on the suite every N optimizer steps, plus the base (step 0) and the saved output; None/'auto' = off"})
    suite: str = field(default="demo", metadata={"help": "suite the trajectory evaluates (name, FORMAT:PATH or file)"})
    limit: int | None = field(default=None, metadata={"help": "at most K cases of that suite per evaluation; None/'auto' = all"})

    def check(self) -> None:
        """Raise a ValueError for an interval or limit below 1 (what the flag or TOML key says is named)."""
        for name, flag in (("every", "--eval-every"), ("limit", "--eval-limit")):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{flag} ([trajectory] {name}) must be at least 1, got {value}")


def knob_help(name: str) -> str:
    """The help text of one field (the command line's flag help is this, said once)."""
    return next(f.metadata["help"] for f in fields(TrajectoryOptions) if f.name == name)
