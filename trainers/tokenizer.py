"""Train a byte-level BPE tokenizer on a corpus and wrap it as a transformers tokenizer.

Byte-level so that any text (any script, emoji, code) encodes without <unk>; the special tokens follow
the Llama convention (<s> ... </s>). Encoding plain text prepends <s> via the post-processor, which is
what a base model saw in pretraining. No chat template here: that is added by the SFT step.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

BOS, EOS, UNK, PAD = "<s>", "</s>", "<unk>", "<pad>"
SPECIAL_TOKENS = (UNK, BOS, EOS, PAD)  # ids 0..3, in this order


def han_pattern(words: Iterable[str] = ()) -> str:
    """The pre-token regex for Chinese: each word of `words` written in Han characters (longest first),
    else a single character."""
    han = sorted({w for w in words if len(w) > 1 and re.fullmatch(r"[\u4e00-\u9fff]+", w)}, key=lambda w: (-len(w), w))
    return "|".join([*han, r"\p{Han}"])


def train_tokenizer(
    texts: Iterable[str], vocab_size: int = 4096, min_frequency: int = 2, words: Iterable[str] = ()
) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained on `texts`; deterministic for the same input.

    `words`: Chinese words (names, places) kept whole as pre-tokens, so BPE can give each one token."""
    tok = Tokenizer(models.BPE(unk_token=UNK))
    # Each Chinese character is its own pre-token (BPE never merges across characters), except the given
    # words, which are pre-tokens of their own wherever they occur. Otherwise a run like "我叫林晓雨" is
    # merged differently from "你叫林晓雨", and a small model cannot copy a name or a question's subject
    # token for token; a listed word is one unit in every context, and a name of one token is what a small
    # model copies or looks facts up by (an English name usually is one token already).
    # add_prefix_space=False: a prompt's first word is encoded the way it appears at the start of a document.
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(han_pattern(words)), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    words = list(words)
    # Each listed word also counts as seen `min_frequency` times, so it gets its token even if rare.
    tok.train_from_iterator(itertools.chain(texts, (w for w in words for _ in range(min_frequency))), trainer=trainer)
    bos_id = tok.token_to_id(BOS)
    tok.post_processor = processors.TemplateProcessing(
        single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, bos_id)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token=BOS,
        eos_token=EOS,
        unk_token=UNK,
        pad_token=PAD,
        add_bos_token=True,
        model_max_length=1024,
    )
