"""municipalities/<gm_code>.html: one printable fact sheet per municipality, figures equal to the
run folder, linked from the map's popups and the report, escaped, in the contract."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from reports import render_all
from reports.factsheet import factsheet_file
from reports.runfolder import entry, unlisted
from tests.fixtures.sample_run import write_sample_run

pytest_plugins = ["tests.browser"]

XSS = "<img src=x onerror=alert(7)>Sluis"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = write_sample_run(tmp_path_factory.mktemp("factsheet") / "run")
    render_all(run)
    return run


def figures(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return {k: html.unescape(v) for k, v in re.findall(r'data-k="([^"]+)"[^>]*>([^<]*)<', text)}


def test_one_sheet_per_municipality_in_the_contract(run_dir: Path) -> None:
    codes = pd.read_csv(run_dir / "inputs" / "zones.csv")["gm_code"]
    written = sorted(
        p.relative_to(run_dir).as_posix() for p in (run_dir / "municipalities").iterdir()
    )
    assert written == sorted(f"municipalities/{code}.html" for code in codes)
    assert entry("municipalities/GM0873.html").rendered
    assert unlisted(run_dir) == []


def test_a_sheet_shows_the_run_folders_figures(run_dir: Path) -> None:
    code = "GM0715"  # Terneuzen: crosses the Westerschelde
    found = figures(run_dir / factsheet_file(code))
    demand = pd.read_csv(run_dir / "inputs" / "demand.csv").query("gm_code == @code")
    for need in ("secure", "hybrid", "open"):
        for year, beds in demand[demand["need"] == need].groupby("year")["beds"].sum().items():
            assert found[f"demand-{need}-{year}"] == f"{beds:.1f}"
    for year, beds in demand.groupby("year")["beds"].sum().items():
        assert found[f"demand-total-{year}"] == f"{beds:.1f}"
    advances = pd.read_csv(run_dir / "advances.csv").query("gm_code == @code")
    for year, cents in zip(advances["year"], advances["advance_cents"], strict=True):
        assert found[f"advance-{year}"] == f"{cents // 100:,}.{cents % 100:02d}"
    assignments = pd.read_csv(run_dir / "assignments.csv").query("gm_code == @code")
    placed = [v for k, v in found.items() if k.startswith("placed-")]
    per_row = assignments.groupby(["year", "site_id", "type"])["beds"].sum()
    assert sorted(placed) == sorted(f"{b:.1f}" for b in per_row)
    mean = (assignments["beds"] * assignments["distance_km"]).groupby(assignments["year"]).sum()
    mean /= assignments.groupby("year")["beds"].sum()
    for year, km in mean.items():
        assert found[f"mean-km-{year}"] == f"{km:.1f}"
    plan = pd.read_csv(run_dir / "plan.csv")
    for year, places in plan.groupby("year")["beds"].sum().items():
        assert found[f"places-{year}"] == f"{places:,.0f}"
    text = (run_dir / factsheet_file(code)).read_text(encoding="utf-8")
    assert "Westerscheldetunnel" in text, "the sheet names the fixed links on the way"
    assert "@media print" in text and "@page" in text


@pytest.mark.browser
def test_sheet_prints_and_needs_nothing(run_dir: Path, open_page, screenshot) -> None:
    path = run_dir / factsheet_file("GM0715")
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b", text)
    page, log = open_page(path)
    assert page.locator("nav a").first.get_attribute("href") == "../report.html"
    assert page.locator("nav").is_visible()
    screenshot(page, run_dir, "factsheet-terneuzen", full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("nav").is_visible(), "links are left out of the printed sheet"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") <= 2
    log.assert_clean()


@pytest.mark.browser
def test_map_popup_links_to_the_sheet(run_dir: Path, open_page) -> None:
    page, log = open_page(run_dir / "map.html")
    for name in ("Flows municipality → site", "Sites", "Named places"):
        page.locator(".leaflet-control-layers-overlays label", has_text=name).locator(
            "input"
        ).uncheck()
    zones = pd.read_csv(run_dir / "inputs" / "zones.csv").set_index("gm_code")
    lat, lon = zones.loc["GM1714", ["lat", "lon"]]  # Sluis: no fixed link starts there
    point = page.evaluate(
        """([lat, lon]) => {
          const map = Object.keys(window).filter(k => k.startsWith("map_"))
            .map(k => window[k]).find(v => v instanceof L.Map);
          const p = map.latLngToContainerPoint([lat, lon]);
          const box = map.getContainer().getBoundingClientRect();
          return [p.x + box.left, p.y + box.top];
        }""",
        [float(lat), float(lon)],
    )
    page.mouse.click(*point)
    link = page.locator(".leaflet-popup-content a.jz-factsheet")
    assert link.inner_text().startswith("Fact sheet of Sluis")
    href = link.get_attribute("href")
    assert href == "municipalities/GM1714.html" and (run_dir / href).exists()
    link.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Sluis"
    log.assert_clean()


def test_report_links_every_sheet(run_dir: Path) -> None:
    text = (run_dir / "report.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="factsheet user" href="([^"]+)">', text)
    assert len(links) == 27 and all((run_dir / link).exists() for link in links)


@pytest.mark.browser
def test_names_are_escaped_and_odd_codes_get_safe_files(tmp_path: Path, open_page) -> None:
    run = write_sample_run(tmp_path / "xss", zone_names={"GM1714": XSS})
    render_all(run)
    text = (run / factsheet_file("GM1714")).read_text(encoding="utf-8")
    assert XSS not in text and html.escape(XSS) in text
    page, log = open_page(run / factsheet_file("GM1714"))
    assert page.locator("h1").inner_text() == XSS
    assert log.dialogs == []
    log.assert_clean()
    odd = factsheet_file("../GM 1/<x>")
    assert re.fullmatch(r"municipalities/[A-Za-z0-9_-]+\.html", odd)
    assert odd != factsheet_file("../GM 1/<y>")
