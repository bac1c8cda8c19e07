"""Rich progress bars shared by the trainers (pretraining loop and the HF/TRL Trainer callback)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from transformers import TrainerCallback


def make_progress(console: Console | None = None) -> Progress:
    """A progress display with step counts, elapsed / remaining time and a free-text field for the loss."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[info]}"),
        console=console,
        transient=False,
    )


class RichStepCallback(TrainerCallback):
    """Advances one rich task per optimizer step and shows the last logged loss (replaces tqdm)."""

    def __init__(self, progress: Progress, description: str) -> None:
        self.progress = progress
        self.description = description
        self.task: int | None = None

    def on_train_begin(self, args, state, control, **kwargs):  # noqa: ANN001 - HF callback signature
        self.task = self.progress.add_task(self.description, total=state.max_steps, info="")

    def on_step_end(self, args, state, control, **kwargs):  # noqa: ANN001
        if self.task is not None:
            self.progress.update(self.task, completed=state.global_step)

    def on_log(self, args, state, control, logs=None, **kwargs):  # noqa: ANN001
        if self.task is not None and logs and "loss" in logs:
            self.progress.update(self.task, info=f"loss {logs['loss']:.3f}")
