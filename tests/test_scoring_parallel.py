"""score_cases: parallel scoring gives exactly the in-process checks, in order, under the config in force."""

from __future__ import annotations

import threading

from harness.config import ScoringConfig
from harness.records import FINISH_LENGTH, FINISH_STOP, Case, CheckSpec, Generation, TurnOutput
from harness.scorers import parallel, score_case
from harness.scorers.parallel import CHUNK, score_cases, worker_count


def _pairs(n: int) -> list[tuple[Case, Generation]]:
    out = []
    for i in range(n):
        if i % 3 == 0:
            case = Case(str(i), "factual", "en", [f"What is the capital of France? ({i})"], reference="Paris")
            text = "Paris." if i % 2 else f"What is the capital of France? ({i})\nQuestion: and Spain?"
        elif i % 3 == 1:
            case = Case(str(i), "instruction", "zh", [f"列出三种水果（{i}）。"],
                        checks=[CheckSpec("ifeval:punctuation:no_comma")])
            text = "1. 苹果\n2. 香蕉\n3. 樱桃" if i % 2 else "水果有很多种, 比如苹果"
        else:
            case = Case(str(i), "multiturn", "en", [f"My dog is Rex{i}.", "What is my dog called?"],
                        checks=[CheckSpec("coherence:recall", {"keywords": [f"Rex{i}"]})])
            texts = [f"Hello Rex{i}!", f"Rex{i}." if i % 2 else "I don't know."]
            out.append((case, Generation(str(i), [TurnOutput(t, FINISH_STOP) for t in texts])))
            continue
        out.append((case, Generation(str(i), [TurnOutput(text, FINISH_STOP if i % 2 else FINISH_LENGTH)])))
    return out


def _flat(scores):
    return [{fam: [c.to_dict() for c in checks] for fam, checks in s.items()} for s in scores]


def _start_methods(monkeypatch) -> list[str]:
    """Records the multiprocessing start method each score_cases call asks for."""
    asked: list[str] = []
    real = parallel.mp.get_context

    def spy(method=None):
        asked.append(method)
        return real(method)

    monkeypatch.setattr(parallel.mp, "get_context", spy)
    return asked


def test_parallel_scoring_matches_in_process_and_keeps_order(monkeypatch) -> None:
    pairs = _pairs(3 * CHUNK + 7)  # a partial last chunk
    expected = [score_case(c, g) for c, g in pairs]
    seen: list[int] = []
    asked = _start_methods(monkeypatch)
    quiet = parallel._only_quiet_threads()  # in a full session an earlier test may have left a thread running
    got = score_cases(pairs, workers=2, progress=lambda done, total: seen.append(done))
    assert asked == (["fork"] if quiet else ["forkserver"])  # fork, the cheap path, only when it is safe
    assert _flat(got) == _flat(expected)
    assert seen[-1] == len(pairs) and seen == sorted(seen)
    # some checks fail and some pass: the comparison above is not between empty lists
    flat = [c for s in got for checks in s.values() for c in checks]
    assert any(c.passed for c in flat) and any(not c.passed for c in flat)


def test_workers_score_with_the_options_passed() -> None:
    # A tiny scan window hides the fabricated "Question:" line at the end of the factual answers.
    pairs = [p for p in _pairs(3 * CHUNK) if p[0].category == "factual"] * 3
    strict = score_cases(pairs, workers=2)
    lax_cfg = ScoringConfig(scan_max_chars=10)
    lax = score_cases(pairs, lax_cfg, workers=2)
    assert _flat(lax) == _flat([score_case(c, g, lax_cfg) for c, g in pairs])
    assert _flat(lax) != _flat(strict)
    assert _flat(score_cases(pairs, workers=2)) == _flat(strict)  # nothing of lax_cfg stayed behind


def test_forkserver_path_when_other_threads_are_alive(monkeypatch) -> None:
    pairs = _pairs(2 * CHUNK)
    asked = _start_methods(monkeypatch)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait, daemon=True)
    t.start()  # like a vLLM engine's threads: forking now would be unsafe
    try:
        got = score_cases(pairs, workers=2)
    finally:
        stop.set()
    assert asked == ["forkserver"]
    assert _flat(got) == _flat([score_case(c, g) for c, g in pairs])


def test_worker_count() -> None:
    assert worker_count(100, 0) == 1  # small runs stay in-process
    assert worker_count(100, 4) == 1  # never more workers than chunks
    assert worker_count(10 * CHUNK, 3) == 3
    assert worker_count(10_000, 1) == 1
