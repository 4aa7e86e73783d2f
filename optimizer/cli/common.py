"""What every command shares: the consoles, one error boundary and a table printer.

The boundary: a :class:`optimizer.errors.JzplanError` (bad input, infeasible limits, an existing
folder), a file that cannot be read or written (missing, a directory, no permission) or a file
argument that is not UTF-8 text becomes one message on stderr and exit code 2; anything else is
an internal error (exit 1) whose traceback shows only with ``JZPLAN_DEBUG=1``.

Messages and table cells are printed as plain text, never as rich markup: a path such as
``runs/[draft]/plan.csv`` or a YAML snippet such as ``[closed, hybrid`` must come out exactly as
written. Nothing here imports pandas, the solver or the map stack at import time, so
``jzplan --help`` starts fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from optimizer.errors import JzplanError

INPUT_ERROR = 2
INTERNAL_ERROR = 1

out = Console(markup=False)
err = Console(stderr=True, markup=False)

# Exceptions typer itself turns into a usage message or an exit code: never "internal errors".
_PASS_THROUGH = (typer.Exit, typer.Abort, typer.TyperException)
_FILE_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)


def styled(label: str, style: str, message: object) -> Text:
    """``label message`` with only the label styled; the message is taken literally."""
    return Text.assemble((label, style), " ", str(message))


def fail(message: object, code: int = INPUT_ERROR) -> typer.Exit:
    """Print ``error: message`` on stderr (never wrapped); return the Exit to raise."""
    err.print(styled("error:", "bold red", message), soft_wrap=True, highlight=False)
    return typer.Exit(code)


def debugging() -> bool:
    """``JZPLAN_DEBUG`` set to anything but empty, 0, false, no or off."""
    value = os.environ.get("JZPLAN_DEBUG", "").strip().lower()
    return value not in ("", "0", "false", "no", "off")


def _paths(values: Iterable[object]) -> list[Path]:
    found: list[Path] = []
    for value in values:
        if isinstance(value, Path):
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(v for v in value if isinstance(v, Path))
    return found


def _not_utf8(path: Path) -> UnicodeDecodeError | None:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    except OSError:
        return None
    return None


def user_message(exc: BaseException, paths: Iterable[Path] = ()) -> str | None:
    """The one-line (or findings) message for a problem the user can fix; None if internal.

    ``paths`` are the files the command was given: a UnicodeDecodeError names none, so it
    counts as bad input only when one of them is indeed not UTF-8 (and names that one).
    """
    if isinstance(exc, JzplanError):
        return str(exc)
    if isinstance(exc, OSError) and exc.filename is not None:
        name = str(exc.filename)
        if exc.filename2 is not None:
            name += f" -> {exc.filename2}"
        return f"{name}: {exc.strerror or exc}"
    if isinstance(
        exc, _FILE_ERRORS
    ):  # raised with a message of its own, e.g. "x.txt: no such file"
        return str(exc)
    if isinstance(exc, UnicodeDecodeError):
        for path in paths:
            bad = _not_utf8(path)
            if bad is not None:
                return (
                    f"{path}: not UTF-8 text (byte {bad.start}: {bad.reason}); "
                    "save the file as UTF-8"
                )
    return None


def guarded(func):
    """The error boundary every command runs inside."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except _PASS_THROUGH:
            raise
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            message = user_message(exc, _paths([*args, *kwargs.values()]))
            if message is not None:
                raise fail(message) from None
            if debugging():
                raise
            raise fail(
                f"internal error: {type(exc).__name__}: {exc} (set JZPLAN_DEBUG=1 for details)",
                INTERNAL_ERROR,
            ) from None

    return wrapper


@contextmanager
def solving(t, message: str | None = None) -> Iterator:
    """A rich status line while the solver runs, with HiGHS's gap as it closes
    (optimizer.solve.WATCHERS); a scenario that cannot be solved is explained in ``t``'s
    language (optimizer.infeasible makes its sentences in English and Dutch)."""
    from optimizer import solve
    from optimizer.wording import dutch

    text = message or t["cli_solving"]
    with out.status(text) as status:

        def watch(gap: float | None, seconds: float) -> None:
            shown = "–" if gap is None else f"{100 * gap:.2f} %"
            shown = shown.replace(".", ",") if t.lang == "nl" else shown
            status.update(f"{text} " + t("cli_gap", gap=shown, seconds=f"{seconds:.0f}"))

        solve.WATCHERS.append(watch)
        try:
            yield status
        except JzplanError as exc:
            said = getattr(exc, "explanations", None)
            if t.lang == "en" or not said:
                raise
            words = str(exc).split()
            head = t("cli_infeasible", name=words[1] if len(words) > 1 else "")
            raise JzplanError("\n".join([head, *(dutch(s) for s in said)])) from None
        finally:
            solve.WATCHERS.remove(watch)


def print_table(frame, title: str, lang: str = "en") -> None:
    """A pandas DataFrame as a rich table: headers and text wrap, numbers are never cut.

    Every column is at least as wide as its longest word (a number is one word). When that
    does not fit the terminal the table is printed wider instead of showing ``1,731,…``.
    """
    from rich.measure import Measurement
    from rich.table import Table

    def cell(value) -> str:
        if not isinstance(value, float):
            return str(value)
        text = f"{value:,.2f}"  # 1,234.56; Dutch 1.234,56
        return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text

    rows = [[cell(v) for v in row] for row in frame.itertuples(index=False)]
    table = Table(title=title, title_justify="left")
    for i, column in enumerate(frame.columns):
        header = str(column).replace("_", " ")
        words = header.split() + [word for row in rows for word in row[i].split()]
        table.add_column(
            header,
            justify="right" if frame[column].dtype.kind in "fiu" else "left",
            min_width=max((len(word) for word in words), default=1),
        )
    for row in rows:
        table.add_row(*row)
    needed = Measurement.get(out, out.options.update_width(10_000), table).minimum
    out.print(table, width=max(out.width, needed), crop=False)
