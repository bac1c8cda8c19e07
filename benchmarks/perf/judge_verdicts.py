"""Our verdict parser against FastChat's on published judge replies (MT-Bench `model_judgment/*_single.jsonl`).

    .venv/bin/python benchmarks/perf/judge_verdicts.py FILE.jsonl [...]

Each row holds the judge's reply (`judgment`) and the grade FastChat read from it (`score`, -1 when it
read none). Prints how often both read the same grade, both read none, or only one read one, with
examples of the disagreements. FastChat reads the first `[[N]]` (else the first `[N]`) anywhere;
harness/judge/verdicts.py refuses replies with two different grades and bracketed numbers inside
prose, and also reads "Rating: N". Public material used for docs/judge.md: instructlab/eval @810dcfc,
data/mt_bench/model_judgment/gpt-4_single.jsonl (160 replies on granite-7b-lab's MT-Bench answers).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from harness.judge.verdicts import parse_grade  # noqa: E402


def main(paths: list[str]) -> None:
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            theirs = row.get("score", -1)
            v = parse_grade(row.get("judgment", ""))
            if v.value is not None and theirs != -1:
                key = "same grade" if v.value == theirs else "different grades"
            elif v.value is None and theirs == -1:
                key = "neither read a grade"
            else:
                key = "only FastChat read one" if v.value is None else "only ours read one"
            counts[key] += 1
            if key not in ("same grade", "neither read a grade"):
                tail = " ".join(row.get("judgment", "").split())[-160:]
                examples.setdefault(key, []).append(f"FastChat {theirs}, ours {v.value} ({v.error or 'read'}): …{tail}")
    total = sum(counts.values())
    for key in ("same grade", "neither read a grade", "different grades", "only FastChat read one", "only ours read one"):
        print(f"{key:<24}{counts[key]:>5}  ({100 * counts[key] / max(total, 1):.1f}%)")
    for key, lines in examples.items():
        print(f"\n{key}:")
        for text in lines[:8]:
            print("  " + text)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
