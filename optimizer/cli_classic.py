"""``jzplan classic``: solve one OR-Library facility-location file from the command line.

A separate Typer sub-application so the main CLI (``optimizer/cli.py``) can mount it with
``app.add_typer(classic_app, name="classic")`` without this module knowing about the rest. Bad
input (missing file, malformed file) is reported in one line on stderr with exit status 1,
never as a traceback: the person running it needs to know what is wrong with the file, not where
in the parser it was noticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from models.classic import ClassicResult, solve_instance
from optimizer.orlib import Family, OrlibFormatError
from optimizer.solve import SolverUnavailable

classic_app = typer.Typer(
    help="Classic facility-location models on OR-Library benchmark files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@classic_app.callback()
def classic() -> None:
    """Classic facility-location models (p-median, capacitated warehouse location)."""
    # A callback keeps ``solve`` a named sub-command even while it is the only command, so
    # ``jzplan classic solve FILE`` works the same whether or not more commands are added.


def _describe_problem(result: ClassicResult) -> str:
    if result.family == "pmed":
        return f"p-median, {result.n_clients} vertices, p = {result.p}"
    return (
        f"capacitated warehouse location (split demand), {result.n_sites} warehouses, "
        f"{result.n_clients} customers"
    )


def _format_objective(value: float | None) -> str:
    if value is None:
        return "none (no solution found)"
    if abs(value - round(value)) < 1e-6:
        return f"{round(value)}"
    return f"{value:.3f}"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=1)


@classic_app.command("solve")
def solve_command(
    file: Annotated[Path, typer.Argument(help="An OR-Library pmedN.txt or capN.txt file.")],
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", min=0.0, help="Stop HiGHS after this many seconds."),
    ] = None,
    family: Annotated[
        str | None,
        typer.Option(help="'pmed' or 'cap'; read from the file's header when omitted."),
    ] = None,
) -> None:
    """Solve FILE to proven optimality (or the time limit) and print what was found."""
    if family is not None and family not in ("pmed", "cap"):
        raise _fail(f"--family must be 'pmed' or 'cap', got {family!r}")
    if not file.is_file():
        raise _fail(f"{file}: no such file")
    chosen: Family | None = family  # type: ignore[assignment]
    try:
        result = solve_instance(file, family=chosen, time_limit=time_limit)
    except (OrlibFormatError, FileNotFoundError, SolverUnavailable) as exc:
        raise _fail(str(exc)) from None

    opened = " ".join(str(j + 1) for j in result.open_facilities) or "-"
    typer.echo(f"instance    {result.instance}")
    typer.echo(f"family      {result.family} ({_describe_problem(result)})")
    typer.echo(f"objective   {_format_objective(result.objective)}")
    typer.echo(
        f"open        {len(result.open_facilities)} (numbered from 1 as in the file): {opened}"
    )
    typer.echo(f"status      {result.solve_result.describe()}")
    typer.echo(
        f"build       {result.read_seconds + result.build_seconds:.2f} s "
        f"(read {result.read_seconds:.2f} s, Pyomo model {result.build_seconds:.2f} s)"
    )
    typer.echo(f"solve       {result.solve_seconds:.2f} s")
    if not result.solve_result.has_solution:
        raise typer.Exit(code=1)
