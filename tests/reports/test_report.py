"""report.html: standalone in Chromium, figures equal to the run folder, nl/en complete, escaping,
public suppression; the sample run folder follows the contract; service level, reserve and staff
sections."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from reports import render_all
from reports.i18n import EN, NAMES, NL, Labels
from reports.report import build_report
from reports.runfolder import TABLES, load_run, missing, unlisted
from tests.fixtures.sample_run import write_sample_run

pytest_plugins = ["tests.browser"]

XSS = "<script>alert(1)</script>"
TEXT_WITHOUT_USER_DATA = """
() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll(".user, svg").forEach(e => e.remove());
  return body.innerText;
}
"""


TEXT_WITHOUT_ADVANCES = """
() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll("#advances, #factsheets").forEach(e => e.remove());
  return body.innerText;
}
"""


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_run(tmp_path_factory.mktemp("report") / "run")


def figures(path: Path) -> dict[str, str]:
    """Every value marked with data-k in the report."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r'data-k="([^"]+)"[^>]*>([^<]*)<', text)
    return {k: html.unescape(v) for k, v in found}


@pytest.mark.browser
def test_report_is_standalone(run_dir: Path, open_page, screenshot) -> None:
    path = build_report(run_dir)
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b", text), "no scripts or linked assets"
    links = [h for h in re.findall(r'href="([^"]+)"', text) if not h.startswith("#")]
    assert links[0] == "map.html" and len(links) == 1 + 27
    codes = pd.read_csv(run_dir / "inputs" / "zones.csv")["gm_code"]
    assert sorted(links[1:]) == sorted(f"municipalities/{code}.html" for code in codes)
    assert text.count("<svg") == 2
    page, log = open_page(path)  # every non-file request is blocked and would be reported
    assert page.locator("a.map").get_attribute("href") == "map.html"
    screenshot(page, run_dir, "report", full_page=True)
    log.assert_clean()


def test_key_figures_equal_the_run_folder(run_dir: Path) -> None:
    found = figures(build_report(run_dir))
    summary = json.loads((run_dir / "summary.json").read_text())
    for year, by_type in summary["beds_by_year_type"].items():
        for ptype, beds in by_type.items():
            assert found[f"beds-{year}-{ptype}"] == f"{beds:,.0f}"
        assert found[f"beds-{year}-total"] == f"{sum(by_type.values()):,.0f}"
    costs = pd.read_csv(run_dir / "costs.csv")
    for year, eur in costs.groupby("year")["eur"].sum().items():
        assert found[f"cost-{year}-total"] == f"{eur:,.0f}"
        assert f"{summary['cost_by_year'][str(year)]['total']:,.0f}" == f"{eur:,.0f}"
    assert found["cost-total"] == f"{costs['eur'].sum():,.0f}"
    assert found["cost-discounted"] == f"{costs['eur_discounted'].sum():,.0f}"
    assert found["unmet"] == f"{pd.read_csv(run_dir / 'unmet.csv')['beds'].sum():.1f}"
    for key, reference in summary["benchmarks"].items():
        assert found[f"bm-{key}-reference"] == f"{reference}"
    plan = pd.read_csv(run_dir / "plan.csv")
    places = plan.groupby(["year", "type"])["beds"].sum()
    assert found["bm-purchase_2026_places-plan"] == f"{places[2026].sum():,.0f}"
    assert found["bm-max_closed_beds_2030-plan"] == f"{places[(2030, 'closed')]:,.0f}"
    assignments = pd.read_csv(run_dir / "assignments.csv")
    mean = (assignments["beds"] * assignments["distance_km"]).sum() / assignments["beds"].sum()
    assert found["travel-all-mean"] == f"{mean:.1f}" == found["mean-km"]
    assert found["solver-1"] == "proven optimal"


def _filled(label: str) -> str:
    values = {"year": 2026, "km": 60, "threshold": 5, "target": "5 %", "cost": "€ 1"}
    return label.format_map(defaultdict(lambda: "x", values))


@pytest.mark.browser
def test_dutch_and_english_are_complete(run_dir: Path, open_page) -> None:
    assert EN.keys() == NL.keys() and NAMES["en"].keys() == NAMES["nl"].keys()
    assert all(value.strip() for value in [*NL.values(), *NAMES["nl"].values()])
    with pytest.raises(KeyError):
        Labels("nl")["no-such-label"]
    english = [_filled(v) for v in [*EN.values(), *NAMES["en"].values()]]
    dutch = [_filled(v) for v in [*NL.values(), *NAMES["nl"].values()]]
    only_english = [e for e in english if not any(e in d for d in dutch)]
    only_dutch = [d for d in dutch if not any(d in e for e in english)]
    texts = {}
    for lang in ("nl", "en"):
        page, log = open_page(build_report(run_dir, lang=lang))
        assert page.get_attribute("html", "lang") == lang
        texts[lang] = page.evaluate(TEXT_WITHOUT_USER_DATA)
        log.assert_clean()

    def present(label: str, text: str) -> bool:
        return re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text) is not None

    assert [e for e in only_english if present(e, texts["nl"])] == []
    assert [d for d in only_dutch if present(d, texts["en"])] == []
    assert present("Kerncijfers", texts["nl"]) and present("Key figures", texts["en"])
    assert "1.234" not in texts["nl"] and re.search(r"\d\.\d{3}\.\d{3}", texts["nl"])


@pytest.mark.browser
def test_user_text_is_escaped(tmp_path: Path, open_page) -> None:
    run = write_sample_run(tmp_path / "xss", site_names={"S1": XSS}, title=XSS)
    path = build_report(run)
    assert XSS not in path.read_text(encoding="utf-8")
    page, log = open_page(path)
    assert page.inner_text("h1") == XSS
    assert XSS in page.inner_text("#education")
    assert XSS in page.inner_text("#service-pools") and XSS in page.inner_text("#staff")
    assert log.dialogs == []
    log.assert_clean()


@pytest.mark.browser
def test_public_report_suppresses_small_counts(run_dir: Path, open_page) -> None:
    path = build_report(run_dir, public=True)
    found = figures(path)
    assert found["unmet"] == "<5"
    page, log = open_page(path)
    unmet = page.inner_text("#unmet")
    small = pd.read_csv(run_dir / "unmet.csv")
    for _, row in small.iterrows():
        assert f"{row['beds']:.1f}" not in unmet
    # the advances and the fact-sheet links list every municipality by design; nowhere else may
    # a small zone show up
    assert "Middelburg" in page.inner_text("#advances")
    assert "Middelburg" not in page.evaluate(TEXT_WITHOUT_ADVANCES)
    assert "<5" in unmet
    assert "phased out" not in page.inner_text("body"), "free-text explanations are left out"
    log.assert_clean()


@pytest.mark.browser
def test_every_shipped_scenario_renders(
    shipped_runs: dict[str, Path], tmp_path: Path, open_page, map_counts
) -> None:
    """The real solver's run folders (tests/conftest.py) through map, report and workbook."""
    assert shipped_runs
    for name, folder in shipped_runs.items():
        run = shutil.copytree(folder, tmp_path / name)  # the shared folders stay untouched
        zones = len(pd.read_csv(run / "inputs" / "zones.csv"))
        staged = (run / "paths.csv").exists()  # a staged run cannot be published (yet)
        for public in (False,) if staged else (False, True):
            paths = render_all(run, offline=True, public=public, lang="nl")
            assert paths["workbook"].exists()
            page, log = open_page(paths["map"])
            counts = map_counts(page)
            assert counts["zonePolygons"] + counts["zonePoints"] == zones, name
            assert counts["sites"] > 0, name
            log.assert_clean()
            page, log = open_page(paths["report"])
            assert "Kerncijfers" in page.locator("h2").all_inner_texts()
            advances = pd.read_csv(run / "advances.csv")
            rows = page.locator("#advances tbody tr").count()
            assert rows == advances["gm_code"].nunique() == zones, name
            reserve = pd.read_csv(run / "reserve.csv")  # a staged run's has no rows
            assert page.locator("#reserve tbody tr").count() == len(reserve), name
            check_service_and_staff(page, run)
            log.assert_clean()


def test_sample_run_follows_the_contract(run_dir: Path) -> None:
    """The fixture writes every required file with exactly the contract's columns."""
    assert missing(run_dir) == [] and unlisted(run_dir) == []
    for path, table in TABLES.items():
        assert list(pd.read_csv(run_dir / path, nrows=0).columns) == table.names, path
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert {"plan.csv", "service.csv", "reserve.csv", "summary.json"} <= set(manifest["files"])
    run = load_run(run_dir)
    assert set(run.service["variant"]) == {"plan", "without_reserve"}
    per_group = run.place_types.set_index("type")["fte_per_group"]
    expected = run.plan["groups"] * run.plan["type"].map(per_group)
    assert (run.plan["fte"] == expected).all() and run.plan["fte"].sum() > 0
    assert len(run.reserve) == 2
    summary = json.loads((run_dir / "summary.json").read_text())
    plan = run.service[run.service["variant"] == "plan"]
    highest = plan.groupby("year")["refusal_probability"].max()
    assert summary["service"]["highest_refusal_by_year"] == {str(y): v for y, v in highest.items()}


def _percent(share: float, lang: str = "en") -> str:
    return f"{100 * share:.2f} %".replace(".", "," if lang == "nl" else ".")


def test_service_reserve_and_staff_equal_the_run_folder(run_dir: Path) -> None:
    found = figures(build_report(run_dir))
    service = pd.read_csv(run_dir / "service.csv")
    plan_rows = service[service["variant"] == "plan"]
    assert found["service-rule"] == NAMES["en"]["rule.service_level"]
    assert found["service-target"] == "5 %"
    for row in plan_rows.itertuples():
        key = f"service-{row.year}-{row.pool}"
        assert found[f"{key}-places"] == str(row.places)
        assert found[f"{key}-load"] == f"{row.offered_load_beds:.1f}"
        assert found[f"{key}-refusal"] == _percent(row.refusal_probability)
        assert found[f"{key}-within"] == ("yes" if row.refusal_probability <= 0.05 else "no")
    for year, highest in plan_rows.groupby("year")["refusal_probability"].max().items():
        assert found[f"service-{year}-highest"] == _percent(highest)
    assert not any(k.startswith("service-") and "without" in k for k in found)

    reserve = pd.read_csv(run_dir / "reserve.csv")
    for row in reserve.itertuples():
        assert found[f"reserve-{row.year}-places-with"] == str(row.places_with)
        assert found[f"reserve-{row.year}-places-without"] == str(row.places_without)
        assert row.places_with > row.places_without, "the sample's reserve adds places"
        assert found[f"reserve-{row.year}-with"] == _percent(row.refusal_with)
        assert found[f"reserve-{row.year}-without"] == _percent(row.refusal_without)
    first = reserve.iloc[0]
    cost = first["objective_with_eur"] - first["objective_without_eur"]
    assert cost > 0 and found["reserve-cost"] == f"€ {cost:,.0f}"
    assert found["reserve-verdict"] == EN["reserve_costs"].format(cost=f"€ {cost:,.0f}")

    plan = pd.read_csv(run_dir / "plan.csv")
    for (site, year), fte in plan.groupby(["site_id", "year"])["fte"].sum().items():
        assert found[f"fte-{site}-{year}"] == f"{fte:,.0f}"
    for year, fte in plan.groupby("year")["fte"].sum().items():
        assert found[f"fte-total-{year}"] == f"{fte:,.0f}"


def test_a_reserve_that_changes_nothing_says_so(tmp_path: Path) -> None:
    cases = [("service_level", "reserve_nothing"), ("occupancy", "reserve_nothing_occupancy")]
    for rule, label in cases:
        run = write_sample_run(tmp_path / rule, capacity_rule=rule, reserve_places=12)
        reserve = pd.read_csv(run / "reserve.csv")
        assert (reserve["places_with"] == reserve["places_without"]).all()
        for lang in ("en", "nl"):
            found = figures(build_report(run, lang=lang))
            assert found["reserve-verdict"] == Labels(lang)[label]
            assert found["reserve-cost"] == "€ 0"


def test_a_plan_unsolved_without_its_reserve_leaves_those_columns_empty(tmp_path: Path) -> None:
    run = write_sample_run(tmp_path / "unsolved")
    reserve = pd.read_csv(run / "reserve.csv")
    reserve["objective_without_eur"] = float("nan")
    reserve.to_csv(run / "reserve.csv", index=False)
    found = figures(build_report(run))
    assert found["reserve-verdict"] == EN["reserve_unsolved"]
    assert found["reserve-cost"] == found["reserve-objective-without"] == "–"
    assert found["reserve-2026-without"] == found["reserve-2026-places-without"] == "–"


def test_occupancy_rule_shows_the_refusal_it_leaves(tmp_path: Path) -> None:
    run = write_sample_run(tmp_path / "occupancy", capacity_rule="occupancy")
    service = pd.read_csv(run / "service.csv")
    assert service["max_refusal_probability"].isna().all()
    path = build_report(run, lang="nl")
    found = figures(path)
    assert found["service-rule"] == NAMES["nl"]["rule.occupancy"]
    assert found["service-target"] == NL["no_target"]
    assert NL["service_rule_occupancy"] in html.unescape(path.read_text(encoding="utf-8"))
    plan_rows = service[service["variant"] == "plan"]
    assert plan_rows["refusal_probability"].max() > 0.05, "85 % occupancy leaves more refusals"
    for row in plan_rows.itertuples():
        key = f"service-{row.year}-{row.pool}"
        assert found[f"{key}-refusal"] == _percent(row.refusal_probability, "nl")
        assert f"{key}-within" not in found, "no target, no verdict"
    assert not any(key.endswith("-above") for key in found)


def test_public_report_hides_small_pool_loads(run_dir: Path) -> None:
    found = figures(build_report(run_dir, public=True))
    service = pd.read_csv(run_dir / "service.csv")
    small = service[(service["variant"] == "plan") & (service["offered_load_beds"] < 5)]
    assert len(small) > 0
    for row in small.itertuples():
        assert found[f"service-{row.year}-{row.pool}-load"] == "<5"
        assert found[f"service-{row.year}-{row.pool}-refusal"] == "suppressed"
        assert found[f"service-{row.year}-{row.pool}-places"] == str(row.places)


def test_old_run_folders_say_what_they_lack(tmp_path: Path) -> None:
    run = write_sample_run(tmp_path / "old", leave_out=("service.csv", "reserve.csv"))
    for lang in ("en", "nl"):
        text = html.unescape(build_report(run, lang=lang).read_text(encoding="utf-8"))
        assert Labels(lang)["no_service"] in text and Labels(lang)["no_reserve"] in text
        assert 'data-k="service-2026' not in text


def check_service_and_staff(page, run: Path) -> None:
    """The service section has a row per pool and year of the plan; staff totals are plan.csv's."""
    service, plan = pd.read_csv(run / "service.csv"), pd.read_csv(run / "plan.csv")
    if "path" in plan.columns:  # a staged run: the pages show the headline path
        shown = json.loads((run / "summary.json").read_text())["stochastic"]["headline_path"]
        service, plan = service[service["path"] == shown], plan[plan["path"] == shown]
    plan_rows = service[service["variant"] == "plan"]
    assert page.locator("#service-pools tbody tr").count() == len(plan_rows), run.name
    lang = page.get_attribute("html", "lang")
    for year, fte in plan.groupby("year")["fte"].sum().items():
        shown = page.inner_text(f"#staff [data-k='fte-total-{year}']")
        group, decimal = (".", ",") if lang == "nl" else (",", ".")
        number = shown.replace(group, "").replace(decimal, ".")
        assert float(number) == pytest.approx(fte, abs=0.05), (run.name, year)
    assert page.locator("#staff tbody tr").count() == plan.loc[plan["fte"] > 0, "site_id"].nunique()


@pytest.mark.browser
def test_service_and_staff_sections_in_chromium(run_dir: Path, open_page, screenshot) -> None:
    for lang in ("en", "nl"):
        page, log = open_page(build_report(run_dir, lang=lang))
        assert page.inner_text("#service h2") == Labels(lang)["service_title"]
        assert page.inner_text("#staff h2") == Labels(lang)["staff_title"]
        check_service_and_staff(page, run_dir)
        assert page.locator("#reserve tbody tr").count() == 2
        page.locator("#service").scroll_into_view_if_needed()
        screenshot(page, run_dir, f"report-service-{lang}")
        log.assert_clean()


# How far the page and its widest table reach, against the width the page has.
WIDTHS = """
() => ({
  page: document.documentElement.clientWidth,
  scroll: document.documentElement.scrollWidth,
  tables: Array.from(document.querySelectorAll("table")).map(t => ({
    section: t.closest("section").id, right: t.getBoundingClientRect().right,
  })),
})
"""


def _national_costs(run: Path) -> None:
    """costs.csv as the national run's: its twelve components (exit, education and project as
    well) and over a billion euros a year, the figures that made the costs table 1,480 px wide."""
    costs = pd.read_csv(run / "costs.csv")
    extra = costs[costs["component"] == "running"].copy()
    more = [extra.assign(component=c) for c in ("education", "exit", "project")]
    costs = pd.concat([costs, *more], ignore_index=True)
    costs[["eur", "eur_discounted"]] *= 77.0
    costs.to_csv(run / "costs.csv", index=False)


@pytest.mark.browser
@pytest.mark.parametrize("media,width", [("screen", 1024), ("screen", 1280), ("print", 703)])
def test_every_table_fits_a_laptop_and_paper(
    many_regions: Path, tmp_path: Path, open_page, media: str, width: int
) -> None:
    """A council reads the national report on a laptop or on paper: no table may be wider than
    the page, neither widening it nor scrolled or cut off (703 px is A4 within the report's
    12 mm print margins). The national costs table, a column per component, reached 1,480 px
    and was cut off on paper; years as its columns now fit, the figures unchanged."""
    run = tmp_path / "run"
    shutil.copytree(many_regions, run)
    _national_costs(run)
    path = build_report(run)
    page, log = open_page(path, width=width)
    page.emulate_media(media=media)
    widths = page.evaluate(WIDTHS)
    assert widths["scroll"] <= widths["page"], widths
    wide = [t for t in widths["tables"] if t["right"] > widths["page"]]
    assert wide == [], f"{widths['page']} px page: {wide}"
    cells = pd.read_csv(run / "costs.csv").groupby(["year", "component"])["eur"].sum()
    found = figures(path)
    for (year, component), eur in cells.items():
        assert found[f"cost-{year}-{component}"] == f"{eur:,.0f}"
    assert found["cost-total"] == f"{cells.sum():,.0f}"
    log.assert_clean()
