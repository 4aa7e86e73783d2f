"""The providers' revenue and viability per year (provider.csv), from a solved plan.

A provider's revenue is what the regions pay it: the running cost of the places at its sites
(``sites.<id>.provider``). A share of the revenue (``providers[].overhead_share``) carries its
fixed overhead; below the viability level overhead / share it cannot (plan §3.1.1: a further fall
"means the end of its independence"). The shortfall is reported with the tariff increase that
would cover the overhead at the planned volume: the overhead the revenue leaves uncovered,
overhead − share × revenue, over the revenue from the types the contract prices (a higher tariff
adds revenue without adding places, so all of it goes to the overhead).
"""

from __future__ import annotations

import math

import pandas as pd

from models import strategic
from optimizer.wording import Said, fmt_eur, num

COLUMNS = [
    "provider", "year", "places", "revenue_eur", "contract_revenue_eur", "overhead_eur",
    "overhead_share", "viability_level_eur", "shortfall_eur", "shortfall_share",
    "tariff_increase_share", "min_revenue",
]  # fmt: skip


def provider_table(
    p: strategic.Parameters, plan: pd.DataFrame, contract_types: tuple[str, ...]
) -> pd.DataFrame:
    """One row per provider (every provider a site names) and plan year."""
    running = p.rates.running_eur_per_place_year
    providers = p.sites["provider"].to_dict() if "provider" in p.sites else {}
    rules = {v.provider: v for v in p.viability}
    frame = plan.assign(
        provider=plan["site_id"].map(providers),
        revenue=plan["beds"] * plan["type"].map(running),
        contract=plan["beds"] * plan["type"].map(running) * plan["type"].isin(contract_types),
    )
    sums = frame.groupby(["provider", "year"])[["beds", "revenue", "contract"]].sum()
    rows = []
    for name in sorted(set(providers.values()) | set(rules)):
        rule = rules.get(name)
        for t in p.years:
            places, revenue, contract = (
                sums.loc[(name, t)].tolist() if (name, t) in sums.index else (0.0, 0.0, 0.0)
            )
            rows.append([name, t, int(round(places)), revenue, contract, *_viability(rule,
                         revenue, contract)])  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def _viability(rule: strategic.Viability | None, revenue: float, contract: float) -> list:
    if rule is None:
        nan = math.nan
        return [nan, nan, nan, nan, nan, nan, False]
    level = rule.level_eur
    shortfall = max(0.0, level - revenue)
    uncovered = max(0.0, rule.overhead_eur - rule.overhead_share * revenue)
    if uncovered <= 1e-6:
        increase = 0.0
    else:
        increase = uncovered / contract if contract > 0 else math.nan
    return [
        rule.overhead_eur,
        rule.overhead_share,
        level,
        shortfall,
        shortfall / level if level > 0 else 0.0,
        increase,
        rule.min_revenue,
    ]


def sentences(table: pd.DataFrame) -> list[str]:
    """One sentence per provider and year whose revenue falls below its viability level, in
    English with its Dutch wording (optimizer.wording.Said)."""
    out = []
    short = table[(table["shortfall_eur"] > 0.5) & table["viability_level_eur"].notna()]
    for row in short.itertuples(index=False):
        share, raise_by = 100 * row.shortfall_share, 100 * row.tariff_increase_share
        head = Said(
            f"{row.provider}: revenue falls {share:.1f} % below the viability level in "
            f"{row.year} ({fmt_eur(row.revenue_eur)} of {fmt_eur(row.viability_level_eur)})",
            f"{row.provider}: de omzet ligt in {row.year} {num(share, 1, 'nl')} % onder het "
            f"niveau waarop de aanbieder levensvatbaar is ({fmt_eur(row.revenue_eur, 'nl')} van "
            f"{fmt_eur(row.viability_level_eur, 'nl')})",
        )
        if math.isnan(row.tariff_increase_share):
            tail = Said(
                "it has no contract revenue whose tariff could be raised",
                "er is geen contractomzet waarvan het tarief omhoog kan",
            )
        else:
            tail = Said(
                f"a tariff increase of {raise_by:.1f} % on its contract places would carry its "
                "overhead at the planned volume",
                f"een tariefsverhoging van {num(raise_by, 1, 'nl')} % op de contractplaatsen zou "
                "de overhead bij het geplande volume dragen",
            )
        out.append(Said(f"{head}; {tail}.", f"{head.nl}; {tail.nl}."))
    return out


def summary(table: pd.DataFrame) -> dict:
    """``{provider: {year: {revenue_eur, viability_level_eur, shortfall_share,
    tariff_increase_share}}}`` for summary.json (NaN as null)."""
    out: dict = {}
    for row in table.itertuples(index=False):
        out.setdefault(row.provider, {})[str(row.year)] = {
            key: _plain(getattr(row, key))
            for key in (
                "places", "revenue_eur", "viability_level_eur", "shortfall_share",
                "tariff_increase_share",
            )
        }  # fmt: skip
    return out


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value
