"""Typed records that flow through the harness: suite -> cases -> generations -> checks.

Every stage reads and writes these dataclasses; JSON (de)serialisation lives next to them so
the results file, the generation cache and replay files all share one shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# finish_reason values: "stop" = the model emitted EOS, "length" = it hit the token cap,
# "unknown" = replayed output whose stopping is not known.
FINISH_STOP = "stop"
FINISH_LENGTH = "length"
FINISH_UNKNOWN = "unknown"


@dataclass(frozen=True)
class CheckSpec:
    """A check a suite declares for a case: a check id plus its keyword arguments."""

    id: str
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Case:
    """One evaluation item: a single prompt or a multi-turn conversation (user turns only)."""

    id: str
    category: str
    lang: str
    turns: list[str]
    suite: str = ""
    reference: str | None = None
    aliases: list[str] = field(default_factory=list)
    # Golden assistant answers, one per user turn (--history golden feeds them as the earlier turns).
    references: list[str | None] = field(default_factory=list)
    checks: list[CheckSpec] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    source: str = ""  # "file:line" the case was read from, for error messages

    @property
    def prompt(self) -> str:
        return self.turns[0] if self.turns else ""

    @property
    def multi_turn(self) -> bool:
        return len(self.turns) > 1

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["checks"] = [asdict(c) for c in self.checks]
        return d


@dataclass
class TurnOutput:
    """What a model produced for one user turn."""

    text: str
    finish_reason: str = FINISH_UNKNOWN
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    latency_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TurnOutput:
        return cls(
            text=d.get("text", ""),
            finish_reason=d.get("finish_reason", FINISH_UNKNOWN),
            prompt_tokens=d.get("prompt_tokens"),
            output_tokens=d.get("output_tokens"),
            latency_s=d.get("latency_s"),
        )


@dataclass
class Generation:
    """A model's answers to every user turn of one case (one TurnOutput per turn)."""

    case_id: str
    turns: list[TurnOutput]
    max_tokens: int | None = None  # the cap in force, so scorers can tell "ran to the cap"
    # The assistant message each later turn was conditioned on, where it was not the model's own
    # answer (`--history golden`: the case's reference answers). None: the model's own answers.
    history: list[str] | None = None

    @property
    def last(self) -> TurnOutput:
        return self.turns[-1]

    @property
    def texts(self) -> list[str]:
        return [t.text for t in self.turns]

    def context_answer(self, index: int) -> str:
        """The assistant message the conversation held after user turn `index` (0-based): the golden
        answer under `--history golden`, else the model's own answer."""
        if self.history is not None and index < len(self.history):
            return self.history[index]
        text = self.turns[index].text if index < len(self.turns) else ""
        return text if isinstance(text, str) else ""


@dataclass(slots=True)
class Check:
    """The verdict of one check on one answer of a case, always with a human-readable reason.

    `turn` is the 1-based user turn whose answer was judged (None: files written before checks
    carried it). A case passes a check id when every turn it was judged on passes."""

    id: str
    passed: bool
    reason: str
    value: float | None = None
    strict: bool | None = None
    loose: bool | None = None
    turn: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "passed": self.passed, "reason": self.reason}
        for key in ("value", "strict", "loose", "turn"):
            v = getattr(self, key)
            if v is not None:
                d[key] = v
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Check:
        return cls(
            id=d["id"],
            passed=bool(d["passed"]),
            reason=d.get("reason", ""),
            value=d.get("value"),
            strict=d.get("strict"),
            loose=d.get("loose"),
            turn=d.get("turn"),
        )


@dataclass
class ModelSpec:
    """A resolved model reference: where the weights are and how to prompt them."""

    name: str  # what the user typed or the harness.toml name
    path: str  # local directory, hub id, or replay file
    source: str  # "config" | "demo" | "local" | "hub" | "replay"
    prompt_format: str = "auto"  # requested: auto | chat | raw | icl
    max_tokens: int | None = None
    backend: str | None = None  # forced backend for this model, if any
    # openai backend: the model's name on the server, the server's /v1 URL, and the environment
    # variable holding the API key (the key itself is never stored)
    served_model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None
    adapter: str | None = None  # a PEFT (LoRA) adapter directory applied over `path`, the base weights
    engine: dict[str, Any] = field(default_factory=dict)  # [models.NAME.engine]: vLLM engine arguments
    hf: dict[str, Any] = field(default_factory=dict)  # [models.NAME.hf]: from_pretrained options
    icl_prompt: str | None = None  # prompt format icl: a file replacing the built-in in-context prompt

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
