"""Demand stated as arrivals per year and mean length of stay: load a = arrivals x stay / 365."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from optimizer.demand import UNITS_PER_BED, load_units
from optimizer.pipeline import load
from optimizer.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
A = "test value"
# 73 days is a fifth of a year: loads are arrivals / 5, 2 / 5 and 1 x arrivals, exact in 1/10,000
STAY = {"secure": 73, "hybrid": 146, "open": 365}
ARRIVALS = {
    "WBW": {2026: {"secure": 12, "hybrid": 7, "open": 3}},
    "WBO": {2026: {"secure": 9, "hybrid": 0, "open": 1}},
    "Zeeland": {2026: {"secure": 13, "hybrid": 4, "open": 0}},
}


def scenario_file(tmp_path: Path, demand: dict, name: str = "arrivals.yaml") -> Path:
    """A one-year variant of the baseline whose demand section is replaced by ``demand``."""
    base = yaml.safe_load((ROOT / "configs/baseline-2026.yaml").read_text())
    base["planning"]["last_year"] = 2026
    base["policy"] = {}
    base["demand"] = demand
    path = tmp_path / name
    path.write_text(yaml.safe_dump(base, sort_keys=False))
    return path


def arrivals_demand(arrivals=ARRIVALS, stay=STAY) -> dict:
    return {
        "arrivals_by_region": {r: {"values": v, "assumption": A} for r, v in arrivals.items()},
        "mean_stay_days": {"values": stay, "assumption": A},
    }


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return [str(p) for p in info.value.findings]


def test_load_units_is_arrivals_times_stay_over_365():
    assert load_units(73, 120) == 24 * UNITS_PER_BED  # 73 youths staying 120 days: 24 beds
    assert load_units(10, 36.5) == 1 * UNITS_PER_BED
    assert load_units(0, 150) == 0


def test_load_equals_arrivals_times_stay_for_every_region_and_need(tmp_path):
    data = load(scenario_file(tmp_path, arrivals_demand()))
    demand = data.demand.merge(data.zones[["gm_code", "region"]], on="gm_code")
    units = (demand["beds"] * UNITS_PER_BED).round().astype(int)
    assert ((units / UNITS_PER_BED) == demand["beds"]).all(), "whole 1/10,000 beds"
    per_region = units.groupby([demand["region"], demand["need"]]).sum().to_dict()
    for region, by_year in ARRIVALS.items():
        for need, arrivals in by_year[2026].items():
            # exact: arrivals x stay / 365 in 1/10,000 beds, no tolerance
            assert per_region.get((region, need), 0) * 365 == arrivals * STAY[need] * UNITS_PER_BED
    assert demand["beds"].sum() == pytest.approx(34 / 5 + 2 * 11 / 5 + 4)


def test_region_load_is_spread_by_population(tmp_path):
    data = load(scenario_file(tmp_path, arrivals_demand()))
    zones = data.zones.set_index("gm_code")
    secure = data.demand[data.demand["need"] == "secure"].set_index("gm_code")["beds"]
    wbw = zones[zones["region"] == "WBW"]
    quota = 12 * 73 / 365 * wbw["population"] / wbw["population"].sum()
    assert (secure.reindex(wbw.index) - quota).abs().max() <= 1 / UNITS_PER_BED


def test_a_region_may_have_its_own_stay(tmp_path):
    """Zeeland's secure stay of 146 days doubles its secure load; other regions and needs keep
    the common stays."""
    demand = arrivals_demand()
    demand["mean_stay_days"]["by_region"] = {"Zeeland": {"secure": 146}}
    data = load(scenario_file(tmp_path, demand))
    table = data.demand.merge(data.zones[["gm_code", "region"]], on="gm_code")
    units = (table["beds"] * UNITS_PER_BED).round().astype(int)
    per = units.groupby([table["region"], table["need"]]).sum().to_dict()
    assert per[("Zeeland", "secure")] * 365 == 13 * 146 * UNITS_PER_BED
    assert per[("WBW", "secure")] * 365 == 12 * 73 * UNITS_PER_BED
    assert per[("Zeeland", "hybrid")] * 365 == 4 * 146 * UNITS_PER_BED


def test_stay_for_an_unknown_region_is_reported(tmp_path):
    demand = arrivals_demand()
    demand["mean_stay_days"]["by_region"] = {"Brabant": {"secure": 100}}
    found = problems_of(scenario_file(tmp_path, demand))
    assert any("demand.mean_stay_days.by_region" in p and "['Brabant']" in p for p in found)


def test_shipped_arrivals_config_gives_loads_of_its_arrivals():
    data = load(ROOT / "configs/arrivals-stay.yaml")
    spec = data.scenario.demand
    demand = data.demand.merge(data.zones[["gm_code", "region"]], on="gm_code")
    got = demand.groupby(["region", "year", "need"])["beds"].sum()
    for region, by_year in spec.arrivals_by_region.items():
        for year, by_need in by_year.values.items():
            for need, arrivals in by_need.items():
                stay = spec.mean_stay_days.for_region(region)[need]
                expected = load_units(arrivals, stay) / UNITS_PER_BED
                assert got.get((region, year, need), 0.0) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: d["arrivals_by_region"]["WBW"]["values"][2026].update(secure=-1),
         "demand.arrivals_by_region.WBW", "must not be negative"),
        (lambda d: d["arrivals_by_region"]["WBO"]["values"][2026].pop("open"),
         "demand.arrivals_by_region.WBO", "miss need(s) ['open']"),
        (lambda d: d["mean_stay_days"]["values"].pop("hybrid"),
         "demand.mean_stay_days", "misses need(s) ['hybrid']"),
        (lambda d: d["mean_stay_days"]["values"].update(open=0),
         "demand.mean_stay_days", "more than 0 days"),
        (lambda d: d.pop("mean_stay_days"), "demand", "needs 'mean_stay_days'"),
        (lambda d: d.update(totals={"values": {2026: 20}, "assumption": A}),
         "demand", "exactly one of totals, totals_by_region, arrivals_by_region, table_csv"),
        (lambda d: d.update(need_shares={"values": {2026: {"secure": 1.0}}, "assumption": A}),
         "demand", "'need_shares' does not apply to arrivals"),
        (lambda d: d["arrivals_by_region"].update(Brabant=d["arrivals_by_region"]["WBW"]),
         "demand.arrivals_by_region", "unknown region(s) ['Brabant']"),
        (lambda d: d["arrivals_by_region"].pop("Zeeland"),
         "demand.arrivals_by_region", "no arrivals for region(s) ['Zeeland']"),
        (lambda d: d["arrivals_by_region"]["WBO"].update(
            values={2027: {"secure": 1, "hybrid": 0, "open": 0}}),
         "demand.arrivals_by_region.WBO.values", "no arrivals for year(s) [2026]"),
    ],
    ids=["negative", "missing-need", "missing-stay", "zero-stay", "no-stay", "both-forms",
         "need-shares", "unknown-region", "missing-region", "missing-year"],
)  # fmt: skip
def test_bad_arrivals_are_reported_with_file_and_field(tmp_path, change, field, message):
    demand = arrivals_demand(
        {r: {y: dict(n) for y, n in v.items()} for r, v in ARRIVALS.items()}, dict(STAY)
    )
    change(demand)
    path = scenario_file(tmp_path, demand)
    found = problems_of(path)
    assert any(p.startswith(str(path)) and field in p and message in p for p in found), found
