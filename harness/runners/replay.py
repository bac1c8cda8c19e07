"""Replay pre-generated outputs: `replay:FILE.jsonl` lines of `{id, output}` or `{id, turns: [...]}`.

Outputs are matched to cases by id. Replayed turns carry finish_reason "unknown": whether the
producing model stopped on its own is not known, and must not be counted as a stop.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.errors import HarnessError, where
from harness.records import FINISH_UNKNOWN, Case, Generation, TurnOutput


def read_replay(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise HarnessError(f"{where(path, lineno)}: not valid JSON ({e.msg})") from None
            if not isinstance(row, dict) or "id" not in row:
                raise HarnessError(f"{where(path, lineno, 'id')}: missing")
            if "turns" in row:
                turns = row["turns"]
                if not isinstance(turns, list) or not all(isinstance(t, str) for t in turns):
                    raise HarnessError(f"{where(path, lineno, 'turns')}: must be a list of strings")
            elif isinstance(row.get("output"), str):
                turns = [row["output"]]
            else:
                raise HarnessError(f"{where(path, lineno, 'output')}: need a string 'output' or a list 'turns'")
            found[str(row["id"])] = turns
    return found


def replay_generations(file: str, cases: list[Case]) -> tuple[dict[str, Generation], list[str]]:
    outputs = read_replay(Path(file))
    gens: dict[str, Generation] = {}
    missing = []
    for c in cases:
        turns = outputs.get(c.id)
        if turns is None:
            missing.append(c.id)
            continue
        gens[c.id] = Generation(c.id, [TurnOutput(text=t, finish_reason=FINISH_UNKNOWN) for t in turns])
    notes = []
    if missing:
        notes.append(f"{len(missing)} case(s) have no replayed output (first: {', '.join(missing[:5])})")
    extra = sorted(set(outputs) - {c.id for c in cases})
    if extra:
        notes.append(f"{len(extra)} replayed output(s) match no case (first: {', '.join(extra[:5])})")
    return gens, notes
