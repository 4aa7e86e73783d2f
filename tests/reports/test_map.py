"""map.html in headless Chromium: layers, year toggle, popups, offline, escaping, public mode."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from reports import render_all
from reports.disclosure import PRIMARY, SECONDARY, SHOWN, suppress, suppress_hierarchy
from reports.map import build_map
from reports.map_data import flow_weight
from tests.fixtures.sample_run import write_sample_run

pytest_plugins = ["tests.browser"]

XSS_SITE = "<script>alert(1)</script>"
XSS_TITLE = "<img src=x onerror=alert(2)>${alert(3)}`</script>"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_run(tmp_path_factory.mktemp("map") / "run")


def expected(run: Path, year: int) -> dict[str, int]:
    plan = pd.read_csv(run / "plan.csv")
    assignments = pd.read_csv(run / "assignments.csv")
    sites = pd.read_csv(run / "inputs" / "sites.csv")
    active = set(plan.loc[(plan["year"] == year) & (plan["beds"] > 0), "site_id"])
    flows = assignments[(assignments["year"] == year) & (assignments["beds"] > 0)]
    return {
        "sites": len(active),
        "idle": len(set(sites["site_id"]) - active),
        "flows": len(flows.drop_duplicates(["gm_code", "site_id"])),
    }


@pytest.mark.browser
def test_default_map_renders_and_steps_through_years(
    run_dir: Path, open_page, map_counts, screenshot
) -> None:
    page, log = open_page(build_map(run_dir), cdn=True)
    counts = map_counts(page)
    first = expected(run_dir, 2026)
    assert counts["zonePolygons"] == 27
    assert counts["zonePoints"] == 0
    assert (counts["sites"], counts["idle"], counts["flows"]) == (
        first["sites"], first["idle"], first["flows"],
    )  # fmt: skip
    assert counts["siteElements"] == first["sites"]
    assert counts["rings"] == 0, "distance-limit rings are off by default"
    assert any("leaflet" in url for url in log.served), "the CDN copy of Leaflet was not used"
    screenshot(page, run_dir, "map-default")

    page.click("button[data-year='2030']")
    later, last = map_counts(page), expected(run_dir, 2030)
    assert (later["sites"], later["idle"], later["flows"]) == (
        last["sites"], last["idle"], last["flows"],
    )  # fmt: skip
    assert later["sites"] != counts["sites"], "the fixture should differ between 2026 and 2030"
    assert page.get_attribute("button[data-year='2030']", "aria-pressed") == "true"
    assert "2030" in page.inner_text(".jz-totals")
    rings = page.locator(".leaflet-control-layers-overlays label", has_text="small-scale closed")
    rings.locator("input").check()
    closed_sites = pd.read_csv(run_dir / "plan.csv").query("type == 'closed' and beds > 0")
    assert map_counts(page)["rings"] == closed_sites["site_id"].nunique()
    screenshot(page, run_dir, "map-2030-rings")
    log.assert_clean()


@pytest.mark.browser
def test_popup_shows_the_sites_beds(run_dir: Path, open_page) -> None:
    page, log = open_page(build_map(run_dir), cdn=True)
    plan = pd.read_csv(run_dir / "plan.csv")
    beds = plan.loc[(plan["year"] == 2026) & (plan["site_id"] == "S1"), "beds"].sum()
    page.get_by_title("Almata Ossendrecht", exact=True).click()
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert f"2026: {beds:.0f} beds" in popup
    assert "Het Olivijncollege, on site" in popup
    log.assert_clean()


@pytest.mark.browser
def test_choropleth_layer_switch_changes_colours_and_legend(run_dir: Path, open_page) -> None:
    page, log = open_page(build_map(run_dir, layer="distance", offline=True))
    fills = "() => Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))" \
            ".map(p => p.getAttribute('fill'))"  # fmt: skip
    assert "km" in page.inner_text(".jz-classes")
    before = page.evaluate(fills)
    page.check("input[value='within']")
    assert "%" in page.inner_text(".jz-classes")
    assert page.evaluate(fills) != before
    log.assert_clean()


@pytest.mark.browser
def test_offline_map_needs_no_network(run_dir: Path, open_page, map_counts, screenshot) -> None:
    path = build_map(run_dir, offline=True)
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", text)
    page, log = open_page(path, cdn=False)  # every non-file request is blocked
    counts = map_counts(page)
    assert counts["zonePolygons"] == 27
    assert counts["sites"] == expected(run_dir, 2026)["sites"]
    assert page.locator(".leaflet-tile").count() == 0
    screenshot(page, run_dir, "map-offline")
    log.assert_clean()


@pytest.mark.browser
def test_points_only_run(tmp_path: Path, open_page, map_counts, screenshot) -> None:
    run = write_sample_run(tmp_path / "points", polygons=False)
    page, log = open_page(build_map(run, offline=True))
    counts = map_counts(page)
    assert (counts["zonePolygons"], counts["zonePoints"]) == (0, 27)
    assert counts["sites"] == expected(run, 2026)["sites"]
    screenshot(page, run, "map-points-only")
    log.assert_clean()


@pytest.mark.browser
def test_user_text_is_escaped(tmp_path: Path, open_page, screenshot) -> None:
    run = write_sample_run(tmp_path / "xss", site_names={"S1": XSS_SITE}, title=XSS_TITLE)
    path = build_map(run, offline=True)
    assert XSS_SITE not in path.read_text(encoding="utf-8")
    page, log = open_page(path)
    assert XSS_TITLE in page.inner_text(".jz-title")
    page.get_by_title(XSS_SITE, exact=True).click()
    assert XSS_SITE in page.locator(".leaflet-popup-content h3").inner_text()
    screenshot(page, run, "map-escaping")
    page.get_by_title(XSS_SITE, exact=True).hover()
    assert XSS_SITE in page.locator(".leaflet-tooltip").last.inner_text()
    assert XSS_TITLE in page.title()
    page.wait_for_timeout(200)
    assert log.dialogs == []
    log.assert_clean()


def _small_values(run: Path, threshold: int) -> set[float]:
    demand = pd.read_csv(run / "inputs" / "demand.csv")
    per_zone = demand.groupby(["gm_code", "year"])["beds"].sum().round(2)
    return set(per_zone[per_zone < threshold])


def _payload(text: str) -> dict:
    """The JSON the page hands to jzplanMap (its last argument)."""
    match = re.search(r"jzplanMap\(.*?, (\{\"years\".*\})\);", text)
    assert match, "the map payload was not found"
    return json.loads(match.group(1))


def _leaves(value: object, path: str = "") -> list[tuple[str, object]]:
    """(path, leaf) pairs; list indices and year keys become '*'."""
    if isinstance(value, dict):
        items = [("*" if re.fullmatch(r"\d{4}", k) else k, v) for k, v in value.items()]
    elif isinstance(value, list):
        items = [("*", v) for v in value]
    else:
        return [(path, value)]
    return [leaf for key, item in items for leaf in _leaves(item, f"{path}.{key}".lstrip("."))]


class _Text(HTMLParser):
    """Text content of an HTML fragment, without tags or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


NUMBERS_ALLOWED = re.compile(
    r"zones\.features\.\*\.geometry\..*|regions\..*|regionLabels\.\*\.latlng\.\*"
    r"|sites\.\*\.\*\.(lat|lon|icon\.size\.\*)|flows\.\*\.\*\.(from|to)\.\*|flows\.\*\.\*\.weight"
    r"|rings\.\w+\.(km|circles\.\*\.\*)|places\.\*\.(lat|lon)"
)


@pytest.mark.browser
def test_public_map_shows_no_small_counts(run_dir: Path, open_page, screenshot) -> None:
    path = build_map(run_dir, public=True)
    payload = _payload(path.read_text(encoding="utf-8"))
    for feature in payload["zones"]["features"]:
        assert set(feature["properties"]) == {"kind", "gm_code", "fill", "tip"}
        assert all(isinstance(v, str) for _, v in _leaves(feature["properties"]))
    numbers = {p for p, v in _leaves(payload) if type(v) in (int, float)}
    assert {p for p in numbers if not NUMBERS_ALLOWED.fullmatch(p)} == set()
    flows = [flow for year in payload["flows"].values() for flow in year]
    assert all(f["weight"] == 2.0 for f in flows if f["suppressed"])
    assert all(f["weight"] >= flow_weight(5) for f in flows if not f["suppressed"])

    parser = _Text()
    for _, leaf in _leaves(payload):
        if isinstance(leaf, str):
            parser.feed(leaf + " ")
    text = re.sub(r"[\d.,]+\s*(km|%)", "", " ".join(parser.parts))  # distances and shares
    small = _small_values(run_dir, 5)
    assert len(small) > 20
    leaks = []
    for value in small:
        for shown in {f"{value:.2f}", f"{value:.1f}", f"{value:.2f}".rstrip("0")}:
            if float(shown) >= 5:  # 4.98 rounds to the threshold itself, which is no count
                continue
            if re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", text):
                leaks.append(shown)
    assert leaks == []
    assert "5.2" in text, "Breda's 2026 demand (5.15 beds) is above the threshold and shown"
    assert "<5" in text
    page, log = open_page(path, cdn=True)
    assert "<5" in page.inner_text(".jz-totals")
    screenshot(page, run_dir, "map-public")
    log.assert_clean()


def test_complementary_suppression_protects_a_lone_small_cell() -> None:
    values = {"a": 2.0, "b": 7.0, "c": 9.0, "d": 8.0, "e": 6.0}
    groups = {"a": "R1", "b": "R1", "c": "R1", "d": "R2", "e": "R2"}
    status = suppress(values, groups, 5)
    assert status == {"a": PRIMARY, "b": SECONDARY, "c": SHOWN, "d": SHOWN, "e": SHOWN}
    cells, totals, regions = suppress_hierarchy({"a": 1.0, "b": 2.0, "c": 30.0}, groups, 5)
    assert totals == {"R1": 33.0} and regions == {"R1": SHOWN}
    assert cells == {"a": PRIMARY, "b": PRIMARY, "c": SHOWN}


def test_unknown_layer_is_refused(run_dir: Path) -> None:
    with pytest.raises(ValueError, match="unknown layer"):
        build_map(run_dir, layer="population")


@pytest.mark.browser
def test_sparse_run_folder_renders(tmp_path: Path, open_page, map_counts) -> None:
    """A valid run with one year, two point zones, no plan, no costs and no optional files."""
    run = tmp_path / "sparse"
    (run / "inputs").mkdir(parents=True)
    (run / "summary.json").write_text(json.dumps({"scenario": "sparse", "years": [2031]}))
    (run / "inputs" / "zones.csv").write_text(
        "gm_code,name,region,lat,lon,population,population_date\n"
        "Z1,North,R1,51.9,4.5,,\nZ2,South,R2,51.2,4.1,,\n"
    )
    (run / "inputs" / "demand.csv").write_text("year,gm_code,need,beds\n2031,Z1,secure,2.5\n")
    (run / "unmet.csv").write_text("year,gm_code,need,beds,reason\n2031,Z1,secure,2.5,none\n")
    paths = render_all(run, offline=True, public=True)
    page, log = open_page(paths["map"])
    counts = map_counts(page)
    assert (counts["zonePoints"], counts["sites"], counts["flows"]) == (2, 0, 0)
    log.assert_clean()
    page, log = open_page(paths["report"])
    log.assert_clean()
