"""`directness` as a local Hugging Face `evaluate` module (sft-harness: answers and stops: no echo, continuation, preamble, looping; executes the task).

    import evaluate
    m = evaluate.load("harness/metrics/directness")      # a local path: nothing is downloaded
    m.compute(predictions=["Paris."], prompts=["What is the capital of France?"]))

Returns the share of examples passing the family, each check's share, `n` (examples the family
applied to) and, with `details=True`, every check with its reason per example.
"""

import datasets
import evaluate

from harness.metrics import build_cases, score_family

_DESCRIPTION = __doc__
_KWARGS_DESCRIPTION = """predictions: answers (a string, or a list of turns). prompts: user turns. references (optional kwarg): reference answers. finish_reasons (optional): 'stop'/'length' per answer."""


class Directness(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"), "prompts": datasets.Value("string")}),
            reference_urls=[],
        )

    def _compute(self, predictions, prompts, references=None, finish_reasons=None, details=False):
        pairs = build_cases(predictions, prompts, references=references, finish_reasons=finish_reasons)
        return score_family("directness", pairs, details=details)
