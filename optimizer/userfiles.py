"""User tables: one declared schema per file, every problem reported at once (pandera).

A :class:`Spec` declares a file's columns (type, unit, range or choices), its key (each key once)
and, for zones, the coordinate check. :func:`read_table` parses every cell by the rules below,
validates the typed table with the spec's pandera schema and reports each failure as a
:class:`TableFinding` (file, line with header = line 1, column, what was expected). Checks that
need the scenario (known codes; every year, zone and site present) are in :mod:`optimizer.data`.

Spreadsheet habits are read when unambiguous, else refused with the fix: UTF-8 with or without
a byte order mark; values separated by ``,``, ``;`` or a tab, judged from the header (an Excel
``sep=;`` line is honoured, empty trailing columns and rows are ignored). Number columns with
decimal commas (``12,5``, ``1.234,5``) are read the Dutch way, dots being thousands dots; with
decimal points (``2.25``) the English way; mixing both, or ``69.663`` in a column with neither,
is refused. Whole numbers (year, population, care days) take no thousands separators
(``133.000`` is refused, ``7.0`` is 7). Empty cells, ``NaN`` and ``inf`` are refused where a
number is needed; an optional value (population) may be empty or ``onbekend`` (not known).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from optimizer.errors import Finding

MAX_FILE_BYTES = 64 * 2**20
MAX_ROWS = 1_000_000
MAX_LISTED = 10  # cells named per column and problem; the rest are counted
NL_LAT, NL_LON = (50.6, 53.7), (3.2, 7.3)  # European Netherlands with a margin, degrees WGS 84
UNKNOWN = frozenset({"", "onbekend", "unknown", "nb", "n.b.", "na", "n/a", "nan", "-", "?"})

_INT = re.compile(r"[+-]?\d+")
_WHOLE_ZEROS = re.compile(r"[+-]?\d+[.,]0+")  # 7.0 or 7,00 from a spreadsheet export
_GROUPED_DOT = re.compile(r"[+-]?[1-9]\d{0,2}(\.\d{3})+")  # 69.663: thousands dot or decimal?
_GROUPED_COMMA = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+")
_DUTCH = re.compile(r"[+-]?(\d+|[1-9]\d{0,2}(\.\d{3})+),\d+")  # 12,5 and 1.234,5
_POINT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_NONFINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)


@dataclass(frozen=True)
class TableFinding(Finding):
    """A finding in a user table, with the line (header = line 1) and column when known."""

    line: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class Column:
    """One column: ``text``, ``int`` (whole numbers) or ``number``, with its unit and range."""

    name: str
    kind: str = "text"
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = True  # the column must be in the header
    optional_values: bool = False  # a cell may be empty or say unknown: read as not known
    noun: str = ""  # what the values are, for messages ("care days")

    def expected(self) -> str:
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind == "text":
            return f"a {self.noun}" if self.noun else "a text"
        what = "a whole number" if self.kind == "int" else "a number"
        what += f" of {self.noun}" if self.noun else (f" ({self.unit})" if self.unit else "")
        low, high = (
            f"{int(x):,}" if float(x).is_integer() else f"{x:g}" for x in (self.low, self.high)
        )
        return f"{what} from {low} to {high}"


@dataclass(frozen=True)
class Spec:
    """A user file: its columns, key columns (unique together) and extra checks."""

    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_word: str = "line"  # "row" for files users keep in a spreadsheet
    coordinates: bool = False  # lat/lon of places in the Netherlands


CODE = Column("gm_code", noun="zone code")
ZONES = Spec(
    "zones",
    (CODE, Column("name"), Column("region"),
     Column("lat", "number", "degrees latitude", *NL_LAT),
     Column("lon", "number", "degrees longitude", *NL_LON),
     Column("population", "int", "inhabitants", 0, 20_000_000, required=False,
            optional_values=True, noun="inhabitants"),
     Column("population_date", required=False, optional_values=True)),
    key=("gm_code",), coordinates=True,
)  # fmt: skip
DEMAND = Spec(
    "demand table",
    (Column("year", "int", "year", 1900, 2200), CODE,
     Column("need", choices=("secure", "hybrid", "open")),
     Column("beds", "number", "average occupied beds", 0, 10_000, noun="beds")),
    key=("year", "gm_code", "need"),
)  # fmt: skip
WEIGHTS = Spec(
    "key weights", (CODE, Column("weight", "number", "", 0, 1e12, noun="weights")), key=("gm_code",)
)
MATRIX = Spec(
    "travel matrix",
    (CODE, Column("site_id", noun="site id"), Column("km", "number", "km", 0, 1000, noun="km"),
     Column("minutes", "number", "minutes", 0, 1440, noun="minutes"),
     Column("links", required=False, optional_values=True)),
    key=("gm_code", "site_id"),
)  # fmt: skip
USAGE = Spec(
    "care days used",
    (Column("gm_code", noun="municipality code"), Column("type"),
     Column("care_days", "int", "care days", 0, 366 * 100_000, noun="care days")),
    row_word="row",
)  # fmt: skip


@dataclass
class UserTable:
    """A table read against its spec: typed values, the file line of each row, cells not known."""

    path: Path
    spec: Spec
    frame: pd.DataFrame
    lines: np.ndarray
    unknown: dict[str, dict[int, str]] = field(default_factory=dict)  # column -> row -> raw
    valid: bool = True  # False: some cells were refused (those rows hold NaN/None)

    def at(self, rows, column: str | None, message: str) -> TableFinding:
        lines, word = sorted(int(self.lines[r]) for r in rows), self.spec.row_word
        where = f"{word} {lines[0]}" if len(lines) == 1 else f"{word}s " + shorten(lines)
        where += f", column {column!r}" if column else ""
        return TableFinding(str(self.path), where, message, lines[0], column)


def shorten(items: list, limit: int = MAX_LISTED) -> str:
    shown = ", ".join(map(str, items[:limit]))
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


class _Refused(Exception):
    """A file or cell that is not read: args are where (or the problem kind) and the message."""


def read_table(path: Path, spec: Spec, found: list[Finding], refer=None) -> UserTable | None:
    """Read and check a user table, appending every problem to ``found``: None if it is no table
    (missing, too big, not UTF-8, no header or columns, rows that do not fit), else the table
    (``valid`` False if cells were refused). ``refer``: (file, field) to blame if missing."""
    path, name = Path(path), str(path)
    if not path.is_file():
        what = "is a folder, not a file" if path.is_dir() else "file not found"
        found.append(Finding(*(refer or (name, "(file)")), f"{what}: {path}"))
        return None
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _Refused("(file)", f"{path.stat().st_size:,} bytes, over {MAX_FILE_BYTES:,}")
        header, rows, lines = _records(_decode(path.read_bytes()), spec, found, name)
    except _Refused as exc:
        found.append(Finding(name, *exc.args))
        return None
    before = len(found)
    raw = pd.DataFrame(rows, columns=header, dtype=object)
    table = UserTable(path, spec, raw.copy(), np.asarray(lines, dtype=int))
    problems: list[tuple] = []  # (row or rows, column, kind, message)
    for column in spec.columns:
        if column.name in raw:
            table.frame[column.name] = _parse(raw[column.name], column, table, problems)
    typed = table.frame.drop(index=list({row for row, *_ in problems}))
    _report(table, problems + _validate(typed, raw, spec), found)
    table.valid = len(found) == before
    return table


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _Refused("(file)", "UTF-16 text; save it as 'CSV UTF-8 (comma delimited)'")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = f"byte {exc.start} (0x{data[exc.start]:02x})"
        message = f"not UTF-8 text: {byte} cannot be read; save as UTF-8 (Excel: 'CSV UTF-8')"
        raise _Refused(f"line {line}", message) from None


def _records(text: str, spec: Spec, found: list[Finding], name: str):
    """Header, rows of stripped text cells padded to the header, and the line each starts on."""
    expected = ",".join(c.name for c in spec.columns if c.required)
    lines = enumerate(io.StringIO(text, newline=""), start=1)
    first, first_line = next(((i, line) for i, line in lines if line.strip()), (0, None))
    if first_line is None:
        raise _Refused("(file)", f"file is empty; expected a header {expected}")
    sep, skip = _separator(first_line, first)
    header, rows, starts, misfits, start = None, [], [], [], 1
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if line <= first + skip - 1 or not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                header = header[: max((i + 1 for i, h in enumerate(header) if h), default=0)]
                continue
            if any(cell.strip() for cell in record[len(header) :]):
                misfits.append(line)
            cells = [cell.strip() for cell in record[: len(header)]]
            rows.append(cells + [""] * (len(header) - len(cells)))
            starts.append(line)
            if len(rows) > MAX_ROWS:
                raise _Refused("(file)", f"more than {MAX_ROWS:,} rows")
    except csv.Error as exc:
        raise _Refused(f"line {reader.line_num}", f"not a readable CSV: {exc}") from None
    problems = _header_problems(header or [], spec, sep)
    hint = "; a decimal comma in a comma-separated file? write 12.5, or use ';'" * (sep == ",")
    if misfits:
        where = f"line{'s' * (len(misfits) > 1)} {shorten(misfits)}"
        problems.append((where, f"more values than the header's {len(header)}{hint}"))
    if not problems and not rows:
        problems.append(("(rows)", f"no data rows below the header; expected rows of {expected}"))
    if problems:
        found.extend(Finding(name, where, message) for where, message in problems[:-1])
        raise _Refused(*problems[-1])
    return header, rows, starts


def _separator(line: str, number: int) -> tuple[str, int]:
    """The separator the header line uses, and 1 when that line is an Excel ``sep=`` line."""
    if re.fullmatch(r"\s*sep=(.)\s*", line):
        return line.strip()[4], 1
    if "," in line and ";" in line:
        raise _Refused(f"line {number}", "the header has both ',' and ';': use one separator")
    return (";" if ";" in line else "\t" if "\t" in line and "," not in line else ","), 0


def _header_problems(header: list[str], spec: Spec, sep: str) -> list[tuple[str, str]]:
    problems = []
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        problems.append(("(columns)", f"column(s) {repeated} appear more than once"))
    missing = [c.name for c in spec.columns if c.required and c.name not in header]
    if missing:
        wanted = [c.name for c in spec.columns]
        problems.append(("(columns)", f"missing column(s) {missing}; expected {wanted} (names in "
                         f"lower case), found {header}"))  # fmt: skip
    return problems


def _parse(values: pd.Series, column: Column, table: UserTable, problems: list) -> pd.Series:
    """Typed values of one column (NaN/None where refused or not known); problems appended."""
    dutch, refused = _decimal_commas(values, column, table, problems)
    out: list = []
    for row, text in values.items():
        value = None
        if column.optional_values and text.lower() in UNKNOWN:
            table.unknown.setdefault(column.name, {})[row] = text
        elif row not in refused:
            try:
                value = _cell(text, column, dutch)
            except _Refused as exc:
                problems.append((row, column.name, *exc.args))
        out.append(value)
    dtype = {"text": object, "int": "Int64", "number": float}[column.kind]
    return pd.Series(out, index=values.index, dtype=dtype)


def _decimal_commas(values: pd.Series, column: Column, table: UserTable, problems: list):
    """(True: decimal commas, False: decimal points, None: neither seen; rows refused)."""
    if column.kind != "number":
        return None, set()
    commas = [r for r, t in values.items() if _DUTCH.fullmatch(t) or _GROUPED_COMMA.fullmatch(t)]
    points = [r for r, t in values.items() if _POINT.fullmatch(t) and not _INT.fullmatch(t)
              and not _GROUPED_DOT.fullmatch(t)]  # fmt: skip
    if commas and points:
        a, b = commas[0], points[0]
        problems.append((a, column.name, "mixed", f"the column mixes decimal commas ({values[a]!r})"
                         f" and points ({values[b]!r}, line {table.lines[b]}); not read: write "
                         "every number the same way"))  # fmt: skip
        problems.extend((row, column.name, "mixed", "") for row in commas[1:] + points)
        return None, set(commas + points)
    return (True if commas else (False if points else None)), set()


def _cell(text: str, column: Column, dutch: bool | None) -> object:
    """The value of one cell, or :class:`_Refused` with the problem kind and message."""
    expected = column.expected()
    if not text:
        raise _Refused("empty", f"value is empty; expected {expected}")
    if column.kind == "text":
        return text
    if _NONFINITE.fullmatch(text):
        raise _Refused("nonfinite", f"{text!r} is not a finite number; expected {expected}")
    grouped = _GROUPED_DOT.fullmatch(text)
    if column.kind == "int":
        if _INT.fullmatch(text) or (_WHOLE_ZEROS.fullmatch(text) and not grouped):
            return int(re.split(r"[.,]", text)[0])
        if grouped or _GROUPED_COMMA.fullmatch(text):
            digits = re.sub(r"[.,]", "", text)
            raise _Refused("separator", f"{text!r} is not read: whole numbers take no thousands "
                           f"separators (is it {digits}, or {text.replace(',', '.')} with a "
                           f"decimal point?); write {digits} if that is meant")  # fmt: skip
    elif dutch is None and grouped:
        digits = text.replace(".", "")
        if text.count(".") > 1:  # 1.234.567 is no decimal number
            return float(digits)
        raise _Refused("ambiguous", f"{text!r} is not read: {digits} with a thousands dot, or "
                       f"{text} with a decimal point? write {digits} without the dot, or write "
                       "the column's decimals with a comma (12,5) or a point (12.5)")  # fmt: skip
    elif dutch and (_DUTCH.fullmatch(text) or grouped or _INT.fullmatch(text)):
        return float(text.replace(".", "").replace(",", "."))
    elif not dutch and _POINT.fullmatch(text):
        return float(text)
    raise _Refused("type", f"expected {expected}, got {text!r}")


@cache
def _schema(spec: Spec) -> pa.DataFrameSchema:
    """The pandera schema of a spec's typed table: ranges, choices, keys, coordinates."""
    columns = {}
    for c in spec.columns:
        checks = [pa.Check.isin(c.choices, error="choice")] if c.choices else []
        if c.low is not None:
            checks.append(pa.Check.in_range(c.low, c.high, error="range"))
        columns[c.name] = pa.Column(None, checks, nullable=True, required=False)
    swapped = pa.Check(lambda d: d["lat"].isna() | d["lon"].isna() | (d["lat"] > d["lon"]),
                       error="swapped")  # fmt: skip
    frame_checks = [swapped] if spec.coordinates else []
    return pa.DataFrameSchema(columns, checks=frame_checks, unique=list(spec.key) or None,
                              report_duplicates="all", name=spec.title)  # fmt: skip


def _validate(frame: pd.DataFrame, raw: pd.DataFrame, spec: Spec) -> list[tuple]:
    """pandera's failure cases as (row or rows, column, kind, message)."""
    try:
        _schema(spec).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    swapped = set(cases.loc[cases["check"] == "swapped", "index"])
    where = f"in the Netherlands lat is {NL_LAT[0]} to {NL_LAT[1]}, lon {NL_LON[0]} to {NL_LON[1]}"
    problems = [(row, "lat", "swapped", f"lat {raw.at[row, 'lat']} and lon {raw.at[row, 'lon']} "
                 f"look swapped: {where} degrees") for row in sorted(swapped)]  # fmt: skip
    for case in cases[cases["check"].isin(["range", "choice"])].itertuples(index=False):
        if case.column in ("lat", "lon") and case.index in swapped:
            continue
        column = next(c for c in spec.columns if c.name == case.column)
        text = raw.at[case.index, case.column]
        if case.check == "range" and column.low == 0 and str(text).startswith("-"):
            message = f"{column.noun or case.column} must not be negative, got {text!r}"
        else:
            message = f"expected {column.expected()}, got {text!r}"
        problems.append((case.index, case.column, case.check, message))
    duplicated = sorted(set(cases.loc[cases["check"] == "multiple_fields_uniqueness", "index"]))
    return problems + (_duplicates(frame.loc[duplicated], raw, spec) if duplicated else [])


def _duplicates(rows: pd.DataFrame, raw: pd.DataFrame, spec: Spec) -> list[tuple]:
    problems = []
    others = [c.name for c in spec.columns if c.name not in spec.key and c.name in raw]
    for key, group in rows.groupby(list(spec.key), sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        name = ", ".join(f"{k} {v}" for k, v in zip(spec.key, key, strict=True))
        cells = {c: raw.loc[group.index, c] for c in others}
        differ = [f"{c} ({' and '.join(v)})" for c, v in cells.items() if v.nunique() > 1]
        what = (
            f"with different {', '.join(differ)}" if differ else "as identical rows (pasted twice?)"
        )
        message = f"{name} is listed {len(group)} times {what}; keys must not appear more than once"
        problems.append((tuple(group.index), None, "duplicate", message))
    return problems


def _report(table: UserTable, problems: list[tuple], found: list[Finding]) -> None:
    """Findings from (row(s), column, kind, message): at most MAX_LISTED per column and kind."""
    counts: dict[tuple, int] = {}
    hidden: dict[str | None, list[int]] = {}  # column -> lines not listed
    for rows, column, kind, message in problems:
        rows = rows if isinstance(rows, tuple) else (rows,)
        counts[column, kind] = counts.get((column, kind), 0) + bool(message)
        if message and counts[column, kind] > MAX_LISTED:
            hidden.setdefault(column, []).extend(int(table.lines[r]) for r in rows)
        elif message:
            found.append(table.at(rows, column, message))
    for column, lines in hidden.items():
        message = f"the same problems on {len(lines)} more {table.spec.row_word}s: "
        found.append(TableFinding(str(table.path), f"column {column!r}", message + shorten(lines)))
