"""Generation speed: the same prompts through our runner's backends and a naive script, side by side.

    .venv/bin/python benchmarks/perf/generation_speed.py [--model DIR|base|sft] [--suite demo] [--max-tokens 128]
                                                        [--limit N] [--only vllm,hf,naive,lmeval-vllm,lmeval-hf]
                                                        [--lm-eval-path DIR]

Every path generates greedily, with the same prompts (the suite's cases, every turn of the multi-
turn ones after the model's own answers), the same token cap and an empty generation cache:
  vllm   our runner on vLLM's engine (engine start included: it is part of what a user waits for)
  hf     our runner on transformers' batched generate()
  naive  plain transformers, one prompt at a time (what a first script does)
  lmeval-vllm, lmeval-hf  lm-evaluation-harness 0.4.x (`--model vllm` / `--model hf`, generate_until through
         a local task over the same prompts, --predict_only). lm-eval is not a project dependency: install it
         in its own place (`pip install --target DIR lm-eval==0.4.13` and the packages it lacks) and pass
         --lm-eval-path DIR. lm-eval has no multi-turn continuation, so with an lm-eval path in the run
         every path gets the suite's single-turn cases only.
Each path runs in a fresh Python process of its own, so each pays its imports (torch, transformers) and
its model load, as a user's run does; none inherits another's warm-up. Prints the machine, wall seconds
(imports and model load included), output tokens, tokens/s, and each path's speed as a ratio to the
naive one, in one table. On a GPU pass a real model (`--model Qwen/...`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
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
    """One prompt at a time with transformers, the conversation continued with the model's own answers.
    Its clock starts before torch and transformers are imported, as our runner's does (run_model imports
    them lazily): every path pays the same imports."""
    t0 = time.perf_counter()
    import torch
    from transformers import AutoModelForCausalLM

    from harness.config import RunConfig
    from harness.models import load_tokenizer
    from harness.prompting import render_ids, resolve_prompt_format, stop_token_ids
    from harness.runners.dtype import generation_dtype

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


# lm-eval's vLLM path asks for the version of "vllm": answered as harness/runners/vllm_cli.py does.
LM_EVAL = """
import sys
from harness.runners.vllm_cli import patch_vllm_version
patch_vllm_version()
from lm_eval.__main__ import cli_evaluate
sys.argv = ["lm_eval", *sys.argv[1:]]
cli_evaluate()
"""
TASK = """task: sft_harness_speed
dataset_path: json
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: generate_until
doc_to_text: "{{{{prompt}}}}"
doc_to_target: ""
generation_kwargs:
  until: ["<never-stop-on-this>"]
  max_gen_toks: {max_tokens}
  do_sample: false
  temperature: 0.0
metric_list:
  - metric: bypass
"""


def _lm_eval(kind: str, spec, cases, max_tokens: int, lm_eval_path: str) -> tuple[float, int, dict]:
    """lm-evaluation-harness on the same raw prompts (render_raw), its outputs counted with the model's tokenizer."""
    import json
    import subprocess

    from harness.models import load_tokenizer
    from harness.prompting import render_raw

    tok = load_tokenizer(spec)
    work = Path(tempfile.mkdtemp(prefix="lmeval-"))
    data = work / "prompts.jsonl"
    data.write_text("".join(json.dumps({"id": c.id, "prompt": render_raw([{"role": "user", "content": c.turns[0]}])}) + "\n"
                            for c in cases))
    (work / "task.yaml").write_text(TASK.format(data=data, max_tokens=max_tokens))
    model_args = f"pretrained={spec.path},dtype=float32"
    if kind == "vllm":
        model_args += ",enforce_eager=True,seed=0"
    cmd = [sys.executable, "-c", LM_EVAL, "--model", kind, "--model_args", model_args, "--tasks", "sft_harness_speed",
           "--include_path", str(work), "--batch_size", "auto" if kind == "vllm" else "32", "--predict_only",
           "--log_samples", "--output_path", str(work / "out")]
    env = {**os.environ, "PYTHONPATH": lm_eval_path, "VLLM_CPU_KVCACHE_SPACE": os.environ.get("VLLM_CPU_KVCACHE_SPACE", "1")}
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"lm-eval --model {kind} failed:\n{p.stderr[-3000:]}")
    samples = [json.loads(line) for f in (work / "out").rglob("samples_*.jsonl") for line in f.read_text().splitlines()]
    texts, tokens = {}, 0
    for smp in samples:
        out = smp["resps"][0][0] if isinstance(smp["resps"][0], list) else smp["resps"][0]
        texts[smp["doc"]["id"]] = [out]
        tokens += len(tok(out, add_special_tokens=False)["input_ids"])
    return wall, tokens, texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="base", help="a model directory, hub id, or the demo's base/sft")
    ap.add_argument("--suite", default="demo")
    ap.add_argument("--max-tokens", type=int, default=128)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--only", default="vllm,hf,naive")
    ap.add_argument("--lm-eval-path", default=None, help="a directory where lm-eval 0.4.x is installed (pip --target)")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)  # internal: run one path, write --out
    ap.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("HARNESS_HOME", str(Path.home() / ".cache" / "sft-harness"))
    import harness

    cases = harness.load_cases([args.suite], limit=args.limit).cases
    paths = args.only.split(",")
    if any(p.startswith("lmeval") for p in paths):
        if not args.lm_eval_path:
            raise SystemExit("lmeval paths need --lm-eval-path DIR (lm-eval installed there)")
        cases = [c for c in cases if len(c.turns) == 1]  # lm-eval continues no conversation
    spec = harness.resolve_models([args.model])[0]
    turns = sum(len(c.turns) for c in cases)
    if args.worker:  # one path, in this fresh process
        os.environ["HARNESS_HOME"] = tempfile.mkdtemp(prefix="speed-")  # nothing served from a cache
        path = args.worker
        if path == "naive":
            wall, tokens, texts = _naive(spec, cases, args.max_tokens)
        elif path.startswith("lmeval-"):
            wall, tokens, texts = _lm_eval(path.split("-", 1)[1], spec, cases, args.max_tokens, args.lm_eval_path)
        else:
            wall, tokens, texts = _ours(path, spec, cases, args.max_tokens)
        Path(args.out).write_text(json.dumps({"wall": wall, "tokens": tokens, "texts": texts}), encoding="utf-8")
        return
    with tempfile.TemporaryDirectory() as home:
        rows = []
        for path in paths:
            out = Path(home) / f"{path}.json"
            cmd = [sys.executable, __file__, "--worker", path, "--out", str(out), "--model", args.model, "--suite", args.suite,
                   "--max-tokens", str(args.max_tokens), "--only", args.only]
            cmd += ["--limit", str(args.limit)] if args.limit is not None else []
            cmd += ["--lm-eval-path", args.lm_eval_path] if args.lm_eval_path else []
            subprocess.run(cmd, check=True)
            res = json.loads(out.read_text(encoding="utf-8"))
            rows.append((path, res["wall"], res["tokens"], res["texts"]))
            print(f"  {path}: {res['wall']:.1f} s, {res['tokens']} output tokens", file=sys.stderr)
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), {gpu}; "
          f"python {platform.python_version()}")
    print(f"model {spec.path}; suite {args.suite}: {len(cases)} cases, {turns} turns; max_tokens {args.max_tokens}, greedy")
    naive = next((r for r in rows if r[0] == "naive"), None)
    print(f"{'path':<12}{'wall s':>9}{'tokens':>9}{'tokens/s':>10}{'× naive':>9}  same texts as hf")
    hf_texts = next((r[3] for r in rows if r[0] == "hf"), None)
    for path, wall, tokens, texts in rows:
        ratio = f"{naive[1] / wall:.2f}" if naive else "—"
        same = "—" if hf_texts is None or path == "hf" else f"{sum(texts[k] == hf_texts.get(k) for k in texts)}/{len(texts)}"
        print(f"{path:<12}{wall:>9.1f}{tokens:>9}{tokens / wall:>10.1f}{ratio:>9}  {same}")


if __name__ == "__main__":
    main()
