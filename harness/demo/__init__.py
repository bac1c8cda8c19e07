"""The offline demo: a base model the project pretrains itself and its SFT version, plus the data both
are trained on and the demo suite (benchmarks/demo.jsonl) that shows what SFT changed.

    from harness.demo import ensure_demo
    base_dir, sft_dir = ensure_demo()
"""

from harness.demo.build import RECIPE_VERSION, build_demo, demo_dir, ensure_demo

__all__ = ["RECIPE_VERSION", "build_demo", "demo_dir", "ensure_demo"]
