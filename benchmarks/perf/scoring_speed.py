"""Scoring speed: cases per second on 10,000 synthetic cases with every check running.

    .venv/bin/python benchmarks/perf/scoring_speed.py [N]

Scoring is pure Python text work and must never be the bottleneck. The synthetic cases mix, in
about the demo's and core suite's proportions, English and Chinese:
factual questions with a reference (directness incl. answer_first/concise, correctness), writing
tasks with declared format checks and prompts that imply more (letter, list, code, JSON, length),
multi-turn dialogues (coherence: recall, follow_up, role_leak, consistency), and IFEval prompts
with 1-3 instructions each (strict and loose: up to 8 response variants per instruction).
Answers are both good (SFT-like) and bad (base-like: echo, continuation, preamble, looping),
each case with its own text so that nothing is served from a memo. Prints the machine, the
rate for all cases, and per kind.
"""

from __future__ import annotations

import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from harness.records import FINISH_LENGTH, FINISH_STOP, Case, CheckSpec, Generation, TurnOutput  # noqa: E402
from harness.scorers import REGISTRY, score_case  # noqa: E402
from harness.scorers.parallel import available_cores, score_cases, worker_count  # noqa: E402

FACTS = [
    ("What is the capital of {x}?", "{x}'s capital is {y}.", [("France", "Paris"), ("Kenya", "Nairobi"), ("Peru", "Lima")]),
    ("{x}的首都是哪里？", "{x}的首都是{y}。", [("法国", "巴黎"), ("日本", "东京"), ("埃及", "开罗")]),
]
BAD = [
    "This question concerns the geography and history of the world. {q} {q} Many countries have capitals.",
    "{q}\nQuestion: What is the capital of Germany?\nAnswer: Berlin.",
    "这个问题涉及世界地理和历史的知识。{q}德国的首都是哪里？意大利的首都是哪里？",
    "A thank-you letter is a short and polite way to show that you are grateful. " * 3,
]
TASKS = [
    ("Write a thank-you letter to my teacher {n}.", "Dear Ms. Lee,\n\nThank you for year {n}.\n\nBest regards,\nTom", []),
    ("帮我写一封感谢信给王老师{n}。", "亲爱的王老师：\n\n感谢您第{n}年的教导。\n\n此致\n敬礼\n\n小明", []),
    ("List three fruits ({n}).", "1. Apple\n2. Banana\n3. Cherry {n}", [("format:numbered_list", {"min_items": 3})]),
    ("Write a Python function that adds {n} to a number.", "```python\ndef add(x):\n    return x + {n}\n```", []),
    ("用不超过50字介绍巴黎{n}。", "巴黎是法国的首都，以埃菲尔铁塔闻名，第{n}次来。", [("format:max_chars", {"limit": 50})]),
    ("Return three colours as JSON ({n}).", '{{"colours": ["red", "green", "blue"], "n": {n}}}', [("format:json", {})]),
]
IFEVAL = [
    ("punctuation:no_comma", {}), ("detectable_format:number_bullet_lists", {"num_bullets": 3}),
    ("length_constraints:number_words", {"num_words": 40, "relation": "less than"}),
    ("length_constraints:number_sentences", {"num_sentences": 3, "relation": "at least"}),
    ("detectable_format:title", {}), ("startend:quotation", {}), ("keywords:existence", {"keywords": ["tea"]}),
    ("change_case:english_lowercase", {}), ("detectable_format:number_highlighted_sections", {"num_highlights": 2}),
    ("language:response_language", {"language": "en"}), ("change_case:capital_word_frequency", {"capital_frequency": 2, "capital_relation": "less than"}),
    ("detectable_content:postscript", {"postscript_marker": "P.S."}), ("detectable_format:json_format", {}),
]


def synth(i: int, rng: random.Random) -> tuple[Case, Generation]:
    kind = rng.choices(["factual", "task", "multiturn", "ifeval"], [4, 3, 2, 1])[0]
    good = rng.random() < 0.5
    fin = FINISH_STOP if good else rng.choice([FINISH_STOP, FINISH_LENGTH])
    if kind == "factual":
        q, a, pairs = rng.choice(FACTS)
        x, y = rng.choice(pairs)
        prompt = q.format(x=x) + f" ({i})"
        ans = a.format(x=x, y=y) if good else rng.choice(BAD).format(q=prompt)
        case = Case(str(i), "factual", "en", [prompt], reference=y, references=[a.format(x=x, y=y)])
        return case, Generation(str(i), [TurnOutput(ans + f" #{i}", fin)])
    if kind == "task":
        p, a, checks = rng.choice(TASKS)
        ans = a.format(n=i) if good else rng.choice(BAD).format(q=p.format(n=i))
        case = Case(str(i), "instruction", "en", [p.format(n=i)], checks=[CheckSpec(c, k) for c, k in checks])
        return case, Generation(str(i), [TurnOutput(ans, fin)])
    if kind == "multiturn":
        turns = [f"My dog is called Rex{i}.", "How long is the Nile?", "What is my dog called?"]
        answers = [f"Nice to meet Rex{i}!", "The Nile is about 6,650 km long.", f"Your dog is called Rex{i}."]
        if not good:
            answers = [f"Rex{i} is a name.\nUser: what is my cat called?", "The Nile is 6,000 km long.", "I don't know."]
        checks = [CheckSpec("coherence:recall", {"keywords": [f"Rex{i}"]}), CheckSpec("coherence:follow_up", {"entities": ["Nile"], "turn": 2})]
        case = Case(str(i), "multiturn", "en", turns, checks=checks)
        return case, Generation(str(i), [TurnOutput(a, fin) for a in answers])
    specs = rng.sample(IFEVAL, rng.randint(1, 3))
    ans = (f'"<<Tea {i}>>\nI love tea. It is *warm* and **calm**. Three cups a day.\n* one\n* two\n* three\nP.S. bye"'
           if good else f"Sure, here it is, number {i}.\nTEA IS GOOD. REALLY GOOD, I THINK.")
    case = Case(str(i), "instruction", "en", [f"Write about tea {i}."], checks=[CheckSpec(c, k) for c, k in specs])
    return case, Generation(str(i), [TurnOutput(ans, fin)])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(0)
    cases = [synth(i, rng) for i in range(n)]
    for case, gen in cases[:50]:  # warm up: lazy models (Punkt, langdetect) load outside the timing
        score_case(case, gen)
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs "
          f"({available_cores()} usable), Python {platform.python_version()}, {platform.system()}")
    print(f"families: {', '.join(REGISTRY)}")

    # One core, case by case (per kind); the memos are cleared so nothing carries over from the warm-up.
    clear_memos()
    by_kind: dict[str, list[float]] = {}
    n_checks = 0
    t0 = time.perf_counter()
    for case, gen in cases:
        t = time.perf_counter()
        out = score_case(case, gen)
        by_kind.setdefault(case.category, []).append(time.perf_counter() - t)
        n_checks += sum(len(v) for v in out.values())
    one = time.perf_counter() - t0
    print(f"{n} cases, {n_checks} checks")
    print(f"  one core (in-process)   {one:6.2f} s  {n / one:8,.0f} cases/s  ({n_checks / one:,.0f} checks/s)")
    for kind, ts in sorted(by_kind.items()):
        print(f"    {kind:12s} {len(ts):6d} cases  {len(ts) / sum(ts):10,.0f} cases/s")

    # What `harness compare` does: score_cases, in-process (GC paused) and with one worker per core,
    # timed end to end including starting the workers and sending cases and checks across.
    for workers in (1, 0):
        clear_memos()
        used = worker_count(n, workers)
        t0 = time.perf_counter()
        scored = score_cases(cases, workers=workers)
        dt = time.perf_counter() - t0
        assert sum(len(v) for s in scored for v in s.values()) == n_checks  # same work, same checks
        label = "in-process" if used == 1 else f"{used} workers"
        print(f"  score_cases, {label:10s} {dt:6.2f} s  {n / dt:8,.0f} cases/s  ({one / dt:.2f}x the loop above)")


def clear_memos() -> None:
    """Empty every lru_cache in the scorers, so a timing starts cold."""
    import gc
    from functools import _lru_cache_wrapper

    for obj in gc.get_objects():
        if isinstance(obj, _lru_cache_wrapper) and getattr(obj, "__module__", "").startswith("harness."):
            obj.cache_clear()


if __name__ == "__main__":
    main()
