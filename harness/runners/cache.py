"""Generation cache: identical requests are never generated twice, and killed runs resume.

One append-only JSONL file per model fingerprint. Each line maps the hash of a request (model,
backend, prompt format, sampling parameters, and the conversation's user turns so far) to the
TurnOutput it produced. With the model's own history, a conversation prefix determines every
earlier answer, so turn k is keyed by the user turns 1..k alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from harness.records import TurnOutput

FINGERPRINT_FILES = (
    "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "adapter_config.json",
)


def model_fingerprint(path: str, adapter: str | None = None) -> str:
    """A stable id for a model: file sizes and mtimes of a local dir, or the hub id itself; with an
    adapter, the adapter's files too (base + adapter is another model than the base)."""
    if adapter:
        return hashlib.sha256(f"{model_fingerprint(path)}+{model_fingerprint(adapter)}".encode()).hexdigest()[:20]
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
    """Reads every whole line; appends each new generation as its own line, flushed at once (a killed
    process loses nothing finished) and synced per batch. A torn last line (a kill or a full disk in
    mid-write) is skipped and counted, and the next append starts on a fresh line. A cache that
    cannot be written (disk full, read-only) stops being written to, says so in `notes`, and the
    run goes on: the cache saves time, it is never worth a failed run."""

    def __init__(self, path: Path | None, also_read: tuple[Path, ...] = ()):
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.torn_lines = 0
        self.notes: list[str] = []
        self._file: Any = None
        self._needs_newline = False
        for other in also_read:  # the parts data-parallel replicas wrote (read only: their writers own them)
            if other != path:
                self._read(other)
        if path is not None and path.exists():
            with path.open("rb") as f:
                data = f.read()
            self._needs_newline = bool(data) and not data.endswith(b"\n")
            for line in data.split(b"\n"):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    self.entries[row["key"]] = row
                except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
                    self.torn_lines += 1  # a line cut short by an interrupted or full-disk write
            if self.torn_lines:
                self._rewrite_whole()

    def _read(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return
        for line in data.split(b"\n"):
            try:
                row = json.loads(line) if line.strip() else None
                if row is not None:
                    self.entries[row["key"]] = row
            except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
                pass  # a torn line in another writer's part: skipped

    def _rewrite_whole(self) -> None:
        """Drop torn lines from the file for good (atomically), so later runs read it clean."""
        assert self.path is not None
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("w", encoding="utf-8") as f:
                f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in self.entries.values())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
            self._needs_newline = False
        except OSError:
            tmp.unlink(missing_ok=True)  # left as it is: torn lines are skipped on every read anyway

    def get(self, key: str) -> tuple[TurnOutput, str] | None:
        row = self.entries.get(key)
        if row is None:
            return None
        return TurnOutput.from_dict(row["output"]), row.get("prompt_format", "")

    def put(self, key: str, out: TurnOutput, fmt: str) -> None:
        self.put_many([(key, out, fmt)])

    def put_many(self, rows: list[tuple[str, TurnOutput, str]]) -> None:
        new = []
        for key, out, fmt in rows:
            row = {"key": key, "prompt_format": fmt, "output": out.to_dict()}
            self.entries[key] = row
            new.append(json.dumps(row, ensure_ascii=False))
        if self.path is None or not new:
            return
        try:
            if self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("a", encoding="utf-8")
            text = "\n".join(new) + "\n"
            if self._needs_newline:
                text = "\n" + text
            self._file.write(text)
            self._file.flush()
            self._needs_newline = False
        except OSError as e:
            self._give_up(e)

    def sync(self) -> None:
        """fsync what was appended (once per batch: per line would cost a disk round trip each)."""
        if self._file is None:
            return
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as e:
            self._give_up(e)

    def close(self) -> None:
        if self._file is not None:
            self.sync()
            with contextlib.suppress(OSError):
                self._file.close()
            self._file = None

    def _give_up(self, e: OSError) -> None:
        self.notes.append(f"the generation cache {self.path} could not be written ({e.strerror or e}): this run's outputs are not cached")
        with contextlib.suppress(OSError):
            if self._file is not None:
                self._file.close()
        self._file = None
        self.path = None  # keep serving what was read; write nothing more
