"""reserve.csv and advances.csv of a real run, re-derived independently, and their report sections
(nl and en) and workbook sheet showing exactly the run folder's numbers."""

from __future__ import annotations

import calendar
import html
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.pipeline import load
from optimizer.reserve import COLUMNS, reserve_table
from reports.excel import build_workbook
from reports.i18n import Labels
from reports.report import build_report
from tests.fixtures.sample_run import write_sample_run

pytest_plugins = ["tests.browser"]
ROOT = Path(__file__).resolve().parents[1]


def erlang_b(places: int, load: float) -> float:
    blocking = 1.0
    for c in range(1, places + 1):
        blocking = load * blocking / (c + load * blocking)
    return blocking


@pytest.fixture(scope="module")
def run(shipped_runs, tmp_path_factory) -> Path:
    """A copy of the baseline's run folder (the shared one stays untouched)."""
    return Path(shutil.copytree(shipped_runs["baseline-2026"], tmp_path_factory.mktemp("r") / "b"))


def scenario(run: Path) -> dict:
    return yaml.safe_load((run / "inputs" / "scenario.yaml").read_text())


def figures(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {k: html.unescape(v) for k, v in re.findall(r'data-k="([^"]+)">([^<]*)<', text)}


def test_reserve_comes_from_the_scenario_and_erlang_b(run):
    rules = [r for r in scenario(run)["policy"]["min_places"] if r.get("reserve")]
    assert [(r["name"], r["places"]) for r in rules] == [("hybrid reserve", 12)]
    reserve = pd.read_csv(run / "reserve.csv")
    demand = pd.read_csv(run / "inputs" / "demand.csv").groupby("year")["beds"].sum()
    plan = pd.read_csv(run / "plan.csv").groupby("year")["beds"].sum()
    assert list(reserve["year"]) == rules[0]["years"]
    for row in reserve.itertuples():
        assert row.reserve_places == 12 and row.places == plan[row.year]
        assert row.load_beds == pytest.approx(demand[row.year])
        assert row.refusal_with == pytest.approx(erlang_b(row.places, row.load_beds), rel=1e-12)
        without = erlang_b(row.places - 12, row.load_beds)
        assert row.refusal_without == pytest.approx(without, rel=1e-12)
        assert row.refusal_with < 0.05 < row.refusal_without  # what the 12 places buy


def test_runs_without_reserve_or_advances_say_so(tmp_path):
    folder = write_sample_run(tmp_path / "old")  # a run folder without the two tables
    for lang in ("en", "nl"):
        text = build_report(folder, lang=lang).read_text(encoding="utf-8")
        assert Labels(lang)["no_reserve"] in html.unescape(text)
        assert Labels(lang)["no_advances"] in html.unescape(text)
        assert 'data-k="reserve-' not in text and 'data-k="adv-' not in text


def test_reserve_table_is_empty_without_a_reserve_rule(shipped_runs):
    data = load(ROOT / "configs" / "baseline-2026.yaml")
    plan = pd.read_csv(shipped_runs["baseline-2026"] / "plan.csv")
    assert len(reserve_table(data, plan)) == 2
    for rule in data.scenario.policy.min_places:
        rule.reserve = False
    empty = reserve_table(data, plan)
    assert empty.empty and list(empty.columns) == COLUMNS


def test_settle_command_prints_each_municipality(tmp_path):
    usage = tmp_path / "usage.csv"
    usage.write_text("gm_code,type,care_days\nGM0826,closed,365\nGM0758,hybrid,100\n")
    result = CliRunner().invoke(
        app, ["settle", str(ROOT / "configs" / "baseline-2026.yaml"), "--usage", str(usage)]
    )
    assert result.exit_code == 0, result.output
    assert "GM0826" in result.output and "Settlement 2026" in result.output


def test_advances_add_up_to_the_plan_value_to_the_cent(run):
    sc = scenario(run)
    running = sc["costs"]["running_eur_per_place_year"]["values"]
    settle_days = 366 if calendar.isleap(sc["settlement"]["year"]) else 365
    advances = pd.read_csv(run / "advances.csv", dtype={"gm_code": str})
    plan = pd.read_csv(run / "plan.csv")
    zones = pd.read_csv(run / "inputs" / "zones.csv", dtype={"gm_code": str})
    share = zones.set_index("gm_code")["population"] / zones["population"].sum()
    assert sorted(set(advances["year"])) == sorted(set(plan["year"]))
    for year, rows in advances.groupby("year"):
        days = 366 if calendar.isleap(year) else 365
        beds = plan[plan["year"] == year].groupby("type")["beds"].sum()
        value = sum(
            Fraction(int(b)) * Fraction(repr(float(running[k]))) * days / settle_days
            for k, b in beds.items()
        )
        cents = int((Decimal(value.numerator) / Decimal(value.denominator) * 100).quantize(
            Decimal(1), rounding=ROUND_HALF_UP))  # fmt: skip
        assert int(rows["advance_cents"].sum()) == cents, year
        assert sorted(rows["gm_code"]) == sorted(zones["gm_code"])
        quota = rows["gm_code"].map(share) * cents
        assert (rows["advance_cents"] - quota).abs().max() < 1
        assert (rows["advance_eur"] * 100).round().astype(int).tolist() == list(
            rows["advance_cents"]
        )


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_report_sections_show_the_run_folder_numbers(run, lang):
    found = figures(build_report(run, lang=lang))
    sep, dec = (",", ".") if lang == "en" else (".", ",")

    def amount(cents: int) -> str:
        return f"{cents // 100:,}".replace(",", sep) + f"{dec}{cents % 100:02d}"

    for row in pd.read_csv(run / "reserve.csv").itertuples():
        assert found[f"reserve-{row.year}-reserve"] == "12"
        assert found[f"reserve-{row.year}-places"] == str(row.places)
        assert found[f"reserve-{row.year}-load"] == f"{row.load_beds:.1f}".replace(".", dec)
        for key, value in (("without", row.refusal_without), ("with", row.refusal_with)):
            assert found[f"reserve-{row.year}-{key}"] == f"{100 * value:.2f} %".replace(".", dec)
    advances = pd.read_csv(run / "advances.csv", dtype={"gm_code": str})
    for row in advances.itertuples():
        assert found[f"adv-{row.gm_code}-{row.year}"] == amount(row.advance_cents)
    for year, cents in advances.groupby("year")["advance_cents"].sum().items():
        assert found[f"adv-total-{year}"] == amount(int(cents))


def test_workbook_advances_equal_the_csv(run):
    book = openpyxl.load_workbook(build_workbook(run))
    rows = list(book["advances"].values)
    sheet = pd.DataFrame(rows[1:], columns=rows[0])
    advances = pd.read_csv(run / "advances.csv")
    assert len(sheet) == len(advances)
    got = (sheet.groupby("year")["expected advance (EUR)"].sum() * 100).round().astype(int)
    assert got.to_dict() == advances.groupby("year")["advance_cents"].sum().to_dict()
    assert book["advances"]["E2"].number_format == "#,##0.00"


@pytest.mark.browser
def test_new_sections_render_in_chromium(run, open_page):
    reserve = pd.read_csv(run / "reserve.csv")
    advances = pd.read_csv(run / "advances.csv", dtype={"gm_code": str})
    oosterhout = advances[(advances["gm_code"] == "GM0826") & (advances["year"] == 2026)]
    cents = int(oosterhout["advance_cents"].iloc[0])
    languages = [
        ("en", "What the reserve places buy", ".", ","),
        ("nl", "Wat de reserveplaatsen opleveren", ",", "."),
    ]
    for lang, title, dec, sep in languages:
        page, log = open_page(build_report(run, lang=lang))
        assert page.inner_text("#reserve h2") == title
        text = page.inner_text("#reserve")
        first = reserve.iloc[0]
        assert f"{100 * first['refusal_without']:.2f}".replace(".", dec) in text
        assert f"{100 * first['refusal_with']:.2f}".replace(".", dec) in text
        table = page.inner_text("#advances")
        assert "Oosterhout" in table
        assert f"{cents // 100:,}".replace(",", sep) + f"{dec}{cents % 100:02d}" in table
        assert page.locator("#advances tbody tr").count() == advances["gm_code"].nunique()
        log.assert_clean()
