"""`ifeval` as a local Hugging Face `evaluate` module (sft-harness: the 25 IFEval instructions, strict and loose, and IFEval's four aggregates).

    import evaluate
    m = evaluate.load("harness/metrics/ifeval")      # a local path: nothing is downloaded
    m.compute(predictions=["No commas here."], instruction_id_list=[["punctuation:no_comma"]], kwargs=["[{}]"]))

Returns the share of examples passing the family, each check's share, `n` (examples the family
applied to) and, with `details=True`, every check with its reason per example.
"""

import datasets
import evaluate

from harness.metrics import build_cases, score_family

_DESCRIPTION = __doc__
_KWARGS_DESCRIPTION = """predictions: responses. instruction_id_list: per example the IFEval instruction ids. kwargs: per example a JSON list of kwargs objects (one per id)."""


class IFEval(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation="",
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features({"predictions": datasets.Value("string"), "instruction_id_list": datasets.Sequence(datasets.Value("string")), "kwargs": datasets.Value("string")}),
            reference_urls=[],
        )

    def _compute(self, predictions, instruction_id_list, kwargs, details=False):
        import json

        from harness.scorers.ifeval import ifeval_aggregates

        checks = [
            [{"id": iid, "kwargs": kw} for iid, kw in zip(ids, json.loads(k) if isinstance(k, str) else k, strict=True)]
            for ids, k in zip(instruction_id_list, kwargs, strict=True)
        ]
        pairs = build_cases(predictions, ["" for _ in predictions], checks=checks)
        out = score_family("ifeval", pairs, details=True)
        agg = ifeval_aggregates([[c for c in row] for row in out["details"]]) or {}
        result = {k: agg.get(k) for k in ("prompt_level_strict", "prompt_level_loose", "inst_level_strict", "inst_level_loose")}
        result["by_instruction"] = agg.get("by_instruction", {})
        if details:
            result["details"] = out["details"]
        return result
