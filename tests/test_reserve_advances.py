"""service.csv, reserve.csv and advances.csv of a real run, re-derived independently, and their
report sections (nl and en) and workbook sheet showing exactly the run folder's numbers.

The reserve is re-derived from service.csv alone: every pool's refusal is Erlang B on its places
and load (computed here by the recursion, not by optimizer.erlang), and a reserve row's refusal is
the load-weighted mean over the pools whose types meet the rule's types, for each of the two plans.
"""

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
from reports.runfolder import load_run
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
    return {k: html.unescape(v) for k, v in re.findall(r'data-k="([^"]+)"[^>]*>([^<]*)<', text)}


def test_service_table_is_erlang_b_of_each_pool(run):
    service = pd.read_csv(run / "service.csv")
    assert set(service["variant"]) == {"plan", "without_reserve"}
    for row in service.itertuples():
        assert row.refusal_probability == pytest.approx(
            erlang_b(row.places, row.offered_load_beds), rel=1e-9, abs=1e-15
        ), row
        assert row.max_refusal_probability == 0.05
        assert row.refusal_probability <= 0.05 + 1e-9, row
    plan = pd.read_csv(run / "plan.csv")
    assignments = pd.read_csv(run / "assignments.csv")
    mine = service[service["variant"] == "plan"]
    for row in mine.itertuples():  # a pool of one site and type: places and load are the plan's
        if ";" in row.sites or ";" in row.types:
            continue
        here = (plan["year"] == row.year) & (plan["site_id"] == row.sites)
        assert plan.loc[here & (plan["type"] == row.types), "beds"].sum() == row.places
        there = (assignments["year"] == row.year) & (assignments["site_id"] == row.sites)
        load = assignments.loc[there & (assignments["type"] == row.types), "beds"].sum()
        assert load == pytest.approx(row.offered_load_beds, abs=1e-6)


def _pooled(service: pd.DataFrame, variant: str, year: int, types: set[str]) -> tuple:
    """places, load and load-weighted refusal over the pools of ``types`` (the oracle)."""
    rows = service[(service["variant"] == variant) & (service["year"] == year)]
    rows = rows[[bool(set(t.split(";")) & types) for t in rows["types"]]]
    load = rows["offered_load_beds"].sum()
    refused = sum(
        a * erlang_b(int(c), a)
        for c, a in zip(rows["places"], rows["offered_load_beds"], strict=True)
    )
    return int(rows["places"].sum()), load, refused / load if load > 0 else 0.0


def test_reserve_is_both_plans_over_the_pools_of_its_types(run):
    rules = [r for r in scenario(run)["policy"]["min_places"] if r.get("reserve")]
    assert [(r["name"], r["places"]) for r in rules] == [("hybrid reserve", 12)]
    reserve = pd.read_csv(run / "reserve.csv")
    service = pd.read_csv(run / "service.csv")
    summary = load_run(run).summary
    assert list(reserve["year"]) == rules[0]["years"]
    for row in reserve.itertuples():
        assert (row.rule, row.types, row.reserve_places) == ("hybrid reserve", "hybrid", 12)
        types = set(row.types.split(";"))
        for variant, places, beds, refusal in (
            ("plan", row.places_with, row.load_with_beds, row.refusal_with),
            ("without_reserve", row.places_without, row.load_without_beds, row.refusal_without),
        ):
            want_places, want_load, want_refusal = _pooled(service, variant, row.year, types)
            assert places == want_places, (row.year, variant)
            assert beds == pytest.approx(want_load, rel=1e-9), (row.year, variant)
            assert refusal == pytest.approx(want_refusal, rel=1e-9), (row.year, variant)
        assert row.places_with >= row.reserve_places, "the plan keeps the rule"
        assert row.objective_with_eur == pytest.approx(summary["objective_eur"], rel=1e-12)
        # dropping a rule can only make the optimum cheaper (up to the solver's tolerance)
        assert row.objective_without_eur <= row.objective_with_eur * (1 + 1e-6)


def test_runs_without_reserve_or_advances_say_so(tmp_path):
    folder = write_sample_run(tmp_path / "old", leave_out=("reserve.csv", "advances.csv"))
    for lang in ("en", "nl"):
        text = build_report(folder, lang=lang).read_text(encoding="utf-8")
        assert Labels(lang)["no_reserve"] in html.unescape(text)
        assert Labels(lang)["no_advances"] in html.unescape(text)
        assert 'data-k="reserve-' not in text and 'data-k="adv-' not in text


def test_reserve_table_is_empty_without_a_reserve_rule(run):
    data = load(ROOT / "configs" / "baseline-2026.yaml")
    service = pd.read_csv(run / "service.csv")
    with_, without = (service[service["variant"] == v] for v in ("plan", "without_reserve"))
    rules = data.scenario.policy.min_places
    table = reserve_table(rules, with_, without, 2.0, 1.0)
    assert len(table) == 2 and list(table.columns) == COLUMNS
    for rule in rules:
        rule.reserve = False
    empty = reserve_table(rules, with_, without, 2.0, 1.0)
    assert empty.empty and list(empty.columns) == COLUMNS


def test_settle_command_prints_each_municipality(tmp_path):
    usage = tmp_path / "usage.csv"
    usage.write_text("gm_code,type,care_days\nGM0826,closed,365\nGM0758,closed,100\n")
    result = CliRunner().invoke(
        app, ["settle", str(ROOT / "configs" / "baseline-2026.yaml"), "--usage", str(usage)]
    )
    assert result.exit_code == 0, result.output
    assert "GM0826" in result.output and "Settlement 2026" in result.output


def test_advances_add_up_to_the_plan_value_to_the_cent(run):
    sc = scenario(run)
    running = {
        k: Fraction(repr(float(v)))
        for k, v in sc["costs"]["running_eur_per_place_year"]["values"].items()
    }
    # a type the contract prices (closed: the day tariff derived from Oosterhout's advance) has
    # no running cost in costs: it is the contract value over its places (summary.json, exact)
    contract = load_run(run).summary["contract"]
    places = sum(contract["places"].values())
    for k in contract["priced"]:
        running[k] = Fraction(contract["value_cents"], 100 * places)
    settle_days = 366 if calendar.isleap(sc["settlement"]["year"]) else 365
    advances = pd.read_csv(run / "advances.csv", dtype={"gm_code": str})
    plan = pd.read_csv(run / "plan.csv")
    zones = pd.read_csv(run / "inputs" / "zones.csv", dtype={"gm_code": str})
    share = zones.set_index("gm_code")["population"] / zones["population"].sum()
    assert sorted(set(advances["year"])) == sorted(set(plan["year"]))
    for year, rows in advances.groupby("year"):
        days = 366 if calendar.isleap(year) else 365
        beds = plan[plan["year"] == year].groupby("type")["beds"].sum()
        value = sum(Fraction(int(b)) * running[k] * days / settle_days for k, b in beds.items())
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

    reserve = pd.read_csv(run / "reserve.csv")
    for row in reserve.itertuples():
        assert found[f"reserve-{row.year}-reserve"] == "12"
        assert found[f"reserve-{row.year}-places-with"] == str(row.places_with)
        assert found[f"reserve-{row.year}-places-without"] == str(row.places_without)
        for key, value in (("with", row.load_with_beds), ("without", row.load_without_beds)):
            assert found[f"reserve-{row.year}-load-{key}"] == f"{value:.1f}".replace(".", dec)
        for key, value in (("without", row.refusal_without), ("with", row.refusal_with)):
            assert found[f"reserve-{row.year}-{key}"] == f"{100 * value:.2f} %".replace(".", dec)
    first = reserve.iloc[0]
    cost = round(first["objective_with_eur"] - first["objective_without_eur"])
    same = abs(cost) < 1 and (reserve["places_with"] == reserve["places_without"]).all()

    def eur(value: float) -> str:
        return "€ " + f"{round(value):,}".replace(",", sep)

    if same:  # the baseline: the admission duty already needs the 12 hybrid places
        assert found["reserve-verdict"] == Labels(lang)["reserve_nothing"]
        assert found["reserve-cost"] == "€ 0"
    else:
        assert found["reserve-verdict"] == Labels(lang)("reserve_costs", cost=eur(cost))
        assert found["reserve-cost"] == eur(cost)
    assert found["reserve-objective-with"] == eur(first["objective_with_eur"])
    assert found["reserve-objective-without"] == eur(first["objective_without_eur"])
    service = pd.read_csv(run / "service.csv")
    for row in service[service["variant"] == "plan"].itertuples():
        refusal = f"{100 * row.refusal_probability:.2f} %".replace(".", dec)
        assert found[f"service-{row.year}-{row.pool}-refusal"] == refusal
        assert found[f"service-{row.year}-{row.pool}-places"] == str(row.places)
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
        service = pd.read_csv(run / "service.csv")
        plan_rows = service[service["variant"] == "plan"]
        assert page.locator("#service-pools tbody tr").count() == len(plan_rows)
        plan = pd.read_csv(run / "plan.csv")
        for year, fte in plan.groupby("year")["fte"].sum().items():
            total = page.inner_text(f"#staff [data-k='fte-total-{year}']")
            assert total == f"{fte:,.0f}".replace(",", sep), year
        table = page.inner_text("#advances")
        assert "Oosterhout" in table
        assert f"{cents // 100:,}".replace(",", sep) + f"{dec}{cents % 100:02d}" in table
        assert page.locator("#advances tbody tr").count() == advances["gm_code"].nunique()
        log.assert_clean()
