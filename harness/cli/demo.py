"""`harness demo build`: the embedded demo pair (a tiny base model and its SFT)."""

from __future__ import annotations

from typing import Annotated

import typer

from harness.cli.common import console, fail
from harness.errors import HarnessError

demo_app = typer.Typer(help="The embedded demo pair (a tiny base model and its SFT).", no_args_is_help=True)


@demo_app.command("build")
def demo_build(
    force: Annotated[bool, typer.Option("--force", help="Rebuild even if built.")] = False,
    reduced: Annotated[bool, typer.Option("--reduced", help="A smaller, faster pair (for tests).")] = False,
) -> None:
    """Build the demo pair: pretrain a tiny base model, then SFT it with the project's trainer."""
    from harness.demo.build import build_demo

    con = console()
    try:
        base, sft = build_demo(reduced=reduced, force=force, console=con)
    except HarnessError as e:
        fail(e)
        return
    con.print(f"base: {base}\nsft:  {sft}")
