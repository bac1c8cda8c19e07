"""The in-context-alignment prompt of the `icl` prompt format (URIAL-style: Lin et al. 2023, "The
Unlocking Spell on Base LLMs"): a short preamble and a few demonstration exchanges that show a base
model how an assistant answers, kept as data in harness/prompts/icl/VERSION.txt.

A prompt file is plain text. Lines that are exactly `# User:` or `# Assistant:` start a turn; the
demonstrations alternate, user first, each answered. The conversation is rendered after it with the
same markers and ends with `# Assistant:`; the model's answer ends at the next `# User:` (a base model
otherwise goes on to write the user's next turn itself). `[models.NAME] icl_prompt = "FILE"`
replaces the built-in prompt; its digest goes into the generation cache key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from harness.errors import HarnessError

USER_MARKER = "# User:"
ASSISTANT_MARKER = "# Assistant:"
MARKERS = {"user": USER_MARKER, "assistant": ASSISTANT_MARKER}
BUILTIN_DIR = Path(__file__).parent / "prompts" / "icl"
BUILTIN_VERSION = "v1"  # bump with a new file, never edit a released one: cached generations are keyed by digest too


@dataclass(frozen=True)
class InContextPrompt:
    text: str  # preamble and demonstrations, trailing whitespace removed
    version: str  # "v1" for a built-in prompt; the file name for a replacement
    source: str  # "built-in" or the replacement file's path
    digest: str  # sha256 of `text`, first 16 hex digits

    @property
    def stops(self) -> tuple[str, ...]:
        """Where an answer ends: the next user turn the model starts to write."""
        return (USER_MARKER,)

    @property
    def label(self) -> str:
        """How results and reports name the prompt (ModelRecord.notes)."""
        where = f"built-in icl/{self.version}" if self.source == "built-in" else self.source
        return f"in-context prompt {where} (sha256 {self.digest}), answers end at {USER_MARKER!r}"


def load_icl_prompt(path: str | None = None) -> InContextPrompt:
    """The built-in prompt (path None) or a replacement file, checked: a bad file is a HarnessError
    naming the file and line."""
    if path is None:
        file, source = BUILTIN_DIR / f"{BUILTIN_VERSION}.txt", "built-in"
        version = BUILTIN_VERSION
    else:
        file = Path(path).expanduser()
        source, version = str(file), file.name
    try:
        raw = file.read_bytes()
    except IsADirectoryError:
        raise HarnessError(f"{file}: is a directory, not an in-context prompt file") from None
    except OSError as e:
        raise HarnessError(f"{file}: cannot read the in-context prompt ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n").rstrip()
    except UnicodeDecodeError as e:
        raise HarnessError(f"{file}: the in-context prompt is not UTF-8 text (byte {e.start})") from None
    if not text.strip():
        raise HarnessError(f"{file}: the in-context prompt is empty")
    _check_turns(file, text)
    return InContextPrompt(text, version, source, hashlib.sha256(text.encode()).hexdigest()[:16])


def _check_turns(file: Path, text: str) -> None:
    """Demonstrations alternate `# User:` / `# Assistant:`, user first, none empty, the last one answered:
    an unanswered demonstration would make the model answer it instead of the user."""
    expect, last, body = USER_MARKER, None, True
    for n, line in enumerate(text.split("\n"), 1):
        marker = line.rstrip()
        if marker not in (USER_MARKER, ASSISTANT_MARKER):
            body = body or bool(line.strip())
            continue
        if last is not None and not body:
            raise HarnessError(f"{file}:{last}: an empty turn (nothing between it and {marker!r} on line {n})")
        if marker != expect:
            raise HarnessError(f"{file}:{n}: {marker!r} where {expect!r} was due: demonstrations alternate user, assistant")
        expect = ASSISTANT_MARKER if marker == USER_MARKER else USER_MARKER
        last, body = n, False
    if last is not None and not body:
        raise HarnessError(f"{file}:{last}: the last turn is empty")
    if expect == ASSISTANT_MARKER:
        raise HarnessError(f"{file}:{last}: the last demonstration has no {ASSISTANT_MARKER!r} answer")


def render_icl(prompt: InContextPrompt, messages: list[dict[str, str]]) -> str:
    """The prompt, the conversation so far with the same markers, and the marker of the answer to come."""
    turns = "".join(f"{MARKERS[m['role']]}\n{m['content']}\n\n" for m in messages)
    return f"{prompt.text}\n\n{turns}{ASSISTANT_MARKER}\n"


def end_answer(text: str, stops: tuple[str, ...]) -> tuple[str, bool]:
    """(the answer, whether a stop string ended it): the text before the first stop string, without the
    blank line that separates turns. Every backend's output goes through here, so hf (which keeps the
    stop string), vLLM and an OpenAI server (which drop it) give the same text."""
    cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=-1)
    return (text[:cut].rstrip(), True) if cut >= 0 else (text.rstrip(), False)
