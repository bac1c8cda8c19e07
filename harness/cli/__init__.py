"""The `harness` command line (typer + rich): a thin shell over harness.api.

One module per command group: evaluate (compare, run, report), gate, suites, data, train, demo;
shared helpers in common.py, result display in render.py. Commands parse flags, call the API and
print; none calls another command.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Annotated

import typer
from rich.text import Text

from harness.cli import evaluate
from harness.cli.common import STATE, err_console
from harness.cli.data import data_app
from harness.cli.demo import demo_app
from harness.cli.gate import gate
from harness.cli.suites import suites_app
from harness.cli.train import train
from harness.errors import HarnessError

app = typer.Typer(
    help="Measure what supervised fine-tuning changed: directness, format, multi-turn coherence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain output without colours.")] = False,
) -> None:
    from harness.runners.vllm_engine import quiet_vllm

    STATE["debug"] = debug
    STATE["no_color"] = no_color
    quiet_vllm()  # before anything imports vllm (TRL does, in `harness train`)


app.command()(evaluate.compare)
app.command("run")(evaluate.run)
app.command()(evaluate.report)
app.command("gate")(gate)
app.add_typer(suites_app, name="suites")
app.add_typer(demo_app, name="demo")
app.add_typer(data_app, name="data")
app.command("train")(train)


def _print_error(prefix: str, message: str) -> None:
    err_console().print(Text.assemble((prefix, "bold red"), message))


def run(argv: list[str] | None = None) -> None:
    """The `harness` console script: every outcome maps to one documented exit code
    (harness/errors.py, docs/exit-codes.md), and nothing but a failed gate exits 1."""
    from harness.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK
    from harness.runners.lifetime import watch_interrupts

    watch_interrupts()
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        code = app(args=argv, standalone_mode=False)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except HarnessError as e:
        if debug:
            raise
        _print_error("error: ", str(e))
        code = EXIT_INPUT
    except OSError as e:
        if e.errno == errno.EPIPE:  # the reader of our output went away (`| head`): not an error
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115
            code = EXIT_OK
        else:
            if debug:
                raise
            what = f"{e.filename}: " if e.filename else ""
            _print_error("error: ", f"{what}{e.strerror or e}")
            code = EXIT_INPUT
    except Exception as e:  # noqa: BLE001
        if callable(getattr(e, "show", None)) and isinstance(getattr(e, "exit_code", None), int):
            e.show()  # a usage error from the command-line parser ("No such option …")
            code = e.exit_code
        elif type(e).__name__ == "Abort":
            code = EXIT_INTERRUPTED
        else:
            if debug:
                raise
            _print_error(
                "internal error: ",
                f"{type(e).__name__}: {e} (a bug in sft-harness; run again with --debug for the traceback and report it)",
            )
            code = EXIT_INTERNAL
    if code == EXIT_INTERRUPTED:
        _print_error("interrupted: ", "stopped; finished generations are cached, run the same command again to resume")
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    run()
