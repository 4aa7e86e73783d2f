"""Funding pots on a plan whose cash is known by hand: who pays what, and when a rule cannot hold.

The plan (tiny, no discounting, every cost zero but these): site S runs closed groups and must
keep exactly one from 2026 (a contract), so one of its two closed groups is removed in 2026:
friction 50 (one year) + redundancy 30 = closing cash 80 in 2026. Site T opens an open group in
2027 for the open youth: set-up 60 = alternatives cash 60 in 2027. Project costs 100 in 2026.
So the cash is 180 in 2026 and 60 in 2027, whoever pays it.
"""

from __future__ import annotations

import pytest

from optimizer.pipeline import ScenarioInfeasible, load, solve_plan
from tests.fixtures import tiny

A = {"assumption": "test value"}
CASH = {2026: 180.0, 2027: 60.0}


def scenario(pots, must_cover=(), budget=None):
    sc = tiny.base_scenario(years=(2026, 2027))
    sc["sites"] = {
        "s": tiny.site("S", "Z", ["closed"], existing={"closed": 2}),
        "t": tiny.site("T", "Z", ["open"]),
    }
    costs = sc["costs"]
    costs["friction_eur_per_group_year"]["values"]["closed"] = 50
    costs["redundancy_eur_per_group"] = {"values": {"closed": 30}, **A}
    costs["setup_new_eur_per_group"]["values"]["open"] = 60
    costs["project_eur_per_year"] = {"values": {2026: 100}, **A}
    sc["policy"] = {
        "fixed_groups": [{"site": "s", "type": "closed", "years": [2026, 2027], "groups": 1, **A}]
    }
    if budget is not None:
        sc["policy"]["budget_eur_per_year"] = {"values": budget, **A}
    sc["funding"] = {"pots": [{**pot, **A} for pot in pots],
                     "must_cover": [{**rule, **A} for rule in must_cover]}  # fmt: skip
    return sc


def solve(tmp_path, sc):
    demand = [(2026, "Z", "secure", 1.0), (2027, "Z", "secure", 1.0), (2027, "Z", "open", 1.0)]
    path = tiny.write(tmp_path, sc, [("Z", "R1")], demand, {("Z", "s"): 5, ("Z", "t"): 5})
    plan = solve_plan(load(path))
    assert plan.result.proven_optimal
    return plan


def paid(plan, pot, year, category=None):
    pots = plan.solution.pots
    row = pots[(pots["pot"] == pot) & (pots["year"] == year)]
    assert len(row) == 1, (pot, year)
    column = "paid_eur" if category is None else f"paid_{category}_eur"
    return float(row[column].iloc[0])


FRICTIE = {"name": "frictie", "amount_eur": 150, "years": [2026, 2027],
           "categories": ["closing", "alternatives"], "covered_first": ["closing"],
           "paid_after": ["alternatives"]}  # fmt: skip
VASTGOED = {"name": "vastgoed", "amount_eur": 40, "years": [2026],
            "categories": ["closing", "project"]}  # fmt: skip


def test_the_cash_is_the_hand_derived_cash(tmp_path):
    plan = solve(tmp_path, scenario([FRICTIE, VASTGOED]))
    assert plan.solution.cash_by_year() == pytest.approx(CASH)
    assert plan.summary["objective_eur"] == pytest.approx(240)  # pots do not change the plan


def test_two_pots_pay_what_uses_them_most(tmp_path):
    """Vastgoed (40, 2026 only) could pay closing or project; if it paid closing, frictie could
    pay that much less (it pays closing and alternatives only, 140 at most). So the allocation
    that uses the pots most is unique: vastgoed pays project 40; frictie pays closing 80 in 2026
    and, closing being covered, alternatives 60 in 2027, 10 left."""
    plan = solve(tmp_path, scenario([FRICTIE, VASTGOED]))
    assert paid(plan, "vastgoed", 2026, "project") == pytest.approx(40)
    assert paid(plan, "vastgoed", 2026, "closing") == pytest.approx(0)
    assert paid(plan, "frictie", 2026, "closing") == pytest.approx(80)
    assert paid(plan, "frictie", 2027, "alternatives") == pytest.approx(60)
    pots = plan.solution.pots.set_index(["pot", "year"])
    assert pots.at[("frictie", 2026), "remaining_eur"] == pytest.approx(70)
    assert pots.at[("frictie", 2027), "remaining_eur"] == pytest.approx(10)
    assert pots.at[("vastgoed", 2026), "remaining_eur"] == pytest.approx(0)
    own = plan.summary["funding_by_year"]
    assert own["2026"] == pytest.approx({"cash_eur": 180, "pots_eur": 120, "own_eur": 60})
    assert own["2027"] == pytest.approx({"cash_eur": 60, "pots_eur": 60, "own_eur": 0})


def test_c_only_once_a_and_b_are_covered(tmp_path):
    """Frictie may pay alternatives (and project) only once closing is covered in full, which
    only vastgoed may pay. Vastgoed 40 < closing 80: closing stays uncovered, so frictie pays
    project 100 and no alternatives. Vastgoed 80 covers closing: frictie pays project 100 and
    alternatives 50, all of its 150."""
    frictie = {"name": "frictie", "amount_eur": 150, "years": [2026, 2027],
               "categories": ["alternatives", "project"], "covered_first": ["closing"],
               "paid_after": ["alternatives"]}  # fmt: skip
    vastgoed = {"name": "vastgoed", "amount_eur": 40, "years": [2026], "categories": ["closing"]}
    short = solve(tmp_path / "short", scenario([frictie, vastgoed]))
    assert paid(short, "vastgoed", 2026, "closing") == pytest.approx(40)
    assert paid(short, "frictie", 2026, "project") == pytest.approx(100)
    assert paid(short, "frictie", 2027, "alternatives") == pytest.approx(0)
    covered = solve(tmp_path / "covered", scenario([frictie, {**vastgoed, "amount_eur": 80}]))
    assert paid(covered, "vastgoed", 2026, "closing") == pytest.approx(80)
    assert paid(covered, "frictie", 2026, "project") == pytest.approx(100)
    assert paid(covered, "frictie", 2027, "alternatives") == pytest.approx(50)


def test_cofinancing_share_falls_to_the_municipalities(tmp_path):
    """A pot with 25 % co-financing pays 0.75 of what is charged to it: of closing 80 it pays
    60 and the municipalities 20 (its amount, 100, is not what binds)."""
    pot = {"name": "cofin", "amount_eur": 100, "years": [2026], "categories": ["closing"],
           "cofinancing_share": 0.25}  # fmt: skip
    plan = solve(tmp_path, scenario([pot]))
    assert paid(plan, "cofin", 2026, "closing") == pytest.approx(60)
    row = plan.solution.pots.iloc[0]
    assert row["cofinanced_eur"] == pytest.approx(20)
    assert plan.summary["funding_by_year"]["2026"]["own_eur"] == pytest.approx(120)


def test_the_budget_counts_own_money_the_pots_relieve(tmp_path):
    """Budget 70 in 2026: the cash (180) would break it, what is left after the pots (60)
    does not."""
    with pytest.raises(ScenarioInfeasible) as info:
        solve(tmp_path / "alone", scenario([], budget={2026: 70}))
    assert "EUR 110 more than the limit of EUR 70" in " ".join(info.value.explanations)
    plan = solve(tmp_path / "pots", scenario([FRICTIE, VASTGOED], budget={2026: 70}))
    assert plan.summary["funding_by_year"]["2026"]["own_eur"] == pytest.approx(60)


def test_a_must_cover_rule_the_pots_cannot_keep_is_explained_with_the_shortfall(tmp_path):
    """The pots must pay closing in 2026 in full, but only vastgoed's 40 may: 40 short of 80."""
    rule = {"name": "no own money for closing", "categories": ["closing"], "years": [2026]}
    vastgoed = {"name": "vastgoed", "amount_eur": 40, "years": [2026], "categories": ["closing"]}
    with pytest.raises(ScenarioInfeasible) as info:
        solve(tmp_path / "short", scenario([vastgoed], must_cover=[rule]))
    text = " ".join(info.value.explanations)
    assert "Funding rule 'no own money for closing'" in text
    assert "by at least EUR 40 (pots: vastgoed EUR 40)" in text
    plan = solve(tmp_path / "enough", scenario([{**vastgoed, "amount_eur": 80}], must_cover=[rule]))
    assert paid(plan, "vastgoed", 2026, "closing") == pytest.approx(80)
