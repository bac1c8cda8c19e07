"""`format` as a local Hugging Face `evaluate` module (sft-harness: declared format checks and the ones the prompt implies).

    import evaluate
    m = evaluate.load("harness/metrics/format")      # a local path: nothing is downloaded
    m.compute(predictions=["1. a\\n2. b\\n3. c"], prompts=["List three fruits."], checks=[[]]))

Returns the share of examples passing the family, each check's share, `n` (examples the family
applied to) and, with `details=True`, every check with its reason per example.
"""

import datasets
import evaluate

from harness.metrics import build_cases, score_family

_DESCRIPTION = __doc__
_KWARGS_DESCRIPTION = """predictions: answers. prompts: user turns. checks (optional kwarg): per example a list of {"id": "format:...", "kwargs": {...}} (or its JSON string)."""


class Format(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"), "prompts": datasets.Value("string")}),
            reference_urls=[],
        )

    def _compute(self, predictions, prompts, checks=None, details=False):
        pairs = build_cases(predictions, prompts, checks=checks)
        return score_family("format", pairs, details=details)
