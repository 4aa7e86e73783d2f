"""Who pays the plan's cash: the funding pots (scenario ``funding``) and the municipalities.

The plan's objective does not see who pays; the pots matter through the budget (own money) and
``must_cover`` rules, which the model keeps (models.strategic.add_funding). Once a plan is
solved, its cash per category and year is fixed, and the allocation reported is the one that
uses the pots the most, earliest years first (models.strategic.allocation_model): pots.csv per
pot and year, the paid part per category, and what remains in the pot.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from models import strategic
from optimizer.errors import JzplanError

COLUMNS = [
    "pot", "year", "amount_eur", *[f"paid_{c}_eur" for c in strategic.CATEGORIES], "paid_eur",
    "cofinanced_eur", "remaining_eur",
]  # fmt: skip
CATEGORY_COLUMNS = ["year", *strategic.CATEGORIES]


class AllocationFailed(JzplanError):
    """The pots could not be allocated for a solved plan (should not happen; rounding)."""


def category_cash(m) -> dict[tuple[str, int], float]:
    """The solved plan's cash by funding category and year: (category, year) -> EUR."""
    p: strategic.Parameters = m.params
    found = {}
    for t in p.years:
        for c, expr in strategic.category_costs(m, p, t).items():
            found[c, t] = max(0.0, float(pyo.value(expr)))
    return found


def category_table(cash: dict[tuple[str, int], float], years: list[int]) -> pd.DataFrame:
    rows = [[t, *[cash.get((c, t), 0.0) for c in strategic.CATEGORIES]] for t in years]
    return pd.DataFrame(rows, columns=CATEGORY_COLUMNS)


def allocate(m, cash_by_year: dict[int, float], time_limit: float) -> pd.DataFrame:
    """pots.csv for a solved model: per pot and year what it pays, by category, and what is left,
    in euros rounded to the cent. Empty (header only) without pots.
    """
    from optimizer.solve import solve

    p: strategic.Parameters = m.params
    if not p.pots:
        return pd.DataFrame(columns=COLUMNS)
    cash = category_cash(m)
    model = strategic.allocation_model(p, cash, cash_by_year)
    result = solve(model, time_limit=time_limit, mip_rel_gap=1e-9)
    if not result.has_solution:
        raise AllocationFailed(
            f"the funding pots of {p.name} could not be allocated for the solved plan "
            f"({result.describe()})"
        )
    rows = []
    for i, pot in enumerate(p.pots):
        left = pot.amount_eur
        for t in sorted(set(pot.years) & set(p.years)):
            charged = {
                c: _value(model.charge[i, c, t]) if (i, c, t) in model.POTC else 0.0
                for c in strategic.CATEGORIES
            }
            paid = {c: round((1 - pot.cofinancing) * v, 2) for c, v in charged.items()}
            total = round(sum(paid.values()), 2)
            left = round(left - total, 2)
            rows.append(
                [pot.name, t, pot.amount_eur, *[paid[c] for c in strategic.CATEGORIES], total,
                 round(pot.cofinancing * sum(charged.values()), 2), max(left, 0.0)]
            )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def _value(var) -> float:
    v = pyo.value(var, exception=False)
    return 0.0 if v is None or abs(v) < 1e-6 else float(v)


def own_money(cash_by_year: dict[int, float], pots: pd.DataFrame) -> dict[str, dict]:
    """Per year: cash, what the pots pay, what the municipalities pay (own money)."""
    paid = pots.groupby("year")["paid_eur"].sum() if not pots.empty else pd.Series(dtype=float)
    out = {}
    for t, cash in sorted(cash_by_year.items()):
        from_pots = float(paid.get(t, 0.0))
        out[str(t)] = {"cash_eur": cash, "pots_eur": from_pots, "own_eur": cash - from_pots}
    return out
