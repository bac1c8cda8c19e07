"""The judge's requests for a set of cases: one per answer to grade or to call on or off topic, two per
pair to compare.

Every assistant turn is judged with the conversation up to it (the context the model actually had:
its own earlier answers, or the golden ones under --history golden). Pairwise requests come in both
orders, `ab` (base shown as A) and `ba` (SFT shown as A), so that a verdict that follows the position
rather than the answers can be seen and counted as a tie.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.judge.templates import PromptSet
from harness.records import Case, Generation

# MT-Bench's rule for reference-guided grading in conversations: these categories' references are
# *the* answer (a result, a proof, a program); elsewhere golden turns are examples, not the truth.
REFERENCE_CATEGORIES = ("math", "reasoning", "coding", "code")


@dataclass(frozen=True)
class JudgeRequest:
    id: str  # "<case id>#judge/<kind>/<who>/t<turn>": stable, what a replay file of judgements matches
    case_id: str
    turn: int  # 1-based
    kind: str  # "single" | "pair" | "topic"
    who: str  # single, topic: the side judged ("base", "sft", "output"); pair: the order ("ab", "ba")
    prompt: str
    lang: str
    category: str
    reference_guided: bool


def request_id(case_id: str, kind: str, who: str, turn: int) -> str:
    return f"{case_id}#judge/{kind}/{who}/t{turn}"


def reference_for(case: Case, index: int) -> str | None:
    """The reference answer that guides grading of turn `index` (0-based), if there is one."""
    if not case.multi_turn:
        return case.reference or None
    if case.category.lower() in REFERENCE_CATEGORIES and index < len(case.references):
        return case.references[index] or None
    return None


def _context(gen: Generation, index: int) -> list[str]:
    """The assistant messages before turn `index`, then the answer to it."""
    return [gen.context_answer(j) for j in range(index)] + [gen.turns[index].text or ""]


def effective_modes(modes: list[str], two_sides: bool) -> list[str]:
    """The modes a judge run asks: pairwise needs two models; with nothing left, a grade per answer."""
    return [m for m in modes if m != "pairwise" or two_sides] or ["single"]


def build_requests(
    cases: list[Case], sides: dict[str, dict[str, Generation]], prompts: PromptSet, modes: list[str]
) -> list[JudgeRequest]:
    """Requests for every case all `sides` answered (single: each side; pairwise: base vs sft)."""
    out: list[JudgeRequest] = []
    for case in cases:
        gens = {side: by_case.get(case.id) for side, by_case in sides.items()}
        if any(g is None for g in gens.values()):
            continue
        lang = prompts.lang(case.lang)
        turns = min(len(case.turns), *(len(g.turns) for g in gens.values() if g is not None))
        for i in range(turns):
            users = case.turns[: i + 1]
            ref = reference_for(case, i)
            common = dict(case_id=case.id, turn=i + 1, lang=lang, category=case.category, reference_guided=bool(ref))
            if "single" in modes:
                for side, gen in gens.items():
                    assert gen is not None
                    convo = _context(gen, i)
                    prompt = prompts.single(lang, users, convo[:-1], convo[-1], ref)
                    out.append(JudgeRequest(request_id(case.id, "single", side, i + 1), kind="single", who=side,
                                            prompt=prompt, **common))
            if "on_topic" in modes:
                for side, gen in gens.items():
                    assert gen is not None
                    convo = _context(gen, i)
                    prompt = prompts.topic(lang, users, convo[:-1], convo[-1])
                    out.append(JudgeRequest(request_id(case.id, "topic", side, i + 1), kind="topic", who=side,
                                            prompt=prompt, **{**common, "reference_guided": False}))
            if "pairwise" in modes and {"base", "sft"} <= set(gens):
                base, sft = _context(gens["base"], i), _context(gens["sft"], i)  # type: ignore[arg-type]
                for order, (a, b) in (("ab", (base, sft)), ("ba", (sft, base))):
                    prompt = prompts.pair(lang, users, a, b, ref)
                    out.append(JudgeRequest(request_id(case.id, "pair", order, i + 1), kind="pair", who=order,
                                            prompt=prompt, **common))
    return out


@dataclass(frozen=True)
class JudgePlan:
    calls: int
    prompt_tokens: int  # a rough estimate: the prompts' text at ~4 characters a token (1.5 for Chinese)
    reply_tokens: int  # at most: calls x the judge's token cap


def plan(cases: list[Case], modes: list[str], sides: int, answer_tokens: int, reply_tokens: int) -> JudgePlan:
    """What judging these cases will cost, before any answer exists: answers are assumed at their cap."""
    n_single = sides if "single" in modes else 0
    n_topic = sides if "on_topic" in modes else 0
    n_pair = 2 if "pairwise" in modes and sides == 2 else 0
    calls = tokens = 0
    for case in cases:
        per_char = 1 / 1.5 if case.lang.lower().startswith("zh") else 1 / 4
        for i in range(len(case.turns)):
            context = sum(len(t) for t in case.turns[: i + 1]) * per_char + (i + 1) * answer_tokens
            calls += n_single + n_topic + n_pair
            # the template (~250 tokens) and the conversation: once per grade or topic verdict, twice per comparison
            tokens += int((n_single + n_topic) * (250 + context) + n_pair * (300 + 2 * context))
    return JudgePlan(calls, tokens, calls * reply_tokens)
