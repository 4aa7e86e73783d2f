"""The schools of a plan as objects, and each site's options: what models.education decides over.

A site's youths can be taught at (1) its own arrangement: education on site, the bundled school it
names, or a school at a given distance; (2) education it may start on its grounds
(``education.offer_on_site``, the Plein3 model); (3) any located bundled school of a kind that
suits the place type (``education.school_kinds``) within ``education.max_school_km`` over the
travel model. Each school carries its terms: ``education.schools.<id>`` over
``education.school_terms.<kind>``, else no limit and no cost.
"""

from __future__ import annotations

import pandas as pd

import geodata
from optimizer import travel
from optimizer.errors import Findings
from optimizer.schema import Scenario

SCHOOL_COLUMNS = [
    "school_id", "name", "kind", "gm_code", "lat", "lon", "capacity_pupils", "min_pupils",
    "fixed_eur_per_year", "closing_eur", "setup_eur", "open_at_start", "host_site",
    "without_host_eur_per_year", "pupils_2023",
]  # fmt: skip
OPTION_COLUMNS = ["site_id", "type", "school_id", "km", "basis"]
ON_SITE_KIND = "on_site"  # the kind of education a site gives on its own grounds, not bundled
OWN_KIND = "own"  # a site's school at a given distance (education.school_km), not bundled


def _terms(scenario: Scenario, school_id: str, kind: str) -> dict:
    """capacity_pupils, min_pupils, fixed_eur_per_year, closing_eur, without_host_eur_per_year."""
    edu = scenario.education
    base = edu.school_terms.get(kind)
    out = {
        "capacity_pupils": None if base is None else base.capacity_pupils,
        "min_pupils": 0.0 if base is None else base.min_pupils,
        "fixed_eur_per_year": 0.0 if base is None else base.fixed_eur_per_year,
        "closing_eur": 0.0 if base is None else base.closing_eur,
        "without_host_eur_per_year": None,
    }
    rule = edu.schools.get(school_id)
    if rule is not None:
        for key in out:
            value = getattr(rule, key)
            if value is not None:
                out[key] = value
    return out


def plan_schools(
    scenario: Scenario,
    sites: pd.DataFrame,
    site_schools: pd.DataFrame,
    travel_model,
    problems: Findings,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(sites with ``education_types`` from the options, schools SCHOOL_COLUMNS, options
    OPTION_COLUMNS). ``site_schools`` gives the distance of each site's own named school."""
    edu = scenario.education
    bundled = geodata.load_schools().set_index("school_id", drop=False)
    located = geodata.load_schools(located=True).set_index("school_id", drop=False)
    for school_id in edu.schools:
        if school_id not in bundled.index:
            problems.add(
                f"education.schools.{school_id}",
                f"unknown school_id {school_id!r}; expected a school_id of geodata schools.csv",
            )
    detour, limit = scenario.travel.detour_factor, edu.max_school_km
    own_km = {
        (r.site_id, r.type): r.km
        for r in site_schools.itertuples(index=False)
        if r.basis in ("named", "school_km", "on_site") and r.km is not None
    }
    schools: dict[str, dict] = {}
    options: list[tuple] = []

    def add_school(school_id, name, kind, where, extra=None):
        if school_id not in schools:
            row = {"school_id": school_id, "name": name, "kind": kind,
                   "gm_code": where[0], "lat": where[1], "lon": where[2],
                   "setup_eur": 0.0, "open_at_start": True, "host_site": "",
                   "pupils_2023": float("nan"), **_terms(scenario, school_id, kind)}  # fmt: skip
            if school_id in bundled.index:
                row["pupils_2023"] = bundled.at[school_id, "pupils_2023"]
            schools[school_id] = row
        schools[school_id].update(extra or {})

    for site in sites.itertuples(index=False):
        sid = site.site_id
        spec = scenario.sites[sid].education
        here = (site.gm_code, site.lat, site.lon)
        types = [t for t in site.allowed_types.split(";") if t]
        named = bundled.loc[spec.school] if spec.school in bundled.index else None
        where = here if named is None else (named["gm_code"], named["lat"], named["lon"])
        if spec.on_site:
            school_id = spec.school or f"{ON_SITE_KIND}_{sid}"
            kind = ON_SITE_KIND if named is None else named["kind"]
            name = named["name"] if named is not None else f"{site.name}: education on site"
            add_school(school_id, name, kind, here if named is None else where,
                       {"host_site": sid} if named is not None else None)  # fmt: skip
            options += [(sid, t, school_id, 0.0, "on_site") for t in types]
        elif spec.school_km is not None or spec.school is not None:
            school_id = spec.school or f"school_{sid}"
            kind = OWN_KIND if named is None else named["kind"]
            name = named["name"] if named is not None else f"{site.name}: school"
            nowhere = (site.gm_code, float("nan"), float("nan"))  # a distance, not a place
            add_school(school_id, name, kind, where if named is not None else nowhere)
            basis = "school_km" if spec.school_km is not None else "named"
            for t in types:
                km = own_km.get((sid, t))
                if km is not None and km <= limit:
                    options.append((sid, t, school_id, float(km), basis))
        if spec.offer_on_site is not None:
            offer = spec.offer_on_site
            school_id = f"offer_{sid}"
            add_school(school_id, f"{site.name}: education on site", ON_SITE_KIND, here)
            schools[school_id].update(
                capacity_pupils=offer.capacity_pupils, min_pupils=offer.min_pupils,
                fixed_eur_per_year=offer.eur_per_year, setup_eur=offer.setup_eur,
                open_at_start=False,
            )  # fmt: skip
            options += [(sid, t, school_id, 0.0, "offer_on_site") for t in types]
        if edu.school_kinds is None:
            continue
        wanted = {k for t in types for k in edu.school_kinds.kinds_for(t)}
        near = located[located["kind"].isin(wanted)]
        taken = {(o[1], o[2]) for o in options if o[0] == sid}
        for school in near.itertuples(index=False):
            km = travel.trip_km(
                travel_model, detour, here, (school.gm_code, school.lat, school.lon)
            )
            if km is None or km > limit:
                continue
            for t in types:
                if (
                    school.kind in edu.school_kinds.kinds_for(t)
                    and (t, school.school_id) not in taken
                ):
                    add_school(school.school_id, school.name, school.kind,
                               (school.gm_code, school.lat, school.lon))  # fmt: skip
                    options.append((sid, t, school.school_id, float(km), "suitable"))
    table = pd.DataFrame(list(schools.values()), columns=SCHOOL_COLUMNS)
    table = table.sort_values("school_id").reset_index(drop=True)
    opts = pd.DataFrame(options, columns=OPTION_COLUMNS)
    served = opts.groupby("site_id")["type"].agg(lambda ts: set(ts)).to_dict()
    sites = sites.copy()
    sites["education_types"] = [
        ";".join(t for t in allowed.split(";") if t in served.get(sid, set()))
        for sid, allowed in zip(sites["site_id"], sites["allowed_types"], strict=True)
    ]
    return sites, table, opts


KIND_WORDS = {  # (English, Dutch) of the bundled kinds, for explanations
    "vo": ("regular secondary", "regulier voortgezet onderwijs"),
    "practical": ("practical education", "praktijkonderwijs"),
    "vso_cluster4": ("special secondary cluster 4", "voortgezet speciaal onderwijs cluster 4"),
    "vso_other": ("special secondary clusters 1-3", "voortgezet speciaal onderwijs cluster 1-3"),
    "jzplus_school": ("JeugdzorgPlus school", "JeugdzorgPlus-school"),
}


def no_school_facts(
    scenario: Scenario, site_schools: pd.DataFrame | None, site_id: str, place_type: str
) -> dict:
    """What explains that ``site_id`` cannot run ``place_type`` for want of education: the
    school-travel limit, the kinds that suit the type (English and Dutch words) and the nearest
    such school with its distance (None when none is reachable)."""
    edu = scenario.education
    kinds = edu.school_kinds.kinds_for(place_type) if edu.school_kinds else []
    rows = pd.DataFrame() if site_schools is None else site_schools
    if not rows.empty:
        rows = rows[(rows["site_id"] == site_id) & (rows["type"] == place_type)]
        rows = rows[rows["km"].notna()]
    nearest = None if rows.empty else (str(rows.iloc[0]["school_name"]), float(rows.iloc[0]["km"]))
    return {
        "limit": float(edu.max_school_km),
        "kinds_en": ", ".join(KIND_WORDS.get(k, (k, k))[0] for k in kinds) or "none listed",
        "kinds_nl": ", ".join(KIND_WORDS.get(k, (k, k))[1] for k in kinds) or "geen opgegeven",
        "nearest": nearest,
    }
