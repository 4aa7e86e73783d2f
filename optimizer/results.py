"""A solved strategic model as plain tables: plan, assignments, unmet demand, costs.

The tables are what the run folder stores and what reports read; nothing downstream needs Pyomo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

from models import strategic
from optimizer.schema import TYPES

EPS = 1e-7
COST_COMPONENTS = (
    "running", "site", "setup", "friction", "exit", "project", "travel", "school_transport",
    "education", "restrictiveness", "overflow", "unmet_penalty",
)  # fmt: skip
CASH, WEIGHT = "cash", "weight"
SCHOOL_COLUMNS = [
    "year", "school_id", "school_name", "kind", "gm_code", "lat", "lon", "host_site",
    "capacity_pupils", "min_pupils", "decided", "in_use", "pupils", "started", "stopped",
]  # fmt: skip
SCHOOL_PUPIL_COLUMNS = ["year", "site_id", "type", "school_id", "pupils", "km", "basis"]
VACANCY_COLUMNS = [
    "year", "site_id", "type", "places", "occupied_beds", "running_eur_per_place_year",
    "vacancy_eur",
]  # fmt: skip


@dataclass
class Solution:
    plan: pd.DataFrame
    assignments: pd.DataFrame
    unmet: pd.DataFrame
    costs: pd.DataFrame
    explanations: list[str] = field(default_factory=list)
    service: pd.DataFrame | None = None  # optimizer.service.COLUMNS, per pool and year
    reserve: pd.DataFrame | None = None  # optimizer.reserve.COLUMNS, per reserve rule and year
    vacancy: pd.DataFrame | None = None  # VACANCY_COLUMNS, per site, type and year
    pots: pd.DataFrame | None = None  # optimizer.funding.COLUMNS, per pot and year
    provider: pd.DataFrame | None = None  # optimizer.provider.COLUMNS, per provider and year
    schools: pd.DataFrame | None = None  # SCHOOL_COLUMNS, per school and year
    school_pupils: pd.DataFrame | None = None  # SCHOOL_PUPIL_COLUMNS, per site, type, school

    @property
    def objective_eur(self) -> float:
        return float(self.costs["eur_discounted"].sum())

    def totals(self) -> dict[str, float]:
        """Cash (undiscounted and discounted) and weights apart; cash + weights = objective."""
        cash = self.costs[self.costs["kind"] == CASH]
        weight = self.costs[self.costs["kind"] == WEIGHT]
        return {
            "cash_total_eur": float(cash["eur"].sum()),
            "cash_total_discounted_eur": float(cash["eur_discounted"].sum()),
            "weights_total_discounted_eur": float(weight["eur_discounted"].sum()),
            "weighted_total_eur": self.objective_eur,
        }

    def cash_by_year(self) -> dict[int, float]:
        cash = self.costs[self.costs["kind"] == CASH]
        return {int(t): float(v) for t, v in cash.groupby("year")["eur"].sum().items()}

    def cost_by_year(self) -> dict:
        wide = self.costs.pivot_table(
            index="year", columns="component", values="eur", aggfunc="sum"
        )
        wide = wide.reindex(columns=list(COST_COMPONENTS), fill_value=0.0).fillna(0.0)
        wide["total"] = wide.sum(axis=1)
        return {str(y): {k: float(v) for k, v in row.items()} for y, row in wide.iterrows()}

    def beds_by_year_type(self, years: list[int]) -> dict:
        table = self.plan.pivot_table(index="year", columns="type", values="beds", aggfunc="sum")
        table = table.reindex(index=years, columns=list(TYPES), fill_value=0).fillna(0)
        return {str(y): {k: int(v) for k, v in row.items()} for y, row in table.iterrows()}


def _value(var) -> float:
    v = pyo.value(var, exception=False)
    return 0.0 if v is None else float(v)


def extract(m: pyo.ConcreteModel) -> Solution:
    p: strategic.Parameters = m.params
    size = p.types["group_size"].to_dict()
    fte = p.types["fte_per_group"].to_dict() if "fte_per_group" in p.types else {}
    rows = []
    for s, k, t in m.SKT:
        groups = round(_value(m.g[s, k, t]))
        added, removed = round(_value(m.add[s, k, t])), round(_value(m.rem[s, k, t]))
        converted = round(_value(m.conv[s, k, t])) if (s, k, t) in m.CONV else 0
        if groups or added or removed:
            rows.append((t, s, p.sites.at[s, "name"], k, groups, groups * size[k], added, removed,
                         groups * fte.get(k, 0.0), converted))  # fmt: skip
    plan = pd.DataFrame(
        rows,
        columns=["year", "site_id", "site_name", "type", "groups", "beds", "added_groups",
                 "removed_groups", "fte", "converted_groups"],
    )  # fmt: skip

    arcs = p.arcs.set_index(["gm_code", "need", "site_id", "type"])
    rows = []
    for i in m.X:
        beds = _value(m.x[i])
        if beds > EPS:
            z, n, s, k, t = i
            rows.append((t, z, n, s, k, beds, arcs.at[(z, n, s, k), "km"],
                         arcs.at[(z, n, s, k), "minutes"]))  # fmt: skip
    assignments = pd.DataFrame(
        rows,
        columns=["year", "gm_code", "need", "site_id", "type", "beds", "distance_km", "minutes"],
    )
    rows = [(t, z, n, _value(m.u[z, n, t])) for z, n, t in m.U if _value(m.u[z, n, t]) > EPS]
    unmet = pd.DataFrame(rows, columns=["year", "gm_code", "need", "beds"]).assign(reason="")
    return Solution(
        plan=plan,
        assignments=assignments,
        unmet=unmet,
        costs=cost_table(m),
        vacancy=vacancy_table(p, plan, assignments),
        **school_tables(m),
    )


def school_tables(m: pyo.ConcreteModel) -> dict:
    """schools (pupils per school and year, whether it is in use) and school_pupils (q > 0)."""
    p: strategic.Parameters = m.params
    ed = p.education
    if ed is None or not hasattr(m, "OT"):
        return {"schools": pd.DataFrame(columns=SCHOOL_COLUMNS),
                "school_pupils": pd.DataFrame(columns=SCHOOL_PUPIL_COLUMNS)}  # fmt: skip
    basis = ed.basis
    rows, pupils = [], {}
    for i in m.OT:
        value = _value(m.q[i])
        if value > EPS:
            s, k, e, t = i
            pupils[e, t] = pupils.get((e, t), 0.0) + value
            rows.append((t, s, k, e, value, ed.options[s, k, e], basis.get((s, k, e), "")))
    taught = pd.DataFrame(rows, columns=SCHOOL_PUPIL_COLUMNS)
    rows = []
    for e in m.E:
        sc = ed.schools[e]
        gm, lat, lon = sc.point or ("", float("nan"), float("nan"))
        for t in p.years:
            n = pupils.get((e, t), 0.0)
            decided = e in m.EW
            used = round(_value(m.w[e, t])) == 1 if decided else n > EPS
            started = decided and _value(m.start[e, t]) > 0.5
            stopped = decided and _value(m.shut[e, t]) > 0.5
            cap = float("nan") if sc.capacity is None else sc.capacity
            rows.append((t, e, sc.name, sc.kind, gm, lat, lon, sc.host or "", cap,
                         sc.min_pupils, decided, used, n, started, stopped))  # fmt: skip
    table = pd.DataFrame(rows, columns=SCHOOL_COLUMNS)
    return {
        "schools": table.sort_values(["year", "school_id"]).reset_index(drop=True),
        "school_pupils": taught.sort_values(["year", "site_id", "type", "school_id"]).reset_index(
            drop=True
        ),
    }


def vacancy_table(p: strategic.Parameters, plan: pd.DataFrame, assignments: pd.DataFrame):
    """Running cost of empty places per site, type and year: c_run[k] × (places − beds used)."""
    places = plan[plan["beds"] > 0].groupby(["year", "site_id", "type"])["beds"].sum()
    used = assignments.groupby(["year", "site_id", "type"])["beds"].sum()
    table = pd.DataFrame({"places": places}).join(used.rename("occupied_beds")).fillna(0.0)
    table = table.reset_index()
    running = p.rates.running_eur_per_place_year
    table["places"] = table["places"].round().astype("int64")
    table["running_eur_per_place_year"] = table["type"].map(running).astype(float)
    empty = (table["places"] - table["occupied_beds"]).clip(lower=0.0)
    table["vacancy_eur"] = table["running_eur_per_place_year"] * empty
    return table[VACANCY_COLUMNS].sort_values(["year", "site_id", "type"]).reset_index(drop=True)


def cost_table(m: pyo.ConcreteModel) -> pd.DataFrame:
    """Cost per year and component, undiscounted and discounted, with its kind (cash or
    weight); ``eur_discounted`` sums to the objective."""
    p: strategic.Parameters = m.params
    kinds = strategic.cost_kinds(p)
    rows = []
    for t in p.years:
        for name, expr in strategic.cost_components(m, p, t).items():
            eur = float(pyo.value(expr)) if not isinstance(expr, (int, float)) else float(expr)
            rows.append((t, name, eur, eur * p.delta[t]))
    for tau in range(p.years[0], p.years[-1] + p.friction_years):
        expr = strategic.friction_paid_in(m, p, tau)
        eur = float(pyo.value(expr)) if not isinstance(expr, (int, float)) else float(expr)
        rows.append((tau, "friction", eur, eur * p.delta[tau]))
    costs = pd.DataFrame(rows, columns=["year", "component", "eur", "eur_discounted"])
    costs.insert(2, "kind", costs["component"].map(kinds))
    return costs.sort_values(["year", "component"], kind="stable").reset_index(drop=True)
