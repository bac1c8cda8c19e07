"""`coherence` as a local Hugging Face `evaluate` module (sft-harness: multi-turn recall, follow-up, consistency, no role leaks).

    import evaluate
    m = evaluate.load("harness/metrics/coherence")      # a local path: nothing is downloaded
    m.compute(predictions=[["Hi Bob!", "Your name is Bob."]], prompts=[["I am Bob.", "What is my name?"]], checks=[[{"id": "coherence:recall", "kwargs": {"keywords": ["Bob"]}}]]))

Returns the share of examples passing the family, each check's share, `n` (examples the family
applied to) and, with `details=True`, every check with its reason per example.
"""

import datasets
import evaluate

from harness.metrics import build_cases, score_family

_DESCRIPTION = __doc__
_KWARGS_DESCRIPTION = """predictions: per example the list of the model's answers. prompts: per example the list of user turns. checks (optional kwarg): coherence checks per example."""


class Coherence(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Sequence(datasets.Value("string")), "prompts": datasets.Sequence(datasets.Value("string"))}),
            reference_urls=[],
        )

    def _compute(self, predictions, prompts, checks=None, details=False):
        pairs = build_cases(predictions, prompts, checks=checks)
        return score_family("coherence", pairs, details=details)
