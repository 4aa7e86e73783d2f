"""plan.xlsx: the sheets exist, look like the spec (units, bold frozen header, filters, formats)
and their totals equal the run folder's CSV files; the service sheet holds both plans' pools."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reports import runfolder
from reports.excel import build_workbook
from tests.fixtures.sample_run import write_sample_run

SHEETS = [
    "plan", "assignments", "unmet", "costs", "service", "municipalities", "advances", "assumptions",
]  # fmt: skip


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_run(tmp_path_factory.mktemp("excel") / "run")


@pytest.fixture(scope="module")
def book(run_dir: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(build_workbook(run_dir))


def sheet_frame(book: openpyxl.Workbook, name: str) -> pd.DataFrame:
    rows = list(book[name].values)
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_sheets_and_layout(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert all(cell.font.bold for cell in sheet[1]), sheet.title
    assert "cost (EUR)" in [c.value for c in book["costs"][1]]
    assert "beds (places)" in [c.value for c in book["plan"][1]]
    assert "distance (km)" in [c.value for c in book["assignments"][1]]
    eur = [c.value for c in book["costs"][1]].index("cost (EUR)") + 1
    assert book["costs"].cell(row=2, column=eur).number_format == "#,##0"
    assert book["plan"]["F2"].number_format == "#,##0.00"
    assert book["municipalities"]["I2"].number_format == "0.0%"
    assert "fte (FTE)" in [c.value for c in book["plan"][1]]
    assert book["plan"]["I2"].number_format == "#,##0.0"


def test_service_sheet_holds_both_plans(book: openpyxl.Workbook, run_dir: Path) -> None:
    sheet = book["service"]
    headers = [c.value for c in sheet[1]]
    assert headers == [runfolder.header(column) for column in runfolder.SERVICE.columns]
    assert headers[7:] == [
        "offered load (average occupied beds)", "refusal probability", "target",
    ]  # fmt: skip
    frame = sheet_frame(book, "service")
    service = pd.read_csv(run_dir / "service.csv")
    assert len(frame) == len(service)
    order = ["plan", "without_reserve"]
    assert list(frame["variant"]) == sorted(service["variant"], key=order.index)
    for variant, part in frame.groupby("variant"):
        expected = service[service["variant"] == variant]
        assert part["places (places)"].sum() == expected["places"].sum(), variant
        assert part["refusal probability"].sum() == pytest.approx(
            expected["refusal_probability"].sum(), rel=1e-12
        )
    refusal = headers.index("refusal probability") + 1
    assert sheet.cell(row=2, column=refusal).number_format == "0.00%"
    places = headers.index("places (places)") + 1
    assert sheet.cell(row=2, column=places).number_format == "#,##0.00"


def test_occupancy_run_leaves_the_target_empty(tmp_path: Path) -> None:
    run = write_sample_run(tmp_path / "occupancy", capacity_rule="occupancy")
    frame = sheet_frame(openpyxl.load_workbook(build_workbook(run)), "service")
    assert len(frame) > 0 and frame["target"].isna().all()
    assert frame["refusal probability"].notna().all()


def test_totals_equal_the_csv_files(book: openpyxl.Workbook, run_dir: Path) -> None:
    pairs = [
        ("plan", "plan.csv", "beds (places)", "beds"),
        ("assignments", "assignments.csv", "placed (average occupied beds)", "beds"),
        ("unmet", "unmet.csv", "unmet (average occupied beds)", "beds"),
        ("costs", "costs.csv", "cost (EUR)", "eur"),
        ("costs", "costs.csv", "cost, discounted (EUR)", "eur_discounted"),
        ("municipalities", "inputs/demand.csv", "demand (average occupied beds)", "beds"),
    ]
    for sheet, csv, header, column in pairs:
        workbook = sheet_frame(book, sheet).groupby("year")[header].sum()
        expected = pd.read_csv(run_dir / csv).groupby("year")[column].sum()
        pd.testing.assert_series_equal(
            workbook, expected, check_names=False, check_dtype=False, atol=1e-6
        )
    municipalities = sheet_frame(book, "municipalities")
    assert len(municipalities) == 27 * 5
    balance = (
        municipalities["demand (average occupied beds)"]
        - municipalities["assigned (average occupied beds)"]
    )
    assert (balance - municipalities["unmet (average occupied beds)"]).abs().max() < 1e-9
    parameters = pd.read_csv(run_dir / "inputs" / "parameters.csv")
    assert list(sheet_frame(book, "assumptions")["parameter"]) == list(parameters["path"])


def test_empty_unmet_gives_a_header_only_sheet(tmp_path: Path) -> None:
    run = write_sample_run(tmp_path / "all-placed", unmet_year=None)
    book = openpyxl.load_workbook(build_workbook(run))
    assert book["unmet"].max_row == 1
    assert book["unmet"]["A1"].value == "year"


def test_dutch_workbook_has_dutch_sheets_and_headers(run_dir: Path, tmp_path: Path) -> None:
    import shutil

    from reports.excel import SHEETS as LAYOUT
    from reports.excel import column_header
    from reports.i18n import COLUMN_WORDS_NL, SHEET_NAMES, Labels

    copy = shutil.copytree(run_dir, tmp_path / "run")
    book = openpyxl.load_workbook(build_workbook(copy, lang="nl"))
    single = {name: columns for name, columns in LAYOUT.items() if name != "paths"}
    assert book.sheetnames == [SHEET_NAMES["nl"][name] for name in single]  # no paths: one plan
    assert "plaatsingen" in book.sheetnames and "assignments" not in book.sheetnames
    labels = Labels("nl")
    for name, columns in single.items():
        headers = [cell.value for cell in book[SHEET_NAMES["nl"][name]][1]]
        assert headers == [column_header(column, labels) for column in columns]
        for header, column in zip(headers, columns, strict=True):
            assert header.startswith(COLUMN_WORDS_NL[column.words]), header
    assert "afstand (km)" in [c.value for c in book["plaatsingen"][1]]
    assert "bedden (plaatsen)" in [c.value for c in book["plan"][1]]
    within = [row[-1] for row in book["plaatsingen"].iter_rows(min_row=2, values_only=True)]
    assert set(within) <= {"ja", "nee"} and "ja" in within
