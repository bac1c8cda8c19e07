"""The training configuration: `[sft]`, `[lora]` and `[trl]` sections of a TOML file.

    [sft]                     # trainers.options.SFTOptions
    epochs = 2
    learning_rate = 2e-4
    eval_ratio = 0.05
    [lora]                    # trainers.options.LoraOptions
    enabled = true
    r = 16
    [trl]                     # any other trl.SFTConfig / TrainingArguments keyword, passed through verbatim
    neftune_noise_alpha = 5
    optim = "adamw_torch_fused"
    [trajectory]              # trainers.trajectory_options.TrajectoryOptions (harness train --eval-every)
    every = 50

Unknown keys are errors that name the file, the section and the key. Every option has a default, so an
absent file means "sensible defaults"; `config_table` shows the effective values.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from trainers.options import LoraOptions, SFTOptions, check_trl_args
from trainers.trajectory_options import TrajectoryOptions


@dataclass
class TrainConfig:
    sft: SFTOptions = field(default_factory=SFTOptions)
    lora: LoraOptions = field(default_factory=LoraOptions)
    trl: dict[str, Any] = field(default_factory=dict)  # extra SFTConfig keywords, verbatim
    trajectory: TrajectoryOptions = field(default_factory=TrajectoryOptions)
    source: str | None = None  # the TOML file it came from (for messages and the report)

    def to_dict(self) -> dict[str, Any]:
        return {"sft": dataclasses.asdict(self.sft), "lora": dataclasses.asdict(self.lora), "trl": dict(self.trl),
                "trajectory": dataclasses.asdict(self.trajectory), "source": self.source}


SECTIONS = {"sft": SFTOptions, "lora": LoraOptions, "trajectory": TrajectoryOptions}


def load_train_config(path: Path | str | None) -> TrainConfig:
    """The TrainConfig in the TOML file at `path`; None = all defaults. Raises ValueError on any bad key/value."""
    if path is None:
        return TrainConfig()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"training config not found: {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: not valid TOML ({e})") from None
    unknown = sorted(set(data) - {*SECTIONS, "trl"})
    if unknown:
        raise ValueError(f"{path}: unknown section [{unknown[0]}]; valid sections: [sft], [lora], [trl], [trajectory]")
    parts: dict[str, Any] = {}
    for name, cls in SECTIONS.items():
        parts[name] = _section(path, name, cls, _table(path, name, data.get(name, {})))
    trl = _table(path, "trl", data.get("trl", {}))
    check_trl_args(trl, str(path))
    try:
        parts["trajectory"].check()
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None
    return TrainConfig(sft=parts["sft"], lora=parts["lora"], trl=trl, trajectory=parts["trajectory"], source=str(path))


def _table(path: Path, name: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{path}: [{name}] must be a table of key = value lines")
    return value


def _section(path: Path, name: str, cls: type, values: dict[str, Any]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, value in values.items():
        if key not in fields:
            raise ValueError(f"{path}: [{name}] unknown key {key!r}; valid keys: {', '.join(fields)}")
        optional = fields[key].default is None
        if optional and value == "auto":  # TOML has no null: "auto" stands for the None default
            value = None
        elif not _type_ok(value, hints[key]):
            raise ValueError(f"{path}: [{name}] {key} = {value!r}: expected {_type_name(hints[key])}")
        kwargs[key] = float(value) if hints[key] is float else value
    return cls(**kwargs)


def _type_ok(value: Any, hint: Any) -> bool:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(_type_ok(value, h) for h in typing.get_args(hint))
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_type_ok(v, item) for v in value)
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def _type_name(hint: Any) -> str:
    return str(hint).replace("NoneType", '"auto"').replace("typing.", "")


def config_rows(config: TrainConfig) -> list[dict[str, Any]]:
    """Every effective option: section, key, value, whether it is the default, and its help text."""
    rows = []
    for name, cls in SECTIONS.items():
        current, default = getattr(config, name), cls()
        for f in dataclasses.fields(cls):
            value = getattr(current, f.name)
            rows.append({"section": name, "key": f.name, "value": value, "default": value == getattr(default, f.name),
                         "help": f.metadata.get("help", "")})
    for key, value in config.trl.items():
        rows.append({"section": "trl", "key": key, "value": value, "default": False, "help": "passed to SFTConfig"})
    return rows


def config_table(config: TrainConfig, title: str | None = None) -> Table:
    """A rich table of the effective configuration; values that differ from the defaults are bold."""
    table = Table(title=title or f"training config ({config.source or 'defaults'})", show_lines=False)
    for col in ("section", "key", "value", "help"):
        table.add_column(col, overflow="fold")
    for row in config_rows(config):
        value = "auto" if row["value"] is None else repr(row["value"]) if isinstance(row["value"], str) else str(row["value"])
        style = None if row["default"] else "bold"
        # Text, not markup: "[sft]" and user values would be read as rich style tags
        table.add_row(*(Text(c) for c in (f"[{row['section']}]", row["key"], value, row["help"])), style=style)
    return table
