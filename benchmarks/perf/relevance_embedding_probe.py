"""Could static embeddings find the off-topic answers the relevance rules miss? A probe, not a check.

    pip install --target /tmp/wl wordllama     # outside the project: not a dependency
    .venv/bin/python benchmarks/perf/relevance_embedding_probe.py --wordllama-path /tmp/wl

WordLlama (256 dimensions, token embeddings distilled from an LLM) is the one embedding model found on the
package registries that ships its weights inside the wheel, so it runs with no hub access. For every
labelled answer of benchmarks/labelled/relevance_*.jsonl it takes the cosine similarity of the last request
and the answer, and reports, per language, for the answers the rules flag and for those they leave open:
how well low similarity separates off-topic from on-topic answers (ROC AUC), and the precision a
similarity threshold reaches at a given recall. A threshold could only join the rules if, on the open
answers, it found off-topic ones at a precision near the rules' own (0.95).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance_checks import LABELLED, verdict  # noqa: E402


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of a positive > score of a negative), ties counted half."""
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wordllama-path", required=True, help="a directory where wordllama is installed (pip --target)")
    args = ap.parse_args()
    sys.path.append(args.wordllama_path)
    import wordllama
    from wordllama import WordLlama

    # The wheel holds weights/ and tokenizers/; as a cache_dir that package directory resolves both offline.
    wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    rows = [json.loads(line) for f in LABELLED for line in f.open(encoding="utf-8")]
    print(f"{len(rows)} labelled answers from {len(LABELLED)} splits; score = 1 - cos(request, answer)")
    print(f"{'lang':4} {'rules':8} {'off':>5} {'on':>5} {'AUC':>6}   precision at recall 0.25 / 0.50 / 0.75")
    for lang in ("en", "zh"):
        groups: dict[str, tuple[list[float], list[float]]] = {"flagged": ([], []), "open": ([], [])}
        for r in rows:
            if r["lang"] != lang:
                continue
            passed, _ = verdict(r)
            score = 1.0 - float(wl.similarity(r["turns"][-1], r["answer"]))
            groups["flagged" if passed is False else "open"][1 if r["on_topic"] else 0].append(score)
        for name, (off, on) in groups.items():
            o, n = np.array(off), np.array(on)
            if not len(o) or not len(n):
                continue
            prec = []
            for q in (0.25, 0.5, 0.75):
                t = np.quantile(o, 1 - q)
                tp, fp = int((o >= t).sum()), int((n >= t).sum())
                prec.append(f"{tp / (tp + fp):.3f}")
            print(f"{lang:4} {name:8} {len(o):5d} {len(n):5d} {auc(o, n):6.3f}   {' / '.join(prec)}")


if __name__ == "__main__":
    main()
