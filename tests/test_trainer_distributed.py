"""`python -m trainers.launch` under `accelerate launch` with two CPU processes (DDP over gloo).

On a machine without GPUs, `--multi_gpu --num_processes 2` starts two ranks through torchrun; our SFTConfig
passes use_cpu=True, so accelerate picks MULTI_CPU with the gloo backend. (`--cpu` alone would start a
single process: accelerate's multi-CPU path without a GPU flag expects mpirun and a hostfile.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import torch
from helpers import write_jsonl
from tiny_models import ROWS, build_tiny_base
from transformers import AutoModelForCausalLM, AutoTokenizer


def test_two_process_ddp_run_trains_on_both_ranks_and_saves_once(tmp_path: Path) -> None:
    # Every torch wheel we install (CPU and CUDA) has gloo: its absence is a broken install, not a skip.
    assert torch.distributed.is_gloo_available(), (
        f"torch {torch.__version__} was built without the gloo backend: multi-process CPU training cannot run"
    )
    base = build_tiny_base(tmp_path / "base")
    data = write_jsonl(tmp_path / "rows.jsonl", ROWS * 8)
    config = tmp_path / "train.toml"
    config.write_text("[sft]\nmax_steps = 3\nbatch_size = 2\nlogging_steps = 1\neval_ratio = 0.2\nthreads = 1\n")
    out = tmp_path / "out"
    cmd = [
        sys.executable, "-m", "accelerate.commands.launch",
        "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
        "--mixed_precision", "no", "--dynamo_backend", "no", "--main_process_port", "0",
        "-m", "trainers.launch", "--config", str(config), "--base", str(base), "--data", str(data), "--out", str(out),
    ]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false", "CUDA_VISIBLE_DEVICES": ""}
    env.pop("ACCELERATE_CONFIG_FILE", None)
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-4000:]

    report = json.loads((out / "training_report.json").read_text(encoding="utf-8"))
    training = report["training"]
    assert training["world_size"] == 2 and training["ranks"] == [0, 1]
    assert training["distributed_type"] == "MULTI_CPU"
    assert training["steps"] == 3 and training["eval_loss"] is not None
    assert training["tokens_seen"] > 0 and training["labelled_tokens"] > 0
    assert sorted(p.name for p in out.glob(".*")) == []  # no leftover temp files from concurrent writers
    model = AutoModelForCausalLM.from_pretrained(str(out), dtype=torch.float32)
    tok = AutoTokenizer.from_pretrained(str(out))
    ids = tok(tok.apply_chat_template([ROWS[0]["messages"][0]], add_generation_prompt=True, tokenize=False),
              add_special_tokens=False, return_tensors="pt")["input_ids"]
    assert model.generate(ids, max_new_tokens=3, do_sample=False).shape[1] > ids.shape[1]
