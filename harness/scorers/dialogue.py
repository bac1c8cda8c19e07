"""A conversation seen turn by turn: what every check family scores.

Each assistant answer is judged with the conversation up to it as context: the user turns so far
and the assistant messages the model was actually shown (its own answers, or the golden ones under
`--history golden`, `Generation.history`). Checks carry the 1-based `turn` they judged; a case
passes a check id when every turn it was judged on passes (the minimum over turns).
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.records import Case, Generation, TurnOutput


@dataclass(frozen=True)
class Turn:
    index: int  # 0-based
    prompt: str  # the user's message
    answer: str  # the model's answer to it
    output: TurnOutput
    earlier_prompts: tuple[str, ...]  # the user's earlier messages
    earlier_answers: tuple[str, ...]  # the assistant messages in the conversation before this turn

    @property
    def number(self) -> int:
        """1-based, as reports and the `turn` field count."""
        return self.index + 1


def _text(x: object) -> str:
    return x if isinstance(x, str) else ""


def conversation(case: Case, gen: Generation) -> list[Turn]:
    """Every answered turn of the case, with what came before it."""
    prompts = [_text(t) for t in case.turns or ()]
    out: list[Turn] = []
    for i, o in enumerate(gen.turns):
        out.append(
            Turn(
                index=i,
                prompt=prompts[i] if i < len(prompts) else "",
                answer=_text(o.text),
                output=o,
                earlier_prompts=tuple(prompts[:i]),
                earlier_answers=tuple(gen.context_answer(k) for k in range(i)),
            )
        )
    return out
