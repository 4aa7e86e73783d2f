"""User text that a spreadsheet would run as a formula is stored as text in every output.

Site and zone names come from the user. Output CSVs prefix such cells with an apostrophe (OWASP's
advice against CSV injection), the run folder's inputs keep the raw value, and plan.xlsx stores
them as text cells, never formulas (read back with openpyxl).
"""

from __future__ import annotations

import csv

import pytest

from optimizer import pipeline
from optimizer.runfolder import spreadsheet_safe
from tests.fixtures import tiny

HOSTILE = '=HYPERLINK("http://x.example","click")'


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Almata Ossendrecht", "Almata Ossendrecht"),
        (-3.5, -3.5),
    ],
)
def test_spreadsheet_safe(raw, stored) -> None:
    assert spreadsheet_safe(raw) == stored


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site(HOSTILE, "Z", ["open"])}
    config = tiny.write(folder / "in", sc, [("Z", "R1")], [(2026, "Z", "open", 1.0)],
                        {("Z", "s"): 1})  # fmt: skip
    return pipeline.run(config, folder / "run").folder


def test_output_csvs_hold_no_formula_and_inputs_keep_the_raw_name(hostile_run) -> None:
    for path in sorted(hostile_run.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell)
    with (hostile_run / "plan.csv").open(encoding="utf-8", newline="") as handle:
        names = {row["site_name"] for row in csv.DictReader(handle)}
    assert names == {"'" + HOSTILE}
    with (hostile_run / "inputs" / "sites.csv").open(encoding="utf-8", newline="") as handle:
        assert {row["name"] for row in csv.DictReader(handle)} == {HOSTILE}


def test_workbook_stores_user_text_as_text_cells(hostile_run) -> None:
    import openpyxl

    from reports.excel import build_workbook

    book = openpyxl.load_workbook(build_workbook(hostile_run))
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if cell.value == HOSTILE:
                    found += 1
                    assert cell.data_type == "s"
    assert found >= 1  # the site name is there, as text, without the CSV's apostrophe
