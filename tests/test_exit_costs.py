"""Exit costs, each on a case solved by hand (tiny: group size 1, no discounting, all costs zero
but the ones a test reasons about): redundancy, a site's exit, a conversion written off."""

from __future__ import annotations

import pytest

from optimizer.pipeline import load, solve_plan
from tests.fixtures import tiny

A = {"assumption": "test value"}


def solve(tmp_path, sc, demand, km):
    plan = solve_plan(load(tiny.write(tmp_path, sc, [("Z", "R1")], demand, km)))
    assert plan.result.proven_optimal
    return plan


def cost(plan, component, year=None):
    costs = plan.solution.costs
    rows = costs[costs["component"] == component]
    if year is not None:
        rows = rows[rows["year"] == year]
    return float(rows["eur"].sum())


def closing_site(free=0.0, exit_eur=0.0):
    """Site A has one open group in 2025 and no demand in 2026; keeping it would cost its
    running cost 1000, more than closing it in any case below: it closes."""
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"a": tiny.site("A", "Z", ["open"], existing={"open": 1})}
    sc["costs"]["running_eur_per_place_year"]["values"]["open"] = 1000
    sc["costs"]["friction_eur_per_group_year"]["values"]["open"] = 40
    sc["costs"]["redundancy_eur_per_group"] = {"values": {"open": 25}, **A}
    sc["costs"]["free_group_removals_per_year"]["value"] = free
    sc["costs"]["site_exit_eur"] = {"value": exit_eur, **A}
    return sc


def test_closing_a_site_pays_friction_redundancy_and_its_exit(tmp_path):
    demand, km = [(2026, "Z", "open", 0.0)], {("Z", "a"): 1}
    # no free removals: friction 40 + redundancy 25 + site exit 100 = 165, all cash
    plan = solve(tmp_path / "all", closing_site(exit_eur=100), demand, km)
    assert plan.summary["objective_eur"] == pytest.approx(165)
    assert cost(plan, "friction") == pytest.approx(40) and cost(plan, "exit") == pytest.approx(125)
    assert plan.summary["cash_total_eur"] == pytest.approx(165)
    # half a removal is free (turnover): half the friction and redundancy, the whole exit
    plan = solve(tmp_path / "half", closing_site(free=0.5, exit_eur=100), demand, km)
    assert plan.summary["objective_eur"] == pytest.approx(20 + 12.5 + 100)
    # one free removal: only the site exit is left; the old default made closing a site free
    plan = solve(tmp_path / "free", closing_site(free=1.0, exit_eur=100), demand, km)
    assert plan.summary["objective_eur"] == pytest.approx(100)
    plan = solve(tmp_path / "old", closing_site(free=1.0), demand, km)
    assert plan.summary["objective_eur"] == pytest.approx(0)


def test_an_empty_site_kept_open_by_its_lease_still_pays_its_exit_once(tmp_path):
    """Site A must stay open 3 years once opened; its only group (running 200 a year) leaves
    after 2026 (keeping it to 2028 would cost 400 more, the exit 100). The lease (site cost 10)
    runs to 2028; the exit is paid once, in 2027, when the group leaves: 200 + 30 + 100."""
    sc = tiny.base_scenario(years=(2026, 2027, 2028))
    site = tiny.site("A", "Z", ["open"])
    site["min_open_years"] = 3
    sc["sites"] = {"a": site}
    sc["costs"]["site_eur_per_year"]["value"] = 10
    sc["costs"]["running_eur_per_place_year"]["values"]["open"] = 200
    sc["costs"]["site_exit_eur"] = {"value": 100, **A}
    demand = [(2026, "Z", "open", 1.0), (2027, "Z", "open", 0.0), (2028, "Z", "open", 0.0)]
    plan = solve(tmp_path, sc, demand, {("Z", "a"): 1})
    assert plan.summary["objective_eur"] == pytest.approx(200 + 3 * 10 + 100)
    assert cost(plan, "exit", 2027) == pytest.approx(100)


def conversion(writeoff_years):
    """A closed group at S is converted to open in 2026 (conversion 30 < new build 100 and
    removing the closed group costs friction 50); the open youth leaves in 2028, and the group
    (running 50 a year, more than any write-off below) goes."""
    sc = tiny.base_scenario(years=(2026, 2027, 2028))
    sc["place_types"]["open"]["min_group_years"] = 2
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed", "open"], existing={"closed": 1})}
    sc["costs"]["setup_new_eur_per_group"]["values"]["open"] = 100
    sc["costs"]["setup_conversion_eur_per_group"]["values"]["open"] = 30
    sc["costs"]["friction_eur_per_group_year"]["values"]["closed"] = 50
    sc["costs"]["running_eur_per_place_year"]["values"]["open"] = 50
    sc["costs"]["writeoff_eur_per_group"] = {"values": {"open": 12}, **A}
    sc["costs"]["writeoff_years"] = {"value": writeoff_years, **A}
    return sc


def test_a_conversion_undone_within_its_years_is_written_off(tmp_path):
    demand = [(2026, "Z", "open", 1.0), (2027, "Z", "open", 1.0), (2028, "Z", "open", 0.0)]
    km = {("Z", "s"): 1}
    # removed in 2028, two years after its conversion: within 5 years, written off (12)
    plan = solve(tmp_path / "within", conversion(5), demand, km)
    assert plan.solution.plan["converted_groups"].sum() == 1
    assert cost(plan, "exit", 2028) == pytest.approx(12)
    assert plan.summary["objective_eur"] == pytest.approx(30 + 2 * 50 + 12)
    # within 2 years only: a removal two years on is not written off
    plan = solve(tmp_path / "after", conversion(2), demand, km)
    assert cost(plan, "exit") == pytest.approx(0)
    assert plan.summary["objective_eur"] == pytest.approx(30 + 2 * 50)


def test_a_conversion_is_written_off_once_not_in_every_later_year_of_its_window(tmp_path):
    """As above over five years: the converted group goes in 2028 and nothing happens after. The
    write-off (12) is paid in 2028 only; the earlier rule charged it again in 2029 and 2030 (its
    conversion still 'recent', its group long gone), a cost no plan table showed."""
    sc = conversion(5)
    sc["planning"]["last_year"] = 2030
    demand = [(2026, "Z", "open", 1.0), (2027, "Z", "open", 1.0)]
    demand += [(year, "Z", "open", 0.0) for year in (2028, 2029, 2030)]
    plan = solve(tmp_path, sc, demand, {("Z", "s"): 1})
    assert cost(plan, "exit", 2028) == pytest.approx(12)
    assert cost(plan, "exit") == pytest.approx(12)
    assert plan.summary["objective_eur"] == pytest.approx(30 + 2 * 50 + 12)
