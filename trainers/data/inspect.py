"""Statistics of training data before cleaning: what `harness data inspect` prints.

Counts per format, category and language, prompt and answer lengths (characters, percentiles),
assistant turns per conversation, and the exact- and near-duplicate rates the cleaner would find
(same definitions and defaults as clean.py, on all loaded rows).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from trainers.data.clean import NO_CATEGORY, conversation_key, find_near_duplicates
from trainers.data.formats import ASSISTANT
from trainers.data.load import Loaded
from trainers.data.options import CleanOptions

PERCENTILES = (5, 50, 95, 100)


def percentiles(values: list[int]) -> dict[str, int]:
    if not values:
        return {}
    qs = np.percentile(np.array(values), PERCENTILES, method="nearest")
    return {("max" if q == 100 else f"p{q}"): int(v) for q, v in zip(PERCENTILES, qs, strict=True)}


def data_stats(loaded: Loaded, options: CleanOptions | None = None) -> dict[str, Any]:
    opts = options or CleanOptions()
    ex = loaded.examples
    keys = Counter(conversation_key(e) for e in ex)
    exact = sum(c - 1 for c in keys.values())
    near = find_near_duplicates(ex, opts)
    return {
        "rows": loaded.rows,
        "examples": len(ex),
        "rejected": len(loaded.rejected),
        "sources": [s.to_dict() for s in loaded.sources],
        "format": dict(Counter(e.format for e in ex).most_common()),
        "category": dict(Counter(e.category or NO_CATEGORY for e in ex).most_common()),
        "lang": dict(Counter(e.lang for e in ex).most_common()),
        "prompt_chars": percentiles([len(e.prompt) for e in ex]),
        "answer_chars": percentiles([len(e.answer) for e in ex]),
        "turns": dict(sorted(Counter(sum(m["role"] == ASSISTANT for m in e.messages) for e in ex).items())),
        # near duplicates include the exact ones (identical rows have Jaccard 1)
        "exact_duplicate_rate": round(exact / len(ex), 6) if ex else 0.0,
        "near_duplicate_rate": round(len(near) / len(ex), 6) if ex else 0.0,
    }
