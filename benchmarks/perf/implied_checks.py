"""Precision and recall of the implied format checks on a labelled set of prompts (en + zh).

    .venv/bin/python benchmarks/perf/implied_checks.py [--errors]

`benchmarks/labelled/implied_prompts.jsonl`: one prompt a line with the format checks a careful
reader would infer from its words alone (`expected`: [{id, kwargs}], empty for prompts that imply
none: questions, requests *about* letters/code/JSON, near misses such as "periodic table").
An inferred check is a true positive when the same id with the same kwargs is expected.
Split `dev` (178 prompts) was written first and the rules were corrected on its errors (before:
precision 0.964, recall 0.955); split `holdout` (55 prompts) was written afterwards and run once.
Three prompts naming a fixed verse form (haiku, limerick, 五言绝句; en-088, en-h025, zh-h022) were
relabelled when `format:poem` joined the catalogue: the form fixes the number of lines.
Prints precision / recall / F1 overall, per language and per check id; `--errors` lists every
false positive and false negative.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from harness.scorers.implied import infer  # noqa: E402

LABELLED = ROOT / "benchmarks" / "labelled" / "implied_prompts.jsonl"


def key(cid: str, kwargs: dict) -> str:
    return cid + json.dumps(kwargs, sort_keys=True, ensure_ascii=False)


def evaluate(rows: list[dict]) -> dict:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors = []
    for r in rows:
        got = {key(i.id, i.kwargs): i.id for i in infer(r["prompt"])}
        want = {key(e["id"], e["kwargs"]): e["id"] for e in r["expected"]}
        for k, cid in got.items():
            for bucket in (cid, r["lang"], "all"):
                (tp if k in want else fp)[bucket] += 1
            if k not in want:
                errors.append(("FP", r["id"], r["prompt"], k))
        for k, cid in want.items():
            if k not in got:
                for bucket in (cid, r["lang"], "all"):
                    fn[bucket] += 1
                errors.append(("FN", r["id"], r["prompt"], k))
    return {"tp": tp, "fp": fp, "fn": fn, "errors": errors}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def report(rows: list[dict], title: str, errors: bool) -> None:
    res = evaluate(rows)
    tp, fp, fn = res["tp"], res["fp"], res["fn"]
    langs = Counter(r["lang"] for r in rows)
    negatives = sum(1 for r in rows if not r["expected"])
    print(f"== {title}: {len(rows)} labelled prompts ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))}; "
          f"{negatives} imply no check), {sum(len(r['expected']) for r in rows)} expected checks")
    print(f"{'':28s} {'precision':>9s} {'recall':>7s} {'F1':>6s}   tp  fp  fn")
    buckets = ["all", *sorted(langs), *sorted({b for b in tp | fp | fn if b.startswith("format:")})]
    for b in buckets:
        p, r, f = prf(tp[b], fp[b], fn[b])
        print(f"{b:28s} {p:9.3f} {r:7.3f} {f:6.3f}  {tp[b]:3d} {fp[b]:3d} {fn[b]:3d}")
    if errors:
        for kind, rid, prompt, k in res["errors"]:
            print(f"{kind} {rid}: {prompt[:70]!r} -> {k}")


def main() -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line.strip()]
    errors = "--errors" in sys.argv
    report(rows, "all prompts", errors)
    for split in sorted({r.get("split", "dev") for r in rows}):
        print()
        report([r for r in rows if r.get("split", "dev") == split], f"split {split}", False)


if __name__ == "__main__":
    main()
