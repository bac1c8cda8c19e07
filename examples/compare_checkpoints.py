"""Compare every checkpoint of a training run with its base model, gate each, write HTML reports.

    python examples/compare_checkpoints.py BASE CKPT_DIR [CKPT_DIR ...] --suite demo --out reports/

The same numbers as `harness compare BASE CKPT --json`, from Python: one typed `Comparison` per
checkpoint, `harness.gate` on each, and a line per checkpoint with the headline verdicts. Options
are one typed config (harness.toml's fields); the base model's generations are cached, so it runs
once for all checkpoints. docs/python-api.md explains each call.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import harness
from reports.html import write_html


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", help="the model before SFT (a directory, hub id, harness.toml name, or the demo's 'base')")
    ap.add_argument("checkpoints", nargs="+", help="SFT checkpoints to compare with BASE")
    ap.add_argument("--suite", action="append", help="suite name or file; repeatable (default: demo)")
    ap.add_argument("--backend", default=None, help="vllm | hf (default: vllm if installed)")
    ap.add_argument("--max-tokens", type=int, default=None)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", type=Path, default=Path("checkpoint-reports"))
    args = ap.parse_args(argv)

    config = harness.load_config(backend=args.backend, max_tokens=args.max_tokens)
    cases = harness.load_cases(args.suite, limit=args.limit)  # one selection for every checkpoint
    failed = 0
    for ckpt in args.checkpoints:
        result = harness.compare(args.base, ckpt, suites=cases, config=config)
        result.gate = harness.gate(result)
        name = Path(ckpt).name or ckpt
        harness.save_results(result, args.out / f"{name}.json")
        write_html(args.out / f"{name}.html", result)  # with its gate
        headline = ", ".join(
            f"{m}: {100 * result.metric(m).base:.0f}% → {100 * result.metric(m).sft:.0f}% ({result.metric(m).verdict})"
            for m in ("directness", "format")
            if any(r.name == m for r in result.metrics)
        )
        print(f"{name}: {headline}; gate {'passed' if result.gate.passed else 'FAILED'}")
        failed += not result.gate.passed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
