"""The map's site layers: per-year markers with popups, and the distance-limit rings.

Popups are HTML built here with every string from the run folder escaped; they show capacity
(groups and beds per type and year, changes, education access), never who is placed where.
"""

from __future__ import annotations

import pandas as pd

from reports import formatting
from reports.runfolder import RunFolder
from reports.symbols import IDLE_ICON, site_icon
from reports.view import View, esc


def _site_popup(run: RunFolder, site: pd.Series, plan: pd.DataFrame, year: int, view: View) -> str:
    t, types = view.labels, run.types
    used = [p for p in types if (plan["type"] == p).any()] or types[:1]
    head = "".join(f"<th>{esc(t.name('type', p))}</th>" for p in used)
    rows = []
    for y in run.years:
        cells, changes = [], []
        here = plan[plan["year"] == y].set_index("type")
        for p in used:
            if p in here.index and here.loc[p, "groups"] > 0:
                row = here.loc[p]
                cells.append(f"<td>{int(row['groups'])} ({formatting.number(row['beds'], 0)})</td>")
            else:
                cells.append("<td>–</td>")
            if p in here.index:
                name = esc(t.name("type", p))
                if here.loc[p, "added_groups"] > 0:
                    changes.append(f"+{int(here.loc[p, 'added_groups'])} {name}")
                if here.loc[p, "removed_groups"] > 0:
                    changes.append(f"−{int(here.loc[p, 'removed_groups'])} {name}")
        total = formatting.number(here["beds"].sum() if len(here) else 0.0, 0)
        current = " class='jz-current'" if y == year else ""
        rows.append(
            f"<tr{current}><th>{y}</th>{''.join(cells)}<td>{total}</td>"
            f"<td>{'; '.join(changes)}</td></tr>"
        )
    school = str(site.get("school_name") or "").strip()
    on_site = bool(site.get("school_on_site"))
    if not school:
        where = t["no_school"]
    elif on_site:
        where = f"{esc(school)}, {t['on_site']}"
    elif not pd.isna(site.get("school_km")):
        where = f"{esc(school)}, {formatting.km(site['school_km'], view.lang)} km {t['to_school']}"
    else:
        where = esc(school)
    suits = [s for s in str(site.get("education_types") or "").split(";") if s]
    suits_text = ", ".join(esc(t.name("type", s)) for s in suits) or "–"
    year_beds = plan.loc[plan["year"] == year, "beds"].sum()
    return (
        f"<div class='jz-popup'><h3>{esc(site['name'])}</h3>"
        f"<p class='jz-muted'>{esc(site.get('municipality', ''))} · {esc(site['region'])}</p>"
        f"<p><b>{year}</b>: {formatting.number(year_beds, 0)} {t['beds_unit']}</p>"
        f"<table><caption>{t['groups_beds']}</caption><thead><tr><th>{t['year']}</th>{head}"
        f"<th>{t['total_beds']}</th><th>{t['change']}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p><b>{t['education']}</b>: {where}<br>{t['education_types']}: {suits_text}</p></div>"
    )


def site_table(run: RunFolder) -> pd.DataFrame:
    """Sites with coordinates, names from sites.csv (else plan.csv) and municipality names."""
    sites = run.sites.copy()
    missing = sorted(set(run.plan["site_id"]) - set(sites["site_id"]))
    if missing:
        extra = run.plan[run.plan["site_id"].isin(missing)].drop_duplicates("site_id")
        extra = extra[["site_id", "site_name"]].rename(columns={"site_name": "name"})
        sites = pd.concat([sites, extra], ignore_index=True)
    sites["region"] = sites["region"].fillna("")
    names = run.zones.set_index("gm_code")["name"]
    sites["municipality"] = sites["gm_code"].map(names).fillna(sites["gm_code"]).fillna("")
    return sites[sites["lat"].notna() & sites["lon"].notna()].reset_index(drop=True)


def site_layers(run: RunFolder, view: View, styles: dict) -> dict[str, list[dict]]:
    sites = site_table(run)
    out: dict[str, list[dict]] = {str(year): [] for year in run.years}
    for _, site in sites.iterrows():
        plan = run.plan[run.plan["site_id"] == site["site_id"]]
        for year in run.years:
            here = plan[(plan["year"] == year) & (plan["beds"] > 0)]
            types = [(p, float(here.loc[here["type"] == p, "beds"].sum())) for p in run.types]
            types = [(p, beds) for p, beds in types if beds > 0]
            total = sum(beds for _, beds in types)
            parts = ", ".join(
                f"{esc(view.labels.name('type', p))} {formatting.number(b, 0)}" for p, b in types
            )
            tip = f"<b>{esc(site['name'])}</b><br>{year}: "
            tip += (
                f"{formatting.number(total, 0)} {view.labels['beds_unit']} ({parts})"
                if types
                else view.labels["idle_site"]
            )
            out[str(year)].append(
                {
                    "lat": float(site["lat"]),
                    "lon": float(site["lon"]),
                    "active": bool(types),
                    "name": str(site["name"]),
                    "icon": site_icon(types, styles) if types else IDLE_ICON,
                    "tip": tip,
                    "popup": _site_popup(run, site, plan, year, view),
                }
            )
    return out


def distance_rings(run: RunFolder, styles: dict) -> dict[str, dict]:
    """Per place type with a km limit: circles of that radius around the sites that run it."""
    sites = site_table(run).set_index("site_id")
    limits = run.place_types.set_index("type")["max_km"]
    active = run.plan[run.plan["beds"] > 0]
    rings = {}
    for ptype in run.types:
        if ptype not in limits.index or pd.isna(limits[ptype]) or limits[ptype] <= 0:
            continue
        ids = sorted(set(active.loc[active["type"] == ptype, "site_id"]) & set(sites.index))
        rings[ptype] = {
            "km": float(limits[ptype]),
            "colour": styles[ptype]["colour"],
            "circles": [[float(sites.loc[i, "lat"]), float(sites.loc[i, "lon"])] for i in ids],
        }
    return rings
