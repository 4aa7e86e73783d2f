"""Leaflet's JavaScript and CSS as text, for maps that must work without a network.

Folium links its assets from CDNs; the installed ``offlinefolium`` package ships the same files,
keyed by their CDN address, as Python strings. Offline maps inline them from there, and the browser
tests serve CDN requests from the same strings.
"""

from __future__ import annotations

import re

from offlinefolium.elements import _res as _BY_URL

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"


def asset(url: str) -> str | None:
    """The text of the asset Folium links at ``url``, or None when it is not shipped."""
    return _BY_URL.get(url)


def known_urls() -> list[str]:
    return sorted(_BY_URL)


def leaflet_css_offline() -> str:
    """Leaflet's CSS; its images are inlined already, any relative image reference is dropped."""
    css = asset(LEAFLET_CSS) or ""
    return re.sub(r"url\(\s*['\"]?images/[^)]*\)", "none", css)


def leaflet_js() -> str:
    text = asset(LEAFLET_JS)
    if not text:
        raise RuntimeError("offlinefolium does not ship Leaflet; offline maps cannot be built")
    return text
