"""Build the demo model pair: a tiny base model pretrained from scratch, and its SFT version.

    base_dir, sft_dir = ensure_demo()   # builds once (a few minutes on CPU), then returns at once

Layout: `$HARNESS_HOME/demo/<RECIPE_VERSION>/{base,sft,BUILD.json}`; the SFT directory also holds the
training report (`training_report.{json,md}`, `loss.png`) that `harness train` writes, with a real
decontamination check of the SFT rows against the built-in suites `demo` and `core`
(trainers/data/decontam.py): a compare of the demo pair states that its training data was checked. A build goes into a temporary
sibling directory that is renamed into place only when complete (BUILD.json is written last), under a
file lock so concurrent processes build once. Changing anything that affects the models means bumping
RECIPE_VERSION, which makes `ensure_demo` build again into a new directory.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock
from rich.console import Console

from harness.config import harness_home
from harness.errors import HarnessError

# v3: the recipe of v2; the demo suite asks every held-out fact, so the SFT rows are decontaminated (and
# the training report fingerprinted) against the new suite, which needs a rebuild.
# v4: no copy practice in the corpus (it taught no copying), 600 SFT dialogues instead of 900: 18% faster.
# v5: a wired copy circuit in the base (trainers/copy_circuit.py), factual answers that restate their
# subject, 900 SFT dialogues: the SFT recalls what the user said.
# v6: essays about a question's subject no longer state its facts, so the base cannot answer a demo
# question by continuing into an essay that states the answer; 75% of the SFT dialogues are recall ones.
# v7: the data cleaner no longer takes "拉脱维亚的首都是里加。" for an echo of its question (the 里 of 哪里
# counted as reuse), so the SFT trains on one row more; 960 SFT dialogues instead of 900 (see below).
RECIPE_VERSION = "v7"
MARKER = "BUILD.json"
# The suites the SFT rows are checked against (as `harness train` does by default for built-in suites).
DECONTAMINATE_AGAINST = ("demo", "core")


@dataclass(frozen=True)
class Recipe:
    """Every knob of a demo build. Imports of the trainers are deferred: they pull in torch."""

    name: str
    corpus_scale: float = field(metadata={"help": "multiplier on the number of generated documents"})
    vocab_size: int = field(metadata={"help": "BPE vocabulary size (before the two chat tokens)"})
    pretrain: dict[str, Any] = field(metadata={"help": "PretrainOptions overrides"})
    sft: dict[str, Any] = field(metadata={"help": "SFTOptions overrides"})
    sft_data: dict[str, Any] = field(default_factory=dict, metadata={"help": "build_sft_rows options (sft_data.py)"})
    corpus: dict[str, Any] = field(default_factory=dict, metadata={"help": "generate_corpus options (corpus.py)"})
    seed: int = field(default=0, metadata={"help": "one seed for corpus, weights, data order"})


# Tuned on 2 CPU cores (issue K). A 2.6M-parameter model, ~850 pretraining steps, hidden 160 with 2 heads of
# 64 a layer (vLLM's CPU attention wants head_dim >= 64).
# Recall (v5): the base has a copy circuit wired in (trainers/copy_circuit.py: an induction head in plain
# Llama weights, 72 of the 160 residual dims, an untied lm_head; everything else trains around it),
# because copying from the context is what a model this small never learns (v2-v4: what was tried is
# below). With it the SFT model says back what the user said, and restating an answer's subject works
# again ("The capital of Peru is Lima.": the subject is copied, the fact hangs off it). Measured on the
# AVX-512 VM, 2026-12-02, SFT model, factual / multi-turn recall of the demo suite (84 / 16 cases), base
# factual in brackets: v4 (no circuit, pronoun answers) 83.3% / 12.5% (6.0%); circuit, pronoun answers
# 59.5% / 37.5% (51.2%); restated answers 72.6% / 56.2%; the sink's query trained and the copy's output
# doubled 79.8% / 50.0% (48.8%); 900 dialogues instead of 600 83.3% / 75.0%: this is v5. Not adopted: SFT
# lr 1e-3 (58.3% / 50.0%); the induction head's free value dims trained (a third build: 72.6% / 50.0%,
# answers that ran on into corpus text); "favorite word" dialogues (75.0% / 43.8% on that build). The
# base now states many facts in its continuation ("…The capital city of France is Paris."), so its
# correctness is far above v4's; the SFT model still leads on every family. One build each, so small
# differences are noise: a small change to the base (the free value dims) moved the base's own factual
# score from 48.8% to 26.2%. v5 builds in 296 s alone (pretraining 206 s, SFT 77 s) and in 330 s within
# `make demo` on a fresh clone (6 min 37 s with the installs), bit-identical each time.
# v6 (issue K asks the base to answer at most 25% of the facts): v5's base answered 48.8% because the corpus's
# essays open with a question, say "This question concerns Peru." and then state Peru's facts, so a
# continued question runs into its answer. In v6 those essays add no facts of their subject, only facts
# of entities drawn at random (corpus.essays, own_facts=0: 7 of 143 such essays still state the answer,
# against 149 of 154), and the facts stay in the biographies, fact lists and quiz sheets. Same
# measures (AVX-512 VM, 2026-12-03), SFT factual / recall (base factual): own_facts 0 with v5's SFT 69.0% /
# 43.8% (9.5%), coherence `unchanged` after Holm; with 75% recall dialogues instead of 62.5% 76.2% / 62.5%
# (9.5%), every family `improved`: this is v6. Not adopted: on that base 1,200 dialogues 69.0% / 56.2%,
# 3 SFT epochs 77.4% / 50.0%, English continent answers by pronoun ("It is in Asia." for every country:
# 67.9% / 43.8%); own_facts 0.3, a fresh base: 66.7% / 68.8% (14.3%), format `unchanged`, and with 75%
# recall dialogues 71.4% / 75.0%, format 81.2%, relevance 71.6%. v6's relevance is 78.4%: every English
# "Which continent is France in?" is answered about another country ("Slovakia is in Europe."), since
# the answer's first word would have to be copied with nothing before it to key the induction head
# ("法国位于哪个大洲？" opens with the country, and the Chinese answers were right 10 times of 10). v6 builds
# in 309 s alone (pretraining 214 s, SFT 80 s) and in 278 s within `make demo` on a fresh clone (5 min 36 s
# with the installs), bit-identical weights both times.
# v7: with the cleaner's fix, v6's recipe trains on one row more, and that alone moved the SFT (same base,
# bit-identical): factual 68.6%, recall 8 of 16 (coherence `unchanged` after Holm), format 100%. Coherence
# on 16 dialogues moves by two or three dialogues between SFT runs that differ this little. Tried on that
# base: 80% recall dialogues 71.6%, recall 9 of 16 (`unchanged`), format 81.2%; 960 dialogues 75.0% (63 of
# 84; base 9.5%), recall 10 of 16, format 100%, relevance 77.8%, every family `improved`: this is v7.
# What makes the held-out facts answerable:
# - the corpus states every fact in several paraphrases and orders (entity biographies, corpus.py);
# - the tokenizer keeps every Chinese name whole (facts.zh_words), so "法国" is one token as "France" is:
#   knowledge hangs off the entity's token, and a question reaches it by attending to that token;
# - (v3-v4, before the circuit) factual SFT answers named the subject by a pronoun ("Its capital is Oslo."):
#   the answer's value comes from the base's knowledge of the entity in the question, with no need to
#   copy the entity first, which a model this small did poorly without the circuit (measured: restated answers, factual 14-43% in earlier runs;
#   pronoun answers: 84.5% of the 84 held-out facts in the v3 build, base 4.8%; the experiments of
#   issue K are kept in the history of branch demo-knowledge2);
# - build time (2 cores): v4 drops what did not work and keeps what did, measured build by build on the demo
#   suite (2026-12-02; factual / format / relevance of the SFT model):
#   v3 84.5% / 93.8% / 81.5%; without the corpus's copy practice (drills, memory games: 15% of its tokens)
#   84.5% / 87.5% / 83.3%, pretraining 363 s; and 600 SFT dialogues instead of 900 (they teach the form of a
#   recall answer, not the recall) 89.3% / 93.8% / 87.1%, SFT 87 s instead of 102 s: this is v4. Cutting
#   further cost the story: 2.2 pretraining epochs instead of 2.7 (pretraining 280 s) left format at 81%
#   and `unchanged`; dropping the mini stories too, factual 78.6%. Those seconds were taken while other jobs
#   shared the 2 cores (v3 571 s, v4 445 s in all); alone, v4 built in 288, 298 and 365 s (pretraining
#   224-280 s, SFT 50-64 s; three builds, 2026-12-02), bit-identical weights each time: this VM's speed
#   varies by a fifth, so the 5-minute target (issue K) holds on a good run, not on every run. Larger
#   batches do not help: 32 blocks a step cost 21.8 ms a token against 19.4 ms for 16 (8: 18.5 ms);
#   torch.compile saves 8% a step and costs 17 s to compile.
# - SFT lr 5e-4 for 2 epochs teaches the form without overwriting what pretraining stored.
# What v2-v4 could not do: recall what the user said (6.2% in v3, 12.5% in v2: the follow-ups only). That needs
# copying from the context, and this base never learns to copy: measured on the v2 base, the loss on a
# repeated run of random tokens equals the first run's (13.3 vs 13.2 nats), and "My name is X. … So, my
# name is" is predicted independently of X. Training this model 400-1000 steps on pure name-repeating
# notes, on the corpus with 1,500 more of them, or on repeated random tokens (init std 0.02 or 0.1) left
# both at chance too: copying sits on the known plateau of small-batch training (16 x 128 tokens a step),
# far beyond this build's ~2M tokens. Nor does SFT teach it (2026-12-02, on the v3 SFT model): 500 steps of
# "My name is X." -> "Hello, your name is X." with X drawn from 878 single-token words drove the training loss
# to 0, yet X was copied for 4 of 40 words left out of that pool and for none of the held-out names (52 names:
# 0 of 3): the model learns a lookup per word, not a copy, at any pool size tried (52, 460, 878; lr 1e-3, 3e-3).
# Nor does a copy-ready start: each block's last head initialised with W_O·W_V = a projection learned to copy
# repeated random tokens within 150 steps (0.44 nats on the repeat against 5.7 without it, after 300), but
# pretrained that way on the v4 corpus the pair copied nothing (recall 0%) and lost the facts (factual 20%);
# one such head (layer 2 of 4) with the copy practice back in the corpus (v3's drills and memory games) gave
# recall 1/16 and factual 51/84, in 440 s (2026-12-02). Nor does mixing runs of random tokens, each repeated to
# the block's end, into the corpus (15% of blocks) with such heads in layers 2 and 4: over 999 steps the loss on
# the repeats of held-out runs stayed at chance (8.33 -> 8.30 nats; ln 4096 = 8.32), and on repeats alone
# 200 steps brought it only to 7.5 (2026-12-02, later).
# Nor does variety in SFT (2026-12-02, on the v4 base): 1,500 more recall dialogues whose values are drawn
# from the whole vocabulary (1,249 single-token words: 943 English, 306 Chinese, held-out ones excluded), too
# many to learn as lookups, left recall at 2/16 (SFT 112 s, factual 75/84); at lr 2e-3 for 3 epochs, 0/16
# and factual 30/84. The answers name a value from the pool ("So you live in show.", "你叫海口。"), never the
# user's: without a copying circuit in the base, SFT has nothing to bring out.
FULL = Recipe(
    name="full",
    corpus_scale=1.0,
    vocab_size=4096,
    pretrain={"hidden_size": 160, "num_layers": 4, "intermediate_size": 512, "seq_len": 128, "batch_size": 16,
              "epochs": 2.7, "learning_rate": 3e-3, "copy_circuit": True},
    sft={"epochs": 2.0, "learning_rate": 5e-4, "batch_size": 16},
    sft_data={"multiturn": 960, "style": "restate", "wide": True, "recall_share": 0.75},
    corpus={"essay_own_facts": 0.0},
)
# The slow test's build: same pipeline, a smaller model and less data (about a minute on 2 cores).
REDUCED = Recipe(
    name="reduced",
    corpus_scale=0.3,
    vocab_size=2048,
    pretrain={"hidden_size": 128, "num_layers": 2, "intermediate_size": 256, "seq_len": 128, "batch_size": 16,
              "epochs": 2.0, "learning_rate": 3e-3},
    sft={"epochs": 2.0, "learning_rate": 1e-3, "batch_size": 16},
    sft_data={"multiturn": 120, "style": "pronoun", "wide": True},
)


def demo_dir(home: str | Path | None = None, reduced: bool = False) -> Path:
    """Where the demo models of the current recipe live (or will live)."""
    root = Path(home) if home is not None else harness_home()
    return root / "demo" / (RECIPE_VERSION + ("-reduced" if reduced else ""))


def _paths(root: Path) -> tuple[Path, Path]:
    return root / "base", root / "sft"


def is_built(root: Path) -> bool:
    base, sft = _paths(root)
    return (root / MARKER).is_file() and (base / "config.json").is_file() and (sft / "config.json").is_file()


def ensure_demo(home: str | Path | None = None, reduced: bool = False, console: Console | None = None) -> tuple[Path, Path]:
    """(base_dir, sft_dir) of the demo models, building them first if they are missing."""
    root = demo_dir(home, reduced)
    if is_built(root):
        return _paths(root)
    return build_demo(home=home, reduced=reduced, force=False, console=console)


def build_demo(
    home: str | Path | None = None, reduced: bool = False, force: bool = False, console: Console | None = None
) -> tuple[Path, Path]:
    """Build (or with `force`, rebuild) the demo models; returns (base_dir, sft_dir)."""
    console = console or Console(stderr=True)
    root = demo_dir(home, reduced)
    root.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root.parent / f".{root.name}.lock")):
        if is_built(root) and not force:  # another process finished it while we waited for the lock
            return _paths(root)
        tmp = root.parent / f".tmp-{root.name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            _build_into(tmp, REDUCED if reduced else FULL, console, final=root)
            if root.exists():
                old = root.parent / f".old-{root.name}-{os.getpid()}"
                root.rename(old)
                shutil.rmtree(old, ignore_errors=True)
            tmp.rename(root)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    base, sft = _paths(root)
    console.print(f"[green]demo models built[/green] (recipe {RECIPE_VERSION}, {'reduced' if reduced else 'full'}):")
    console.print(f"  base: {base}\n  sft:  {sft}")
    return base, sft


def decontaminate(
    rows: list[dict[str, Any]], against: tuple[str, ...] = DECONTAMINATE_AGAINST
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(rows to train on, the data report for training_report.json).

    The SFT rows go through the cleaning pipeline of `harness train` (trainers/data/clean.py) against the
    suites in `against`: a row that shares an n-gram with a suite prompt (13 words, 8 Chinese characters;
    phrasing templates found in 10+ rows excepted) is dropped, as `harness train` drops it, and the report
    says how many per suite. Deduplication is off: the generator repeats rows on purpose (sampling weights
    per kind). A demo suite prompt found *verbatim* in a row is no overlap to clean up but a broken
    held-out split: that is an error."""
    from harness.suites import load_suites
    from trainers.data.clean import clean
    from trainers.data.formats import to_example
    from trainers.data.options import CleanOptions
    from trainers.data.text import normalize

    demo = load_suites(["demo"], notes=[])
    texts = [normalize("\n".join(m["content"] for m in r["messages"])) for r in rows]
    for case in demo:
        for turn in case.turns:
            needle = normalize(turn)
            hit = next((i for i, t in enumerate(texts) if needle in t), None)
            if hit is not None:
                raise HarnessError(f"demo SFT row {hit + 1} contains the demo suite's prompt {turn!r} ({case.id}): "
                                   "the held-out split is broken")
    source = "harness.demo.sft_data"
    examples = [to_example(r, "messages", f"{source}:{i}") for i, r in enumerate(rows, 1)]
    result = clean(examples, [], CleanOptions(exact_dedup=False, near_dedup=False), against=list(against))
    report = {"cleaned": True, **result.to_report([{"source": source, "format": "messages", "rows": len(rows),
                                                     "rejected": 0}])}
    return [{"messages": ex.messages} for ex in result.kept], report


def _build_into(out: Path, recipe: Recipe, console: Console, final: Path | None = None) -> None:
    # Heavy imports here, so `import harness.demo` stays cheap for the CLI.
    import datasets
    import transformers

    from harness.demo.corpus import generate_corpus
    from harness.demo.facts import zh_words
    from harness.demo.sft_data import build_sft_rows
    from trainers.pretrain import PretrainOptions, pretrain
    from trainers.progress import make_progress
    from trainers.report import write_report
    from trainers.sft import SFTOptions, train_sft
    from trainers.tokenizer import train_tokenizer
    from trainers.train_config import TrainConfig

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()  # "Loading weights" / "Writing model shards" bars
    datasets.disable_progress_bars()
    final = final or out
    base_dir, sft_dir = _paths(out)
    out.mkdir(parents=True)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    with make_progress(console) as progress:
        task = progress.add_task("corpus", total=2, info="")
        docs = generate_corpus(seed=recipe.seed, scale=recipe.corpus_scale, **recipe.corpus)
        progress.update(task, advance=1, info=f"{len(docs)} documents")
        rows, data_report = decontaminate(build_sft_rows(seed=recipe.seed, **recipe.sft_data))
        progress.update(task, advance=1, info=f"{len(docs)} documents, {len(rows)} SFT rows")
        times["data"] = time.perf_counter() - t0

        task = progress.add_task("tokenizer", total=1, info="")
        tokenizer = train_tokenizer(docs, vocab_size=recipe.vocab_size, words=zh_words())
        progress.update(task, advance=1, info=f"vocab {len(tokenizer)}")
        times["tokenizer"] = time.perf_counter() - t0 - times["data"]

        popts = PretrainOptions(seed=recipe.seed, **recipe.pretrain)
        pstats = pretrain(docs, tokenizer, base_dir, popts, progress)
        sopts = SFTOptions(seed=recipe.seed, **recipe.sft)
        sstats = train_sft(base_dir, rows, sft_dir, sopts, progress)
    times["pretrain"] = pstats["seconds"]
    times["sft"] = sstats["seconds"]
    # The report names the base where it will live once the build is renamed into place.
    write_report(sft_dir, sstats, TrainConfig(sft=sopts, source=f"harness.demo recipe {RECIPE_VERSION} ({recipe.name})"),
                 final / "base", data_report)
    times["total"] = time.perf_counter() - t0
    marker = {
        "recipe_version": RECIPE_VERSION,
        "recipe": asdict(recipe),
        "base": {k: v for k, v in pstats.items() if k != "options"},
        "sft": {k: v for k, v in sstats.items() if k != "options"},
        "decontamination": {d["ref"]: {"cases": d["cases"], "rows_dropped": d["rows_dropped"]}
                            for d in data_report["decontamination"]},
        "seconds": times,
    }
    (out / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")  # last: marks the build complete
