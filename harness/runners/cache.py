"""Generation cache: identical requests are never generated twice, and killed runs resume.

One append-only JSONL file per model fingerprint. Each line maps the hash of a request (model,
backend, prompt format, sampling parameters, and the conversation's user turns so far) to the
TurnOutput it produced. With the model's own history, a conversation prefix determines every
earlier answer, so turn k is keyed by the user turns 1..k alone. Lines are written whole and
flushed per batch; a torn last line (a killed run) is ignored on the next read.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from harness.records import TurnOutput

FINGERPRINT_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json")


def model_fingerprint(path: str) -> str:
    """A stable id for a model: file sizes and mtimes of a local dir, or the hub id itself."""
    p = Path(path)
    h = hashlib.sha256()
    if p.is_dir():
        h.update(str(p.resolve()).encode())
        files = [p / f for f in FINGERPRINT_FILES] + sorted(p.glob("*.safetensors")) + sorted(p.glob("*.bin"))
        for f in files:
            if f.exists():
                st = f.stat()
                h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    else:
        h.update(f"hub:{path}".encode())
    return h.hexdigest()[:20]


def request_key(fingerprint: str, settings: dict[str, Any], user_turns: list[str]) -> str:
    blob = json.dumps({"m": fingerprint, "s": settings, "t": user_turns}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


class GenerationCache:
    def __init__(self, path: Path | None):
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        if path is not None and path.exists():
            with path.open(encoding="utf-8") as f:
                for line in f:
                    try:
                        row = json.loads(line)
                        self.entries[row["key"]] = row
                    except (json.JSONDecodeError, KeyError, TypeError):
                        continue  # a torn line from an interrupted run

    def get(self, key: str) -> tuple[TurnOutput, str] | None:
        row = self.entries.get(key)
        if row is None:
            return None
        return TurnOutput.from_dict(row["output"]), row.get("prompt_format", "")

    def put_many(self, rows: list[tuple[str, TurnOutput, str]]) -> None:
        new = []
        for key, out, fmt in rows:
            row = {"key": key, "prompt_format": fmt, "output": out.to_dict()}
            self.entries[key] = row
            new.append(json.dumps(row, ensure_ascii=False))
        if self.path is None or not new:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write("\n".join(new) + "\n")
            f.flush()
            os.fsync(f.fileno())
