"""Education in the plan (models.education): school viability, capacity, closed schools, host
sites, each case small enough that the optimum is derived by hand in its comment.

The hand cases put site ``a`` on the Olivijncollege (02RH15, on site) with an on-site successor
it may start (``offer_a``), and site ``b`` with a school of its own at a given distance that may
also send its youth to the Olivijncollege (``school_kinds``: the JeugdzorgPlus school suits
hybrid). Every other cost is zero (tests.fixtures.tiny), so the objective is the education cost
and the school transport alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import geodata
from optimizer.pipeline import ScenarioInfeasible, load, solve_plan
from optimizer.travel import haversine_km
from tests.fixtures import tiny

A = tiny.A
OLV = "02RH15"  # Het Olivijncollege, Ossendrecht (geodata schools.csv)


def olivijn() -> tuple[float, float]:
    row = geodata.load_schools().set_index("school_id").loc[OLV]
    return float(row["lat"]), float(row["lon"])


def scenario(rate, own_km=1.0, terms=None, offer=True, years=(2026, 2027)) -> dict:
    lat, lon = olivijn()
    sc = tiny.base_scenario(years=years)
    sc["education"] = {
        "max_school_km": 30,
        "school_kinds": {"closed": ["jzplus_school"], "hybrid": ["jzplus_school"], **A},
        "schools": {OLV: {**(terms or {}), **A}},
        **A,
    }
    education_a = {"on_site": True, "school": OLV, **A}
    if offer:
        education_a["offer_on_site"] = {"setup_eur": 500, "eur_per_year": 100, **A}
    site_a = tiny.site("A", "Z1", ["closed"])
    site_a.update(lat=lat, lon=lon, education=education_a)
    site_b = tiny.site("B", "Z2", ["hybrid"])
    site_b.update(lat=lat, lon=lon + 0.14, education={"school_km": own_km, **A})
    sc["sites"] = {"a": site_a, "b": site_b}
    sc["costs"]["school_transport_eur_per_bed_km_year"]["value"] = rate
    return sc


def km_b_to_olivijn() -> float:
    """Site b → the Olivijncollege: straight line × detour factor 1 (csv zones: no land graph)."""
    lat, lon = olivijn()
    return float(haversine_km(lat, lon, lat, lon + 0.14))


ZONES = [("Z1", "R1"), ("Z2", "R1")]
KM = {("Z1", "a"): 1, ("Z2", "b"): 1, ("Z1", "b"): 500, ("Z2", "a"): 500}


def demand(years=(2026, 2027), secure=2.5, hybrid=1.0):
    rows = []
    for t in years:
        rows += [(t, "Z1", "secure", secure), (t, "Z2", "hybrid", hybrid)]
    return rows


def solve(tmp_path, sc, rows=None):
    path = tiny.write(tmp_path, sc, ZONES, rows or demand(), KM)
    plan = solve_plan(load(path))
    assert plan.result.proven_optimal
    return plan.solution, plan.summary


def at(schools: pd.DataFrame, school: str, year: int):
    return schools.set_index(["school_id", "year"]).loc[(school, year)]


VIABLE = {"min_pupils": 3, "fixed_eur_per_year": 100, "closing_eur": 1000}


def test_a_school_just_below_its_minimum_keeps_pupils_when_that_is_cheaper(tmp_path):
    """The Olivijncollege has 2.5 pupils of its own, its minimum is 3. Keeping it needs 0.5 of
    b's youth there (d ≈ 9.7 km instead of 1 km); closing it costs 1,000 plus the successor's
    set-up 500 and 100 a year (as keeping it costs 100 a year). At 10 EUR per pupil-km:
    keep = 2 × (100 + 10 × (0.5 d + 0.5 × 1)) ≈ 307; close = 1,000 + 500 + 2 × 100 + 2 × 10 × 1
    = 1,720: keep, with exactly its minimum."""
    d = km_b_to_olivijn()
    assert 9 < d < 11
    solution, summary = solve(tmp_path, scenario(10, terms=VIABLE))
    assert summary["objective_eur"] == pytest.approx(2 * (100 + 10 * (0.5 * d + 0.5)), rel=1e-6)
    for year in (2026, 2027):
        olv = at(solution.schools, OLV, year)
        assert olv["in_use"] and olv["pupils"] == pytest.approx(3.0)
        assert not at(solution.schools, "offer_a", year)["in_use"]
    taught = solution.school_pupils.set_index(["year", "site_id", "school_id"])["pupils"]
    assert taught[(2026, "b", OLV)] == pytest.approx(0.5)


def test_a_school_just_below_its_minimum_closes_when_that_is_cheaper(tmp_path):
    """As above at 300 EUR per pupil-km: keep = 2 × (100 + 300 × (0.5 d + 0.5)) ≈ 3,413;
    close in 2026 = 1,000 + 500 + 2 × 100 + 2 × 300 × 1 = 2,300 (closing in 2027 instead:
    100 + 300 × (0.5 d + 0.5) + 1,600 + 2 × 300 ≈ 3,906): the Olivijncollege closes in 2026
    and teaches nobody; its successor on site starts."""
    solution, summary = solve(tmp_path, scenario(300, terms=VIABLE))
    assert summary["objective_eur"] == pytest.approx(2300, rel=1e-6)
    costs = solution.costs.groupby("component")["eur"].sum()
    assert costs["education"] == pytest.approx(1700)
    assert costs["school_transport"] == pytest.approx(600)
    closing = at(solution.schools, OLV, 2026)
    assert closing["stopped"] and not closing["in_use"]
    assert at(solution.schools, "offer_a", 2026)["started"]
    for year in (2026, 2027):
        assert at(solution.schools, OLV, year)["pupils"] == 0  # no pupils at a closed school
        assert at(solution.schools, "offer_a", year)["pupils"] == pytest.approx(2.5)
    assert OLV not in set(solution.school_pupils["school_id"])


def test_a_school_never_exceeds_its_capacity(tmp_path):
    """The Olivijncollege takes at most 3 pupils; a's 2.5 closed youths have no other school.
    b's youth would rather go there (d ≈ 9.7 km) than to its own school 20 km away, but only
    0.5 fits: 2 × 10 × (0.5 d + 0.5 × 20). The school is full, never over."""
    d = km_b_to_olivijn()
    sc = scenario(10, own_km=20, terms={"capacity_pupils": 3.0}, offer=False)
    solution, summary = solve(tmp_path, sc)
    assert summary["objective_eur"] == pytest.approx(2 * 10 * (0.5 * d + 0.5 * 20), rel=1e-6)
    for year in (2026, 2027):
        assert at(solution.schools, OLV, year)["pupils"] == pytest.approx(3.0)
    cap = solution.schools["capacity_pupils"].fillna(float("inf"))
    assert (solution.schools["pupils"] <= cap + 1e-9).all()


def test_a_school_on_an_empty_site_closes_unless_allowed_and_priced(tmp_path):
    """a's youths leave after 2026 (a closed group costs 1,000 a year to run), so a runs no
    groups in 2027. b's own school is 20 km away, the Olivijncollege d ≈ 10 km. Without a price
    the school closes with its host: b's youth goes 20 km in 2027 (10 × 20 = 200). With
    ``without_host_eur_per_year: 50`` it may stay: 50 + 10 d ≈ 150 < 200."""
    d = km_b_to_olivijn()
    rows = demand(years=(2026,)) + [(2027, "Z1", "secure", 0.0), (2027, "Z2", "hybrid", 1.0)]

    def run(tmp, terms):
        sc = scenario(10, own_km=20, terms=terms, offer=False)
        sc["costs"]["running_eur_per_place_year"]["values"]["closed"] = 1000
        return solve(tmp, sc, rows)

    solution, summary = run(tmp_path / "closes", {})
    assert summary["objective_eur"] == pytest.approx(3 * 1000 + 10 * d + 10 * 20, rel=1e-6)
    assert not at(solution.schools, OLV, 2027)["in_use"]
    assert at(solution.schools, OLV, 2027)["pupils"] == 0

    solution, summary = run(tmp_path / "stays", {"without_host_eur_per_year": 50})
    assert summary["objective_eur"] == pytest.approx(3 * 1000 + 10 * d + 50 + 10 * d, rel=1e-6)
    kept = at(solution.schools, OLV, 2027)
    assert kept["in_use"] and kept["pupils"] == pytest.approx(1.0)


@pytest.fixture(scope="module")
def baseline():
    return load(Path(__file__).resolve().parents[1] / "configs" / "baseline-2026.yaml")


def test_baseline_zeeland_candidates_reach_real_schools(baseline):
    """Every Zeeland candidate of the baseline can run hybrid and open groups through bundled
    Zeeland schools of a suitable kind within the limit; every option is within the limit."""
    opts = baseline.school_options
    assert (opts["km"] <= baseline.scenario.education.max_school_km).all()
    zeeland = baseline.sites[baseline.sites["region"] == "Zeeland"]
    kinds = baseline.scenario.education.school_kinds
    schools = geodata.load_schools().set_index("school_id")
    for site in zeeland.itertuples():
        assert set(site.education_types.split(";")) == {"hybrid", "open"}
        mine = opts[(opts["site_id"] == site.site_id) & (opts["basis"] == "suitable")]
        for t in ("hybrid", "open"):
            ids = mine.loc[mine["type"] == t, "school_id"]
            assert len(ids) > 0
            assert set(schools.loc[ids, "kind"]) <= set(kinds.kinds_for(t))
            assert set(schools.loc[ids, "region"]) == {"Zeeland"}


def test_a_site_without_reachable_education_is_explained(tmp_path):
    """Site c's only school is 50 km away (limit 30) and it offers no education on site: it
    cannot run open places, the youth goes unmet, and the reason names the school, its
    distance, the suitable kinds and the missing education on site."""
    sc = tiny.base_scenario(years=(2026,))
    site_c = tiny.site("C", "Z", ["open"])
    site_c["education"] = {"school_km": 50, **A}
    sc["sites"] = {"c": site_c}
    path = tiny.write(tmp_path, sc, [("Z", "R1")], [(2026, "Z", "open", 1.0)], {("Z", "c"): 5})
    plan = solve_plan(load(path))
    unmet = plan.solution.unmet
    assert unmet["beds"].sum() == pytest.approx(1.0)
    reason = unmet["reason"].iloc[0]
    assert "no suitable school within 30 km" in reason
    assert "50 km away" in reason and "offers no education on site" in reason


def test_a_school_that_cannot_reach_its_minimum_makes_the_duty_infeasible_and_says_so(tmp_path):
    """a's 2.5 closed youths (an admission duty) can only go to the Olivijncollege (no successor
    on site), whose minimum is 3: no plan exists. Relaxing the school's minimum by 0.5 pupils
    would make one, and the explanation says so."""
    sc = scenario(10, terms={"min_pupils": 3}, offer=False)
    sc["unmet"] = {n: v for n, v in sc["unmet"].items() if n != "secure"}
    rows = [(2026, "Z1", "secure", 2.5), (2027, "Z1", "secure", 2.5)]
    path = tiny.write(tmp_path, sc, ZONES, rows, KM)
    with pytest.raises(ScenarioInfeasible) as caught:
        solve_plan(load(path))
    text = "\n".join(str(e) for e in caught.value.explanations)
    assert "School Het Olivijncollege in 2026" in text and "(0.50 short)" in text


def test_report_and_map_show_pupils_per_school(tmp_path):
    """The run folder's schools.csv reaches the report (Education / Onderwijs, the
    Olivijncollege line with its threshold, pupils per year) and the map (a school circle per
    school with plan pupils, names escaped)."""
    from optimizer.pipeline import run
    from reports.map import build_map
    from reports.report import build_report

    sc = scenario(10, terms=VIABLE)
    sc["sites"]["b"]["name"] = "B <script>alert(1)</script>"
    path = tiny.write(tmp_path / "in", sc, ZONES, demand(), KM)
    folder = run(path, tmp_path / "run").folder
    schools = pd.read_csv(folder / "schools.csv")
    olv = schools[schools["school_id"] == OLV]
    assert list(olv["pupils"].round(6)) == [3.0, 3.0] and olv["in_use"].all()
    report = build_report(folder).read_text()
    assert '<section id="schools">' in report and "<h2>Education</h2>" in report
    assert "Het Olivijncollege: plan pupils 2026: 3.0; 2027: 3.0; viability threshold 3." in report
    assert 'data-k="pupils-02RH15-2026">3.0<' in report
    dutch = build_report(folder, lang="nl").read_text()
    assert "<h2>Onderwijs</h2>" in dutch and "ondergrens 3" in dutch
    page = build_map(folder).read_text()
    assert page.count("var circle_marker_") == 1  # the Olivijncollege; b's own school: no place
    assert "Het Olivijncollege" in page and "<script>alert(1)" not in page


def test_an_unknown_school_in_the_terms_is_a_clear_error(tmp_path):
    """A school id in education.schools that the bundled schools do not hold is named, with
    the field and what was expected (exit code 2 in the CLI, no traceback)."""
    from optimizer.errors import JzplanError

    sc = scenario(10, terms=VIABLE)
    sc["education"]["schools"]["99XX99"] = {"min_pupils": 1, **A}
    path = tiny.write(tmp_path, sc, ZONES, demand(), KM)
    with pytest.raises(JzplanError) as caught:
        load(path)
    text = str(caught.value)
    assert "education.schools.99XX99" in text and "unknown school_id '99XX99'" in text
