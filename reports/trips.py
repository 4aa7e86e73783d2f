"""The report's section on what the plan optimises and how far its youth travel.

The objective comes from summary.json ``objective`` (least cost, a trip objective within a cost
ceiling, or a near-optimal alternative); a folder written before it counts as least cost. The
trips per home region and year — longest, p90 (the smallest distance at least 90 % of the placed
bed-years travel at most) and the share within the type's distance limit — are computed from
assignments.csv with reports/metrics.py, the same figures as summary.json ``trips`` for all years.
In public mode a region-year with fewer placed beds than the threshold shows none of them.
"""

from __future__ import annotations

from reports import formatting
from reports.metrics import assignments_with_limits, travel_stats
from reports.runfolder import RunFolder
from reports.view import View

KINDS = ("cost", "worst-trip", "p90-trip", "alternative")


def objective_of(run: RunFolder) -> dict:
    """summary.json ``objective``, or least cost for a folder written before it."""
    return run.summary.get("objective") or {"kind": "cost"}


def objective_rows(run: RunFolder, view: View) -> list[tuple[str, str, str]]:
    """(key, label, value) facts on the objective: what, ceiling, extra cost, trip reached."""
    t, lang = view.labels, view.lang
    o = objective_of(run)
    kind = o.get("kind") if o.get("kind") in KINDS else "cost"
    what = t[f"objective_{kind.replace('-', '_')}"]
    if kind == "alternative" and o.get("differ"):
        differ = o["differ"].replace("-", "_")
        what += f" ({t[f'differ_{differ}']})"
    rows = [("kind", t["objective_used"], what)]
    if o.get("cost_slack") is not None:
        rows.append(("slack", t["cost_slack"], formatting.percent(o["cost_slack"], lang)))
    if o.get("cost_ceiling_eur") is not None:
        rows.append(("ceiling", t["cost_ceiling"], formatting.eur(o["cost_ceiling_eur"], lang)))
    if o.get("least_cost_eur") is not None:
        rows.append(("least", t["least_cost"], formatting.eur(o["least_cost_eur"], lang)))
    if o.get("extra_eur") is not None:
        share = o.get("extra_share")
        extra = formatting.eur(o["extra_eur"], lang)
        if share is not None:
            extra += f" ({formatting.percent(share, lang)})"
        rows.append(("extra", t["extra_cost"], extra))
    if o.get("trip_km") is not None:
        proven = t["trip_proven" if o.get("trip_proven") else "trip_not_proven"]
        trip = f"{formatting.km(o['trip_km'], lang)} ({proven})"
        rows.append(("trip", t["trip_minimised"], trip))
    if o.get("differs_from_nearest") is not None:
        rows.append(("differs", t["differs_from_nearest"], str(int(o["differs_from_nearest"]))))
    return rows


def _row(view: View, region: str, year: str, part) -> dict:
    stats = travel_stats(part)
    hidden = view.public and stats["beds"] < view.threshold
    shown = (lambda text: view.labels["suppressed"]) if hidden else (lambda text: text)
    lang = view.lang
    return {
        "region": region,
        "year": year,
        "beds": f"<{view.threshold}" if hidden else formatting.beds(stats["beds"], lang),
        "longest": shown(formatting.km(stats["max_km"], lang)),
        "p90": shown(formatting.km(stats["p90_km"], lang)),
        "within": shown(formatting.percent(stats["within_share"], lang)),
        "total": False,
    }


def trips_section(run: RunFolder, view: View) -> dict:
    """The objective facts and, per home region (then all regions), a row per year and one for
    all years."""
    frame = assignments_with_limits(run)
    t = view.labels
    rows = []
    regions = sorted(r for r in frame["region"].unique() if r)
    for region in [*regions, ""]:
        part = frame[frame["region"] == region] if region else frame
        name = region or t["all_regions"]
        for year in run.years:
            rows.append(_row(view, name, str(year), part[part["year"] == year]))
        rows.append(_row(view, name, t["all_years"], part) | {"total": True})
    return {"objective": objective_rows(run, view), "rows": rows}
