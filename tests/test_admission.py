"""The admission duty and the rules that make a plan executable, each on a case solved by hand.

Every scenario here is tiny (group size 1 or 2, occupancy 1, all costs zero but the ones the test
reasons about), so the optimum can be read off the comment above each assertion.
"""

from __future__ import annotations

import pytest

from optimizer.pipeline import ScenarioInfeasible, load, solve_plan
from tests.fixtures import tiny

A = {"assumption": "test value"}


def solve(tmp_path, sc, demand, km, zones=(("Z", "R1"),)):
    plan = solve_plan(load(tiny.write(tmp_path, sc, list(zones), demand, km)))
    assert plan.result.proven_optimal
    return plan.solution, plan.summary


def groups(solution, site, type_, year):
    p = solution.plan
    return int(p[(p.site_id == site) & (p.type == type_) & (p.year == year)]["groups"].sum())


def duty(sc, *needs_allowed, penalty=1000):
    """Only ``needs_allowed`` may go unmet (at ``penalty``); every other need is a duty."""
    sc["unmet"] = {n: {"eur_per_bed_year": penalty, **A} for n in needs_allowed}
    return sc


def test_admission_duty_makes_an_unplaceable_youth_infeasible_and_names_it(tmp_path):
    sc = duty(tiny.base_scenario(years=(2026,)))
    sc["sites"] = {"s": tiny.site("S", "Z", ["hybrid"])}  # no closed places anywhere
    with pytest.raises(ScenarioInfeasible) as info:
        solve(tmp_path / "a", sc, [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5})
    text = " ".join(info.value.explanations)
    assert "Admission duty: secure need of zone Z" in text and "2026 (1.00)" in text
    # allowed to go unmet at 1000 a bed-year: the whole bed is unmet, cost 1000
    sc = duty(tiny.base_scenario(years=(2026,)), "secure")
    sc["sites"] = {"s": tiny.site("S", "Z", ["hybrid"])}
    solution, summary = solve(tmp_path / "b", sc, [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5})
    assert summary["objective_eur"] == pytest.approx(1000)
    assert solution.unmet["beds"].sum() == pytest.approx(1.0)


def test_overflow_is_priced_and_capped(tmp_path):
    def scenario(cap=None):
        sc = duty(tiny.base_scenario(years=(2026,)), "secure", penalty=1000)
        sc["sites"] = {"s": tiny.site("S", "Z", ["hybrid"])}
        sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
        sc["overflow"] = [{"need": "secure", "type": "hybrid", "eur_per_bed_year": 50, **A}]
        if cap is not None:
            sc["overflow"][0]["max_beds"] = cap
        return sc

    demand, km = [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5}
    # overflow into one hybrid group: running 10 + overflow weight 50 = 60 (< unmet 1000)
    solution, summary = solve(tmp_path / "a", scenario(), demand, km)
    assert summary["objective_eur"] == pytest.approx(60)
    costs = solution.costs.set_index("component")["eur"]
    assert costs["overflow"] == pytest.approx(50)
    # capped at 0.4 beds: 0.4 overflow (20) + 0.6 unmet (600) + one hybrid group (10) = 630
    solution, summary = solve(tmp_path / "b", scenario(cap=0.4), demand, km)
    assert summary["objective_eur"] == pytest.approx(630)
    assert solution.unmet["beds"].sum() == pytest.approx(0.6)


def test_closed_beds_used_is_not_closed_places(tmp_path):
    def scenario(**policy):
        sc = duty(tiny.base_scenario(years=(2026,)), "secure", penalty=1000)
        for spec in sc["place_types"].values():
            spec["group_size"] = 2
        sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
        sc["policy"] = {key: {"values": {2026: value}, **A} for key, value in policy.items()}
        return sc

    demand, km = [(2026, "Z", "secure", 1.5)], {("Z", "s"): 5}
    # one group of 2 places holds the 1.5 beds: a cap of 1.5 beds used binds nothing (cost 0);
    solution, summary = solve(tmp_path / "a", scenario(max_closed_beds_used=1.5), demand, km)
    assert summary["objective_eur"] == pytest.approx(0) and groups(solution, "s", "closed", 2026)
    # a cap of 1.5 *places* allows no group of 2: all 1.5 beds unmet (1500)
    _, summary = solve(tmp_path / "b", scenario(max_closed_places=1.5), demand, km)
    assert summary["objective_eur"] == pytest.approx(1500)
    # 1 bed used at most: 0.5 beds unmet (500) although the group has 2 places
    solution, summary = solve(tmp_path / "c", scenario(max_closed_beds_used=1.0), demand, km)
    assert summary["objective_eur"] == pytest.approx(500)
    assert solution.assignments["beds"].sum() == pytest.approx(1.0)


def test_lead_time_delays_a_new_site(tmp_path):
    def scenario(earliest):
        sc = duty(tiny.base_scenario(years=(2026, 2027)))
        near = tiny.site("Near", "Z", ["hybrid"])
        if earliest:
            near["earliest_year"] = earliest
        sc["sites"] = {"near": near, "far": tiny.site("Far", "Z", ["hybrid"])}
        sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
        sc["costs"]["travel_eur_per_bed_km_year"]["value"] = 1
        return sc

    demand = [(2026, "Z", "hybrid", 1.0), (2027, "Z", "hybrid", 1.0)]
    km = {("Z", "near"): 1, ("Z", "far"): 50}
    # no lead time: Near both years, running 2 x 10 + travel 2 x 1 = 22
    solution, summary = solve(tmp_path / "a", scenario(None), demand, km)
    assert summary["objective_eur"] == pytest.approx(22)
    # Near from 2027: Far in 2026 (10 + 50), Near in 2027 (10 + 1) = 71
    solution, summary = solve(tmp_path / "b", scenario(2027), demand, km)
    assert summary["objective_eur"] == pytest.approx(71)
    assert groups(solution, "far", "hybrid", 2026) == 1
    assert groups(solution, "near", "hybrid", 2026) == 0
    assert groups(solution, "near", "hybrid", 2027) == 1


def test_a_new_group_lives_its_minimum_years(tmp_path):
    def scenario(years_min):
        sc = duty(tiny.base_scenario(years=(2026, 2027, 2028)))
        sc["sites"] = {"s": tiny.site("S", "Z", ["hybrid"])}
        sc["place_types"]["hybrid"]["min_group_years"] = years_min
        sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
        return sc

    demand = [(2026, "Z", "hybrid", 1.0), (2027, "Z", "hybrid", 0.0), (2028, "Z", "hybrid", 0.0)]
    km = {("Z", "s"): 1}
    # one year is enough without the rule: 10
    _, summary = solve(tmp_path / "a", scenario(1), demand, km)
    assert summary["objective_eur"] == pytest.approx(10)
    # a group added in 2026 stays 2 years: 2026 and 2027 = 20, gone in 2028
    solution, summary = solve(tmp_path / "b", scenario(2), demand, km)
    assert summary["objective_eur"] == pytest.approx(20)
    assert [groups(solution, "s", "hybrid", t) for t in (2026, 2027, 2028)] == [1, 1, 0]


def test_a_site_that_opens_stays_open_its_minimum_years(tmp_path):
    def scenario(years_open):
        sc = duty(tiny.base_scenario(years=(2026, 2027, 2028)))
        site = tiny.site("S", "Z", ["hybrid"])
        site["min_open_years"] = years_open
        sc["sites"] = {"s": site}
        sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
        sc["costs"]["site_eur_per_year"]["value"] = 100
        return sc

    demand = [(2026, "Z", "hybrid", 1.0), (2027, "Z", "hybrid", 0.0), (2028, "Z", "hybrid", 0.0)]
    km = {("Z", "s"): 1}
    # open 2026 only: running 10 + site 100 = 110
    _, summary = solve(tmp_path / "a", scenario(1), demand, km)
    assert summary["objective_eur"] == pytest.approx(110)
    # open at least 3 years: the site cost runs to 2028 without groups: 10 + 3 x 100 = 310
    _, summary = solve(tmp_path / "b", scenario(3), demand, km)
    assert summary["objective_eur"] == pytest.approx(310)


def test_recruitment_ceiling_spreads_new_groups_and_conversions_keep_staff(tmp_path):
    def scenario(ceiling, existing=None, types=("hybrid",)):
        sc = duty(tiny.base_scenario(years=(2026, 2027)), "hybrid", penalty=1000)
        sc["sites"] = {"s": tiny.site("S", "Z", list(types), existing=existing)}
        for spec in sc["place_types"].values():
            spec["fte_per_group"] = 5
        sc["costs"]["running_eur_per_place_year"]["values"].update(hybrid=10, closed=100)
        sc["policy"] = {"max_recruit_fte_per_year": {"values": {2026: ceiling, 2027: ceiling}, **A}}
        return sc

    demand = [(2026, "Z", "hybrid", 2.0), (2027, "Z", "hybrid", 2.0)]
    km = {("Z", "s"): 1}
    # 5 FTE a year = one new group a year: 2026 one group + 1 bed unmet (10 + 1000), 2027 two (20)
    solution, summary = solve(tmp_path / "a", scenario(5), demand, km)
    assert summary["objective_eur"] == pytest.approx(1030)
    assert [groups(solution, "s", "hybrid", t) for t in (2026, 2027)] == [1, 2]
    assert solution.plan.groupby("year")["fte"].sum().to_dict() == {2026: 5.0, 2027: 10.0}
    # ceiling 0: the two (dearer) closed groups are converted to hybrid and keep their staff
    solution, summary = solve(
        tmp_path / "b", scenario(0, existing={"closed": 2}, types=("closed", "hybrid")), demand, km
    )
    assert solution.unmet.empty
    assert groups(solution, "s", "hybrid", 2026) == 2


def test_a_limit_that_blocks_the_duty_is_explained_with_the_youths_and_the_limit(tmp_path):
    sc = duty(tiny.base_scenario(years=(2026,)))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
    sc["policy"] = {"max_closed_places": {"values": {2026: 0}, **A}}
    with pytest.raises(ScenarioInfeasible) as info:
        solve(tmp_path, sc, [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5})
    text = " ".join(info.value.explanations)
    # either change restores feasibility: one closed place more than the cap of 0, or 1 bed
    # of secure need of zone Z left unplaced in 2026
    assert "Any one of these changes" in text
    assert "Closed places 2026: at least 1 are needed, 1 more than the cap of 0" in text
    assert "Admission duty: secure need of zone Z cannot all be placed" in text
    assert "2026 (1.00)" in text


def test_a_cost_reason_for_unmet_demand_is_given_only_for_a_proven_least_cost_plan(tmp_path):
    """Open need 1.1 beds, groups of 1 at 1000 a year, unmet open need 5000 a bed-year: one
    group (1000) and 0.1 unmet (500) = 1500; a second group (1000) would cost more than the
    0.1 it places. A plan not proven least-cost (stopped at its time limit, an alternative)
    must not claim that: it says the better plan may exist."""
    from optimizer import explain

    sc = duty(tiny.base_scenario(years=(2026,)), "open", penalty=5000)
    sc["sites"] = {"s": tiny.site("S", "Z", ["open"], max_groups=2)}
    sc["costs"]["running_eur_per_place_year"]["values"]["open"] = 1000
    data = load(
        tiny.write(tmp_path, sc, [("Z", "R1")], [(2026, "Z", "open", 1.1)], {("Z", "s"): 5})
    )
    plan = solve_plan(data)
    assert plan.result.least_cost and plan.summary["objective_eur"] == pytest.approx(1500)
    proven = " ".join(plan.summary["explanations"])
    assert "would cost more than leaving this small amount of open need unplaced" in proven
    unproven = explain.explain_unmet(data, plan.model, plan.solution, least_cost=False)
    assert len(unproven) == 1 and "not proven to be the least-cost one" in unproven[0]
    assert "would cost more" not in unproven[0]


def test_a_full_site_does_not_hide_a_reachable_site_with_room(tmp_path):
    """As above with site A of one group beside S: A is full and S has room; the 0.1 unmet is
    explained by both (A full, one more group at S dearer), not by 'the sites are full'."""
    sc = duty(tiny.base_scenario(years=(2026,)), "open", penalty=5000)
    sc["sites"] = {"a": tiny.site("A", "Z", ["open"], max_groups=1),
                   "s": tiny.site("S", "Z", ["open"], max_groups=3)}  # fmt: skip
    sc["costs"]["running_eur_per_place_year"]["values"]["open"] = 1000
    km = {("Z", "a"): 5, ("Z", "s"): 5}
    plan = solve_plan(load(tiny.write(tmp_path, sc, [("Z", "R1")], [(2026, "Z", "open", 2.1)], km)))
    assert plan.result.least_cost and plan.summary["objective_eur"] == pytest.approx(2500)
    text = " ".join(plan.summary["explanations"])
    assert "of the sites it can reach, these are at their maximum size: A" in text
    assert "the places it can reach (S) are taken, and one more group there would cost more" in text
