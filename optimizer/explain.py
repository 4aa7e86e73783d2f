"""Why demand goes unmet or a scenario cannot be solved, in planners' words.

Two questions: (1) for unmet demand, can the zone reach any compatible site at all (distance, time,
education access), or is a limit (budget, closed-place cap, site size) in the way; (2) for an
infeasible scenario, which policy limit makes it so, and by how much — answered by re-solving with
every policy limit made elastic and reporting the smallest violation found.

Every sentence is a :class:`optimizer.wording.Said`: the English text, which summary.json and
unmet.csv keep, with its Dutch wording in ``.nl`` (summary.json ``explanations_nl`` and
``reasons_nl``). The infeasibility explanations live in :mod:`optimizer.infeasible`.
"""

import pandas as pd
import pyomo.environ as pyo

from models import strategic
from optimizer.data import InputData
from optimizer.infeasible import explain_infeasible
from optimizer.results import EPS, Solution
from optimizer.schools import no_school_facts
from optimizer.wording import NEED_NL, TYPE_NL, Said, dutch, dutch_reasons
from optimizer.wording import eur as _eur
from optimizer.wording import join as _join
from optimizer.wording import num as _num

__all__ = [
    "Said", "dutch", "dutch_reasons", "explain_infeasible", "explain_unmet", "reach_reason",
    "unmet_summary", "unreachable_duty",
]  # fmt: skip


def dutch_names(data: InputData) -> dict[str, str]:
    """Each site's name in Dutch sentences: its ``name_nl``, else its name."""
    names = dict(zip(data.sites["site_id"], data.sites["name"], strict=True))
    for site_id, site in data.scenario.sites.items():
        if site_id in names and site.name_nl:
            names[site_id] = site.name_nl
    return names


def reach_reason(data: InputData, gm_code: str, need: str) -> str | None:
    """Why no compatible site is within reach of a zone's need; None if one is."""
    sc = data.scenario
    types = data.place_types.set_index("type")
    dist = data.distances[data.distances["gm_code"] == gm_code].set_index("site_id")
    causes: list[tuple[float, Said]] = []
    nl_names = dutch_names(data)
    for k in sc.compatibility.types_for(need):
        kn = TYPE_NL.get(k, k)
        for site in data.sites.itertuples(index=False):
            if k not in site.allowed_types.split(";"):
                continue
            if site.site_id not in dist.index:
                causes.append(
                    (
                        float("inf"),
                        Said(
                            f"{site.name} cannot be reached over land",
                            f"{nl_names[site.site_id]} is over land niet te bereiken",
                        ),
                    )
                )
                continue
            km, minutes = dist.at[site.site_id, "km"], dist.at[site.site_id, "minutes"]
            limit_km, limit_min = types.at[k, "max_km"], types.at[k, "max_minutes"]
            edu = k in site.education_types.split(";")
            if km <= limit_km and minutes <= limit_min and edu:
                return None
            why = []
            if km > limit_km:
                why.append(
                    Said(
                        f"is {km:.0f} km away (limit {limit_km:.0f} km for {k})",
                        f"ligt {km:.0f} km weg (grens {limit_km:.0f} km voor {kn})",
                    )
                )
            elif minutes > limit_min:
                why.append(
                    Said(
                        f"is {minutes:.0f} min away (limit {limit_min:.0f} min for {k})",
                        f"ligt {minutes:.0f} min weg (grens {limit_min:.0f} min voor {kn})",
                    )
                )
            if not edu:
                f = no_school_facts(sc, data.site_schools, site.site_id, k)
                near = f["nearest"]
                if near:
                    near_en = Said(
                        f"the nearest, {near[0]}, is {near[1]:.0f} km away",
                        f"de dichtstbijzijnde, {near[0]}, ligt {near[1]:.0f} km weg",
                    )
                else:
                    near_en = Said("no such school is reachable", "zo'n school is niet bereikbaar")
                why.append(
                    Said(
                        f"has no suitable school within {f['limit']:.0f} km (kinds for {k}: "
                        f"{f['kinds_en']}; {near_en}) and offers no education on site, so it "
                        f"cannot run {k} places",
                        f"heeft geen passende school binnen {f['limit']:.0f} km (soorten voor "
                        f"{kn}: {f['kinds_nl']}; {near_en.nl}) en biedt geen onderwijs op de "
                        f"locatie, dus geen {kn} plaatsen",
                    )
                )
            both = _join(why, " and ", " en ")
            causes.append(
                (
                    km,
                    Said(f"{site.name} ({k}) {both}", f"{nl_names[site.site_id]} ({kn}) {both.nl}"),
                )
            )
    if not causes:
        return Said(
            f"no site may run a place type compatible with {need} need",
            f"geen locatie mag een plaatsvorm bieden die past bij zorgbehoefte "
            f"{NEED_NL.get(need, need)}",
        )
    causes.sort(key=lambda c: c[0])
    listed = _join([c[1] for c in causes[:3]], "; ", "; ")
    return Said(
        f"no compatible site within reach: {listed}",
        f"geen passende locatie binnen bereik: {listed.nl}",
    )


def explain_unmet(
    data: InputData, m: pyo.ConcreteModel, solution: Solution, least_cost: bool = True
) -> list[str]:
    """Fill ``solution.unmet['reason']`` and return one sentence per zone/need (and per limit).

    ``least_cost``: the plan is proven the least-cost one. Only then may a reason say that one
    more group would cost more than the unmet demand (a plan stopped at its time limit, an
    alternative or an equity plan may simply not have found the better plan)."""
    if solution.unmet.empty:
        return []
    p: strategic.Parameters = m.params
    names = data.zones.set_index("gm_code")["name"]
    regions = data.zones.set_index("gm_code")["region"]
    reasons, sentences = [], []
    for (z, n), group in solution.unmet.groupby(["gm_code", "need"], sort=True):
        reason = reach_reason(data, z, n)
        if reason is None:
            limits: dict[Said, list[int]] = {}
            for t in sorted(group["year"].unique()):
                text = _binding_limits(m, p, t, z, n, dutch_names(data), least_cost)
                limits.setdefault(text, []).append(t)
            reason = _join(
                [
                    Said(
                        f"in {', '.join(map(str, ys))}: {text}",
                        f"in {', '.join(map(str, ys))}: {dutch(text)}",
                    )
                    for text, ys in limits.items()
                ],
                "; ",
                "; ",
            )
        beds = group["beds"].sum()
        years = ", ".join(str(y) for y in sorted(group["year"].unique()))
        name, region = names.get(z, z), regions.get(z, "?")
        sentences.append(
            Said(
                f"{name} ({region}), {n} need: {beds:.2f} bed-years unmet ({years}) — {reason}.",
                f"{name} ({region}), zorgbehoefte {NEED_NL.get(n, n)}: {_num(beds, 2, 'nl')} "
                f"bedjaren niet geplaatst ({years}) — {dutch(reason)}.",
            )
        )
        reasons.extend((idx, reason) for idx in group.index)
    for idx, reason in reasons:
        solution.unmet.at[idx, "reason"] = reason
    return sentences


def _binding_limits(
    m, p: strategic.Parameters, t: int, z: str, n: str, nl_names: dict[str, str], least_cost
) -> Said:
    """Which limits stop zone z's need n being placed in year t: only limits that apply to it.

    A cap on closed places is named only when the need can use closed places; a full site only
    when the zone can reach it for that need.
    """
    reachable = {(s, k) for _, _, s, k, _ in m.arcs_of.get((z, n, t), [])}
    types = {k for _, k in reachable}
    sites = sorted({s for s, _ in reachable})
    tight: list[Said] = []
    budget = m.budget_of.get(t)
    if budget is not None:
        body, limit = pyo.value(budget.body), pyo.value(budget.upper)
        if body >= limit - 1e-6 * max(1.0, limit):
            en, nl = _eur(limit)
            tight.append(
                Said(f"the budget of {en} is fully used", f"het budget van {nl} is helemaal op")
            )
    size = p.types["group_size"].to_dict()
    caps = p.limits.max_closed_places
    if "closed" in types and t in caps:
        used = sum(
            size["closed"] * pyo.value(m.g[s, "closed", t]) for s, k in p.sk if k == "closed"
        )
        if used >= caps[t] - EPS:
            tight.append(
                Said(
                    f"the cap of {caps[t]:.0f} closed places is reached",
                    f"het maximum van {caps[t]:.0f} gesloten plaatsen is bereikt",
                )
            )
    full = [
        s
        for s in sites
        if 0
        < p.sites.at[s, "max_groups"]
        <= sum(pyo.value(m.g[s2, k, t]) for s2, k in p.sk if s2 == s) + EPS
    ]
    limited = bool(tight)  # a budget or cap binds: it explains the rest
    others = [s for s in sites if s not in full]
    if full:
        listed = ", ".join(p.sites.at[s, "name"] for s in full)
        listed_nl = ", ".join(nl_names.get(s, s) for s in full)
        tight.append(
            Said(
                f"the sites it can reach are at their maximum size: {listed}",
                f"de locaties die de gemeente kan bereiken zijn op hun grootst: {listed_nl}",
            )
            if not others
            else Said(
                f"of the sites it can reach, these are at their maximum size: {listed}",
                f"van de locaties die de gemeente kan bereiken zijn deze op hun grootst: "
                f"{listed_nl}",
            )
        )
    if full and others and not limited:  # the sites with room left need their own reason
        tight.append(_no_more_groups(p, n, others, nl_names, least_cost))
    if not tight:
        return _no_more_groups(p, n, sites, nl_names, least_cost)
    return _join(tight, " and ", " en ")


def _no_more_groups(p, n: str, sites: list, nl_names: dict[str, str], least_cost) -> Said:
    """Why reachable sites with room get no group more for this small demand."""
    names = ", ".join(p.sites.at[s, "name"] for s in sites)
    names_nl = ", ".join(nl_names.get(s, s) for s in sites)
    en, nl = _eur(p.unmet_penalty.get(n, 0.0))
    if not least_cost:
        return Said(
            f"the places it can reach ({names or 'no site'}) are taken; this plan is not "
            "proven to be the least-cost one (see the solver's gap), so a plan with one more "
            f"group there may place it at lower cost ({en} per bed-year unmet, unmet rule)",
            f"de plaatsen die de gemeente kan bereiken ({names_nl or 'geen locatie'}) zijn "
            "bezet; dit plan is niet bewezen het goedkoopste (zie de gap van de oplosser), "
            "dus een plan met een groep meer daar kan deze vraag mogelijk goedkoper plaatsen "
            f"({nl} per niet-geplaatst bedjaar, regel voor niet-geplaatste vraag)",
        )
    return Said(
        f"the places it can reach ({names or 'no site'}) are taken, and one more group there "
        f"would cost more than leaving this small amount of {n} need unplaced ({en} per "
        "bed-year, unmet rule)",
        f"de plaatsen die de gemeente kan bereiken ({names_nl or 'geen locatie'}) zijn bezet, "
        "en een groep meer zou meer kosten dan deze kleine vraag met zorgbehoefte "
        f"{NEED_NL.get(n, n)} niet plaatsen ({nl} per bedjaar, regel voor niet-geplaatste "
        "vraag)",
    )


def unreachable_duty(data: InputData, p: strategic.Parameters) -> list[str]:
    """Youths under the admission duty that no site can take at all (no feasible arc)."""
    with_arcs = set(zip(p.arcs["gm_code"], p.arcs["need"], strict=True))
    short: dict[tuple[str, str], list[int]] = {}
    for z, n, t in p.demand:
        if n not in p.unmet_penalty and (z, n) not in with_arcs:
            short.setdefault((z, n), []).append(t)
    names = data.zones.set_index("gm_code")["name"]
    sentences = []
    for (z, n), years in sorted(short.items()):
        beds = ", ".join(f"{t} ({p.demand[z, n, t]:.2f})" for t in sorted(years))
        beds_nl = ", ".join(f"{t} ({_num(p.demand[z, n, t], 2, 'nl')})" for t in sorted(years))
        reason = reach_reason(data, z, n) or Said(
            "no site may take it", "geen locatie mag de jeugdigen opnemen"
        )
        sentences.append(
            Said(
                f"Admission duty: {n} need of zone {z} ({names.get(z, z)}) cannot be placed at "
                "all, "
                f"beds by year: {beds} — {reason}.",
                f"Opnameplicht: zorgbehoefte {NEED_NL.get(n, n)} van gemeente {z} "
                f"({names.get(z, z)})"
                f" kan helemaal niet geplaatst worden, bedden per jaar: {beds_nl} — "
                f"{dutch(reason)}.",
            )
        )
    return sentences


def unmet_summary(unmet: pd.DataFrame) -> list[dict]:
    if unmet.empty:
        return []
    grouped = unmet.groupby(["year", "need"], as_index=False)["beds"].sum()
    return [
        {"year": int(r.year), "need": r.need, "beds": float(r.beds)}
        for r in grouped.itertuples(index=False)
    ]
