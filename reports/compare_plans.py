"""The comparison's rows on what each plan optimises, what it costs more than the optimum, how far
its youth travel, and which sites it runs each year (reports/compare.py adds them).

Objective and extra cost come from summary.json ``objective`` (a folder written before it counts
as least cost); with an ``optimum`` run the extra cost of every plan is its objective minus the
optimum's, in EUR and as a share. The p90 trip is summary.json ``trips.all`` when present, else
the same figure from assignments.csv (reports/metrics.py); the worst trip is compare.py's max_km
row (the same figure).
"""

from __future__ import annotations

from reports.i18n import Labels
from reports.metrics import travel_by_region
from reports.runfolder import RunFolder
from reports.trips import KINDS, objective_of


def _p90(run: RunFolder) -> float | None:
    figures = (run.summary.get("trips") or {}).get("all")
    if figures is None:
        return float(travel_by_region(run).iloc[-1]["p90_km"])
    return figures.get("p90_km")


def _kind(run: RunFolder, t: Labels) -> str:
    kind = objective_of(run).get("kind")
    kind = kind if kind in KINDS else "cost"
    return t[f"objective_{kind.replace('-', '_')}"]


def _running(run: RunFolder, year: int, t: Labels) -> str:
    """'Site: type groups (places), …; …' for the sites running groups in ``year``."""
    names = dict(zip(run.sites["site_id"], run.sites["name"], strict=True))
    rows = run.plan[(run.plan["year"] == year) & (run.plan["groups"] > 0)]
    parts = []
    for site, part in rows.groupby("site_id", sort=True):
        kinds = ", ".join(
            f"{t.name('type', r.type)} {int(r.groups)} ({int(r.beds)})"
            for r in part.itertuples(index=False)
        )
        parts.append(f"{names.get(site, site)}: {kinds}")
    return "; ".join(parts) or t["none_changed"]


def plan_rows(runs: list[RunFolder], t: Labels, row, optimum: RunFolder | None) -> list:
    """Rows (built with ``row(key, label, values, kind)``): objective, extra cost over the
    optimum (with one), the p90 trip, and — with an optimum — the site-type-years each
    alternative changes and the sites running per year."""
    rows = [row("objective_kind", t["cmp_objective"], [_kind(r, t) for r in runs], "text")]
    if optimum is not None:
        base = float(optimum.summary["objective_eur"])
        extra = [float(r.summary["objective_eur"]) - base for r in runs]
        rows += [
            row("extra_eur", t["cmp_extra_eur"], extra, "eur"),
            row("extra_pct", t["cmp_extra_share"], [100 * e / base for e in extra], "pct"),
        ]
    # the worst trip is the comparison's max_km row already (reports/metrics.py, the same figure)
    rows.append(row("p90_trip_km", t["cmp_p90_trip"], [_p90(run) for run in runs], "km"))
    if optimum is None:
        return rows
    differs = [objective_of(r).get("differs_from_nearest") for r in runs]
    rows.append(
        row("differs", t["cmp_differs"], [None if d is None else float(d) for d in differs],
            "count")
    )  # fmt: skip
    years = sorted({y for run in runs for y in run.years})
    for year in years:
        values = [_running(run, year, t) if year in run.years else None for run in runs]
        rows.append(row(f"sites_running_{year}", t("cmp_sites_running", year=year), values, "text"))
    return rows
