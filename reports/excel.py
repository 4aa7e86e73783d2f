"""The plan as a workbook (plan.xlsx) for planners who check and filter figures in Excel.

Sheets for the plan tables (the service level of both plans, with and without the reserve
rules, included) plus a per-municipality summary and the assumptions. Headers and
their units come from the run-folder contract (reports/runfolder.py), also for
the few columns the workbook adds; the header row is bold and frozen with an autofilter, and
numbers carry formats (EUR with thousands separators, beds with two decimals).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports import public, texts
from reports.i18n import Labels
from reports.metrics import assignments_with_limits, zone_year
from reports.runfolder import (
    ADVANCES,
    ASSIGNMENTS,
    COSTS,
    DEMAND,
    PARAMETERS,
    PATHS,
    PLACE_TYPES,
    PLAN,
    SERVICE,
    UNITS,
    UNMET,
    ZONES,
    Column,
    RunFolder,
    load_run,
)

EUR, BEDS, KM, MINUTES, SHARE, INTEGER = "#,##0", "#,##0.00", "#,##0.0", "0", "0.0%", "0"
CENTS, FTE, REFUSAL = "#,##0.00", "#,##0.0", "0.00%"
GENERAL = "General"

MUNICIPALITY, REGION = ZONES.column("name"), ZONES.column("region")
# Columns the workbook adds to the run folder's, in the contract's terms (see reports/metrics.py)
WITHIN_TEXT = Column(
    "within_text",
    "str",
    "",
    "whether the trip is within the type's km limit",
    "within limit (yes/no)",
)
ZONE_DEMAND = Column("demand", "float64", "beds", "the zone's demand, all needs", "demand")
ZONE_ASSIGNED = Column("assigned", "float64", "beds", "the zone's demand placed", "assigned")
ZONE_UNMET = Column("unmet", "float64", "beds", "the zone's demand not placed", "unmet")
ZONE_MEAN_KM = Column(
    "mean_km", "float64", "km", "mean distance, weighted by beds", "mean distance, beds-weighted"
)
ZONE_WITHIN = Column(
    "within_share",
    "float64",
    "1",
    "share of the placed beds within the distance limit",
    "within distance limit (share of beds)",
)
# number format by unit (text and codes: General); euros to the cent where the contract is exact
FORMATS = {"year": INTEGER, "groups": INTEGER, "places": BEDS, "beds": BEDS, "eur": EUR}
FORMATS |= {"km": KM, "minutes": MINUTES, "1": SHARE, "fte": FTE}
# by column name, before the unit: euros to the cent, refusal probabilities to 0.01 %
BY_NAME = {"advance_eur": CENTS}
BY_NAME |= {c.name: REFUSAL for c in SERVICE.columns if c.unit == "1"}


def number_format(column: Column) -> str:
    return BY_NAME.get(column.name) or FORMATS.get(column.unit, GENERAL)


def _columns(table, *names: str) -> list[Column]:
    return [table.column(name) for name in names]


# sheet: columns in order; header(column) is the header, number_format(column) the format
SHEETS: dict[str, list[Column]] = {
    "plan": list(PLAN.columns),
    "assignments": [
        *_columns(ASSIGNMENTS, "year", "gm_code"),
        MUNICIPALITY,
        REGION,
        *_columns(ASSIGNMENTS, "need", "site_id", "type", "beds", "distance_km", "minutes"),
        PLACE_TYPES.column("max_km"),
        WITHIN_TEXT,
    ],
    "unmet": [
        *_columns(UNMET, "year", "gm_code"),
        MUNICIPALITY,
        REGION,
        *_columns(UNMET, "need", "beds", "reason"),
    ],
    "costs": list(COSTS.columns),
    "service": list(SERVICE.columns),
    "municipalities": [
        ZONES.column("gm_code"),
        MUNICIPALITY,
        REGION,
        DEMAND.column("year"),
        ZONE_DEMAND,
        ZONE_ASSIGNED,
        ZONE_UNMET,
        ZONE_MEAN_KM,
        ZONE_WITHIN,
    ],
    "advances": [
        *_columns(ADVANCES, "year", "gm_code"),
        MUNICIPALITY,
        REGION,
        ADVANCES.column("advance_eur"),
    ],
    "assumptions": list(PARAMETERS.columns),
    "paths": list(PATHS.columns),  # a staged run only: its demand paths (paths.csv)
}


def column_header(column: Column, labels: Labels) -> str:
    """The header of a column in the workbook's language: :func:`header` in English."""
    unit = UNITS[column.unit].header if column.unit else ""
    return labels.column(column.words, column.unit, unit)


def _tables(run: RunFolder, labels: Labels) -> dict[str, pd.DataFrame]:
    zones = run.zones.set_index("gm_code")
    assignments = assignments_with_limits(run)
    assignments["name"] = assignments["gm_code"].map(zones["name"]).fillna("")
    yes_no = {True: labels["yes"], False: labels["no"]}
    assignments["within_text"] = assignments["within"].map(yes_no)
    unmet = run.unmet.copy()
    unmet["name"] = unmet["gm_code"].map(zones["name"]).fillna("")
    unmet["region"] = unmet["gm_code"].map(zones["region"]).fillna("")
    advances = run.advances.copy()
    advances["advance_eur"] = advances["advance_cents"] / 100
    advances["name"] = advances["gm_code"].map(zones["name"]).fillna("")
    advances["region"] = advances["gm_code"].map(zones["region"]).fillna("")
    parameters = run.parameters.copy()
    numbers = pd.to_numeric(parameters["value"], errors="coerce")
    parameters["value"] = parameters["value"].where(numbers.isna(), numbers).astype(object)
    return {
        "plan": run.plan,
        "assignments": assignments,
        "unmet": unmet,
        "costs": run.costs,
        "service": _service(run),
        "municipalities": zone_year(run).sort_values(["year", "region", "name"]),
        "advances": advances.sort_values(["year", "region", "name"]),
        "assumptions": parameters,
        "paths": run.paths,
    }


def _service(run: RunFolder) -> pd.DataFrame:
    """service.csv: the plan's pools first, then the plan without the reserve rules."""
    order = {"plan": 0, "without_reserve": 1}
    frame = run.service.assign(_order=run.service["variant"].map(order).fillna(2))
    return frame.sort_values(["_order", "year", "pool"], kind="stable").drop(columns="_order")


def _cell(value: object) -> object:
    """Plain Python values for openpyxl; missing numbers become empty cells."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


#: Starts that make a spreadsheet read text as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell) -> None:
    """User text is a text cell, never a formula: openpyxl stores a string starting with '=' as
    a formula unless the cell's type says text. The apostrophe the run-folder CSVs put before
    such text (optimizer.runfolder.spreadsheet_safe) is dropped here: the cell type protects it."""
    value = cell.value
    if value.startswith("'") and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        value = value[1:]
    cell.value = value
    cell.data_type = "s"


#: in public workbooks, columns of a sheet that give a suppressed count away, and that count
PUBLIC_GIVES_AWAY = {
    "service": {"refusal_probability": "offered_load_beds"},
    "municipalities": {"mean_km": "demand", "within_share": "demand", "assigned": "demand"},
}


def _public(run: RunFolder, tables: dict[str, pd.DataFrame], threshold: float) -> dict:
    """The sheets with their counts suppressed as in the public run folder (reports/public.py)."""
    regions = dict(zip(run.zones["gm_code"], run.zones["region"], strict=True))
    out = {}
    for name, frame in tables.items():
        if name == "costs":
            out[name] = public.suppress_costs(frame, public.hidden_costs(run, threshold))
            continue
        gives_away = PUBLIC_GIVES_AWAY.get(name, {})
        frame = frame.reset_index(drop=True)
        out[name], _ = public.suppress_frame(frame, SHEETS[name], threshold, regions, gives_away)
    return out


def build_workbook(
    run_dir: Path, lang: str = "en", public_view: bool = False, threshold: float = 5
) -> Path:
    """Write ``run_dir/plan.xlsx`` (sheet names and headers in ``lang``) and return its path;
    ``public_view`` suppresses counts below ``threshold`` as the public run folder does."""
    run = texts.localized(load_run(run_dir), lang)
    labels = Labels(lang)
    tables = _tables(run, labels)
    if public_view:
        tables = _public(run, tables, threshold)
    book = Workbook()
    book.remove(book.active)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for name, columns in SHEETS.items():
        if name == "paths" and not run.staged:
            continue
        sheet = book.create_sheet(labels.sheet(name))
        sheet.append([column_header(column, labels) for column in columns])
        frame = tables[name]
        for row in frame[[column.name for column in columns]].itertuples(index=False):
            sheet.append([_cell(value) for value in row])
        for index, column in enumerate(columns, start=1):
            title, letter = column_header(column, labels), get_column_letter(index)
            head = sheet[f"{letter}1"]
            head.font, head.fill = header_font, header_fill
            head.alignment = Alignment(wrap_text=True, vertical="top")
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, int | float):
                    cell.number_format = number_format(column)
                elif isinstance(cell.value, str):
                    _as_text(cell)
            values = frame[column.name].head(500)
            longest = max([len(title) * 0.8, *(len(str(v)) for v in values)])
            sheet.column_dimensions[letter].width = min(60, max(9, longest + 2))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    out = Path(run_dir) / "plan.xlsx"
    book.save(out)
    return out


#: The settlement workbook's columns (optimizer.advances.FILE_COLUMNS): header and format.
SETTLEMENT_SHEET = (
    ("gm_code", "municipality code", None),
    ("name", "municipality", None),
    ("share", "share of the key (0-1)", "0.000000"),
    ("used_days", "used care days", INTEGER),
    ("advance_eur", "advance (EUR)", CENTS),
    ("used_eur", "cost of used days (EUR)", CENTS),
    ("unused_share_eur", "share of the unused days (EUR)", CENTS),
    ("due_eur", "due (EUR)", CENTS),
    ("balance_eur", "balance (EUR; positive: pays extra)", CENTS),
)


def settlement_workbook(table: pd.DataFrame, notes: list[str], path: Path) -> Path:
    """``jzplan settle --out FILE.xlsx``: sheet ``settlement`` (a row per municipality, then the
    totals row, amounts exact to the cent: the file's ``*_cents`` / 100) and sheet ``warnings``
    (the contract and every warning, one per row)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "settlement"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    sheet.append([header for _, header, _ in SETTLEMENT_SHEET])
    for record in table.to_dict("records"):
        sheet.append([_cell(record[name]) for name, _, _ in SETTLEMENT_SHEET])
    for index, (_, header, shown) in enumerate(SETTLEMENT_SHEET, start=1):
        letter = get_column_letter(index)
        sheet[f"{letter}1"].font, sheet[f"{letter}1"].fill = bold, fill
        sheet[f"{letter}1"].alignment = Alignment(wrap_text=True, vertical="top")
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, str):
                _as_text(cell)
            elif shown is not None:
                cell.number_format = shown
        sheet.column_dimensions[letter].width = max(12, min(40, len(header) + 2))
    for cell in sheet[sheet.max_row]:
        cell.font = bold  # the totals row
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(SETTLEMENT_SHEET))}{sheet.max_row - 1}"
    warnings = book.create_sheet("warnings")
    warnings.append(["note"])
    warnings["A1"].font = bold
    for note in notes or ["no warnings"]:
        warnings.append([note])
        _as_text(warnings.cell(row=warnings.max_row, column=1))
    warnings.column_dimensions["A"].width = 120
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
