"""The ``jzplan`` command: planner commands first, the OR-Library tools in their own group.

Commands are thin: they parse options, call the pipeline (:mod:`optimizer.pipeline`) or a
stage's function, and print. Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Plan JeugdzorgPlus places: where, how many, which type, year by year.",
)

from optimizer.cli import alternatives, classic, orlib, plan  # noqa: E402  (the commands)

plan.register(app)
alternatives.register(app)
orlib.register(app)
classic.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
