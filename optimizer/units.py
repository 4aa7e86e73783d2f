"""The unit of every number a scenario can hold, read from its path in the scenario.

Why by path: the schema names its fields with their units (``running_eur_per_place_year``,
``max_km``), so one ordered rule list gives ``inputs/parameters.csv`` and the report's
assumptions table a unit column without a second copy of the schema. A field no rule matches
gets an empty unit; a test walks the shipped scenarios so a new field cannot go unnoticed.
"""

from __future__ import annotations

import re

#: (pattern searched in the dotted path, unit); the first match wins, so specific rules first.
RULES: tuple[tuple[str, str], ...] = (
    (r"_eur_per_place_year", "EUR per place per year"),
    (r"day_tariff_eur", "EUR per place per day"),
    (r"site_exit_eur", "EUR per site closed"),
    (r"amount_eur$|advance_eur$|setup_eur$|closing_eur$", "EUR"),
    (r"cofinancing_share|overhead_share", "share (0-1)"),
    (r"\.eur_per_bed_year$", "EUR per bed-year"),
    (r"_eur_per_group_year", "EUR per removed group per year"),
    (r"_eur_per_group\b", "EUR per group"),
    (r"_eur_per_bed_km_year", "EUR per bed-km per year"),
    (r"_eur_per_bed_year_per_level", "EUR per bed-year per level"),
    (r"_eur_per_bed_year", "EUR per bed-year"),
    (r"[._]eur_per_year", "EUR per year"),
    (r"_pupils$", "average occupied beds"),
    (r"free_group_removals_per_year", "groups per year"),
    (r"friction_years|writeoff_years|min_group_years|min_open_years", "years"),
    (r"fte_per_group", "FTE per group"),
    (r"max_recruit_fte_per_year", "FTE per year"),
    (r"share_0_14|share_15_24", "share of the age band (0-1)"),
    (r"need_shares|max_share", "share (0-1)"),
    (r"^demand\.totals|^demand_paths\.paths\.[^.]+\.demand\.totals", "average occupied beds"),
    (r"^demand_paths\.paths\.[^.]+\.probability$", "probability (0-1)"),
    (r"^demand_paths\.first_stage_years\.\d+$", "year"),
    (r"^demand_paths\.risk\.(alpha|weight)$", "share (0-1)"),
    (r"arrivals_by_region", "youths admitted per year"),
    (r"mean_stay_days", "days"),
    (r"school_km|max_km|\.km$", "km"),
    (r"min_population", "inhabitants"),
    (r"max_minutes|extra_minutes", "minutes"),
    (r"speed_kmh", "km per hour"),
    (r"detour_factor", "ratio (road km / straight km)"),
    (r"group_size", "places per group"),
    (r"min_groups_if_open|max_groups|\.existing\.", "groups"),
    (r"occupancy_target", "share of places (0-1)"),
    (r"discount_rate", "per year (fraction)"),
    (r"max_refusal_probability", "probability (0-1)"),
    (r"mip_rel_gap", "relative gap (fraction)"),
    (r"time_limit_s", "seconds"),
    (r"_year$|\.year$|\.years\.\d+$|hybrid_site_required_from", "year"),
    (r"beds", "beds"),
    (r"places", "places"),
    (r"\.lat$", "degrees latitude (WGS 84)"),
    (r"\.lon$", "degrees longitude (WGS 84)"),
)
_COMPILED = tuple((re.compile(pattern), unit) for pattern, unit in RULES)


def unit_of(path: str) -> str:
    """The unit for a dotted scenario path such as ``costs.site_eur_per_year.value``."""
    for pattern, unit in _COMPILED:
        if pattern.search(path):
            return unit
    return ""
