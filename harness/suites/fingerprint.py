"""A suite's prompt fingerprint: which prompts training data was decontaminated against.

`harness data clean --against SUITE` records `prompts_fingerprint(cases)` in its report; a later
`harness compare` can recompute it for the suite it evaluates and tell whether the SFT data was
cleaned against exactly these prompts. Order, case ids, case, whitespace and Unicode width do
not change it; any change to a prompt's words does.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from harness.records import Case
from harness.suites import suite_prompts

_SPACE = re.compile(r"\s+")


def normalize_prompt(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def prompts_fingerprint(cases: list[Case]) -> str:
    """sha256 (hex) of the sorted, normalised, distinct user prompts of `cases`, one per line."""
    prompts = sorted({normalize_prompt(p) for p in suite_prompts(cases)})
    return hashlib.sha256("\n".join(prompts).encode("utf-8")).hexdigest()


def prompt_hashes(cases: list[Case]) -> list[str]:
    """Sorted short hashes (16 hex digits) of the distinct normalised prompts: a subset of a suite (--limit,
    --category) can be checked against them, which the single fingerprint cannot do."""
    return sorted({hashlib.blake2b(normalize_prompt(p).encode("utf-8"), digest_size=8).hexdigest()
                   for p in suite_prompts(cases)})
