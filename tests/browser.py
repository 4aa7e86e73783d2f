"""Headless Chromium for the report tests: Debian's browser, no network, every request logged.

Pages are opened from file:// URLs. Every other request is intercepted: with ``cdn=True`` the CDN
files Folium links are answered from the copies the ``offlinefolium`` package ships and map tiles
with a blank tile, so a default (online) map can be checked without a network; anything else is
blocked and recorded, so a test can assert that a page asked for nothing it should not.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from reports import assets

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TILE_HOSTS = ("tile.openstreetmap.org",)
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@dataclass
class PageLog:
    """What a page did: errors, dialogs, and the requests it made outside file://."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """No console or page errors, no dialogs, nothing blocked and no failed request."""
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.page_errors == [], f"page errors: {self.page_errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"
        assert self.blocked == [], f"blocked requests: {self.blocked}"
        assert self.failed == [], f"failed requests: {self.failed}"


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain one-colour PNG, to stand in for map tiles."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


TILE = _png(256, 256, (236, 236, 230))


def _content_type(url: str) -> str:
    path = urlparse(url).path
    if path.endswith(".css"):
        return "text/css"
    return "application/javascript"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright; fails (never skips) when it is not installed.

    Playwright's ``launch`` gives every run a fresh temporary user-data-dir of its own.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install "
                    "chromium); the browser tests need it and are not skipped")  # fmt: skip
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


OpenPage = Callable[..., tuple[Page, PageLog]]


@pytest.fixture
def open_page(chromium: Browser) -> Iterator[OpenPage]:
    """Open a local HTML file in a fresh context; returns (page, log)."""
    contexts = []

    def _open(path: Path, *, cdn: bool = False, width: int = 1280, height: int = 860):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        log = PageLog()
        page = context.new_page()
        page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else 0)
        page.on("pageerror", lambda error: log.page_errors.append(str(error)))

        def on_failed(request) -> None:
            # Leaflet cancels tile loads it no longer needs (after fitBounds); that is no failure
            tile = request.url in log.served or urlparse(request.url).hostname in TILE_HOSTS
            cancelled = request.failure == "net::ERR_ABORTED" and cdn and tile
            if not cancelled:
                log.failed.append(f"{request.url} ({request.failure})")

        page.on("requestfailed", on_failed)

        def on_dialog(dialog) -> None:
            log.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)

        def route(route: Route) -> None:
            url = route.request.url
            if url.startswith("file://"):
                route.continue_()
                return
            if cdn and urlparse(url).hostname in TILE_HOSTS:
                log.served.append(url)
                route.fulfill(status=200, content_type="image/png", body=TILE)
                return
            text = assets.asset(url) if cdn else None
            if text is not None:
                log.served.append(url)
                route.fulfill(status=200, content_type=_content_type(url), body=text)
                return
            log.blocked.append(url)
            route.abort()

        context.route("**/*", route)
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_load_state("load")
        return page, log

    yield _open
    for context in contexts:
        context.close()


LEAFLET_COUNTS = """
() => {
  const map = Object.keys(window).filter(k => k.startsWith("map_"))
    .map(k => window[k]).find(v => v instanceof L.Map);
  const layers = Object.values(map._layers);
  const zone = l => l.feature && l.feature.properties.kind === "zone";
  const icon = l => (l instanceof L.Marker && l.options.icon.options.className) || "";
  return {
    zonePolygons: layers.filter(l => l instanceof L.Polygon && zone(l)).length,
    zonePoints: layers.filter(l => l instanceof L.CircleMarker && zone(l)).length,
    sites: layers.filter(l => icon(l).includes("jz-site-active")).length,
    idle: layers.filter(l => icon(l).includes("jz-site-idle")).length,
    flows: layers.filter(l => l instanceof L.Polyline && l.options.className === "jz-flow").length,
    rings: layers.filter(l => l instanceof L.Circle).length,
    land: layers.filter(l => l instanceof L.Polygon && l.feature
      && l.feature.properties.kind === "land").length,
    links: layers.filter(l => l instanceof L.Polyline && l.options.className === "jz-link").length,
    towns: document.querySelectorAll(".leaflet-jz-labels-pane .jz-town").length,
    linkLabels: document.querySelectorAll(".leaflet-jz-labels-pane .jz-link-label").length,
    tiles: layers.filter(l => l instanceof L.TileLayer).length,
    siteElements: document.querySelectorAll(".leaflet-marker-pane .jz-site-active").length,
    polygonPaths: document.querySelectorAll(".leaflet-overlay-pane path").length,
  };
}
"""


FLOW_LINES = """
() => {
  const map = Object.keys(window).filter(k => k.startsWith("map_"))
    .map(k => window[k]).find(v => v instanceof L.Map);
  return Object.values(map._layers)
    .filter(l => l instanceof L.Polyline && l.options.className === "jz-flow")
    .map(l => ({
      tip: l.getTooltip() ? l.getTooltip().getContent() : "",
      latlngs: l.getLatLngs().map(p => [p.lat, p.lng]),
      colour: l.options.color,
      weight: l.options.weight,
    }));
}
"""


@pytest.fixture
def flow_lines() -> Callable[[Page], list[dict]]:
    """The flow lines a map shows now: tooltip HTML, points [lat, lon], colour and width."""
    return lambda page: page.evaluate(FLOW_LINES)


@pytest.fixture
def map_background() -> Callable[[Page], str]:
    """The computed background colour of the map container (the water of the basemap)."""
    script = "() => getComputedStyle(document.querySelector('.leaflet-container')).background"
    return lambda page: page.evaluate(script + "Color")


def leaflet_counts(page: Page) -> dict[str, int]:
    """Count what a jzplan map shows, from Leaflet's own layer list and from the DOM."""
    return page.evaluate(LEAFLET_COUNTS)


@pytest.fixture
def map_counts() -> Callable[[Page], dict[str, int]]:
    """:func:`leaflet_counts`, as a fixture so test modules need not import this plugin."""
    return leaflet_counts


def save_screenshot(page: Page, run_dir: Path, name: str, full_page: bool = False) -> Path:
    """Screenshot into ``run_dir/screenshots`` and a copy in test-artifacts/ for humans."""
    page.wait_for_timeout(300)  # let tiles and transitions settle
    target = Path(run_dir) / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=full_page)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(target, ARTIFACTS / f"{name}.png")
    return target


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """:func:`save_screenshot`, as a fixture so test modules need not import this plugin."""
    return save_screenshot
