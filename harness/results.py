"""The results document (`harness.results/v1`) as types: what `compare`, `run` and `gate --baseline`
produce, what `harness report` / `harness gate` read, and what the Python API returns.

    r = harness.compare("base", "sft", suites=["demo"])
    r.metric("directness").verdict        # "improved"
    r.to_json()                           # exactly the JSON `harness compare --json` writes
    Comparison.from_json(json.load(f))    # validated: a wrong field is an error naming it

The JSON shape is a contract (docs/results-schema.md): fields are only ever added within v1. So
every model keeps fields it does not know (`extra="allow"`, a newer file still reads), and
`to_json()` writes back exactly the keys that were given (optional keys absent stay absent). The
JSON Schema in docs/results.schema.json is generated from these types (`results_json_schema()`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from harness.errors import HarnessError

SCHEMA = "harness.results/v1"
SCHEMA_PREFIX = "harness.results/v"
MAJOR = 1


class _Doc(BaseModel):
    """Every part of the document: unknown fields kept (forward-compatible), names as in the JSON."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_assignment=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON object, exactly as written to a results file (keys absent on input stay absent)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class CheckResult(_Doc):
    """One check of one answer: its verdict and the reason, in words."""

    id: str
    passed: bool
    reason: str = ""
    value: float | None = None
    strict: bool | None = None  # IFEval-style checks: the strict verdict (= passed) ...
    loose: bool | None = None  # ... and the loose one
    turn: int | None = None  # the 1-based user turn whose answer it judged
    family: str | None = None  # the metric family that produced it


class Side(_Doc):
    """What one model did on one case: its outputs per turn and how they were scored."""

    outputs: list[str | None] = []
    finish_reasons: list[str | None] = []
    output_tokens: list[int | None] = []
    scores: dict[str, float | None] = {}  # family -> 1.0 pass / 0.0 fail
    checks: list[CheckResult] = []

    def failed(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]


class JudgeScore(_Doc):
    """A judge's grade of one answer (single-answer grading, 1-10) and its rationale; `error` says why
    no score was read (the judge's raw text is then kept in `raw`: never dropped, never defaulted)."""

    score: float | None = None
    rationale: str = ""
    error: str | None = None
    raw: str | None = None
    request: str | None = None  # the judge request's id (replay files match it)


class JudgeTopic(_Doc):
    """A judge's verdict on whether one answer is on topic (mode on_topic) and its reason; `error` and `raw`
    as for a grade: an unreadable verdict is kept, never defaulted."""

    on_topic: bool | None = None
    rationale: str = ""
    error: str | None = None
    raw: str | None = None
    request: str | None = None


class JudgePreference(_Doc):
    """A pairwise verdict on one turn, asked in both orders (`ab`: base shown as A, `ba`: SFT shown as A).
    `preference` is the order-free result: an order-dependent verdict (`flipped`) counts as a tie."""

    ab: Literal["A", "B", "tie"] | None = None
    ba: Literal["A", "B", "tie"] | None = None
    preference: Literal["base", "sft", "tie"] | None = None
    flipped: bool = False
    rationale_ab: str = ""
    rationale_ba: str = ""
    error: str | None = None
    raw_ab: str | None = None
    raw_ba: str | None = None
    request_ab: str | None = None
    request_ba: str | None = None


class TurnJudgement(_Doc):
    """What the judge said about one turn of a case."""

    turn: int
    reference_guided: bool = False
    base: JudgeScore | None = None  # compare documents
    sft: JudgeScore | None = None
    output: JudgeScore | None = None  # run documents
    pair: JudgePreference | None = None
    topic: dict[str, JudgeTopic] | None = None  # mode on_topic: per side ("base", "sft" or "output")


class CaseResult(_Doc):
    id: str
    suite: str | None = None
    category: str = ""
    lang: str = ""
    prompt: str | None = None
    turns: list[str] = []
    reference: str | None = None
    base: Side | None = None  # compare / baseline documents
    sft: Side | None = None
    output: Side | None = None  # run documents
    judge: list[TurnJudgement] | None = None  # a model judge's verdicts, per turn (--judge)


class InstructionLevel(_Doc):
    base: float | None = None
    base_se: float | None = None
    sft: float | None = None
    sft_se: float | None = None
    delta: float | None = None
    delta_se: float | None = None
    n_instructions: int = 0
    n_prompts: int = 0


class MetricRow(_Doc):
    """One metric on one slice (category × language): a paired comparison, or one model's value."""

    name: str
    category: str = "all"
    lang: str = "all"
    family: str | None = None
    kind: Literal["binary", "continuous"] = "binary"
    test: str | None = None
    direction: Literal["higher", "lower", "none"] | None = None
    base: float | None = None
    sft: float | None = None
    delta: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    holm_m: int | None = None
    significant: bool | None = None
    verdict: Literal["improved", "regressed", "unchanged"] | None = None
    n: int = 0
    fixes: list[str] = []
    regressions: list[str] = []
    discordant: int | None = None
    nonzero: int | None = None
    increases: int | None = None
    decreases: int | None = None
    small_sample: bool | None = None
    small_sample_note: str | None = None
    advisory: bool | None = None
    instruction_level: InstructionLevel | None = None
    instruction_level_loose: InstructionLevel | None = None
    value: float | None = None  # run documents: the share passing (binary) or the mean

    @property
    def headline(self) -> bool:
        return self.category == "all" and self.lang == "all"


class PerTurnRow(_Doc):
    """A family's pass rate on one turn of the multi-turn cases (compare: paired; run: `value`)."""

    family: str
    turn: int
    base: float | None = None
    sft: float | None = None
    delta: float | None = None
    p_value: float | None = None
    n: int = 0
    fixes: list[str] = []
    regressions: list[str] = []
    small_sample: bool | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_adjusted: float | None = None
    verdict: Literal["improved", "regressed", "unchanged"] | None = None
    value: float | None = None


class ModelRecord(_Doc):
    name: str = ""
    path: str | None = None
    adapter: str | None = None  # a LoRA/PEFT adapter applied over `path`
    source: str | None = None
    backend: str | None = None
    prompt_format: str | None = None
    max_tokens: int | None = None
    notes: list[str] = []
    generated_turns: int | None = None
    cached_turns: int | None = None
    seconds: float | None = None
    engine: dict[str, Any] | None = None  # the engine's effective settings ({} for replay and served models)
    training: dict[str, Any] | None = None  # decontamination provenance (harness/provenance.py)


class ModelPair(_Doc):
    base: ModelRecord
    sft: ModelRecord


class JudgeTurnRow(_Doc):
    """Judge results on one turn across cases: mean scores and pairwise outcomes."""

    turn: int
    n: int = 0
    base: float | None = None
    sft: float | None = None
    value: float | None = None  # run documents: the mean score
    wins: int | None = None  # SFT preferred
    ties: int | None = None
    losses: int | None = None  # base preferred
    win_rate: float | None = None


class LengthBin(_Doc):
    """Pairwise outcomes among cases whose SFT answer is shorter / about as long / longer than base's."""

    bin: str
    n: int = 0
    wins: int = 0
    ties: int = 0
    losses: int = 0
    win_rate: float | None = None


class PairwiseSummary(_Doc):
    """Pairwise preference of SFT over base, per case (the outcome of a case is the sign of its
    turns' preferences); win rate = (wins + ties/2) / n."""

    n: int = 0
    wins: int = 0
    ties: int = 0
    losses: int = 0
    win_rate: float | None = None
    judged_turns: int = 0
    order_flips: int = 0  # turns whose verdict changed with the order (counted as ties)
    order_flip_rate: float | None = None
    lc_win_rate: float | None = None  # length-controlled: the win rate a logistic fit predicts at equal length
    length_coef: float | None = None  # the fit's log-odds per standard deviation of the length difference
    length_unit: str = "characters"
    length_bins: list[LengthBin] = []


class JudgeSection(_Doc):
    """A model judge's verdicts, summarised: a model's opinion, never a check. Its rows are advisory
    (the default gate rule skips them; an explicit rule such as `judge:win_rate >= 0.5` gates on them)."""

    model: ModelRecord
    prompt_version: str
    prompts: dict[str, str] = {}  # template name -> sha256 prefix of its text
    decoding: dict[str, Any] = {}
    modes: list[str] = []
    calls: int = 0
    generated: int = 0
    cached: int = 0
    unparsed: int = 0  # answers or orders whose verdict could not be read (raw text kept in the case)
    missing: int = 0  # requests the judge gave no output for (a replay file without them, a prompt too long)
    metrics: list[MetricRow] = []
    pairwise: PairwiseSummary | None = None
    per_turn: list[JudgeTurnRow] = []
    notes: list[str] = []


class Settings(_Doc):
    max_tokens: int | None = None
    temperature: float | None = None
    seed: int | None = None
    history: str | None = None


class GateRuleResult(_Doc):
    rule: str
    source: str
    passed: bool
    detail: str = ""
    failures: list[str] = []
    pair: str | None = None  # N-arm documents: the arm gated against the baseline


class GateResult(_Doc):
    """The verdict of the CI gate: passed, and each rule with the numbers that decided it."""

    passed: bool
    alpha: float | None = None
    mode: str = "compare"
    rules_file: str | None = None
    rules: list[GateRuleResult] = []
    pairs: list[str] | None = None  # N-arm documents: the arms gated against the baseline

    def failed(self) -> list[GateRuleResult]:
        return [r for r in self.rules if not r.passed]


class _Results(_Doc):
    schema_: str = Field(SCHEMA, alias="schema")
    harness_version: str | None = None
    created: str | None = None
    suites: list[str] = []
    settings: Settings = Settings()
    n_cases: int = 0
    notes: list[str] = []

    @classmethod
    def from_json(cls, data: Any, where: str = "results") -> Any:
        """A document of this kind from its JSON object, validated (errors name `where` and the field)."""
        doc = parse_results(data, where)
        if not isinstance(doc, cls):
            raise HarnessError(f"{where}: a {doc.kind!r} results document, not a {cls.__name__}")
        return doc

    def metric(self, name: str, category: str = "all", lang: str = "all") -> MetricRow:
        """The row of metric `name` on one slice (default: the headline, all categories and languages)."""
        for row in self.metrics:  # type: ignore[attr-defined]
            if row.name == name and row.category == category and row.lang == lang:
                return row
        known = ", ".join(dict.fromkeys(r.name for r in self.metrics))  # type: ignore[attr-defined]
        raise KeyError(f"no metric row {name!r} for category {category!r}, lang {lang!r}; metrics: {known}")

    def case(self, case_id: str) -> CaseResult:
        for c in self.cases:  # type: ignore[attr-defined]
            if c.id == case_id:
                return c
        raise KeyError(f"no case {case_id!r}")


class Comparison(_Results):
    """Two models on the same cases (`compare`), or a new SFT against an accepted one (`baseline`)."""

    kind: Literal["compare", "baseline"] = "compare"
    stats: dict[str, Any] = {}
    models: ModelPair | None = None  # absent only in hand-made documents (tests, scripts)
    metrics: list[MetricRow] = []
    per_turn: list[PerTurnRow] = []
    judge: JudgeSection | None = None
    gate: GateResult | None = None
    cases: list[CaseResult] = []

    @property
    def alpha(self) -> float | None:
        return self.stats.get("alpha")


class RunResult(_Results):
    """One model on a suite (`run`)."""

    kind: Literal["run"] = "run"
    model: ModelRecord | None = None
    metrics: list[MetricRow] = []
    per_turn: list[PerTurnRow] = []
    judge: JudgeSection | None = None
    cases: list[CaseResult] = []


class ArmCase(_Doc):
    """One case of an N-arm document: stored once, with what every arm did on it (by arm name)."""

    id: str
    suite: str | None = None
    category: str = ""
    lang: str = ""
    prompt: str | None = None
    turns: list[str] = []
    reference: str | None = None
    arms: dict[str, Side] = {}


class ArmPair(_Doc):
    """One arm against the baseline: the rows a two-arm comparison has (`base` = the baseline's value,
    `sft` = the arm's), with p_adjusted/verdict from Holm over every pair (docs/results-schema.md)."""

    arm: str
    metrics: list[MetricRow] = []
    per_turn: list[PerTurnRow] = []


class TrajectoryPoint(_Doc):
    arm: str
    rate: float | None = None  # the share of cases passing the family
    ci_low: float | None = None  # bootstrap percentile CI of the rate
    ci_high: float | None = None
    n: int = 0


class Trajectory(_Doc):
    """A family's pass rate in every arm, in the arms' order (a checkpoint trajectory when they are checkpoints)."""

    family: str
    points: list[TrajectoryPoint] = []


class ForgettingRow(_Doc):
    """A metric that fell significantly from the baseline in an arm (its verdict in that pair is `regressed`)."""

    arm: str
    name: str
    category: str = "all"
    lang: str = "all"
    family: str | None = None
    baseline: float | None = None
    value: float | None = None
    delta: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_adjusted: float | None = None
    n: int = 0
    regressions: list[str] = []
    advisory: bool | None = None


class PromptShare(_Doc):
    """How much of the SFT gain a prompt alone reaches, per family: (prompt − raw) / (sft − raw), where raw is
    the baseline, prompt an arm of the same model with another prompt format, sft another model's arm.
    `share` is None (and `note` says why) unless the SFT arm improved significantly on the family."""

    family: str
    raw_arm: str
    prompt_arm: str
    sft_arm: str
    raw: float | None = None
    prompt: float | None = None
    sft: float | None = None
    share: float | None = None
    note: str | None = None


class ArmsComparison(_Results):
    """Any number of models (arms) on the same cases, each compared with one baseline arm (`compare_arms`)."""

    kind: Literal["arms"] = "arms"
    stats: dict[str, Any] = {}
    baseline: str = ""
    arms: list[ModelRecord] = []
    pairs: list[ArmPair] = []
    trajectory: list[Trajectory] = []
    forgetting: list[ForgettingRow] = []
    prompt_share: list[PromptShare] = []
    gate: GateResult | None = None
    cases: list[ArmCase] = []

    @property
    def alpha(self) -> float | None:
        return self.stats.get("alpha")

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.arms]

    def arm_pair(self, arm: str) -> ArmPair:
        for p in self.pairs:
            if p.arm == arm:
                return p
        others = ", ".join(p.arm for p in self.pairs)
        raise KeyError(f"no pair for arm {arm!r}: the baseline is {self.baseline!r}, the other arms are {others}")

    def metric(self, name: str, category: str = "all", lang: str = "all", arm: str | None = None) -> MetricRow:  # type: ignore[override]
        """A metric row of the pair baseline vs `arm` (default: the last arm)."""
        pair = self.arm_pair(arm if arm is not None else self.arms[-1].name)
        for row in pair.metrics:
            if row.name == name and row.category == category and row.lang == lang:
                return row
        known = ", ".join(dict.fromkeys(r.name for r in pair.metrics))
        raise KeyError(f"no metric row {name!r} for category {category!r}, lang {lang!r} in arm {pair.arm!r}; metrics: {known}")

    def pair(self, arm: str) -> Comparison:
        """The two-arm comparison baseline (`base`) vs `arm` (`sft`), with this document's rows: their
        p_adjusted and verdicts come from Holm over all pairs (`harness.restat` of it gives the
        two-arm statistics, those `harness.compare` of the two would give)."""
        p = self.arm_pair(arm)
        doc = self.to_json()
        by_name = {a["name"]: a for a in doc["arms"]}
        head = {k: doc[k] for k in ("schema", "harness_version", "created", "suites", "settings") if k in doc}
        cases = [
            {**{k: v for k, v in c.items() if k != "arms"}, "base": c["arms"][self.baseline], "sft": c["arms"][arm]}
            for c in doc["cases"]
        ]
        pair = p.to_json()
        return Comparison.model_validate({
            **head, "kind": "compare", "stats": doc.get("stats", {}), "n_cases": doc.get("n_cases", len(cases)),
            "notes": doc.get("notes", []), "models": {"base": by_name[self.baseline], "sft": by_name[arm]},
            "metrics": pair.get("metrics", []), "per_turn": pair.get("per_turn", []), "cases": cases,
        })


Results = Annotated[Comparison | RunResult | ArmsComparison, Field(discriminator="kind")]
_ADAPTER: TypeAdapter[Comparison | RunResult | ArmsComparison] = TypeAdapter(Results)
SIDES = {"compare": ("base", "sft"), "baseline": ("base", "sft"), "run": ("output",), "arms": ()}


def results_json_schema() -> dict[str, Any]:
    """The JSON Schema of a results document, generated from the types (docs/results.schema.json)."""
    defs = _ADAPTER.json_schema(by_alias=True, mode="serialization")["$defs"]
    # `kind` picks the type with if/then/else rather than oneOf: every validator then reports the
    # field at fault, not "matches none of the alternatives".
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sft-harness.dev/schema/harness.results.v1.json",
        "title": f"sft-harness results document ({SCHEMA})",
        "type": "object",
        "required": ["schema", "kind"],
        "properties": {"schema": {"const": SCHEMA}, "kind": {"enum": list(SIDES)}},
        "if": {"properties": {"kind": {"const": "run"}}},
        "then": {"$ref": "#/$defs/RunResult"},
        "else": {
            "if": {"properties": {"kind": {"const": "arms"}}},
            "then": {"$ref": "#/$defs/ArmsComparison"},
            "else": {"$ref": "#/$defs/Comparison"},
        },
        "$defs": defs,
    }


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for i, part in enumerate(loc):
        if i == 0 and part == "arms":
            continue  # the union branch (a later `arms` is the field of that name)
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("compare", "baseline", "run", "function-after", "str", "int", "float"):
            continue  # the union branch, not a field
        else:
            out += ("." if out else "") + str(part)
    return out or "(document)"


def parse_results(data: Any, where: str = "results") -> Comparison | RunResult | ArmsComparison:
    """A results document from its JSON object; a wrong schema, a future major version or a field of
    the wrong type is a HarnessError naming `where` and the field."""
    if not isinstance(data, dict):
        raise HarnessError(f"{where}: expected a results object ({SCHEMA}), got a JSON {type(data).__name__}")
    schema = data.get("schema")
    if isinstance(schema, str) and schema.startswith(SCHEMA_PREFIX):
        major = schema[len(SCHEMA_PREFIX):].partition(".")[0]
        if major.isdigit() and int(major) > MAJOR:
            raise HarnessError(
                f"{where}: written by a newer sft-harness (schema {schema!r}); this version reads {SCHEMA!r}: "
                "upgrade sft-harness to read it"
            )
    if schema != SCHEMA:
        raise HarnessError(f"{where}: field 'schema': expected {SCHEMA!r}, got {schema!r}")
    kind = data.get("kind")
    if kind not in SIDES:
        raise HarnessError(f"{where}: field 'kind': expected one of {', '.join(SIDES)}, got {kind!r}")
    try:
        doc = _ADAPTER.validate_python(data)
    except ValidationError as e:
        err = e.errors()[0]
        got = err.get("input")
        shown = f"{type(got).__name__} {str(got)[:60]!r}" if got is not None else "nothing"
        raise HarnessError(f"{where}: field '{_field_path(err['loc'])}': {err['msg'].lower()}, got {shown}") from None
    for i, case in enumerate(doc.cases):
        for side in SIDES[kind]:
            if getattr(case, side) is None:
                raise HarnessError(f"{where}: field 'cases[{i}].{side}': expected an object, got nothing")
    if isinstance(doc, ArmsComparison):
        _check_arms(doc, where)
    return doc


def _check_arms(doc: ArmsComparison, where: str) -> None:
    """Every arm named once, the baseline one of them, and every case with a side for every arm."""
    names = doc.names
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise HarnessError(f"{where}: field 'arms': arm name(s) {', '.join(map(repr, dup))} given more than once")
    if doc.baseline not in names:
        raise HarnessError(f"{where}: field 'baseline': {doc.baseline!r} is not one of the arms ({', '.join(names)})")
    for i, case in enumerate(doc.cases):
        missing = [n for n in names if n not in case.arms]
        if missing:
            raise HarnessError(f"{where}: field 'cases[{i}].arms': no side for arm(s) {', '.join(map(repr, missing))}")


if __name__ == "__main__":  # python -m harness.results > docs/results.schema.json
    import json
    import sys

    sys.stdout.write(json.dumps(results_json_schema(), ensure_ascii=False, indent=2) + "\n")
