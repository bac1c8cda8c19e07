"""`correctness` as a local Hugging Face `evaluate` module (sft-harness: the answer matches the reference: contains, exact, token F1 (zh/en normalisation)).

    import evaluate
    m = evaluate.load("harness/metrics/correctness")      # a local path: nothing is downloaded
    m.compute(predictions=["The capital is Paris."], references=[["Paris", "巴黎"]]))

Returns the share of examples passing the family, each check's share, `n` (examples the family
applied to) and, with `details=True`, every check with its reason per example.
"""

import datasets
import evaluate

from harness.metrics import build_cases, score_family

_DESCRIPTION = __doc__
_KWARGS_DESCRIPTION = """predictions: answers. references: per example the reference followed by its aliases. variants (optional): which of contains/exact/f1 (default all three)."""


class Correctness(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"), "references": datasets.Sequence(datasets.Value("string"))}),
            reference_urls=[],
        )

    def _compute(self, predictions, references, variants=("contains", "exact", "f1"), details=False):
        from harness.config import ScoringConfig

        pairs = build_cases(predictions, ["" for _ in predictions], references=[list(r) for r in references])
        return score_family("correctness", pairs, details=details, cfg=ScoringConfig(correctness_variants=list(variants)))
