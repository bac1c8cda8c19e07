"""The default ChatML chat template, and turning a base checkpoint into a chat-ready one.

Two details decide whether an SFT model learns to *stop*:
- `{% generation %}...{% endgeneration %}` wraps each assistant message **including** its `<|im_end|>`,
  so with `assistant_only_loss=True` the end-of-turn token is a trained label. Leave it out and the loss
  still looks healthy, but the model never learns to emit EOS and runs to the token cap like a base model.
- `<|im_end|>` becomes the tokenizer's eos and is listed in `generation_config.eos_token_id` (next to
  `</s>`), so transformers' `generate` and vLLM both stop there.
"""

from __future__ import annotations

from transformers import PreTrainedModel, PreTrainedTokenizerBase

IM_START = "<|im_start|>"
IM_END = "<|im_end|>"

# BOS once at the very start; every message is "<|im_start|>role\ncontent<|im_end|>\n".
# The "\n" after <|im_end|> stays outside the generation block: the model stops at <|im_end|>, so the
# newline is never generated, only seen as context before the next turn.
DEFAULT_CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{% if message['role'] == 'assistant' %}"
    "{{ '<|im_start|>assistant\\n' }}"
    "{% generation %}{{ message['content'] }}{{ '<|im_end|>' }}{% endgeneration %}"
    "{{ '\\n' }}"
    "{% else %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def add_chat_template(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, template: str = DEFAULT_CHAT_TEMPLATE
) -> list[int]:
    """Make a base model + tokenizer (no chat template) chat-ready, in place. Returns the added token ids.

    Adds `<|im_start|>`/`<|im_end|>` as special tokens, grows the embeddings to match, sets the
    template, and makes `<|im_end|>` the eos everywhere while keeping `</s>` as a second stop token.
    """
    old_eos_id = tokenizer.eos_token_id
    added = tokenizer.add_special_tokens({"extra_special_tokens": [IM_START, IM_END]},
                                         replace_extra_special_tokens=False)
    if added or model.get_input_embeddings().weight.shape[0] < len(tokenizer):
        # New rows start at the mean of the old embeddings (transformers' default), a sane start for
        # tokens the base model never saw.
        model.resize_token_embeddings(len(tokenizer))
    tokenizer.chat_template = template
    tokenizer.eos_token = IM_END
    im_end_id = tokenizer.convert_tokens_to_ids(IM_END)
    set_eos(model, im_end_id, extra=[old_eos_id] if old_eos_id is not None else [])
    return [tokenizer.convert_tokens_to_ids(IM_START), im_end_id]


def set_eos(model: PreTrainedModel, eos_id: int, extra: list[int] | None = None) -> None:
    """Make `eos_id` the model's eos; generation stops at it or at any of `extra` (deduplicated, in order)."""
    model.config.eos_token_id = eos_id
    ids = [eos_id]
    current = model.generation_config.eos_token_id
    current = [current] if isinstance(current, int) else list(current or [])
    for i in [*(extra or []), *current]:
        if i is not None and i not in ids:
            ids.append(i)
    model.generation_config.eos_token_id = ids
