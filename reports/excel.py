"""The plan as a workbook (plan.xlsx) for planners who check and filter figures in Excel.

One sheet per run-folder table plus a per-municipality summary and the assumptions; every
header names its unit, the header row is bold and frozen with an autofilter, and numbers carry
formats (EUR with thousands separators, beds with two decimals).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports.metrics import assignments_with_limits, zone_year
from reports.runfolder import RunFolder, load_run

EUR, BEDS, KM, MINUTES, SHARE, INTEGER = "#,##0", "#,##0.00", "#,##0.0", "0", "0.0%", "0"
CENTS = "#,##0.00"
TEXT = GENERAL = "General"

# sheet: [(header with unit, column, number format)]
SHEETS: dict[str, list[tuple[str, str, str]]] = {
    "plan": [
        ("year", "year", INTEGER),
        ("site id", "site_id", TEXT),
        ("site name", "site_name", TEXT),
        ("place type", "type", TEXT),
        ("groups (number)", "groups", INTEGER),
        ("beds (places)", "beds", BEDS),
        ("added groups (number)", "added_groups", INTEGER),
        ("removed groups (number)", "removed_groups", INTEGER),
    ],
    "assignments": [
        ("year", "year", INTEGER),
        ("municipality code", "gm_code", TEXT),
        ("municipality", "name", TEXT),
        ("region", "region", TEXT),
        ("need", "need", TEXT),
        ("site id", "site_id", TEXT),
        ("place type", "type", TEXT),
        ("beds (average occupied)", "beds", BEDS),
        ("distance (km)", "distance_km", KM),
        ("travel time (min)", "minutes", MINUTES),
        ("distance limit (km)", "max_km", KM),
        ("within limit (yes/no)", "within_text", TEXT),
    ],
    "unmet": [
        ("year", "year", INTEGER),
        ("municipality code", "gm_code", TEXT),
        ("municipality", "name", TEXT),
        ("region", "region", TEXT),
        ("need", "need", TEXT),
        ("beds (average, unmet)", "beds", BEDS),
        ("reason", "reason", TEXT),
    ],
    "costs": [
        ("year", "year", INTEGER),
        ("component", "component", TEXT),
        ("cost (EUR)", "eur", EUR),
        ("cost, discounted (EUR)", "eur_discounted", EUR),
    ],
    "municipalities": [
        ("municipality code", "gm_code", TEXT),
        ("municipality", "name", TEXT),
        ("region", "region", TEXT),
        ("year", "year", INTEGER),
        ("demand (beds)", "demand", BEDS),
        ("assigned (beds)", "assigned", BEDS),
        ("unmet (beds)", "unmet", BEDS),
        ("mean distance (km, beds-weighted)", "mean_km", KM),
        ("within distance limit (share of beds)", "within_share", SHARE),
    ],
    "advances": [
        ("year", "year", INTEGER),
        ("municipality code", "gm_code", TEXT),
        ("municipality", "name", TEXT),
        ("region", "region", TEXT),
        ("expected advance (EUR)", "advance_eur", CENTS),
    ],
    "assumptions": [
        ("parameter", "path", TEXT),
        ("value", "value", GENERAL),
        ("unit", "unit", TEXT),
        ("source", "source", TEXT),
        ("assumption", "assumption", TEXT),
    ],
}


def _tables(run: RunFolder) -> dict[str, pd.DataFrame]:
    zones = run.zones.set_index("gm_code")
    assignments = assignments_with_limits(run)
    assignments["name"] = assignments["gm_code"].map(zones["name"]).fillna("")
    assignments["within_text"] = assignments["within"].map({True: "yes", False: "no"})
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
        "municipalities": zone_year(run).sort_values(["year", "region", "name"]),
        "advances": advances.sort_values(["year", "region", "name"]),
        "assumptions": parameters,
    }


def _cell(value: object) -> object:
    """Plain Python values for openpyxl; missing numbers become empty cells."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def build_workbook(run_dir: Path) -> Path:
    """Write ``run_dir/plan.xlsx`` and return its path."""
    run = load_run(run_dir)
    tables = _tables(run)
    book = Workbook()
    book.remove(book.active)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append([header for header, _, _ in columns])
        frame = tables[name]
        for row in frame[[column for _, column, _ in columns]].itertuples(index=False):
            sheet.append([_cell(value) for value in row])
        for index, (header, column, number_format) in enumerate(columns, start=1):
            letter = get_column_letter(index)
            head = sheet[f"{letter}1"]
            head.font, head.fill = header_font, header_fill
            head.alignment = Alignment(wrap_text=True, vertical="top")
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, int | float):
                    cell.number_format = number_format
            longest = max([len(header) * 0.8, *(len(str(v)) for v in frame[column].head(500))])
            sheet.column_dimensions[letter].width = min(60, max(9, longest + 2))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    out = Path(run_dir) / "plan.xlsx"
    book.save(out)
    return out
