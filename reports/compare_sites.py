"""The comparison's rows on what each plan does to its sites year by year, and its unmet demand
by need (reports/compare.py adds them to compare.html and compare.csv).

A site *opens* in a year when it runs groups that year and none the year before (before the
first year: the groups sites.csv lists as existing), and *closes* when it runs none after running
some; a site *converts* groups when plan.csv's ``converted_groups`` is above 0 (closed groups
rebuilt as another type at the same site).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reports.i18n import Labels
from reports.runfolder import RunFolder

NEEDS = ("secure", "hybrid", "open")
EXISTING = ("existing_closed", "existing_hybrid", "existing_open")


@dataclass(frozen=True)
class SiteYear:
    """What a plan does to its sites in one year: site names opened, closed, converted."""

    opened: list[str]
    closed: list[str]
    converted: list[str]  # "name (n groups)"


def site_changes(run: RunFolder) -> dict[int, SiteYear]:
    """Per planning year, the sites the plan opens, closes and converts groups at."""
    names = dict(zip(run.plan["site_id"], run.plan["site_name"], strict=True))
    names |= dict(zip(run.sites["site_id"], run.sites["name"], strict=True))
    groups = run.plan.pivot_table(index="site_id", columns="year", values="groups", aggfunc="sum")
    groups = groups.reindex(columns=run.years).fillna(0)
    existing = run.sites.set_index("site_id")[list(EXISTING)].sum(axis=1)
    converted = run.plan[run.plan["converted_groups"] > 0]
    converted = converted.groupby(["year", "site_id"])["converted_groups"].sum()
    out = {}
    previous = pd.Series({site: float(existing.get(site, 0)) for site in groups.index})
    for year in run.years:
        now = groups[year] if year in groups else pd.Series(0.0, index=groups.index)
        opened = sorted(names.get(s, s) for s in now.index if now[s] > 0 and previous[s] == 0)
        closed = sorted(names.get(s, s) for s in now.index if now[s] == 0 and previous[s] > 0)
        rebuilt = [
            (names.get(site, site), int(count))
            for (y, site), count in converted.items()
            if y == year
        ]
        out[year] = SiteYear(opened, closed, [f"{n} ({c})" for n, c in sorted(rebuilt)])
        previous = now
    return out


def unmet_by_need(run: RunFolder) -> dict[str, float]:
    """Unmet demand per need over all years (bed-years)."""
    sums = run.unmet.groupby("need")["beds"].sum()
    needs = list(NEEDS) + sorted(set(sums.index) - set(NEEDS))
    return {need: float(sums.get(need, 0.0)) for need in needs}


def change_rows(runs: list[RunFolder], t: Labels, row) -> list:
    """Rows of the comparison (built with ``row(key, label, values, kind)``): per year the sites
    opened, closed and converted, then unmet demand per need."""
    years = sorted({y for run in runs for y in run.years})
    changes = [site_changes(run) for run in runs]
    rows = []
    for year in years:
        for what in ("opened", "closed", "converted"):
            values = []
            for change in changes:
                if year not in change:
                    values.append(None)
                    continue
                values.append("; ".join(getattr(change[year], what)) or t["none_changed"])
            rows.append(row(f"sites_{what}_{year}", t(f"sites_{what}", year=year), values, "text"))
    unmet = [unmet_by_need(run) for run in runs]
    needs = list(dict.fromkeys(n for u in unmet for n in u))
    for need in needs:
        label = t("unmet_need", need=t.name("need", need))
        rows.append(row(f"unmet_{need}", label, [u.get(need, 0.0) for u in unmet], "beds"))
    return rows
