"""Colour classes for the choropleth and one colour and symbol per place type.

Classes are fixed over all years, so the same colour means the same value when a reviewer steps
from 2026 to 2030. In public output the classes start at the threshold, so a colour can never tell
that a suppressed value was, say, between 1 and 2.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.colors import to_hex

from reports import formatting

NO_DATA = "#f4f4f4"
SUPPRESSED = "#b8b8b8"
# the basemap: land (zone polygons), water (the background), fixed links; the background of a
# run without polygons is neutral (it is not known where the water is)
LAND, WATER, LINK, NO_LAND = "#f3efe4", "#b9d3e3", "#0b4f7c", "#eceeef"
TYPE_STYLES = {
    "closed": ("#6a3d9a", "square"),
    "hybrid": ("#d95f02", "diamond"),
    "open": ("#1b7837", "circle"),
}
_EXTRA_COLOURS = ("#8c510a", "#01665e", "#c51b7d", "#4d4d4d")


def type_styles(types: list[str]) -> dict[str, dict[str, str]]:
    """Colour and symbol per place type; types the plan invents get a triangle."""
    styles = {}
    extra = 0
    for ptype in types:
        if ptype in TYPE_STYLES:
            colour, shape = TYPE_STYLES[ptype]
        else:
            colour, shape = _EXTRA_COLOURS[extra % len(_EXTRA_COLOURS)], "triangle"
            extra += 1
        styles[ptype] = {"colour": colour, "shape": shape}
    return styles


def _nice(value: float) -> float:
    """Round to two significant digits (1.37 -> 1.4, 23.6 -> 24)."""
    if value <= 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(value)))
    return round(value, digits)


def nice_breaks(values: list[float], classes: int = 5, floor: float | None = None) -> list[float]:
    """Up to ``classes - 1`` rounded quantile breaks; ``floor`` becomes the first break."""
    data = np.array([v for v in values if v is not None and not math.isnan(v)], dtype=float)
    if floor is not None:
        data = data[data >= floor]
    if data.size == 0:
        return [] if floor is None else [floor]
    quantiles = np.quantile(data, [i / classes for i in range(1, classes)])
    breaks = sorted({_nice(float(q)) for q in quantiles if q > 0})
    if floor is not None:
        breaks = [floor] + [b for b in breaks if b > floor]
    return breaks


@dataclass(frozen=True)
class Scale:
    """Value classes split at ``breaks`` with one colour and legend label per class."""

    breaks: list[float]
    colours: list[str]
    labels: list[str]
    below_floor: bool = False

    def index(self, value: float) -> int:
        """The class ``value`` falls in (0 for the first)."""
        index = bisect_right(self.breaks, value)
        if self.below_floor:
            index -= 1
        return max(0, min(index, len(self.colours) - 1))

    def colour(self, value: float | None) -> str:
        if value is None or math.isnan(value):
            return NO_DATA
        return self.colours[self.index(value)]


def sequential(name: str, count: int, low: float = 0.15, high: float = 0.9) -> list[str]:
    """``count`` colours of a matplotlib colour map, evenly from ``low`` to ``high``."""
    return _palette(name, count, low, high)


def _palette(name: str, count: int, low: float = 0.15, high: float = 0.9) -> list[str]:
    cmap = matplotlib.colormaps[name]
    if count == 1:
        return [to_hex(cmap(high))]
    return [to_hex(cmap(low + (high - low) * i / (count - 1))) for i in range(count)]


def range_scale(
    breaks: list[float], palette: str, fmt, floor: float | None = None, single: str = "–"
) -> Scale:
    """Classes ``< b0``, ``b0–b1``, …, ``≥ bn``; with a floor the first class starts at it.
    Without breaks there is one class, labelled ``single``."""
    if floor is not None:
        uppers = breaks[1:]
        labels = [f"{fmt(lo)}–{fmt(hi)}" for lo, hi in zip(breaks, uppers, strict=False)]
        labels.append(f"≥ {fmt(breaks[-1])}")
        return Scale(breaks, _palette(palette, len(labels)), labels, below_floor=True)
    if not breaks:
        return Scale([], _palette(palette, 1), [single])
    labels = [f"< {fmt(breaks[0])}"]
    labels += [f"{fmt(lo)}–{fmt(hi)}" for lo, hi in zip(breaks, breaks[1:], strict=False)]
    labels.append(f"≥ {fmt(breaks[-1])}")
    return Scale(breaks, _palette(palette, len(labels)), labels)


def share_scale(lang: str) -> Scale:
    """Fixed classes for the share placed within the distance limit (100 % is its own class)."""
    breaks = [0.5, 0.75, 0.9, 0.99995]
    p = [formatting.percent(b, lang) for b in breaks[:3]]
    labels = [f"< {p[0]}", f"{p[0]}–{p[1]}", f"{p[1]}–{p[2]}", f"≥ {p[2]}", "100 %"]
    return Scale(breaks, _palette("RdYlGn", 5, 0.1, 0.85), labels)


def metric_scale(metric: str, values: list[float], lang: str, floor: float | None) -> Scale:
    """The legend classes of one choropleth metric over all years."""
    if metric == "within":
        return share_scale(lang)
    if metric == "distance":
        breaks = sorted({max(1, round(b)) for b in nice_breaks(values)})
        return range_scale(breaks, "YlOrRd", lambda v: formatting.number(v, 0, lang))
    breaks = nice_breaks(values, floor=floor)
    return range_scale(breaks, "YlGnBu", lambda v: formatting.number(v, 1, lang), floor=floor)


def component_colours(components: list[str]) -> dict[str, str]:
    """A distinct colour per cost component, stable for the documented ones."""
    from reports.metrics import COMPONENTS

    base = matplotlib.colormaps["tab10"]
    order = list(COMPONENTS) + [c for c in components if c not in COMPONENTS]
    extra = ("#01665e", "#1a1a1a", "#c51b7d", "#8c510a")  # after tab10's ten, unlike any of them

    def colour(index: int) -> str:
        return to_hex(base(index)) if index < 10 else extra[(index - 10) % len(extra)]

    return {c: colour(order.index(c)) for c in components}
