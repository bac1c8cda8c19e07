"""Mutation check of the IFEval reference: would the agreement test notice a broken checker?

    .venv/bin/python benchmarks/labelled/ifeval_mutation.py [FILE]

For each of the 25 instruction ids, our checker (`INSTRUCTIONS[id]`, the registry `evaluate_instruction`
looks up) is replaced by one that always answers "not followed", then by one that always answers
"followed", and the recorded official verdicts are compared again. Prints, per id and mutant, how many
verdicts then disagree; exits 1 if a mutant goes unnoticed (0 disagreements).

`disagreements` is the comparison tests/test_ifeval.py asserts empty, so a mutant caught here fails
that test. A mutant changes only the checks of its own id, so only those are compared again.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "data" / "ifeval" / "reference_verdicts.jsonl"


def load_reference(path: Path = REFERENCE) -> tuple[dict, list[dict]]:
    """The header (versions, seed) and the records of a reference file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    if "header" not in first:
        raise ValueError(f"{path}:1: no header record")
    return first["header"], [json.loads(x) for x in lines[1:]]


def disagreements(rows: Iterable[dict], only: str | None = None) -> list[tuple]:
    """Every recorded (strict, loose) verdict our scorer does not reproduce (of id `only`, if given)."""
    from harness.scorers.ifeval import evaluate_instruction
    from harness.scorers.ifeval_instructions import response_variants

    bad = []
    for r in rows:
        if only is not None and only not in r["instruction_id_list"]:
            continue
        variants = response_variants(r["response"])
        for iid, kw, s, lo in zip(r["instruction_id_list"], r["kwargs"], r["strict"], r["loose"], strict=True):
            if only is not None and iid != only:
                continue
            c = evaluate_instruction(iid, kw, r["response"], variants)
            if (c.strict, c.loose) != (s, lo):
                bad.append((iid, kw, r["response"][:100], (s, lo), (c.strict, c.loose), c.reason))
    return bad


def mutation_table(rows: list[dict]) -> dict[str, dict[str, int]]:
    """id -> {"n": verdicts of that id, "false": disagreements with `return False`, "true": with `return True`}."""
    from harness.scorers.ifeval_instructions import INSTRUCTIONS

    table = {}
    for iid in sorted(INSTRUCTIONS):
        n = sum(r["instruction_id_list"].count(iid) for r in rows)
        row = {"n": n}
        original = INSTRUCTIONS[iid]
        try:
            for answer in (False, True):
                INSTRUCTIONS[iid] = lambda value, kwargs, a=answer: (a, "mutant")
                row[str(answer).lower()] = len(disagreements(rows, only=iid))
        finally:
            INSTRUCTIONS[iid] = original
        table[iid] = row
    return table


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else REFERENCE
    _, rows = load_reference(path)
    table = mutation_table(rows)
    print(f"{'instruction id':48} {'verdicts':>8} {'return False':>13} {'return True':>12}")
    for iid, row in table.items():
        print(f"{iid:48} {row['n']:>8} {row['false']:>13} {row['true']:>12}")
    missed = [f"{iid} ({a})" for iid, row in table.items() for a in ("false", "true") if row[a] == 0]
    print(f"{2 * len(table) - len(missed)} of {2 * len(table)} mutants caught" + (f"; missed: {', '.join(missed)}" if missed else ""))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # this checkout's harness, wherever the script is started from
    sys.exit(main(sys.argv[1:]))
