"""map.html in headless Chromium: self-contained by default (every request blocked), the basemap
(land over a water background, fixed links, place names), flows along the travel model's path
with classes from the data, layers, year toggle, popups, escaping, public mode."""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from reports import colours, render_all
from reports.disclosure import PRIMARY, SECONDARY, SHOWN, suppress, suppress_hierarchy
from reports.map import build_map
from reports.map_flows import SUPPRESSED_WIDTH, WIDTHS
from tests.fixtures.sample_run import FIXED_LINKS, write_sample_run

pytest_plugins = ["tests.browser"]

XSS_SITE = "<script>alert(1)</script>"
XSS_TITLE = "<img src=x onerror=alert(2)>${alert(3)}`</script>"
XSS_LINK = "tunnel<svg onload=alert(4)>"


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


def _rgb(colour: str) -> str:
    """'#b9d3e3' as the browser computes it: 'rgb(185, 211, 227)'."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def _points(run: Path) -> dict[str, tuple[float, float]]:
    zones = pd.read_csv(run / "inputs" / "zones.csv")
    rows = zip(zones["gm_code"], zones["lat"], zones["lon"], strict=True)
    return {code: (round(lat, 5), round(lon, 5)) for code, lat, lon in rows}


def _expected_paths(run: Path, year: int) -> dict[str, list[tuple[float, float]]]:
    """Per flow tooltip start ("Sluis → Goes:"), the fixed-link end points its line must pass,
    in order, worked out here from distances.csv's links and the fixture's link zones: a link is
    entered at the end in the zone the trip is in, else at the end nearer to it."""
    zones = pd.read_csv(run / "inputs" / "zones.csv").set_index("gm_code")
    sites = pd.read_csv(run / "inputs" / "sites.csv").set_index("site_id")
    distances = pd.read_csv(run / "inputs" / "distances.csv", keep_default_na=False)
    links = distances.set_index(["gm_code", "site_id"])["links"]
    assignments = pd.read_csv(run / "assignments.csv")
    ends = {name: between for name, between, _, _ in FIXED_LINKS}
    points, out = _points(run), {}

    def far(z: str, here: str) -> float:  # squared, a degree of longitude is cos(lat) as long
        (lat1, lon1), (lat2, lon2) = points[z], points[here]
        return (lat1 - lat2) ** 2 + ((lon1 - lon2) * math.cos(math.radians(lat1))) ** 2

    for code, site in assignments.loc[assignments["year"] == year, ["gm_code", "site_id"]].values:
        expected, here = [], code
        for name in (n for n in links[(code, site)].split(";") if n):
            a, b = ends[name]
            if here == b or (here != a and far(b, here) < far(a, here)):
                a, b = b, a
            expected += [points[a], points[b]]
            here = b
        if expected:
            out[f"{zones.loc[code, 'name']} → {sites.loc[site, 'name']}:"] = expected
    return out


def _passes(line: list[list[float]], points: list[tuple[float, float]]) -> bool:
    """Whether the line's vertices include ``points`` in this order."""
    vertices = [(round(a, 5), round(b, 5)) for a, b in line]
    position = 0
    for point in points:
        if point not in vertices[position:]:
            return False
        position = vertices.index(point, position) + 1
    return True


@pytest.mark.browser
def test_default_map_needs_no_network_and_draws_the_basemap(
    run_dir: Path, open_page, map_counts, map_background, screenshot
) -> None:
    """The default map (no offline flag) under a browser that blocks every request."""
    path = build_map(run_dir)
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?:", text)
    page, log = open_page(path, cdn=False)
    counts = map_counts(page)
    first = expected(run_dir, 2026)
    assert counts["zonePolygons"] == 27 and counts["zonePoints"] == 0
    assert counts["land"] == 27, "land is drawn from every municipality polygon"
    assert map_background(page) == _rgb(colours.WATER), "water is the map's background"
    assert counts["links"] == counts["linkLabels"] == len(FIXED_LINKS)
    assert counts["towns"] == 27 + 1, "every municipality is named, and Antwerpen (a link's way)"
    assert "Westerscheldetunnel" in page.inner_text(".leaflet-jz-labels-pane")
    assert "Terneuzen" in page.inner_text(".leaflet-jz-labels-pane")
    assert (counts["sites"], counts["idle"], counts["flows"]) == (
        first["sites"], first["idle"], first["flows"],
    )  # fmt: skip
    assert counts["siteElements"] == first["sites"]
    assert counts["rings"] == 0, "distance-limit rings are off by default"
    assert counts["tiles"] == 0 and page.locator(".leaflet-tile").count() == 0
    tiles = page.locator(".leaflet-control-layers-overlays label", has_text="OpenStreetMap")
    assert tiles.count() == 1 and not tiles.locator("input").is_checked()
    for label in page.locator(".leaflet-control-layers-overlays label").all():
        if "OpenStreetMap" not in label.inner_text() and "Distance limit" not in label.inner_text():
            assert label.locator("input").is_checked(), label.inner_text()
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
def test_flows_follow_the_travel_models_path(run_dir: Path, open_page, flow_lines) -> None:
    page, log = open_page(build_map(run_dir))
    lines = flow_lines(page)
    paths = _expected_paths(run_dir, 2026)
    points = _points(run_dir)
    tunnel = [points[z] for z in dict((n, b) for n, b, _, _ in FIXED_LINKS)["Westerscheldetunnel"]]
    crossing = [k for k in paths if k.startswith(("Sluis", "Terneuzen", "Hulst"))]
    assert len(crossing) >= 4, "the fixture should send Zeeuws-Vlaanderen's youth across"
    for start, through in paths.items():
        line = [li for li in lines if li["tip"].startswith(start)]
        assert len(line) == 1, start
        assert _passes(line[0]["latlngs"], through), (start, line[0]["latlngs"], through)
        if "Westerscheldetunnel" in line[0]["tip"]:
            assert _passes(line[0]["latlngs"], tunnel) or _passes(line[0]["latlngs"], tunnel[::-1])
    hulst = [li for li in lines if li["tip"].startswith("Hulst → Almata")]
    assert [51.2194, 4.4025] in hulst[0]["latlngs"], "the road via Antwerpen goes by Antwerpen"
    straight = [li for li in lines if "Fixed links" not in li["tip"]]
    assert straight and all(len(li["latlngs"]) == 2 for li in straight)
    log.assert_clean()


@pytest.mark.browser
def test_web_tiles_are_an_extra_layer_switched_on_by_the_reader(
    run_dir: Path, open_page, map_counts
) -> None:
    page, log = open_page(build_map(run_dir), cdn=True)  # tiles answered with a blank PNG
    assert log.served == [], "nothing is fetched until the reader asks for tiles"
    page.locator(".leaflet-control-layers-overlays label", has_text="OpenStreetMap").locator(
        "input"
    ).check()
    page.wait_for_timeout(300)
    assert map_counts(page)["tiles"] == 1
    assert any("tile.openstreetmap.org" in url for url in log.served)
    log.assert_clean()
    offline = build_map(run_dir, offline=True).read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" not in offline, "offline maps offer no web tiles at all"


def _flows_payload(run: Path, **options) -> dict:
    return _payload(build_map(run, **options).read_text(encoding="utf-8"))


def test_flow_classes_come_from_the_data(run_dir: Path) -> None:
    payload = _flows_payload(run_dir)
    flows = [flow for year in payload["flows"].values() for flow in year]
    beds = [float(re.search(r": ([\d.]+) beds", f["tip"]).group(1)) for f in flows]
    assignments = pd.read_csv(run_dir / "assignments.csv")
    per_pair = assignments.groupby(["year", "gm_code", "site_id"])["beds"].sum()
    assert len(flows) == len(per_pair), "one line per year, municipality and site"
    legend = re.findall(r"data-flow-class='(\d)'>.*?stroke='(#[0-9a-f]{6})' stroke-width='([\d.]+)'"
                        r"/></svg>([^<]*) beds", payload["symbols"])  # fmt: skip
    assert 2 <= len(legend) <= 4, legend
    used = {(f["colour"], f["weight"]) for f in flows}
    assert used == {(colour, float(width)) for _, colour, width, _ in legend}, (
        "the legend lists exactly the classes that occur"
    )
    assert [float(w) for _, _, w, _ in legend] == sorted(float(w) for _, _, w, _ in legend)
    # a wider line never carries fewer beds than a narrower one
    order = sorted(zip(beds, [f["weight"] for f in flows], strict=True))
    assert [w for _, w in order] == sorted(w for _, w in order)
    assert {f["weight"] for f in flows} <= set(WIDTHS)


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
    assert counts["zonePolygons"] == 27 and counts["land"] == 27
    assert counts["sites"] == expected(run_dir, 2026)["sites"]
    assert page.locator(".leaflet-tile").count() == 0
    assert (
        page.locator(".leaflet-control-layers-overlays label", has_text="OpenStreetMap").count()
        == 0
    )
    screenshot(page, run_dir, "map-offline")
    log.assert_clean()


@pytest.mark.browser
def test_points_only_run(tmp_path: Path, open_page, map_counts, map_background, screenshot) -> None:
    run = write_sample_run(tmp_path / "points", polygons=False)
    page, log = open_page(build_map(run, offline=True))
    counts = map_counts(page)
    assert (counts["zonePolygons"], counts["zonePoints"]) == (0, 27)
    assert counts["land"] == 0, "without polygons there is no land to draw"
    assert map_background(page) == _rgb(colours.NO_LAND), "nor a water-coloured background"
    assert counts["sites"] == expected(run, 2026)["sites"]
    screenshot(page, run, "map-points-only")
    log.assert_clean()


@pytest.mark.browser
def test_user_text_is_escaped(tmp_path: Path, open_page, screenshot) -> None:
    run = write_sample_run(
        tmp_path / "xss", site_names={"S1": XSS_SITE}, title=XSS_TITLE, tunnel_name=XSS_LINK
    )
    path = build_map(run, offline=True)
    assert XSS_SITE not in path.read_text(encoding="utf-8")
    assert XSS_LINK not in path.read_text(encoding="utf-8")
    page, log = open_page(path)
    assert XSS_TITLE in page.inner_text(".jz-title")
    assert XSS_LINK in page.inner_text(".leaflet-jz-labels-pane"), "the link's name, as text"
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
    r"|sites\.\*\.\*\.(lat|lon|icon\.size\.\*)|flows\.\*\.\*\.path\.\*\.\*|flows\.\*\.\*\.weight"
    r"|rings\.\w+\.(km|circles\.\*\.\*)|places\.\*\.(lat|lon|offset\.\*)"
    r"|basemap\.(links\.\*\.(latlngs\.\*\.\*|label\.latlng\.\*)|towns\.\*\.latlng\.\*)"
)


@pytest.mark.browser
def test_public_map_shows_no_small_counts(run_dir: Path, open_page, screenshot) -> None:
    path = build_map(run_dir, public=True)
    payload = _payload(path.read_text(encoding="utf-8"))
    for feature in payload["zones"]["features"]:
        assert set(feature["properties"]) == {"kind", "gm_code", "fill", "tip", "popup"}
        assert all(isinstance(v, str) for _, v in _leaves(feature["properties"]))
    numbers = {p for p, v in _leaves(payload) if type(v) in (int, float)}
    assert {p for p in numbers if not NUMBERS_ALLOWED.fullmatch(p)} == set()
    flows = [flow for year in payload["flows"].values() for flow in year]
    assert all(f["weight"] == SUPPRESSED_WIDTH for f in flows if f["suppressed"])
    assert any(f["suppressed"] for f in flows) and any(not f["suppressed"] for f in flows)
    assert all("<" not in re.sub(r"<[^>]+>", "", f["tip"]) or "&lt;5" in f["tip"] for f in flows)
    assert "&lt;5" in payload["symbols"], "the legend names the suppressed flows"
    low = re.findall(r"data-flow-class='0'>.*?</svg>([^<]*) beds", payload["symbols"])
    assert low and low[0].startswith("5"), "in public the first flow class starts at 5"

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


@pytest.mark.browser
def test_dutch_map_shows_no_english_label(run_dir: Path, open_page, tmp_path: Path) -> None:
    from reports.i18n import EN, NAMES, NL

    def filled(label: str) -> str:
        return label.format_map(defaultdict(lambda: "x", year=2026, km=60, threshold=5))

    english = [filled(v) for v in [*EN.values(), *NAMES["en"].values()]]
    dutch = [filled(v) for v in [*NL.values(), *NAMES["nl"].values()]]
    only_english = [e for e in english if len(e) > 3 and not any(e in d for d in dutch)]
    page, log = open_page(build_map(run_dir, lang="nl"))
    page.click("button[data-year='2027']")
    page.get_by_title("Almata Ossendrecht", exact=True).click()
    text = page.evaluate(
        """() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('.jz-title h1, .jz-town, .jz-link-label, .jz-popup h3, script, style')
          .forEach(e => e.remove()); return b.innerText; }"""
    )
    found = [e for e in only_english if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", text)]
    assert found == []
    assert "Gemeenten (kleur)" in text and "Jaar" in text and "bewezen optimaal" in text
    log.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1024, 700), (1366, 768), (1280, 860)])
def test_the_left_panels_never_cover_each_other(
    many_regions: Path, open_page, width, height
) -> None:
    """On a small laptop screen the title, the year panel and the legend stay apart: the year
    panel's region list and the legend scroll within their share of the window. The sample run
    with every municipality a region of its own (27 regions, as the national map's 42 did) put
    the panel 240 px under the legend at 1024 × 700 before they scrolled."""
    page, log = open_page(build_map(many_regions), width=width, height=height)
    boxes = page.evaluate(
        """() => ['.leaflet-top .jz-title', '.leaflet-top .jz-panel',
                  '.leaflet-bottom .jz-legend'].map(s => {
            const r = document.querySelector(s).getBoundingClientRect();
            return [r.top, r.bottom]; })"""
    )
    (_, title_bottom), (panel_top, panel_bottom), (legend_top, legend_bottom) = boxes
    assert title_bottom <= panel_top and panel_bottom <= legend_top, boxes
    assert legend_bottom <= height
    log.assert_clean()


# The map's names as drawn: text, whether shown, and the box [left, top, right, bottom].
NAMES_DRAWN = """
() => ['.jz-region-label', '.jz-link-label', '.jz-town']
  .flatMap(s => Array.from(document.querySelectorAll(s + ' span'))).map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, shown: getComputedStyle(e).visibility === 'visible',
            box: [r.left, r.top, r.right, r.bottom]};
  })
"""

# Zoom the map to `view` ([lat, lon, zoom], or [zoom] alone) without animation; resolve once
# the browser has drawn it (two animation frames), so no box is read mid-zoom.
SET_VIEW = """
async (view) => {
  const map = Object.keys(window).filter(k => k.startsWith("map_"))
    .map(k => window[k]).find(v => v instanceof L.Map);
  if (map._animatingZoom) { await new Promise(done => map.once("zoomend", done)); }
  if (view.length === 1) { map.setZoom(view[0], {animate: false}); }
  if (view.length === 3) { map.setView([view[0], view[1]], view[2], {animate: false}); }
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}
"""

ZONE_TOOLTIP = """
(code) => {
  const map = Object.keys(window).filter(k => k.startsWith("map_"))
    .map(k => window[k]).find(v => v instanceof L.Map);
  const zone = Object.values(map._layers)
    .find(l => l.feature && l.feature.properties.gm_code === code && l.getBounds);
  zone.openTooltip(zone.getBounds().getCenter());
  return document.querySelector(".leaflet-tooltip").innerText;
}
"""


def _overlapping(names: list[dict]) -> list[tuple[str, str]]:
    """Pairs of shown names whose boxes overlap."""
    shown = [n for n in names if n["shown"]]
    pairs = []
    for i, a in enumerate(shown):
        for b in shown[:i]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            if l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1:
                pairs.append((a["text"], b["text"]))
    return pairs


@pytest.mark.browser
def test_names_never_overlap_at_the_national_zoom(many_regions: Path, open_page) -> None:
    """At the national map's zoom (7.75 at 1280 px) 27 region names and 28 town names of three
    regions crowd a few hundred pixels; each was drawn on top of the others. Now no two shown
    names overlap; a hidden one is named by its zone's tooltip and shows again zoomed in."""
    page, log = open_page(build_map(many_regions), width=1280, height=860)
    page.evaluate(SET_VIEW, [7.75])
    names = page.evaluate(NAMES_DRAWN)
    assert _overlapping(names) == []
    zones = pd.read_csv(many_regions / "inputs" / "zones.csv")
    codes = dict(zip(zones["name"], zones["gm_code"], strict=True))
    hidden = [n["text"] for n in names if not n["shown"] and n["text"] in codes]
    assert hidden, "at this zoom the names cannot all be shown"
    assert sum(n["shown"] for n in names) >= 10, "the names that fit are shown"
    name = hidden[0]
    assert name in page.evaluate(ZONE_TOOLTIP, codes[name])
    point = zones.set_index("name").loc[name]
    page.evaluate(SET_VIEW, [float(point["lat"]), float(point["lon"]), 12])
    assert name in [n["text"] for n in page.evaluate(NAMES_DRAWN) if n["shown"]]
    log.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1280, 860), (1024, 700)])
def test_three_regions_show_every_name_apart(run_dir: Path, open_page, width, height) -> None:
    """At its own zoom the three-region map shows every name (27 towns, Antwerpen, 3 regions, 3
    fixed links), none on top of another: Bergen op Zoom ran into Roosendaal and Drimmelen into
    Geertruidenberg until a crowded name moved above or beside its point."""
    page, log = open_page(build_map(run_dir), width=width, height=height)
    page.evaluate(SET_VIEW, [])
    names = page.evaluate(NAMES_DRAWN)
    assert len(names) == 27 + 1 + 3 + len(FIXED_LINKS)
    assert [n["text"] for n in names if not n["shown"]] == []
    assert _overlapping(names) == []
    log.assert_clean()
