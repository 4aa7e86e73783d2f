"""Site symbols as small inline SVGs: one shape and colour per place type, sized by beds.

Inline SVG needs no icon font or image, so markers look the same offline; the shapes differ as
well as the colours, so the types stay apart for colour-blind readers and in greyscale prints.
"""

from __future__ import annotations

import math


def site_icon(types: list[tuple[str, float]], styles: dict) -> dict:
    """Side-by-side symbols, one per place type, each sized by its beds, with the beds inside."""
    parts, x, height = [], 0.0, 0.0
    for ptype, beds in types:
        size = min(46.0, 16.0 + 3.4 * math.sqrt(max(beds, 0.0)))
        colour, shape_name = styles[ptype]["colour"], styles[ptype]["shape"]
        c, half = x + size / 2, size / 2
        stroke = "stroke='#1a1a1a' stroke-width='1.2'"
        if shape_name == "square":
            body = f"<rect x='{x + 1:.1f}' y='1' width='{size - 2:.1f}' height='{size - 2:.1f}' "
            body += f"rx='2' fill='{colour}' {stroke}/>"
        elif shape_name == "diamond":
            right, bottom = x + size - 1, size - 1
            pts = f"{c:.1f},1 {right:.1f},{half:.1f} {c:.1f},{bottom:.1f} {x + 1:.1f},{half:.1f}"
            body = f"<polygon points='{pts}' fill='{colour}' {stroke}/>"
        elif shape_name == "circle":
            body = f"<circle cx='{c:.1f}' cy='{half:.1f}' r='{half - 1:.1f}' "
            body += f"fill='{colour}' {stroke}/>"
        else:
            pts = f"{c:.1f},1 {x + size - 1:.1f},{size - 1:.1f} {x + 1:.1f},{size - 1:.1f}"
            body = f"<polygon points='{pts}' fill='{colour}' {stroke}/>"
        label = f"{beds:.0f}" if float(beds).is_integer() else f"{beds:.1f}"
        font = max(9.0, size * 0.38)
        body += (
            f"<text x='{c:.1f}' y='{half + font * 0.36:.1f}' font-size='{font:.1f}' "
            f"text-anchor='middle' fill='#fff' font-weight='700'>{label}</text>"
        )
        parts.append(body)
        x += size + 2
        height = max(height, size)
    width = max(x - 2, 1.0)
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' height='{height:.0f}' "
        f"viewBox='0 0 {width:.1f} {height:.1f}'>{''.join(parts)}</svg>"
    )
    return {"html": svg, "size": [round(width), round(height)]}


IDLE_ICON = {
    "html": "<svg xmlns='http://www.w3.org/2000/svg' width='14' height='14'><circle cx='7' cy='7' "
    "r='5.5' fill='#fff' fill-opacity='0.7' stroke='#555' stroke-width='1.5' "
    "stroke-dasharray='2 2'/></svg>",
    "size": [14, 14],
}
