"""sft-harness: measure, with evidence, what supervised fine-tuning changed in a model.

    import harness
    r = harness.compare("base", "sft", suites=["demo"])
    print(r.metric("directness").verdict)

The public API (harness/api.py, docs/python-api.md) is loaded on first use, so importing one
module of the package (a scorer, the records) stays light.
"""

__version__ = "0.1.0"

_API = {
    "run", "compare", "gate", "load_results", "save_results", "load_config", "load_cases", "resolve_models",
    "against_baseline", "restat", "with_run", "CaseSet", "judge_plan", "compare_arms",
}
_TYPES = {
    "Comparison", "RunResult", "GateResult", "MetricRow", "PerTurnRow", "CaseResult", "Side", "CheckResult", "JudgeSection",
    "TurnJudgement", "ArmsComparison",
}
__all__ = sorted(_API | _TYPES | {"HarnessConfig", "RunConfig", "ScoringConfig", "HarnessError", "__version__"})


def __getattr__(name: str):  # PEP 562: the API's names, imported when first asked for
    if name in _API:
        from harness import api

        return getattr(api, name)
    if name in _TYPES:
        from harness import results

        return getattr(results, name)
    if name in ("HarnessConfig", "RunConfig", "ScoringConfig"):
        from harness import config

        return getattr(config, name)
    if name == "HarnessError":
        from harness.errors import HarnessError

        return HarnessError
    raise AttributeError(f"module 'harness' has no attribute {name!r}")
