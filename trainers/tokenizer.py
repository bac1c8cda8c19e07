"""Train a byte-level BPE tokenizer on a corpus and wrap it as a transformers tokenizer.

Byte-level so that any text (any script, emoji, code) encodes without <unk>; the special tokens follow
the Llama convention (<s> ... </s>). Encoding plain text prepends <s> via the post-processor, which is
what a base model saw in pretraining. No chat template here: that is added by the SFT step.
"""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

BOS, EOS, UNK, PAD = "<s>", "</s>", "<unk>", "<pad>"
SPECIAL_TOKENS = (UNK, BOS, EOS, PAD)  # ids 0..3, in this order


def train_tokenizer(texts: Iterable[str], vocab_size: int = 4096, min_frequency: int = 2) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained on `texts`; deterministic for the same input."""
    tok = Tokenizer(models.BPE(unk_token=UNK))
    # Each Chinese character is its own pre-token (BPE never merges across characters). Otherwise a run
    # like "我叫林晓雨" is merged differently from "你叫林晓雨", and a small model cannot copy a name or a
    # question's subject token for token. add_prefix_space=False: a prompt's first word is encoded the way
    # it appears at the start of a document.
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"\p{Han}"), behavior="isolated"),
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
    tok.train_from_iterator(texts, trainer=trainer)
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
