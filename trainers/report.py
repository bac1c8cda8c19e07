"""The training report: training_report.json, training_report.md and loss.png in the output directory.

JSON carries everything (stats, effective config, caller's data statistics, versions, and with
`--eval-every` the trajectory: harness.trajectory.Trajectory, or null); the Markdown is the human summary
and links the PNG. Every file is written atomically (temp file + os.replace).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from harness.outputs import write_atomic
from trainers.train_config import TrainConfig, config_rows

SCHEMA = "harness.training_report/v1"
LIBRARIES = ("torch", "transformers", "trl", "peft", "accelerate", "datasets")


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def build_report(
    stats: dict[str, Any], config: TrainConfig, base: str | Path, data_stats: dict[str, Any] | None = None
) -> dict[str, Any]:
    summary_keys = ("rows", "train_rows", "eval_rows", "steps", "session_steps", "epochs", "train_loss",
                    "final_loss", "eval_loss", "seconds", "train_seconds", "tokens_seen", "session_tokens",
                    "tokens_per_second", "tokens_per_step", "labelled_tokens", "rows_dropped_without_labels",
                    "world_size", "ranks", "distributed_type", "bf16", "packing", "padding_free", "resumed_from",
                    "checkpoints_dir")
    return {
        "schema": SCHEMA,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "base_model": str(base),
        "data": data_stats,  # the caller's data-cleaning report, as given
        "datasets": {"train": stats.get("train_dataset"), "eval": stats.get("eval_dataset")},
        "training": {k: stats.get(k) for k in summary_keys},
        "hyperparameters": config.to_dict(),
        "lora": stats.get("lora"),
        "added_tokens": stats.get("added_tokens"),
        "loss_history": stats.get("log_history", []),
        "trajectory": stats.get("trajectory"),  # points evaluated on a suite during training (None: not asked)
        "device": stats.get("device"),
        "versions": library_versions(),
        "files": {"markdown": "training_report.md", "loss_plot": "loss.png"},
    }


def write_report(
    out_dir: str | Path,
    stats: dict[str, Any],
    config: TrainConfig,
    base: str | Path,
    data_stats: dict[str, Any] | None = None,
) -> dict[str, Path]:
    """Write the three report files into `out_dir`; returns their paths."""
    out = Path(out_dir)
    report = build_report(stats, config, base, data_stats)
    paths = {"json": out / "training_report.json", "markdown": out / "training_report.md", "loss_plot": out / "loss.png"}
    write_loss_plot(paths["loss_plot"], report["loss_history"])
    write_atomic(paths["json"], json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    write_atomic(paths["markdown"], render_markdown(report, config))
    return paths


def write_loss_plot(path: Path, history: list[dict[str, Any]]) -> None:
    # Figure + Agg canvas directly: no pyplot, no global backend switch, no display needed.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for key, label in (("loss", "train loss"), ("eval_loss", "eval loss")):
        points = [(r["step"], r[key]) for r in history if r.get(key) is not None]
        if points:
            ax.plot(*zip(*points, strict=True), marker="o" if len(points) < 30 else None, markersize=3, label=label)
    if ax.lines:
        ax.legend()
    else:
        ax.text(0.5, 0.5, "no loss logged (fewer steps than logging_steps)", ha="center", va="center",
                transform=ax.transAxes)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    write_atomic(path, buf.getvalue())


def code(text: Any, limit: int = 200, table: bool = True) -> str:
    """`text` as a Markdown code span on one line, fenced by more backticks than any run inside (user data
    may contain anything). In a table cell `|` must be escaped even inside code (GFM); elsewhere the
    backslash would show, so only table cells get it."""
    s = " ".join(str(text).split())
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    if table:
        s = s.replace("|", "\\|")
    run = longest = 0
    for ch in s:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _num(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:.4g}" if abs(v) < 1e5 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return code(v)


def _flatten(d: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            rows.extend(_flatten(v, key + "."))
        else:
            rows.append((key, v))
    return rows


def _data_lines(data: dict[str, Any]) -> list[str]:
    """Counts as a table; lists (e.g. example rows) as their length plus the first few items in code spans."""
    lines = ["| key | value |", "|---|---|"]
    examples: list[str] = []
    for key, value in _flatten(data):
        if isinstance(value, list):
            lines.append(f"| {code(key)} | {len(value):,} items |")
            examples += [f"- {code(key, table=False)}: "
                         f"{code(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False), table=False)}"
                         for v in value[:3]]
        else:
            lines.append(f"| {code(key)} | {_num(value)} |")
    if examples:
        lines += ["", "First items of the lists above (user data, shown verbatim as code):", "", *examples]
    return lines


def _clean_lines(data: dict[str, Any]) -> list[str]:
    """The cleaning report (harness data clean) as a reader wants it: counts, drops by reason with one
    example each, conflicts, decontamination per suite, the distribution before and after."""
    c = data.get("counts", {})
    out = [f"Cleaning: {_num(c.get('read'))} rows read, **{_num(c.get('kept'))} kept**, {_num(c.get('dropped'))} dropped, "
           f"{_num(c.get('rejected'))} rejected as malformed (full list in `data/clean_report.json`).", "",
           "| dropped because | rows | example |", "|---|---|---|"]
    for reason, v in (data.get("dropped") or {}).items():
        if v.get("count"):
            ex = (v.get("examples") or [{}])[0]
            out.append(f"| {reason} | {_num(v['count'])} | {code(ex.get('source', ''))} {code(ex.get('detail', ''), 80)} |")
    rejected = [r for r in data.get("rejected") or [] if isinstance(r, dict)]
    if rejected:
        out.append("")
    for r in rejected[:5]:
        what = (f"field '{r['field']}': " if r.get("field") else "") + str(r.get("reason", ""))
        out.append(f"- rejected {code(r.get('source', ''), table=False)}: {code(what, 100, table=False)}")
    if len(rejected) > 5:
        out.append(f"- … and {len(rejected) - 5} more")
    conflicts = data.get("conflicts") or []
    if conflicts:
        out += ["", f"{len(conflicts)} question(s) with conflicting answers (kept for you to resolve), e.g. "
                f"{code(conflicts[0].get('prompt', ''), 100, table=False)}"]
    out += ["", "| decontaminated against | cases | rows dropped | template n-grams ignored |", "|---|---|---|---|"]
    for d in data.get("decontamination") or []:
        out.append(f"| {code(d.get('ref'))} | {_num(d.get('cases'))} | {_num(d.get('rows_dropped'))} | "
                   f"{_num(d.get('template_ngrams_ignored'))} |")
    if not data.get("decontamination"):
        out.append("| (no suite) | | | |")
    dist = data.get("distribution") or {}
    before, after = dist.get("before") or {}, dist.get("after") or {}
    out += ["", "| distribution | before | after |", "|---|---|---|"]
    for axis in ("lang", "category"):
        for key in sorted(set(before.get(axis, {})) | set(after.get(axis, {}))):
            out.append(f"| {axis} {code(key)} | {_num(before.get(axis, {}).get(key, 0))} | {_num(after.get(axis, {}).get(key, 0))} |")
    return out


def _trajectory_lines(trajectory: dict[str, Any] | None) -> list[str]:
    if not trajectory:
        return []
    from harness.trajectory import Trajectory
    from reports.train_trajectory import render_markdown as trajectory_markdown

    return ["## Trajectory", "", trajectory_markdown(Trajectory.model_validate(trajectory)),
            "Chart: `harness report` on this directory with `--html FILE`.", ""]


def render_markdown(report: dict[str, Any], config: TrainConfig) -> str:
    t = report["training"]
    lines = [
        "# Training report",
        "",
        f"Base model: {code(report['base_model'])}  ",
        f"Created: {report['created']}",
        "",
        "| | |",
        "|---|---|",
        f"| steps | {_num(t['steps'])} (this run: {_num(t['session_steps'])}) |",
        f"| epochs | {_num(t['epochs'])} |",
        f"| rows (train / eval) | {_num(t['train_rows'])} / {_num(t['eval_rows'])} |",
        f"| final train loss (last logged) | {_num(t['final_loss'])} |",
        f"| mean train loss (this run) | {_num(t['train_loss'])} |",
        f"| final eval loss | {_num(t['eval_loss'])} |",
        f"| time | {_num(t['seconds'])} s (training loop {_num(t['train_seconds'])} s) |",
        f"| tokens seen (non-padding) | {_num(t['tokens_seen'])} |",
        f"| assistant-labelled tokens trained | {_num(t['labelled_tokens'])} |",
        f"| tokens/s | {_num(t['tokens_per_second'])} |",
        f"| processes | {_num(t['world_size'])} ({t['distributed_type']}) |",
        f"| bf16 / packing | {_num(t['bf16'])} / {_num(t['packing'])} |",
        f"| resumed from | {_num(t['resumed_from'])} |",
        "",
        "![loss curve](loss.png)",
        "",
        *_trajectory_lines(report.get("trajectory")),
        "## Data",
        "",
    ]
    ds = report["datasets"]
    for name in ("train", "eval"):
        d = ds.get(name) or {}
        if d.get("examples"):
            lines.append(f"- {name}: {_num(d['examples'])} tokenized examples, {_num(d['tokens'])} tokens, "
                         f"{_num(d['labelled_tokens'])} labelled (assistant) tokens per epoch")
    if t.get("rows_dropped_without_labels"):
        lines.append(f"- {_num(t['rows_dropped_without_labels'])} rows dropped: no assistant token left after truncation")
    data = report["data"]
    if data and data.get("schema") == "harness.data-clean/v1":
        lines += ["", *_clean_lines(data)]
    elif data and data.get("cleaned") is False:
        lines += ["", f"**Not cleaned** (`--no-clean`): {_num(data.get('examples'))} rows trained as loaded, "
                  f"{_num(data.get('rejected'))} malformed rows left out. No duplicate, quality or "
                  "contamination checks ran: no evaluation suite can be called clean for this model."]
    elif data:
        lines += ["", "Data preparation (as reported by the data step):", "", *_data_lines(data)]
    lines += ["", "## Hyperparameters", "", f"Config file: {code(config.source or 'none (defaults)')}", "",
              "| section | key | value | |", "|---|---|---|---|"]
    for row in config_rows(config):
        value = "auto" if row["value"] is None else row["value"]
        lines.append(f"| {row['section']} | {row['key']} | {code(value)} | {'' if row['default'] else 'changed'} |")
    lora = report["lora"]
    lines += ["", "## LoRA", ""]
    if lora:
        lines.append(f"r={lora['r']}, alpha={lora['alpha']}, dropout={lora['dropout']}, targets {code(lora['target_modules'])}: "
                     f"{_num(lora['trainable_params'])} of {_num(lora['total_params'])} parameters trained; "
                     + ("merged into the saved weights." if lora["merge"] else
                        f"merged into the saved weights, unmerged adapter kept in {code(lora['adapter_dir'])}"
                        + ("" if lora["adapter_servable_by_vllm"] else
                           " (it trains new chat-token embeddings, so vLLM cannot serve it as a LoRA; use the merged model)")
                        + "."))
    else:
        lines.append("Not used: all weights were trained.")
    dev = report["device"] or {}
    lines += ["", "## Environment", "", f"Device: {code(dev.get('type', '?'))} {code(dev.get('name', ''))}", "",
              "| library | version |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in report["versions"].items()]
    return "\n".join(lines) + "\n"
