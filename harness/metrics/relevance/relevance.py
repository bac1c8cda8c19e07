"""`relevance` as a local Hugging Face `evaluate` module (sft-harness: the answer addresses the request's subject, every turn).

    import evaluate
    m = evaluate.load("harness/metrics/relevance")      # a local path: nothing is downloaded
    m.compute(predictions=[["The mountains stand so tall and proud…"]], prompts=[["Write a short poem about the sea."]])

Returns the share of examples passing the family, each check's share, `n` (examples the family
applied to: a request without subject terms, or a terse answer naming nothing, is not judged)
and, with `details=True`, every check with its reason per example.
"""

import datasets
import evaluate

from harness.metrics import build_cases, score_family

_DESCRIPTION = __doc__
_KWARGS_DESCRIPTION = """predictions: per example the list of the model's answers, one per user turn. prompts: per example the list of user turns."""


class Relevance(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Sequence(datasets.Value("string")), "prompts": datasets.Sequence(datasets.Value("string"))}),
            reference_urls=[],
        )

    def _compute(self, predictions, prompts, details=False):
        pairs = build_cases(predictions, prompts)
        return score_family("relevance", pairs, details=details)
