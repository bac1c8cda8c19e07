"""A training trajectory as types: one model evaluated on one suite at several points of a training run.

`harness train --eval-every N` (trainers/trajectory.py) evaluates the base (step 0), the model being
trained every N steps, and the saved output (the last step), each with `harness.run` on the same cases,
and stores the points under `trajectory` in OUT/training_report.json; `harness report OUT/` renders them
(reports/train_trajectory.py). A point keeps, per scorer family, the share of cases passing and its n:
exactly the headline `value` and `n` of that family's row in the point's `harness.run` result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.errors import HarnessError
from harness.outputs import read_json
from harness.provenance import REPORT
from harness.results import RunResult

REPORT_SCHEMA_PREFIX = "harness.training_report/"

# What a point evaluated: the base model as `harness run` resolves it, a snapshot of the weights being
# trained (saved to a temporary directory for the purpose), or the saved output directory.
PointModel = Literal["base", "checkpoint", "output"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")  # a newer writer's fields are kept, as in results documents


class FamilyRate(_Part):
    rate: float | None  # share of the cases passing the family (None: no case has a verdict)
    n: int  # cases with a verdict


class TrajectoryPoint(_Part):
    step: int
    epoch: float | None = None
    loss: float | None = None  # the training loss the trainer logged at this step; None at step 0
    model: PointModel
    families: dict[str, FamilyRate]
    seconds: float | None = None  # generation and scoring time of this point


class Trajectory(_Part):
    suites: list[str]
    n_cases: int
    every: int
    backend: str | None = None
    max_tokens: int | None = None
    points: list[TrajectoryPoint] = []
    notes: list[str] = []

    def families(self) -> list[str]:
        """Every family any point has, in the order they first appear."""
        return list(dict.fromkeys(f for p in self.points for f in p.families))


def family_rates(result: RunResult) -> dict[str, FamilyRate]:
    """Per family (directness, format, coherence, relevance, correctness, …): the headline pass rate of a
    run, i.e. the binary row over all categories and languages whose name is the family itself."""
    return {
        r.name: FamilyRate(rate=r.value, n=r.n)
        for r in result.metrics
        if r.kind == "binary" and ":" not in r.name and r.category == "all" and r.lang == "all"
    }


def is_training_report(path: Path) -> bool:
    """`harness report` reads a training run when given its output directory or its training_report.json."""
    return path.is_dir() or path.name == REPORT


def load_trajectory(path: str | Path) -> Trajectory:
    """The trajectory in OUT/training_report.json (`path` is OUT or the file); errors name file and field."""
    p = Path(path)
    if p.is_dir():
        p = p / REPORT
        if not p.is_file():
            raise HarnessError(f"{p.parent}: is a directory without {REPORT} (expected a results JSON file, or the "
                               "--out directory of `harness train`)")
    data = read_json(p, "training report")
    schema = data.get("schema") if isinstance(data, dict) else None
    if not (isinstance(schema, str) and schema.startswith(REPORT_SCHEMA_PREFIX)):
        raise HarnessError(f"{p}: field 'schema': expected a training report ({REPORT_SCHEMA_PREFIX}v1), got {schema!r}")
    raw = data.get("trajectory")
    if raw is None:
        raise HarnessError(f"{p}: no trajectory in this training report (train with --eval-every N to record one)")
    try:
        return Trajectory.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in ("trajectory", *err["loc"]))
        raise HarnessError(f"{p}: field '{where}': {err['msg'].lower()}") from None


def trajectory_json(trajectory: Trajectory) -> dict[str, Any]:
    return trajectory.model_dump(mode="json")
