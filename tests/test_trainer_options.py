"""Training options beyond the SFT core: the TOML config, LoRA (merged / adapter kept), the eval split,
checkpoints + resume, padding-free packing, token counts and the training report.

Tiny random Llama + tokenizer trained in the test (tests/tiny_models.py); every training run is a few steps.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from tiny_models import ROWS, build_tiny_base
from transformers import AutoModelForCausalLM, AutoTokenizer

from trainers.chat_template import IM_END
from trainers.options import LoraOptions, SFTOptions
from trainers.sft import CHECKPOINTS, build_trainer, prepare_chat_model, run_training, split_rows
from trainers.train_config import TrainConfig, config_rows, config_table, load_train_config

FAST = dict(batch_size=4, logging_steps=1, learning_rate=5e-3)


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_base(tmp_path_factory.mktemp("base"))


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "train.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _load(path: Path):
    return AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32), AutoTokenizer.from_pretrained(str(path))


# --- TOML config ---------------------------------------------------------------------------------------


def test_load_train_config_reads_all_sections(tmp_path: Path) -> None:
    path = _toml(tmp_path, """
[sft]
epochs = 2            # an int where a float is expected is fine
eval_ratio = 0.1
bf16 = "auto"
packing = true
[lora]
enabled = true
r = 8
target_modules = ["q_proj", "v_proj"]
merge = false
[trl]
neftune_noise_alpha = 5.0
max_grad_norm = 0.5
""")
    cfg = load_train_config(path)
    assert cfg.sft.epochs == 2.0 and isinstance(cfg.sft.epochs, float)
    assert (cfg.sft.eval_ratio, cfg.sft.bf16, cfg.sft.packing) == (0.1, None, True)
    assert cfg.sft.learning_rate == SFTOptions().learning_rate  # untouched keys keep their defaults
    assert cfg.lora == LoraOptions(enabled=True, r=8, target_modules=["q_proj", "v_proj"], merge=False)
    assert cfg.trl == {"neftune_noise_alpha": 5.0, "max_grad_norm": 0.5}
    assert cfg.source == str(path)
    assert load_train_config(None) == TrainConfig()
    changed = {(r["section"], r["key"]) for r in config_rows(cfg) if not r["default"]}
    assert ("sft", "epochs") in changed and ("trl", "max_grad_norm") in changed and ("sft", "seed") not in changed
    assert config_table(cfg).row_count == len(config_rows(cfg))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[sft]\nlearnin_rate = 0.1\n", ["[sft]", "'learnin_rate'", "learning_rate", "eval_ratio"]),
        ("[lora]\nrank = 8\n", ["[lora]", "'rank'", "r, alpha"]),
        ("[optim]\nlr = 1\n", ["[optim]", "[sft], [lora], [trl]"]),
        ("[trl]\nnot_a_trl_option = 1\n", ["[trl]", "not_a_trl_option"]),
        ("[trl]\nlearning_rate = 0.1\n", ["[trl] learning_rate", "[sft] learning_rate"]),
        ("[trl]\noutput_dir = 'x'\n", ["[trl] output_dir", "--out"]),
        ("[sft]\nepochs = 'three'\n", ["[sft] epochs", "float"]),
        ("[lora]\nenabled = 1\n", ["[lora] enabled", "bool"]),
        ("[sft\n", ["not valid TOML"]),
    ],
)
def test_bad_config_errors_name_file_section_and_key(tmp_path: Path, text: str, expected: list[str]) -> None:
    path = _toml(tmp_path, text)
    with pytest.raises(ValueError) as err:
        load_train_config(path)
    message = str(err.value)
    assert str(path) in message
    for part in expected:
        assert part in message, message


def test_trl_section_reaches_sftconfig(base_dir: Path, tmp_path: Path) -> None:
    model, tok = _load(base_dir)
    prepare_chat_model(model, tok)
    trl = load_train_config(_toml(tmp_path, "[trl]\nneftune_noise_alpha = 5.0\nmax_grad_norm = 0.25\n")).trl
    trainer = build_trainer(model, tok, ROWS, str(tmp_path / "o"), SFTOptions(max_steps=1), trl_args=trl)
    assert trainer.args.neftune_noise_alpha == 5.0 and trainer.args.max_grad_norm == 0.25
    assert trainer.args.assistant_only_loss and not trainer.args.bf16  # our defaults stay where not overridden


# --- LoRA ----------------------------------------------------------------------------------------------


def _weights(path: Path) -> dict[str, torch.Tensor]:
    model = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_lora_merged_is_a_plain_model_that_differs_from_base(base_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "lora"
    cfg = TrainConfig(sft=SFTOptions(max_steps=3, **FAST), lora=LoraOptions(enabled=True, r=4))
    stats = run_training(base_dir, ROWS * 4, out, cfg)
    assert not (out / "adapter").exists() and not (out / "adapter_config.json").exists()
    model, tok = _load(out)
    assert type(model).__name__ == "LlamaForCausalLM"
    assert not any("lora" in k for k in model.state_dict())
    base, tuned = _weights(base_dir), _weights(out)
    q = "model.layers.0.self_attn.q_proj.weight"
    assert tuned[q].shape == base[q].shape and not torch.allclose(tuned[q], base[q])
    lora = stats["lora"]
    assert lora["r"] == 4 and 0 < lora["trainable_params"] < lora["total_params"]
    # with chat tokens added, the (tied) embeddings train in full: the old rows moved too
    emb, old = tuned["model.embed_tokens.weight"], base["model.embed_tokens.weight"]
    assert emb.shape[0] == len(tok) == old.shape[0] + 2 and stats["added_tokens"]
    assert not torch.allclose(emb[: old.shape[0]], old)


def test_lora_without_merge_keeps_the_adapter_and_a_loadable_model(base_dir: Path, tmp_path: Path) -> None:
    from peft import PeftModel

    out = tmp_path / "lora"
    cfg = TrainConfig(sft=SFTOptions(max_steps=3, **FAST), lora=LoraOptions(enabled=True, r=4, merge=False))
    stats = run_training(base_dir, ROWS * 4, out, cfg)
    adapter = out / "adapter"
    assert (adapter / "adapter_config.json").is_file() and (adapter / "adapter_model.safetensors").is_file()
    assert stats["lora"]["adapter_dir"] == str(adapter) and stats["lora"]["adapter_servable_by_vllm"] is False
    merged, tok = _load(out)  # OUT/ itself is still a plain model
    # the adapter applied to the prepared base (chat tokens added) gives the merged model's logits
    base, base_tok = _load(base_dir)
    prepare_chat_model(base, base_tok)
    with_adapter = PeftModel.from_pretrained(base, str(adapter)).eval()
    ids = tok(tok.apply_chat_template(ROWS[0]["messages"], tokenize=False), add_special_tokens=False,
              return_tensors="pt")["input_ids"]
    with torch.no_grad():
        assert torch.allclose(with_adapter(ids).logits, merged.eval()(ids).logits, atol=1e-4)


# --- eval split, resume, packing -------------------------------------------------------------------------


def test_split_rows_is_seeded_and_disjoint() -> None:
    rows = [{"messages": [{"role": "user", "content": str(i)}]} for i in range(20)]
    train, held = split_rows(rows, 0.2, seed=1)
    assert len(held) == 4 and len(train) == 16
    assert split_rows(rows, 0.2, seed=1) == (train, held) and split_rows(rows, 0.2, seed=2)[1] != held
    assert not {r["messages"][0]["content"] for r in train} & {r["messages"][0]["content"] for r in held}
    assert split_rows(rows[:2], 0.01, seed=0)[1]  # at least one eval row
    with pytest.raises(ValueError):
        split_rows(rows[:1], 0.5, seed=0)


@pytest.fixture(scope="module")
def eval_run(base_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """One short run with an eval split and a data report, shared by the eval and report tests."""
    out = tmp_path_factory.mktemp("eval-run")
    data_stats = {"read": 14, "kept": 12, "dropped": {"empty": 1, "too_long": 1},
                  "decontamination": {"suite": "demo", "removed": 0},
                  "examples": ["a | pipe and `backticks` ``here``", {"messages": []}]}
    cfg = TrainConfig(sft=SFTOptions(max_steps=5, eval_ratio=0.25, eval_steps=2, **FAST))
    return out, run_training(base_dir, ROWS * 4, out, cfg, data_stats=data_stats)


def test_eval_split_produces_eval_loss(eval_run: tuple[Path, dict]) -> None:
    _, stats = eval_run
    assert (stats["train_rows"], stats["eval_rows"]) == (9, 3)
    evals = {r["step"]: r["eval_loss"] for r in stats["log_history"] if r["eval_loss"] is not None}
    assert set(evals) == {2, 4, 5}  # every eval_steps, plus a final one at the last step
    assert stats["eval_loss"] == evals[5] and stats["eval_loss"] > 0
    assert [r["step"] for r in stats["log_history"] if r["loss"] is not None] == [1, 2, 3, 4, 5]


def test_token_counts_and_speed(eval_run: tuple[Path, dict]) -> None:
    _, stats = eval_run
    assert stats["tokens_per_second"] > 0 and stats["train_seconds"] > 0
    assert stats["tokens_seen"] == stats["session_tokens"] > stats["labelled_tokens"] > 0
    assert stats["tokens_per_step"] == pytest.approx(stats["tokens_seen"] / 5)
    # 5 steps of 4 rows over 9 train rows: more than one epoch of labelled tokens, less than three
    per_epoch = stats["train_dataset"]["labelled_tokens"]
    assert per_epoch < stats["labelled_tokens"] < 3 * per_epoch
    assert stats["world_size"] == 1


def test_resume_continues_from_the_last_checkpoint(base_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = run_training(base_dir, ROWS * 4, out, TrainConfig(sft=SFTOptions(max_steps=2, save_steps=1, **FAST)))
    assert first["steps"] == 2 and (out / CHECKPOINTS / "checkpoint-2").is_dir()
    cfg = TrainConfig(sft=SFTOptions(max_steps=4, save_steps=1, resume=True, **FAST))
    second = run_training(base_dir, ROWS * 4, out, cfg)
    assert second["resumed_from"].endswith("checkpoint-2")
    assert (second["steps"], second["session_steps"]) == (4, 2)
    assert [r["step"] for r in second["log_history"] if r["loss"] is not None] == [1, 2, 3, 4]  # history kept
    assert second["tokens_seen"] > first["tokens_seen"] and second["labelled_tokens"] > first["labelled_tokens"]
    assert second["session_tokens"] < second["tokens_seen"]


def test_resume_without_a_checkpoint_starts_fresh(base_dir: Path, tmp_path: Path) -> None:
    stats = run_training(base_dir, ROWS, tmp_path / "new", TrainConfig(sft=SFTOptions(max_steps=1, resume=True, **FAST)))
    assert stats["resumed_from"] is None and stats["steps"] == 1


def test_packing_labels_eos_and_matches_unpacked_loss(base_dir: Path, tmp_path: Path) -> None:
    """Padding-free packing on CPU (sdpa): rows share one sequence, position_ids restart per row, and the
    loss equals the unpacked loss, so rows do not attend to each other. Every assistant <|im_end|> is a label."""
    model, tok = _load(base_dir)
    prepare_chat_model(model, tok)
    packed = build_trainer(model, tok, ROWS, str(tmp_path / "p"), SFTOptions(max_steps=1, batch_size=3, packing=True))
    plain = build_trainer(model, tok, ROWS, str(tmp_path / "u"), SFTOptions(max_steps=1, batch_size=3))
    assert packed.padding_free and len(packed.train_dataset) == 1  # three rows in one block
    batch = packed.data_collator([packed.train_dataset[i] for i in range(len(packed.train_dataset))])
    assert "attention_mask" not in batch and batch["input_ids"].shape[0] == 1
    ids, labels, pos = batch["input_ids"][0].tolist(), batch["labels"][0].tolist(), batch["position_ids"][0].tolist()
    assert pos.count(0) == len(ROWS)
    im_end, im_start = tok.convert_tokens_to_ids(IM_END), tok.convert_tokens_to_ids("<|im_start|>")
    assistant_ends = []
    for i, t in enumerate(ids):
        if t == im_end:
            start = max(j for j in range(i) if ids[j] == im_start)
            if tok.decode(ids[start + 1 : i]).startswith("assistant\n"):
                assistant_ends.append(i)
    n_turns = sum(m["role"] == "assistant" for r in ROWS for m in r["messages"])
    assert len(assistant_ends) == n_turns and all(labels[i] == im_end for i in assistant_ends)
    assert all(labels[i] == -100 for i, t in enumerate(ids) if t == tok.bos_token_id)
    ub = plain.data_collator([plain.train_dataset[i] for i in range(len(ROWS))])
    model.eval()
    with torch.no_grad():
        lp = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"], labels=batch["labels"]).loss
        lu = model(input_ids=ub["input_ids"], attention_mask=ub["attention_mask"], labels=ub["labels"]).loss
    assert torch.allclose(lp, lu, atol=1e-5)


def test_packed_training_runs(base_dir: Path, tmp_path: Path) -> None:
    stats = run_training(base_dir, ROWS * 4, tmp_path / "packed",
                         TrainConfig(sft=SFTOptions(max_steps=2, packing=True, max_length=128, **FAST)))
    assert stats["packing"] and stats["padding_free"] and stats["steps"] == 2
    assert stats["tokens_per_second"] > 0 and stats["labelled_tokens"] > 0
    assert stats["train_dataset"]["examples"] < len(ROWS) * 4  # rows share 128-token blocks


# --- report ----------------------------------------------------------------------------------------------


def test_report_files(eval_run: tuple[Path, dict]) -> None:
    out, stats = eval_run
    assert stats["report"] == {"json": str(out / "training_report.json"),
                               "markdown": str(out / "training_report.md"), "loss_plot": str(out / "loss.png")}
    report = json.loads((out / "training_report.json").read_text(encoding="utf-8"))
    assert report["schema"] == "harness.training_report/v1"
    for key in ("base_model", "data", "datasets", "training", "hyperparameters", "lora", "loss_history", "device",
                "versions"):
        assert key in report
    assert report["data"]["dropped"] == {"empty": 1, "too_long": 1}  # embedded as given
    assert report["hyperparameters"]["sft"]["eval_ratio"] == 0.25 and report["lora"] is None
    assert report["training"]["tokens_per_second"] > 0 and report["training"]["steps"] == 5
    assert {"torch", "transformers", "trl", "peft", "accelerate"} <= set(report["versions"])
    assert len(report["loss_history"]) == 5
    png = (out / "loss.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    md = (out / "training_report.md").read_text(encoding="utf-8")
    assert "![loss curve](loss.png)" in md
    assert "| `dropped.too_long` | 1 |" in md and "| `read` | 14 |" in md
    # user data stays inside one code span: a fence longer than the data's backtick runs
    assert "- `examples`: ``` a | pipe and `backticks` ``here`` ```" in md
    assert '- `examples`: `{"messages": []}`' in md
    assert not list(out.glob(".training_report*")) and not list(out.glob(".loss.png*"))  # no temp files left


def test_code_spans_hold_any_user_text() -> None:
    from trainers.report import code

    assert code("a|b") == "`a\\|b`" and code("a|b", table=False) == "`a|b`"
    assert code("`x`") == "`` `x` ``"  # padded: a span may not start or end with its fence's backtick
    assert code("line one\nline two") == "`line one line two`"
    assert len(code("x" * 500)) < 210
