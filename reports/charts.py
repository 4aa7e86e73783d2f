"""Charts as inline SVG text (matplotlib, Agg), so reports stay single self-contained files.

Text is drawn as paths, so no font has to be present where the report is opened; comments and
metadata are stripped, and each chart gets its own id salt so several SVGs can share a page.
"""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def to_svg(fig: Figure, salt: str) -> str:
    """The figure as an ``<svg>`` element (no XML prolog, comments or metadata)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    return text.strip()


def _axes(width: float = 7.5, height: float = 3.6):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def stacked_bars(
    table: pd.DataFrame,
    colours: dict[str, str],
    names: dict[str, str],
    ylabel: str,
    salt: str,
    markers: list[tuple[object, float, str, str]] = (),
) -> str:
    """Bars per row of ``table`` stacked by column; ``markers`` are (row, value, label, colour)."""
    fig, ax = _axes()
    positions = range(len(table.index))
    bottom = [0.0] * len(table.index)
    for column in table.columns:
        values = [float(v) for v in table[column]]
        colour = colours.get(column, "#888888")
        label = names.get(column, column)
        ax.bar(positions, values, bottom=bottom, color=colour, label=label, width=0.62,
               edgecolor="white", linewidth=0.6)  # fmt: skip
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    index = list(table.index)
    for row, value, label, colour in markers:
        if row in index:
            x = index.index(row)
            ax.hlines(value, x - 0.42, x + 0.42, colors=colour, linestyles="--", linewidth=2.2,
                      label=label)  # fmt: skip
    ax.set_xticks(list(positions), [str(i) for i in index])
    ax.set_ylabel(ylabel)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return to_svg(fig, salt)


def scatter(points: list[tuple[str, float, float]], xlabel: str, ylabel: str, salt: str) -> str:
    """Labelled points (label, x, y), e.g. scenarios by travel distance and cost."""
    fig, ax = _axes(6.5, 4.0)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    for label, x, y in points:
        ax.scatter([x], [y], s=60, color="#1f3b63", zorder=3)
        ax.annotate(label, (x, y), textcoords="offset points", xytext=(6, 5), fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.margins(0.25)
    return to_svg(fig, salt)
