"""Tiny constructed data for the N-arm tests (tests/test_arms.py): a suite of factual questions and
list instructions (English and Chinese), and replay files for four arms of one imagined training run.

- raw:  the base prompted raw: knows the facts but runs on with more questions; echoes instructions
- icl:  the base with an in-context prompt: answers most facts directly, lists half of the time
- ckpt: an SFT checkpoint halfway: direct, lists most of the time, has started to forget facts
- sft:  the final SFT model: direct and listing, but has forgotten most facts (forgetting)

Everything is written by hand here (no model runs); `write_arms(tmp)` returns (suite, {arm: file}).
"""

from __future__ import annotations

from pathlib import Path

from helpers import write_jsonl

CAPITALS = [
    ("France", "Paris"), ("Germany", "Berlin"), ("Italy", "Rome"), ("Spain", "Madrid"), ("Japan", "Tokyo"),
    ("Egypt", "Cairo"), ("Peru", "Lima"), ("Kenya", "Nairobi"), ("Norway", "Oslo"), ("Chile", "Santiago"),
    ("Greece", "Athens"), ("Cuba", "Havana"), ("Poland", "Warsaw"), ("Austria", "Vienna"), ("Ireland", "Dublin"),
    ("Portugal", "Lisbon"), ("Russia", "Moscow"), ("Thailand", "Bangkok"), ("Turkey", "Ankara"), ("Iran", "Tehran"),
]
THINGS = [
    "fruits", "colours", "animals", "rivers", "planets", "metals", "trees", "flowers", "birds", "fish",
    "tools", "sports", "languages", "instruments", "vegetables", "insects", "gems", "dances", "cheeses", "breads",
]
ZH = {"fruits": "水果", "colours": "颜色", "animals": "动物", "rivers": "河流"}


def suite_rows() -> list[dict]:
    rows = []
    for i, (country, city) in enumerate(CAPITALS):
        rows.append({"id": f"f{i}", "category": "factual", "lang": "en",
                     "turns": [f"What is the capital of {country}?"], "reference": city})
    for i, thing in enumerate(THINGS):
        zh = ZH.get(thing)
        rows.append({"id": f"i{i}", "category": "instruction", "lang": "zh" if zh else "en",
                     "turns": [f"请列出三种{zh}。" if zh else f"List three {thing}."],
                     "checks": [{"id": "format:numbered_list", "kwargs": {"min_items": 3}}]})
    return rows


def _listed(thing: str) -> str:
    return f"1. {thing} one\n2. {thing} two\n3. {thing} three"


def arm_outputs(arm: str) -> dict[str, str]:
    """Each arm's answers; `forget` facts are answered with a shrug, `lists` instructions with a list."""
    forget, lists, direct = {"raw": (0, 0, 0), "icl": (0, 10, 14), "ckpt": (8, 16, 20), "sft": (15, 20, 20)}[arm]
    out = {}
    for i, (_country, city) in enumerate(CAPITALS):
        if i < forget:
            out[f"f{i}"] = "I am not sure."
        elif i < direct:
            out[f"f{i}"] = f"{city}."
        else:  # knows it, then goes on with the next questions
            out[f"f{i}"] = f"{city}. What is the capital of Brazil? What is the capital of Canada?"
    for i, thing in enumerate(THINGS):
        prompt = f"List three {thing}."
        out[f"i{i}"] = _listed(thing) if i < lists else f"{prompt} {prompt} {prompt}"
    return out


def write_arms(tmp: Path, arms: tuple[str, ...] = ("raw", "icl", "ckpt", "sft")) -> tuple[Path, dict[str, Path]]:
    suite = write_jsonl(tmp / "suite.jsonl", suite_rows())
    files = {a: write_jsonl(tmp / f"{a}.jsonl", [{"id": k, "output": v} for k, v in arm_outputs(a).items()]) for a in arms}
    return suite, files
