"""A small Alpaca-format SFT file for the demo base model, with the usual dirt mixed in on purpose.

    python -m harness.demo.alpaca_file examples/demo-alpaca.jsonl    # regenerate the committed file

The rows are the demo's single-turn SFT answers (held-out items excluded), one per question, as
`{"instruction", "input", "output"}` ("Summarize this story: <story>" puts the story in `input`).
Then, seeded and deterministic, the faults a real instruction set has, each a known number of times
so that `harness data clean` can be checked against them (the counts are in `INJECTED`):

- exact duplicates, and near duplicates (a long answer with a word or two added at its end);
- empty, whitespace-only and placeholder answers, looping answers, answers that restate the question;
- conflicting answers: a factual question again with a wrong answer;
- eval leakage: prompts of the held-out demo suite, with their reference answers;
- malformed lines: broken JSON, a missing `output`, a non-string `output`, a line that is no object.

`harness train --base <demo base> --data examples/demo-alpaca.jsonl --out DIR --compare` cleans it
(decontaminating against the demo suite), trains, and compares.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from harness.demo.questions import all_qas

INJECTED = {
    "exact_duplicate": 40,
    "near_duplicate": 24,
    "empty": 8,
    "whitespace": 4,
    "placeholder": 6,
    "looping": 5,
    "restates_question": 5,
    "conflict": 4,
    "leaked": 12,
    "malformed": 8,
}
PLACEHOLDERS = ["TODO", "N/A", "<noinput>", "...", "待补充", "暂无"]
# Answers long enough to near-duplicate (Jaccard >= 0.8 over word 5-grams / character 5-grams).
NEAR_MIN_WORDS, NEAR_MIN_CHARS = 20, 30
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _split_input(question: str) -> tuple[str, str]:
    """'Summarize this story in one sentence: <story>' -> (instruction, input)."""
    for marker in ("this story in one sentence: ", "this sentence to be shorter: ", "：", ": "):
        head, sep, tail = question.partition(marker)
        if sep and len(tail) > 40:
            return (head + sep).rstrip(), tail
    return question, ""


def clean_rows() -> list[dict[str, str]]:
    rows, seen = [], set()
    for qa in all_qas():
        if qa.held_out or qa.question in seen:
            continue
        seen.add(qa.question)
        instruction, inp = _split_input(qa.question)
        rows.append({"instruction": instruction, "input": inp, "output": qa.answer})
    return rows


def _is_long(text: str) -> bool:
    """Long enough that a word (English) or two characters (Chinese) added at the end leave a near
    duplicate: Jaccard k/(k+1) or k/(k+2) over the k 5-grams, at least about 0.9."""
    if "```" in text:
        return False  # code: one changed token is a different program, not a near duplicate
    if _HAN.search(text):
        return len(_HAN.findall(text)) >= NEAR_MIN_CHARS
    return len(text.split()) >= NEAR_MIN_WORDS


def _nudge(text: str, rng: random.Random) -> str:
    """The same answer with a courtesy added at the end (what a second annotator would write)."""
    if _HAN.search(text):
        return text + rng.choice(("谢谢！", "加油！", "祝好！"))
    return text + rng.choice((" Thanks!", " Cheers!", " Enjoy!"))


def dirty_lines(seed: int = 0) -> list[str]:
    """The file's lines (JSON objects, and the malformed ones), shuffled deterministically."""
    rng = random.Random(seed)
    rows = clean_rows()
    qas = {qa.question: qa for qa in all_qas()}
    extra: list[dict[str, Any]] = []
    extra += [dict(r) for r in rng.sample(rows, INJECTED["exact_duplicate"])]
    long_rows = [r for r in rows if _is_long(r["output"])]
    extra += [{**r, "output": _nudge(r["output"], rng)} for r in rng.sample(long_rows, INJECTED["near_duplicate"])]
    short = [r for r in rows if len(r["output"]) < 60 and not r["input"]]
    picks = rng.sample(short, sum(INJECTED[k] for k in ("empty", "whitespace", "placeholder", "looping", "restates_question")))
    it = iter(picks)
    extra += [{**next(it), "output": ""} for _ in range(INJECTED["empty"])]
    extra += [{**next(it), "output": " \n\t "} for _ in range(INJECTED["whitespace"])]
    extra += [{**next(it), "output": p} for p in PLACEHOLDERS[: INJECTED["placeholder"]]]
    for _ in range(INJECTED["looping"]):
        r = next(it)
        extra.append({**r, "output": " ".join([r["output"]] * 6)})
    extra += [{**(r := next(it)), "output": r["instruction"]} for _ in range(INJECTED["restates_question"])]
    capitals = [qa for qa in qas.values() if qa.kind == "capital" and not qa.held_out and qa.lang == "en"]
    for qa in rng.sample(capitals, INJECTED["conflict"]):
        wrong = rng.choice([c for c in capitals if c.reference != qa.reference])
        extra.append({"instruction": qa.question, "input": "", "output": f"The capital of {qa.entity} is {wrong.reference}."})
    extra += _leaked(rng)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows + extra]
    lines += _malformed()
    rng.shuffle(lines)
    return lines


def _leaked(rng: random.Random) -> list[dict[str, str]]:
    suite = Path(__file__).resolve().parents[2] / "benchmarks" / "demo.jsonl"
    cases = [json.loads(line) for line in suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    single = [c for c in cases if len(c["turns"]) == 1 and c.get("references")]
    return [{"instruction": c["turns"][0], "input": "", "output": c["references"][0]}
            for c in rng.sample(single, INJECTED["leaked"])]


def _malformed() -> list[str]:
    lines = [
        '{"instruction": "Name a colour.", "input": "", "output": "Blue."',  # unterminated object
        '{"instruction": "Name a fruit", output: "Apple."}',  # unquoted key
        "instruction,input,output",  # a CSV header pasted in
        json.dumps({"instruction": "What is 2 plus 2?", "input": ""}),  # no output
        json.dumps({"instruction": "What is 3 plus 3?", "input": "", "answer": "6"}),  # wrong field name
        json.dumps({"instruction": "What is 4 plus 4?", "input": "", "output": 8}),  # not a string
        json.dumps({"instruction": ["What is 5 plus 5?"], "input": "", "output": "10"}),  # not a string
        json.dumps(["What is 6 plus 6?", "12"]),  # not an object
    ]
    assert len(lines) == INJECTED["malformed"]
    return lines


def write(path: Path, seed: int = 0) -> int:
    lines = dirty_lines(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/demo-alpaca.jsonl")
    print(f"{write(out)} lines -> {out}")
