"""Statistical disclosure control for public maps and reports.

Small counts of youths can identify them, so in public output a cell below the threshold is shown
as "<5" (primary suppression). Totals stay computed from exact numbers; to stop a suppressed cell
being recovered by subtracting the shown cells from a shown total, a group with exactly one
suppressed cell also loses its smallest other cell (complementary suppression).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

SHOWN, PRIMARY, SECONDARY = "shown", "primary", "secondary"


def suppress(
    values: Mapping[Hashable, float],
    groups: Mapping[Hashable, Hashable],
    threshold: float,
) -> dict[Hashable, str]:
    """Status of each cell: ``shown``, ``primary`` (below threshold) or ``secondary``.

    ``groups`` maps each cell to the total it adds up to (e.g. its region); every group total is
    assumed to be published. Zero is a count too and is suppressed when below the threshold.
    """
    status = {key: PRIMARY if value < threshold else SHOWN for key, value in values.items()}
    members: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key in values:
        members[groups[key]].append(key)
    for keys in members.values():
        hidden = [key for key in keys if status[key] != SHOWN]
        visible = [key for key in keys if status[key] == SHOWN]
        if len(hidden) == 1 and visible:
            partner = min(visible, key=lambda key: (values[key], str(key)))
            status[partner] = SECONDARY
    return status


def suppress_hierarchy(
    values: Mapping[Hashable, float],
    groups: Mapping[Hashable, Hashable],
    threshold: float,
) -> tuple[dict[Hashable, str], dict[Hashable, float], dict[Hashable, str]]:
    """Suppress cells within groups, then group totals within the grand total.

    Returns (cell status, group totals, group status); group totals are exact sums.
    """
    cells = suppress(values, groups, threshold)
    totals: dict[Hashable, float] = defaultdict(float)
    for key, value in values.items():
        totals[groups[key]] += value
    group_status = suppress(totals, {group: "all" for group in totals}, threshold)
    return cells, dict(totals), group_status
