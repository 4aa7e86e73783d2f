"""report.html: standalone in Chromium, figures equal to the run folder, nl/en complete, escaping,
public suppression."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reports import render_all
from reports.i18n import EN, NAMES, NL, Labels
from reports.report import build_report
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


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_run(tmp_path_factory.mktemp("report") / "run")


def figures(path: Path) -> dict[str, str]:
    """Every value marked with data-k in the report."""
    text = path.read_text(encoding="utf-8")
    return {k: html.unescape(v) for k, v in re.findall(r'data-k="([^"]+)">([^<]*)<', text)}


@pytest.mark.browser
def test_report_is_standalone(run_dir: Path, open_page, screenshot) -> None:
    path = build_report(run_dir)
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)\b", text), "no scripts or linked assets"
    assert [h for h in re.findall(r'href="([^"]+)"', text) if not h.startswith("#")] == ["map.html"]
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
    assert found["bm-purchase_2026_places-plan"] == "50"
    assert found["bm-max_closed_beds_2030-plan"] == "12"
    assignments = pd.read_csv(run_dir / "assignments.csv")
    mean = (assignments["beds"] * assignments["distance_km"]).sum() / assignments["beds"].sum()
    assert found["travel-all-mean"] == f"{mean:.1f}" == found["mean-km"]
    assert found["solver-1"] == "proven optimal"


def _filled(label: str) -> str:
    return label.format(year=2026, type="x", km=60, threshold=5)


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
    assert "Middelburg" not in page.inner_text("body")
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
        for public in (False, True):
            paths = render_all(run, offline=True, public=public, lang="nl")
            assert paths["workbook"].exists()
            page, log = open_page(paths["map"])
            counts = map_counts(page)
            assert counts["zonePolygons"] + counts["zonePoints"] == zones, name
            assert counts["sites"] > 0, name
            log.assert_clean()
            page, log = open_page(paths["report"])
            assert "Kerncijfers" in page.inner_text("h2")
            advances = pd.read_csv(run / "advances.csv")
            rows = page.locator("#advances tbody tr").count()
            assert rows == advances["gm_code"].nunique() == zones, name
            reserve = pd.read_csv(run / "reserve.csv")
            assert page.locator("#reserve tbody tr").count() == len(reserve), name
            log.assert_clean()
