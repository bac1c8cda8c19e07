"""The judge's prompts, as data: harness/judge/prompts/VERSION/{single,single_ref,pair,pair_ref,topic}.{en,zh}.txt.

A case in Chinese gets the Chinese prompts, any other language the English ones. The version and
each template's digest are recorded in the results; the rendered prompt is part of the judge's
cache key, so editing a template never serves a stale verdict.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from harness.errors import HarnessError

PROMPTS = Path(__file__).parent / "prompts"
KINDS = ("single", "single_ref", "pair", "pair_ref", "topic")
LANGS = ("en", "zh")
# The prompts' own section tags: a model's text that contains one is defused, so an answer cannot
# close its section and write instructions to the judge.
_TAGS = re.compile(r"<(/?)(conversation(?:_with_assistant_[AB])?|reply_to_grade|reference_answer)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PromptSet:
    version: str
    texts: dict[tuple[str, str], str]  # (kind, lang) -> template
    labels: dict[str, dict[str, str]]

    def digests(self) -> dict[str, str]:
        return {f"{k}.{lang}": hashlib.sha256(t.encode()).hexdigest()[:12] for (k, lang), t in sorted(self.texts.items())}

    def lang(self, case_lang: str) -> str:
        return "zh" if case_lang.lower().startswith("zh") else "en"

    def conversation(self, users: list[str], answers: list[str], lang: str) -> str:
        """The conversation as the judge reads it: every user turn with the assistant's reply."""
        lab = self.labels[lang]
        lines = []
        for i, user in enumerate(users):
            lines.append(f"{lab['user']}: {defuse(user)}")
            if i < len(answers):
                lines.append(f"{lab['assistant']}: {defuse(answers[i]) if answers[i].strip() else lab['empty']}")
        return "\n\n".join(lines)

    def single(self, lang: str, users: list[str], context: list[str], answer: str, reference: str | None) -> str:
        kind = "single_ref" if reference else "single"
        return self.texts[(kind, lang)].format(
            conversation=self.conversation(users, context, lang),
            answer=defuse(answer) if answer.strip() else self.labels[lang]["empty"],
            reference=defuse(reference or ""),
        )

    def topic(self, lang: str, users: list[str], context: list[str], answer: str) -> str:
        """Is the answer to the last user turn on its subject? (no reference: on topic is not correct)"""
        return self.texts[("topic", lang)].format(
            conversation=self.conversation(users, context, lang),
            answer=defuse(answer) if answer.strip() else self.labels[lang]["empty"],
        )

    def pair(self, lang: str, users: list[str], answers_a: list[str], answers_b: list[str], reference: str | None) -> str:
        kind = "pair_ref" if reference else "pair"
        return self.texts[(kind, lang)].format(
            conversation_a=self.conversation(users, answers_a, lang),
            conversation_b=self.conversation(users, answers_b, lang),
            reference=defuse(reference or ""),
        )


def defuse(text: str) -> str:
    return _TAGS.sub(lambda m: f"<{m.group(1)}\u200b{m.group(2)}", text)


def versions() -> list[str]:
    return sorted(p.name for p in PROMPTS.iterdir() if p.is_dir())


@cache
def load_prompts(version: str) -> PromptSet:
    folder = PROMPTS / version
    if not folder.is_dir():
        raise HarnessError(f"judge prompts {version!r} not found; versions: {', '.join(versions())}")
    texts = {}
    for kind in KINDS:
        for lang in LANGS:
            path = folder / f"{kind}.{lang}.txt"
            if not path.is_file():
                raise HarnessError(f"judge prompts {version}: {path} is missing")
            texts[(kind, lang)] = path.read_text(encoding="utf-8").strip() + "\n"
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    return PromptSet(version, texts, labels)
