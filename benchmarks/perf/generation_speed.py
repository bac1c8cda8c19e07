"""Generation speed: the same prompts through our runner's backends and a naive script, side by side.

    .venv/bin/python benchmarks/perf/generation_speed.py [--model DIR|base|sft] [--suite demo] [--max-tokens 128]
                                                        [--limit N] [--only vllm,hf,naive]

Every path generates greedily, with the same prompts (the suite's cases, every turn of the multi-
turn ones after the model's own answers), the same token cap and an empty generation cache:
  vllm   our runner on vLLM's engine (engine start included: it is part of what a user waits for)
  hf     our runner on transformers' batched generate()
  naive  plain transformers, one prompt at a time (what a first script does)
Prints the machine, wall seconds (model load included), output tokens, tokens/s, and each path's
speed as a ratio to the naive one, in one table. On a GPU pass a real model (`--model Qwen/...`).
(lm-evaluation-harness' vLLM/hf paths are not in this table yet: see docs/performance.md.)
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _ours(backend: str, spec, cases, max_tokens: int) -> tuple[float, int, dict]:
    from harness.config import RunConfig
    from harness.runners import run_model

    t0 = time.perf_counter()
    r = run_model(spec, cases, RunConfig(backend=backend, max_tokens=max_tokens, use_cache=False))
    wall = time.perf_counter() - t0
    tokens = sum(t.output_tokens or 0 for g in r.generations.values() for t in g.turns)
    return wall, tokens, {cid: g.texts for cid, g in r.generations.items()}


def _naive(spec, cases, max_tokens: int) -> tuple[float, int, dict]:
    """One prompt at a time with transformers, the conversation continued with the model's own answers."""
    import torch
    from transformers import AutoModelForCausalLM

    from harness.config import RunConfig
    from harness.models import load_tokenizer
    from harness.prompting import render_ids, resolve_prompt_format, stop_token_ids
    from harness.runners.dtype import generation_dtype

    t0 = time.perf_counter()
    tok = load_tokenizer(spec)
    model = AutoModelForCausalLM.from_pretrained(spec.path, dtype=generation_dtype(spec, RunConfig(), "hf")).eval()
    fmt, _ = resolve_prompt_format(tok, spec.prompt_format)
    stops = stop_token_ids(tok, model.generation_config)
    tokens, texts = 0, {}
    for case in cases:
        history, outs = [], []
        for turn in case.turns:
            history.append({"role": "user", "content": turn})
            ids = torch.tensor([render_ids(tok, history, fmt)])
            with torch.no_grad():
                gen = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_tokens,
                                     do_sample=False, eos_token_id=stops, pad_token_id=stops[0] if stops else 0)
            row = gen[0, ids.shape[1]:].tolist()
            cut = next((j for j, t in enumerate(row) if t in stops), None)
            row = row if cut is None else row[:cut]
            text = tok.decode(row, skip_special_tokens=False)
            tokens += len(row)
            outs.append(text)
            history.append({"role": "assistant", "content": text})
        texts[case.id] = outs
    return time.perf_counter() - t0, tokens, texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="base", help="a model directory, hub id, or the demo's base/sft")
    ap.add_argument("--suite", default="demo")
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--only", default="vllm,hf,naive")
    args = ap.parse_args()
    os.environ.setdefault("HARNESS_HOME", str(Path.home() / ".cache" / "sft-harness"))
    import harness

    cases = harness.load_cases([args.suite], limit=args.limit).cases
    spec = harness.resolve_models([args.model])[0]
    turns = sum(len(c.turns) for c in cases)
    with tempfile.TemporaryDirectory() as home:  # nothing served from a cache
        os.environ["HARNESS_HOME"] = home
        rows = []
        for path in args.only.split(","):
            wall, tokens, texts = _naive(spec, cases, args.max_tokens) if path == "naive" else _ours(path, spec, cases, args.max_tokens)
            rows.append((path, wall, tokens, texts))
            print(f"  {path}: {wall:.1f} s, {tokens} output tokens", file=sys.stderr)
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {gpu}; "
          f"python {platform.python_version()}")
    print(f"model {spec.path}; suite {args.suite}: {len(cases)} cases, {turns} turns; max_tokens {args.max_tokens}, greedy")
    naive = next((r for r in rows if r[0] == "naive"), None)
    print(f"{'path':<8}{'wall s':>9}{'tokens':>9}{'tokens/s':>10}{'× naive':>9}  same texts as hf")
    hf_texts = next((r[3] for r in rows if r[0] == "hf"), None)
    for path, wall, tokens, texts in rows:
        ratio = f"{naive[1] / wall:.2f}" if naive else "—"
        same = "—" if hf_texts is None or path == "hf" else f"{sum(texts[k] == hf_texts.get(k) for k in texts)}/{len(texts)}"
        print(f"{path:<8}{wall:>9.1f}{tokens:>9}{tokens / wall:>10.1f}{ratio:>9}  {same}")


if __name__ == "__main__":
    main()
