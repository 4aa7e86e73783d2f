"""The refusal probability a referred youth faces, per service pool and year: one way, everywhere.

A pool is a set of (site, type) pairs whose places are shared (the scenario's
``service_level.pools``; every other pair is a pool of its own, as in the model). Youth are
routed to pools by the plan (the assignment x), so each pool receives a thinned Poisson stream:
its offered load a_P is the average occupied beds the plan places there (all needs, overflow
included), and a youth routed to it is refused when all its c_P places are taken, with
probability B(c_P, a_P) (Erlang B; insensitive to the length-of-stay distribution). The model's
capacity (admissible load per number of groups), this table, the reserve figures, the report and
``jzplan size --run`` all use this one definition; the independent checker recomputes it.

A youth of need n faces, on average over the pools the plan sends that need to,
Σ_P a_{P,n} B(c_P, a_P) / Σ_P a_{P,n} (:func:`refusal_by_need`).
"""

from __future__ import annotations

import pandas as pd

from optimizer.erlang import erlang_b

COLUMNS = [
    "variant", "pool", "year", "sites", "types", "groups", "places", "offered_load_beds",
    "refusal_probability", "max_refusal_probability",
]  # fmt: skip
PLAN = "plan"


def pool_table(
    pools: dict[str, list[tuple[str, str]]],
    plan: pd.DataFrame,
    assignments: pd.DataFrame,
    years: list[int],
    target: float | None,
    variant: str = PLAN,
) -> pd.DataFrame:
    """One row per pool and year with places (groups × size) and the load the plan sends there."""
    groups = plan.groupby(["site_id", "type", "year"])[["groups", "beds"]].sum()
    load = assignments.groupby(["site_id", "type", "year"])["beds"].sum()
    rows = []
    for name, pairs in pools.items():
        for t in years:
            keys = [(s, k, t) for s, k in pairs]
            g = sum(int(groups["groups"].get(key, 0)) for key in keys)
            c = sum(int(round(groups["beds"].get(key, 0))) for key in keys)
            a = float(sum(load.get(key, 0.0) for key in keys))
            if c == 0 and a == 0:
                continue
            rows.append(
                (variant, name, t, ";".join(sorted({s for s, _ in pairs})),
                 ";".join(sorted({k for _, k in pairs})), g, c, a,
                 erlang_b(c, a) if c > 0 else 1.0, target)
            )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def refusal_by_need(
    pools: dict[str, list[tuple[str, str]]], table: pd.DataFrame, assignments: pd.DataFrame
) -> pd.DataFrame:
    """year, need, offered_load_beds, refusal_probability: what a youth of each need faces."""
    pool_of = {pair: name for name, pairs in pools.items() for pair in pairs}
    pairs = zip(assignments["site_id"], assignments["type"], strict=True)
    a = assignments.assign(pool=[pool_of.get(pair) for pair in pairs])
    refusal = table.set_index(["pool", "year"])["refusal_probability"]
    a["refused"] = [
        b * refusal.get((p, t), 0.0)
        for b, p, t in zip(a["beds"], a["pool"], a["year"], strict=True)
    ]
    out = a.groupby(["year", "need"], as_index=False)[["beds", "refused"]].sum()
    out["refusal_probability"] = out["refused"] / out["beds"]
    return out.rename(columns={"beds": "offered_load_beds"})[
        ["year", "need", "offered_load_beds", "refusal_probability"]
    ]


def refusal_for_types(table: pd.DataFrame, types: set[str]) -> pd.DataFrame:
    """year, places, offered_load_beds, refusal_probability over the pools of ``types``.

    The load-weighted refusal of youth placed in those types: the figure the reserve section,
    the report and ``jzplan size --run`` show.
    """
    rows = table[[bool(set(t.split(";")) & types) for t in table["types"]]]
    weighted = rows.assign(refused=rows["offered_load_beds"] * rows["refusal_probability"])
    out = weighted.groupby("year", as_index=False)[["places", "offered_load_beds", "refused"]].sum()
    out["refusal_probability"] = (out["refused"] / out["offered_load_beds"]).where(
        out["offered_load_beds"] > 0, 0.0
    )
    return out.drop(columns="refused")
