"""Score many cases on every core.

Scoring is pure Python text work, so one process scores on one core: `score_cases` splits a
large run into chunks and scores them in worker processes, in order. Small runs stay in-process:
starting workers costs more than it saves below a couple of thousand cases.

Three things keep the overhead low (measured in benchmarks/perf/scoring_speed.py):
- workers are forked, so they inherit the cases instead of unpickling them; when other threads
  are alive (a vLLM engine's, say) forking is unsafe and a forkserver that has imported the
  scorers is used instead, and the cases travel pickled;
- checks come back as plain tuples through `marshal`, far cheaper than pickled dataclasses;
- the cyclic garbage collector is paused while checks are built: scoring allocates hundreds of
  thousands of small acyclic objects, and collections triggered by them cost ~20% of the time.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing as mp
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from harness.config import DEFAULT_SCORING, ScoringConfig, available_cores
from harness.records import Case, Check, Generation
from harness.scorers import score_case

Scores = dict[str, list[Check]]
Progress = Callable[[int, int], None]

# Below this many cases the work stays in-process (worker start-up is ~0.1-0.3 s).
MIN_PARALLEL_CASES = 2000
CHUNK = 250

# The run being scored and its options, inherited by forked workers (they get chunk bounds, not
# cases). Set only for the duration of one `score_cases` call, in the parent.
_JOB: tuple[Sequence[tuple[Case, Generation]], ScoringConfig] = ((), DEFAULT_SCORING)


def _only_quiet_threads() -> bool:
    """No thread but ours that could hold a lock across a fork: the interrupt watchdog
    (harness/runners/lifetime.py) only waits in a read and is safe to fork beside."""
    return all(t is threading.main_thread() or t.name.startswith("harness-interrupt") for t in threading.enumerate())


def worker_count(n_cases: int, workers: int) -> int:
    """Processes to use: `workers` if set (1 = in-process), else one per core for large runs."""
    if workers > 0:
        return min(workers, max(1, n_cases // CHUNK))
    if n_cases < MIN_PARALLEL_CASES:
        return 1
    return max(1, min(available_cores(), n_cases // CHUNK))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC (reference counting still frees everything scoring allocates)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _init() -> None:
    gc.disable()  # a short-lived worker: see gc_paused


def _pack(scores: Scores) -> list:
    return [(fam, [(c.id, c.passed, c.reason, c.value, c.strict, c.loose, c.turn) for c in checks]) for fam, checks in scores.items()]


def _unpack(packed: list) -> Scores:
    return {fam: [Check(*t) for t in checks] for fam, checks in packed}


def _score_range(bounds: tuple[int, int]) -> bytes:
    pairs, cfg = _JOB
    return marshal.dumps([_pack(score_case(case, gen, cfg)) for case, gen in pairs[bounds[0] : bounds[1]]])


def _score_chunk(job: tuple[list[tuple[Case, Generation]], ScoringConfig]) -> bytes:
    chunk, cfg = job
    return marshal.dumps([_pack(score_case(case, gen, cfg)) for case, gen in chunk])


def score_cases(
    pairs: Sequence[tuple[Case, Generation]],
    cfg: ScoringConfig = DEFAULT_SCORING,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[Scores]:
    """`score_case` for every (case, generation) with the options `cfg`, in order; parallel when it pays."""
    global _JOB
    n = worker_count(len(pairs), cfg.workers if workers is None else workers)
    out: list[Scores] = []
    if n <= 1:
        with gc_paused():
            for i, (case, gen) in enumerate(pairs, 1):
                out.append(score_case(case, gen, cfg))
                if progress and (i % 200 == 0 or i == len(pairs)):
                    progress(i, len(pairs))
        return out
    bounds = [(i, min(i + CHUNK, len(pairs))) for i in range(0, len(pairs), CHUNK)]
    if _only_quiet_threads() and "fork" in mp.get_all_start_methods():
        ctx, fn, jobs = mp.get_context("fork"), _score_range, bounds
        _JOB = (pairs, cfg)
    else:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["harness.scorers"])
        fn, jobs = _score_chunk, [(list(pairs[a:b]), cfg) for a, b in bounds]
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_init) as pool:
            for blob in pool.map(fn, jobs):
                with gc_paused():
                    out.extend(_unpack(p) for p in marshal.loads(blob))
                if progress:
                    progress(len(out), len(pairs))
    finally:
        _JOB = ((), DEFAULT_SCORING)
    return out
