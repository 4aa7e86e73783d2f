"""Why demand goes unmet or a scenario cannot be solved, in planners' words.

Two questions: (1) for unmet demand, can the zone reach any compatible site at all (distance, time,
education access), or is a limit (budget, closed-place cap, site size) in the way; (2) for an
infeasible scenario, which policy limit makes it so, and by how much — answered by re-solving with
every policy limit made elastic and reporting the smallest violation found.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from models import strategic
from optimizer.data import InputData
from optimizer.results import EPS, Solution


def _fmt_eur(value: float) -> str:
    return f"EUR {value:,.0f}"


def reach_reason(data: InputData, gm_code: str, need: str) -> str | None:
    """Why no compatible site is within reach of a zone's need; None if one is."""
    sc = data.scenario
    types = data.place_types.set_index("type")
    dist = data.distances[data.distances["gm_code"] == gm_code].set_index("site_id")
    causes = []
    for k in sc.compatibility.types_for(need):
        for site in data.sites.itertuples(index=False):
            if k not in site.allowed_types.split(";"):
                continue
            if site.site_id not in dist.index:
                causes.append((float("inf"), f"{site.name} cannot be reached over land"))
                continue
            km, minutes = dist.at[site.site_id, "km"], dist.at[site.site_id, "minutes"]
            limit_km, limit_min = types.at[k, "max_km"], types.at[k, "max_minutes"]
            edu = k in site.education_types.split(";")
            if km <= limit_km and minutes <= limit_min and edu:
                return None
            why = []
            if km > limit_km:
                why.append(f"is {km:.0f} km away (limit {limit_km:.0f} km for {k})")
            elif minutes > limit_min:
                why.append(f"is {minutes:.0f} min away (limit {limit_min:.0f} min for {k})")
            if not edu:
                limit = sc.education.max_school_km
                why.append(f"has no school within {limit:.0f} km, so it cannot run {k} places")
            causes.append((km, f"{site.name} ({k}) " + " and ".join(why)))
    if not causes:
        return f"no site may run a place type compatible with {need} need"
    causes.sort(key=lambda c: c[0])
    return "no compatible site within reach: " + "; ".join(c[1] for c in causes[:3])


def explain_unmet(data: InputData, m: pyo.ConcreteModel, solution: Solution) -> list[str]:
    """Fill ``solution.unmet['reason']`` and return one sentence per zone/need (and per limit)."""
    if solution.unmet.empty:
        return []
    p: strategic.Parameters = m.params
    names = data.zones.set_index("gm_code")["name"]
    regions = data.zones.set_index("gm_code")["region"]
    reasons, sentences = [], []
    for (z, n), group in solution.unmet.groupby(["gm_code", "need"], sort=True):
        reason = reach_reason(data, z, n)
        if reason is None:
            limits = {}
            for t in sorted(group["year"].unique()):
                text = _binding_limits(m, p, t, z, n)
                limits.setdefault(text, []).append(t)
            reason = "; ".join(
                f"in {', '.join(str(t) for t in years)}: {text}" for text, years in limits.items()
            )
        beds = group["beds"].sum()
        years = ", ".join(str(y) for y in sorted(group["year"].unique()))
        sentences.append(
            f"{names.get(z, z)} ({regions.get(z, '?')}), {n} need: {beds:.2f} bed-years unmet "
            f"({years}) — {reason}."
        )
        reasons.extend((idx, reason) for idx in group.index)
    for idx, reason in reasons:
        solution.unmet.at[idx, "reason"] = reason
    return sentences


def _binding_limits(m, p: strategic.Parameters, t: int, z: str, n: str) -> str:
    """Which limits stop zone z's need n being placed in year t: only limits that apply to it.

    A cap on closed places is named only when the need can use closed places; a full site only
    when the zone can reach it for that need.
    """
    reachable = {(s, k) for _, _, s, k, _ in m.arcs_of.get((z, n, t), [])}
    types = {k for _, k in reachable}
    sites = sorted({s for s, _ in reachable})
    tight = []
    budget = m.budget_of.get(t)
    if budget is not None:
        body, limit = pyo.value(budget.body), pyo.value(budget.upper)
        if body >= limit - 1e-6 * max(1.0, limit):
            tight.append(f"the budget of {_fmt_eur(limit)} is fully used")
    size = p.types["group_size"].to_dict()
    caps = p.limits.max_closed_places
    if "closed" in types and t in caps:
        used = sum(
            size["closed"] * pyo.value(m.g[s, "closed", t]) for s, k in p.sk if k == "closed"
        )
        if used >= caps[t] - EPS:
            tight.append(f"the cap of {caps[t]:.0f} closed places is reached")
    full = [
        p.sites.at[s, "name"]
        for s in sites
        if 0
        < p.sites.at[s, "max_groups"]
        <= sum(pyo.value(m.g[s2, k, t]) for s2, k in p.sk if s2 == s) + EPS
    ]
    if full:
        tight.append("the sites it can reach are at their maximum size: " + ", ".join(full))
    if not tight:
        names = ", ".join(p.sites.at[s, "name"] for s in sites) or "no site"
        penalty = _fmt_eur(p.unmet_penalty.get(n, 0.0))
        return (
            f"the places it can reach ({names}) are taken, and one more group there would cost "
            f"more than leaving this small amount of {n} need unplaced ({penalty} per bed-year, "
            "unmet rule)"
        )
    return " and ".join(tight)


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
        reason = reach_reason(data, z, n) or "no site may take it"
        sentences.append(
            f"Admission duty: {n} need of zone {z} ({names.get(z, z)}) cannot be placed at all, "
            f"beds by year: {beds} — {reason}."
        )
    return sentences


def explain_infeasible(params: strategic.Parameters, time_limit: float) -> list[str]:
    """Which policy limits make the scenario infeasible, and by how much each would have to give.

    Each limit family is relaxed alone (the others kept hard); every family whose relaxation alone
    restores feasibility is reported with its smallest relaxation. If none does, all are relaxed
    together.
    """
    from optimizer.solve import solve

    sentences = []
    for family in strategic.POLICY_LIMITS:
        m = strategic.build(params, elastic=frozenset({family}))
        if family != "admission" and not m.slack_of:
            continue
        result = solve(m, time_limit=time_limit, mip_rel_gap=1e-9)
        if result.has_solution:
            sentences.extend(_slack_sentences(m) + _duty_sentences(m, params))
    if sentences:
        if len(sentences) > 1:
            sentences.insert(0, "Any one of these changes would make the scenario feasible:")
        return sentences
    m = strategic.build(params, elastic=True)
    result = solve(m, time_limit=time_limit, mip_rel_gap=1e-9)
    if not result.has_solution:
        return [
            "The scenario is infeasible even with every policy limit relaxed: check the existing "
            "groups against max_groups and the fixed contracts."
        ]
    sentences = _slack_sentences(m) + _duty_sentences(m, params)
    if sentences:
        sentences.insert(0, "Only relaxing several limits together makes the scenario feasible:")
    return sentences or ["The scenario is infeasible, but no policy limit explains it."]


def _duty_sentences(m, p: strategic.Parameters) -> list[str]:
    """Youths the admission duty cannot place: zone, need, years and beds (elastic duty only)."""
    short: dict[tuple[str, str], dict[int, float]] = {}
    for z, n, t in m.U:
        if n in p.unmet_penalty:
            continue
        beds = pyo.value(m.u[z, n, t])
        if beds and beds > 1e-6:
            short.setdefault((z, n), {})[t] = beds
    sentences = []
    for (z, n), by_year in sorted(short.items()):
        years = ", ".join(f"{t} ({b:.2f})" for t, b in sorted(by_year.items()))
        sentences.append(
            f"Admission duty: {n} need of zone {z} cannot all be placed within the other limits; "
            f"beds short by year: {years}. Allow it with 'unmet: {{{n}: ...}}' or relax a limit."
        )
    return sentences


def _slack_sentences(m) -> list[str]:
    sentences = []
    p = m.params
    for key, var in m.slack_of.items():
        amount = pyo.value(var)
        if amount is None or amount <= 1e-6:
            continue
        kind = key[0]
        if kind == "budget":
            limit = p.limits.budget_eur[key[1]]
            sentences.append(
                f"Budget {key[1]}: the plan needs at least {_fmt_eur(limit + amount)}, "
                f"{_fmt_eur(amount)} more than the limit of {_fmt_eur(limit)}."
            )
        elif kind == "closed_cap":
            cap = p.limits.max_closed_places[key[1]]
            sentences.append(
                f"Closed places {key[1]}: at least {cap + amount:.0f} are needed, "
                f"{amount:.0f} more "
                f"than the cap of {cap:.0f}."
            )
        elif kind == "closed_beds":
            cap = p.limits.max_closed_beds[key[1]]
            sentences.append(
                f"Closed-care use {key[1]}: at least {cap + amount:.2f} beds in closed places are "
                f"needed, {amount:.2f} more than the limit of {cap:.2f} beds used."
            )
        elif kind == "recruitment":
            cap = p.limits.max_recruit_fte[key[1]]
            sentences.append(
                f"Staff {key[1]}: the plan needs {cap + amount:.1f} new FTE, {amount:.1f} more "
                f"than the recruitment ceiling of {cap:.1f} FTE."
            )
        elif kind == "funding":
            rule = p.must_cover[key[1]]
            years = ", ".join(str(t) for t in rule.years)
            sentences.append(
                f"Funding rule '{rule.name}': the pots must cover {', '.join(rule.categories)} in "
                f"{years} in full, but the plan's cash there exceeds what the pots can pay by at "
                f"least {_fmt_eur(amount)} (pots: "
                + ", ".join(f"{pot.name} {_fmt_eur(pot.amount_eur)}" for pot in p.pots)
                + "); add money to a pot, widen its years or categories, or drop the rule."
            )
        elif kind == "viability":
            rule = p.viability[key[1]]
            sentences.append(
                f"Provider {rule.provider} {key[2]}: the plan can give it at most "
                f"{_fmt_eur(rule.level_eur - amount)} revenue, {_fmt_eur(amount)} less than its "
                f"viability level of {_fmt_eur(rule.level_eur)} (overhead "
                f"{_fmt_eur(rule.overhead_eur)} / share {rule.overhead_share:g})."
            )
        elif kind == "hybrid_region":
            sentences.append(
                f"Hybrid site in {key[1]} from {key[2]}: no site in {key[1]} can run hybrid places "
                f"within the other limits (allowed type, education access, size, budget)."
            )
        elif kind == "min_places":
            rule = p.limits.min_places[key[1]]
            sentences.append(
                f"Minimum '{rule.name}' in {key[2]}: only {rule.places - amount:.0f} of the "
                f"required {rule.places} places ({', '.join(rule.types)}) can be provided "
                f"within the other limits ({amount:.0f} short)."
            )
        else:
            rule = p.limits.fixed_groups[key[1]]
            direction = "fewer" if kind == "fixed_up" else "more"
            sentences.append(
                f"Fixed contract for {rule.site} ({rule.type}) in {key[2]}: {rule.groups} groups "
                f"cannot be held within the other limits ({amount:.0f} {direction} would fit)."
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
