"""What every command shares: the app, the consoles, one error boundary and a table printer.

The boundary: a :class:`optimizer.errors.JzplanError` (bad input, infeasible limits, an existing
folder) or a missing/unreadable file becomes one message on stderr and exit code 2; anything
else is an internal error (exit 1) whose traceback shows only with ``JZPLAN_DEBUG=1``. Nothing
here imports pandas, the solver or the map stack, so ``jzplan --help`` starts fast.
"""

from __future__ import annotations

import os
from functools import wraps

import typer
from rich.console import Console

from optimizer.errors import JzplanError

INPUT_ERROR = 2
INTERNAL_ERROR = 1

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = INPUT_ERROR) -> typer.Exit:
    """Print ``error: message`` on stderr; return the Exit to raise."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    return typer.Exit(code)


def guarded(func):
    """The error boundary every command runs inside."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except JzplanError as exc:
            raise fail(str(exc)) from None
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            name = exc.filename or ""
            raise fail(f"{name}: {exc.strerror or exc}" if name else str(exc)) from None
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if os.environ.get("JZPLAN_DEBUG"):
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} (set JZPLAN_DEBUG=1 for details)",
                INTERNAL_ERROR,
            ) from None

    return wrapper


def print_table(frame, title: str) -> None:
    """A pandas DataFrame as a rich table whose headers wrap instead of being cut."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(
            str(column).replace("_", " "),
            justify="right" if frame[column].dtype.kind in "fi" else "left",
        )
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:,.2f}" if isinstance(v, float) else str(v) for v in row])
    out.print(table)
