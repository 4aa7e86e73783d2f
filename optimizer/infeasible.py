"""Why a scenario cannot be solved: which policy limit makes it so, and by how much.

Answered by re-solving with every policy limit made elastic and reporting the smallest violation
found; each sentence is a :class:`optimizer.wording.Said` (English with its Dutch wording).
"""

from __future__ import annotations

import pyomo.environ as pyo

from models import strategic
from optimizer.wording import NEED_NL, TYPE_NL, Said
from optimizer.wording import eur as _eur
from optimizer.wording import fmt_eur as _fmt_eur
from optimizer.wording import num as _num


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
            sentences.insert(
                0,
                Said(
                    "Any one of these changes would make the scenario feasible:",
                    "Elk van deze wijzigingen maakt het scenario oplosbaar:",
                ),
            )
        return sentences
    m = strategic.build(params, elastic=True)
    result = solve(m, time_limit=time_limit, mip_rel_gap=1e-9)
    if not result.has_solution:
        return [
            Said(
                "The scenario is infeasible even with every policy limit relaxed: check the "
                "existing "
                "groups against max_groups and the fixed contracts.",
                "Het scenario is onoplosbaar, ook als elke beleidsgrens wordt losgelaten: "
                "vergelijk "
                "de bestaande groepen met max_groups en met de vaste contracten.",
            )
        ]
    sentences = _slack_sentences(m) + _duty_sentences(m, params)
    if sentences:
        sentences.insert(
            0,
            Said(
                "Only relaxing several limits together makes the scenario feasible:",
                "Alleen als meerdere grenzen samen ruimer worden, is het scenario oplosbaar:",
            ),
        )
    return sentences or [
        Said(
            "The scenario is infeasible, but no policy limit explains it.",
            "Het scenario is onoplosbaar, maar geen beleidsgrens verklaart het.",
        )
    ]


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
        years_nl = ", ".join(f"{t} ({_num(b, 2, 'nl')})" for t, b in sorted(by_year.items()))
        sentences.append(
            Said(
                f"Admission duty: {n} need of zone {z} cannot all be placed within the other "
                "limits; "
                f"beds short by year: {years}. Allow it with 'unmet: {{{n}: ...}}' or relax a "
                "limit.",
                f"Opnameplicht: zorgbehoefte {NEED_NL.get(n, n)} van gemeente {z} kan binnen de "
                "andere grenzen niet helemaal geplaatst worden; bedden tekort per jaar: "
                f"{years_nl}. "
                f"Sta het toe met 'unmet: {{{n}: ...}}' of maak een grens ruimer.",
            )
        )
    return sentences


def _slack_sentences(m) -> list[Said]:
    sentences = []
    p = m.params
    for key, var in m.slack_of.items():
        amount = pyo.value(var)
        if amount is None or amount <= 1e-6:
            continue
        kind = key[0]
        if kind == "budget":
            limit = p.limits.budget_eur[key[1]]
            (need, need_nl), (more, more_nl), (cap, cap_nl) = (
                _eur(limit + amount),
                _eur(amount),
                _eur(limit),
            )
            sentences.append(
                Said(
                    f"Budget {key[1]}: the plan needs at least {need}, {more} more than the limit "
                    "of "
                    f"{cap}.",
                    f"Budget {key[1]}: het plan heeft minstens {need_nl} nodig, {more_nl} meer dan "
                    f"de grens van {cap_nl}.",
                )
            )
        elif kind == "closed_cap":
            cap = p.limits.max_closed_places[key[1]]
            sentences.append(
                Said(
                    f"Closed places {key[1]}: at least {cap + amount:.0f} are needed, "
                    f"{amount:.0f} more than the cap of {cap:.0f}.",
                    f"Gesloten plaatsen {key[1]}: er zijn er minstens {cap + amount:.0f} nodig, "
                    f"{amount:.0f} meer dan het maximum van {cap:.0f}.",
                )
            )
        elif kind == "closed_beds":
            cap = p.limits.max_closed_beds[key[1]]
            sentences.append(
                Said(
                    f"Closed-care use {key[1]}: at least {cap + amount:.2f} beds in closed places "
                    "are "
                    f"needed, {amount:.2f} more than the limit of {cap:.2f} beds used.",
                    f"Gebruik gesloten zorg {key[1]}: er zijn minstens "
                    f"{_num(cap + amount, 2, 'nl')} "
                    f"bedden in gesloten plaatsen nodig, {_num(amount, 2, 'nl')} meer dan de grens "
                    f"van {_num(cap, 2, 'nl')} gebruikte bedden.",
                )
            )
        elif kind == "recruitment":
            cap = p.limits.max_recruit_fte[key[1]]
            sentences.append(
                Said(
                    f"Staff {key[1]}: the plan needs {cap + amount:.1f} new FTE, {amount:.1f} more "
                    f"than the recruitment ceiling of {cap:.1f} FTE.",
                    f"Personeel {key[1]}: het plan heeft {_num(cap + amount, 1, 'nl')} nieuwe fte "
                    f"nodig, {_num(amount, 1, 'nl')} meer dan het wervingsplafond van "
                    f"{_num(cap, 1, 'nl')} fte.",
                )
            )
        elif kind == "funding":
            rule = p.must_cover[key[1]]
            years = ", ".join(str(t) for t in rule.years)
            what = ", ".join(rule.categories)
            (short, short_nl) = _eur(amount)
            pots = ", ".join(f"{pot.name} {_fmt_eur(pot.amount_eur)}" for pot in p.pots)
            pots_nl = ", ".join(f"{pot.name} {_fmt_eur(pot.amount_eur, 'nl')}" for pot in p.pots)
            sentences.append(
                Said(
                    f"Funding rule '{rule.name}': the pots must cover {what} in {years} in full, "
                    "but "
                    f"the plan's cash there exceeds what the pots can pay by at least {short} "
                    "(pots: "
                    f"{pots}); add money to a pot, widen its years or categories, or drop the "
                    "rule.",
                    f"Financieringsregel '{rule.name}': de potten moeten {what} in {years} "
                    "helemaal "
                    f"dekken, maar de uitgaven van het plan daar zijn minstens {short_nl} hoger "
                    "dan "
                    f"de potten kunnen betalen (potten: {pots_nl}); voeg geld toe aan een pot, "
                    "maak "
                    "de jaren of posten ruimer, of laat de regel vallen.",
                )
            )
        elif kind == "viability":
            rule = p.viability[key[1]]
            (most, most_nl), (less, less_nl), (level, level_nl), (over, over_nl) = (
                _eur(rule.level_eur - amount),
                _eur(amount),
                _eur(rule.level_eur),
                _eur(rule.overhead_eur),
            )
            sentences.append(
                Said(
                    f"Provider {rule.provider} {key[2]}: the plan can give it at most {most} "
                    "revenue, "
                    f"{less} less than its viability level of {level} (overhead {over} / share "
                    f"{rule.overhead_share:g}).",
                    f"Aanbieder {rule.provider} {key[2]}: het plan kan hoogstens {most_nl} omzet "
                    f"geven, {less_nl} minder dan het niveau waarop de aanbieder levensvatbaar is, "
                    f"{level_nl} (overhead {over_nl} / aandeel "
                    f"{_num(rule.overhead_share, 2, 'nl')}).",
                )
            )
        elif kind == "hybrid_region":
            sentences.append(
                Said(
                    f"Hybrid site in {key[1]} from {key[2]}: no site in {key[1]} can run hybrid "
                    "places "
                    f"within the other limits (allowed type, education access, size, budget).",
                    f"Hybride locatie in {key[1]} vanaf {key[2]}: geen locatie in {key[1]} kan "
                    "binnen de andere grenzen hybride plaatsen bieden (toegestane plaatsvorm, "
                    "onderwijs, grootte, budget).",
                )
            )
        elif kind == "school_viability":  # models.education: a school below its minimum
            school = p.education.schools[key[1]]
            need = school.min_pupils
            sentences.append(
                Said(
                    f"School {school.name} in {key[2]}: it must stay in use but can get only "
                    f"{need - amount:.2f} of its minimum {need:g} plan pupils ({amount:.2f} "
                    "short); lower its min_pupils, let another school or education on site take "
                    "its youths (education.offer_on_site), or relax the limit that keeps it.",
                    f"School {school.name} in {key[2]}: ze moet in gebruik blijven maar krijgt "
                    f"maar {need - amount:.2f} van haar minimum van {need:g} leerlingen van het "
                    f"plan ({amount:.2f} te weinig); verlaag min_pupils, laat een andere school "
                    "of onderwijs op de locatie (education.offer_on_site) haar jongeren nemen, "
                    "of versoepel de grens die haar vasthoudt.",
                )
            )
        elif kind == "min_places":
            rule = p.limits.min_places[key[1]]
            types = ", ".join(rule.types)
            types_nl = ", ".join(TYPE_NL.get(k, k) for k in rule.types)
            sentences.append(
                Said(
                    f"Minimum '{rule.name}' in {key[2]}: only {rule.places - amount:.0f} of the "
                    f"required {rule.places} places ({types}) can be provided within the other "
                    f"limits ({amount:.0f} short).",
                    f"Minimum '{rule.name}' in {key[2]}: binnen de andere grenzen kunnen maar "
                    f"{rule.places - amount:.0f} van de vereiste {rule.places} plaatsen "
                    f"({types_nl}) "
                    f"geboden worden ({amount:.0f} te weinig).",
                )
            )
        else:
            rule = p.limits.fixed_groups[key[1]]
            up = kind == "fixed_up"
            direction, direction_nl = ("fewer", "minder") if up else ("more", "meer")
            sentences.append(
                Said(
                    f"Fixed contract for {rule.site} ({rule.type}) in {key[2]}: {rule.groups} "
                    "groups "
                    f"cannot be held within the other limits ({amount:.0f} {direction} would fit).",
                    f"Vast contract voor {rule.site} ({TYPE_NL.get(rule.type, rule.type)}) in "
                    f"{key[2]}: {rule.groups} groepen passen niet binnen de andere grenzen "
                    f"({amount:.0f} {direction_nl} zou passen).",
                )
            )
    return sentences
