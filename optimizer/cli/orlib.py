"""``jzplan orlib FILE``: solve one OR-Library file and print one JSON object on stdout.

Made for scripts and benchmark harnesses: stdout carries exactly one line,
``{"instance", "family", "objective", "status", "gap", "build_s", "solve_s"}``, whatever the
outcome; a bad file or option gives one line on stderr and exit status 2 (the error boundary of
:mod:`optimizer.cli.common`) instead of a traceback. ``jzplan classic solve FILE`` is the same
solve with a human-readable report. A bare name such as ``pmed1`` finds the bundled copy.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from optimizer.cli.common import guarded
from optimizer.errors import JzplanError

if TYPE_CHECKING:
    from optimizer.classic.instances import ClassicResult

PANEL = "OR-Library and classic location models"


def result_record(result: ClassicResult) -> dict:
    """The JSON fields: the objective as found, the status words of :mod:`optimizer.solve`."""
    gap = result.solve_result.mip_gap
    return {
        "instance": result.instance,
        "family": result.family,
        "objective": result.objective,
        "status": result.status,
        "gap": gap if gap is None or math.isfinite(gap) else None,
        "build_s": round(result.build_seconds, 4),
        "solve_s": round(result.solve_seconds, 4),
    }


TimeLimit = Annotated[
    float | None,
    typer.Option(
        "--time-limit",
        min=0.0,
        help="Seconds for the solve; pmed search and bounds (seconds) always finish first.",
    ),
]
FamilyOption = Annotated[
    str | None, typer.Option(help="'pmed' or 'cap'; read from the file's header if omitted.")
]
Capacity = Annotated[
    float | None,
    typer.Option(help="cap only: capacity of every warehouse (capa/capb/capc need it)."),
]
SingleSource = Annotated[
    bool, typer.Option("--single-source", help="cap only: one warehouse per customer.")
]
Reference = Annotated[
    bool,
    typer.Option(
        "--reference", help="pmed only: the strong textbook model instead of the fast path."
    ),
]


def bundled_or_given(file: Path) -> Path:
    """FILE as given, or the bundled OR-Library copy of that name (``pmed1``, ``cap41.txt``)."""
    if file.exists():
        return file
    from optimizer.classic.orlib import ORLIB_DIR

    stem = file.name.removesuffix(".txt")
    for folder in ("pmed", "cap"):
        candidate = ORLIB_DIR / folder / f"{stem}.txt"
        if candidate.exists():
            return candidate
    return file


def solve_file(
    file: Path,
    family: str | None,
    time_limit: float | None,
    capacity: float | None,
    single_source: bool,
    reference: bool,
) -> ClassicResult:
    """The solve both commands share; bad input raises a JzplanError for the boundary."""
    from optimizer.classic.instances import solve_instance

    if family not in (None, "pmed", "cap"):
        raise JzplanError(f"--family must be 'pmed' or 'cap', got {family!r}")
    return solve_instance(
        bundled_or_given(file),
        family=family,  # type: ignore[arg-type]
        time_limit=time_limit,
        formulation="reference" if reference else "fast",
        capacity=capacity,
        single_source=single_source,
    )


@guarded
def orlib_command(
    file: Annotated[Path, typer.Argument(help="An OR-Library pmed or cap file.")],
    time_limit: TimeLimit = None,
    family: FamilyOption = None,
    capacity: Capacity = None,
    single_source: SingleSource = False,
    reference: Reference = False,
) -> None:
    """Solve FILE (proven optimal unless the time limit stops it) and print one JSON line."""
    result = solve_file(file, family, time_limit, capacity, single_source, reference)
    typer.echo(json.dumps(result_record(result)))


def register(app: typer.Typer) -> None:
    app.command(
        "orlib", help="Solve one OR-Library file; print one JSON line.", rich_help_panel=PANEL
    )(orlib_command)
