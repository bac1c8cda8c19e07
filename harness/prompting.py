"""How a conversation becomes prompt tokens: the model's chat template, raw text, or raw text inside
the in-context-alignment prompt (`icl`, harness/icl.py).

Both the vLLM and the transformers backend tokenise here, so the two see identical prompt
ids and a comparison between backends is about the engine, not the formatting.
"""

from __future__ import annotations

from typing import Any

from harness.icl import InContextPrompt, render_icl

Message = dict[str, str]


def has_chat_template(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def resolve_prompt_format(tokenizer: Any, requested: str) -> tuple[str, str | None]:
    """Return (format used, note for the user). `auto` = chat when the tokenizer has a template."""
    if requested in ("raw", "icl"):  # icl is plain text: any tokenizer takes it
        return requested, None
    if has_chat_template(tokenizer):
        return "chat", None
    if requested == "chat":
        return "raw", "the tokenizer has no chat template: fell back to raw prompts"
    return "raw", None


def render_raw(messages: list[Message]) -> str:
    """Raw text for a model without a chat template: every turn's text followed by a newline.

    No role tags are added: a base model is shown exactly the user's words (and, in later
    turns, its own earlier answers), which is what "just continues text" means.
    """
    return "".join(m["content"] + "\n" for m in messages)


def render_text(
    tokenizer: Any, messages: list[Message], prompt_format: str, icl: InContextPrompt | None = None
) -> tuple[str, bool]:
    """(prompt text, whether the tokenizer adds its special tokens) for the next assistant turn.
    `icl`: the in-context prompt of the `icl` format (required there)."""
    if prompt_format == "chat":
        # The template already writes BOS/special tokens where the model expects them.
        return tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False), False
    if prompt_format == "icl":
        if icl is None:
            raise ValueError("the icl prompt format needs its in-context prompt")
        return render_icl(icl, messages), True  # BOS as in raw: the prompt is plain text
    return render_raw(messages), True


def render_ids(tokenizer: Any, messages: list[Message], prompt_format: str, icl: InContextPrompt | None = None) -> list[int]:
    """Token ids of the prompt for the next assistant turn."""
    text, special = render_text(tokenizer, messages, prompt_format, icl)
    return list(tokenizer(text, add_special_tokens=special)["input_ids"])


# A token spans at most this many characters in any tokenizer we meet: a prompt longer than
# (limit + 1) x this many characters is measured on its first part only.
MAX_CHARS_PER_TOKEN = 64


def prompt_tokens(
    tokenizer: Any, messages: list[Message], prompt_format: str, limit: int, icl: InContextPrompt | None = None
) -> int:
    """The prompt's length in tokens, exact up to `limit`; beyond it, some number > `limit`. A huge
    prompt (megabytes) is not tokenised whole: its start already shows that it does not fit."""
    text, special = render_text(tokenizer, messages, prompt_format, icl)
    head = (limit + 1) * MAX_CHARS_PER_TOKEN
    if len(text) > head:
        n = len(tokenizer(text[:head], add_special_tokens=special)["input_ids"])
        if n > limit:
            return n
    return len(tokenizer(text, add_special_tokens=special)["input_ids"])


def stop_token_ids(tokenizer: Any, generation_config: Any | None) -> list[int]:
    """Every token id that ends a turn: the generation config's EOS ids plus the tokenizer's."""
    ids: list[int] = []
    gen_eos = getattr(generation_config, "eos_token_id", None) if generation_config is not None else None
    for value in (gen_eos, tokenizer.eos_token_id):
        if value is None:
            continue
        for i in value if isinstance(value, list | tuple) else [value]:
            if i not in ids:
                ids.append(int(i))
    return ids
