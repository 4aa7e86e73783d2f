"""compare.html/compare.csv: one column per scenario with the right totals, relative map links."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from reports.compare import compare_runs
from reports.map import build_map
from tests.fixtures.sample_run import write_sample_run

pytest_plugins = ["tests.browser"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("compare")
    first = write_sample_run(base / "runs" / "a")
    second = write_sample_run(
        base / "runs" / "b", scenario="no-roosendaal", cost_scale=1.1, drop_sites=("S4",)
    )
    for run in (first, second):
        build_map(run, offline=True)
    return [first, second]


def cells(text: str) -> dict[tuple[str, int], str]:
    found = re.findall(r'data-k="([^"]+)" data-scenario="(\d+)">([^<]*)<', text)
    return {(key, int(index)): html.unescape(value) for key, index, value in found}


def test_one_column_per_scenario_with_totals(runs: list[Path], tmp_path: Path) -> None:
    out = compare_runs(runs, tmp_path / "out")
    text = out.read_text(encoding="utf-8")
    assert text.count('class="scenario"') == 2
    assert ">baseline-2026<" in text and ">no-roosendaal<" in text
    found = cells(text)
    for index, run in enumerate(runs):
        costs = pd.read_csv(run / "costs.csv")
        plan = pd.read_csv(run / "plan.csv")
        assignments = pd.read_csv(run / "assignments.csv")
        mean = (assignments["beds"] * assignments["distance_km"]).sum() / assignments["beds"].sum()
        assert found[("total_cost", index)] == f"{costs['eur'].sum():,.0f}"
        for year, eur in costs.groupby("year")["eur"].sum().items():
            assert found[(f"cost_{year}", index)] == f"{eur:,.0f}"
        for (year, ptype), beds in plan.groupby(["year", "type"])["beds"].sum().items():
            assert found[(f"beds_{year}_{ptype}", index)] == f"{beds:,.0f}"
        assert found[("sites_used", index)] == str(plan.loc[plan["beds"] > 0, "site_id"].nunique())
        assert found[("mean_km", index)] == f"{mean:.1f}"
        assert found[("max_km", index)] == f"{assignments['distance_km'].max():.1f}"
        unmet = pd.read_csv(run / "unmet.csv")["beds"].sum()
        assert found[("unmet_beds", index)] == f"{unmet:.1f}"
    assert found[("sites_used", 0)] != found[("sites_used", 1)]

    table = pd.read_csv(tmp_path / "out" / "compare.csv").set_index("metric")
    assert list(table.columns) == ["label", "baseline-2026", "no-roosendaal"]
    for index, run in enumerate(runs):
        total = pd.read_csv(run / "costs.csv")["eur"].sum()
        assert float(table.iloc[:, index + 1]["total_cost"]) == pytest.approx(total)


def test_map_links_are_relative_and_resolve(runs: list[Path], tmp_path: Path) -> None:
    out_dir = tmp_path / "elsewhere" / "out"
    text = compare_runs(runs, out_dir).read_text(encoding="utf-8")
    links = [h for h in re.findall(r'href="([^"]+)"', text) if not h.startswith("#")]
    assert len(links) == 2
    for link, run in zip(links, runs, strict=True):
        assert not link.startswith(("/", "file:", "http"))
        assert (out_dir / link).resolve() == (run / "map.html").resolve()


@pytest.mark.browser
def test_compare_page_in_browser_and_in_dutch(runs: list[Path], tmp_path: Path, open_page) -> None:
    out = compare_runs(runs, tmp_path / "nl", lang="nl")
    text = out.read_text(encoding="utf-8")
    assert text.count("<svg") == 1
    assert "Scenariovergelijking" in text and "Totale kosten" in text
    page, log = open_page(out)
    assert page.locator("#compare thead th.scenario").count() == 2
    assert page.locator("#compare tbody tr").first.locator("td").count() == 2
    log.assert_clean()


def test_no_runs_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one run"):
        compare_runs([], tmp_path)


def _expected_changes(run: Path) -> dict[tuple[str, int], str]:
    """Sites opened and closed per year, worked out from plan.csv and sites.csv here."""
    plan = pd.read_csv(run / "plan.csv")
    sites = pd.read_csv(run / "inputs" / "sites.csv").set_index("site_id")
    groups = plan.groupby(["site_id", "year"])["groups"].sum()
    out = {}
    for year in sorted(plan["year"].unique()):
        opened, closed = [], []
        for site in sites.index:
            before = (
                sites.loc[site, ["existing_closed", "existing_hybrid", "existing_open"]].sum()
                if year == plan["year"].min()
                else groups.get((site, year - 1), 0)
            )
            now = groups.get((site, year), 0)
            if now > 0 and before == 0:
                opened.append(sites.loc[site, "name"])
            if now == 0 and before > 0:
                closed.append(sites.loc[site, "name"])
        out[("opened", year)] = "; ".join(sorted(opened)) or "none"
        out[("closed", year)] = "; ".join(sorted(closed)) or "none"
    return out


def test_sites_by_year_and_unmet_by_need(runs: list[Path], tmp_path: Path) -> None:
    third = shutil.copytree(runs[1], tmp_path / "runs" / "c")
    plan = pd.read_csv(third / "plan.csv")
    added = plan.index[(plan["added_groups"] > 0) & (plan["type"] != "closed")][0]
    plan.loc[added, "converted_groups"] = 1  # one group rebuilt from a closed one
    plan.to_csv(third / "plan.csv", index=False)
    summary = json.loads((third / "summary.json").read_text())
    summary["scenario"] = "converted"
    (third / "summary.json").write_text(json.dumps(summary))
    folders = [*runs, third]
    found = cells(compare_runs(folders, tmp_path / "out").read_text(encoding="utf-8"))
    opened_somewhere = False
    for index, run in enumerate(folders):
        for (what, year), text in _expected_changes(run).items():
            assert found[(f"sites_{what}_{year}", index)] == text, (what, year, index)
            opened_somewhere |= what == "opened" and text != "none"
        unmet = pd.read_csv(run / "unmet.csv")
        for need in ("secure", "hybrid", "open"):
            beds = unmet.loc[unmet["need"] == need, "beds"].sum()
            shown = f"{beds:.0f}" if float(beds).is_integer() else f"{beds:.1f}"
            assert found[(f"unmet_{need}", index)] == shown
    assert opened_somewhere, "the fixture should open a site in some year"
    assert found[("sites_opened_2028", 0)] != found[("sites_opened_2028", 1)], "S4 opens in 2028"
    row = plan.loc[added]
    site = pd.read_csv(third / "inputs" / "sites.csv").set_index("site_id").loc[row["site_id"]]
    assert found[(f"sites_converted_{row['year']}", 2)] == f"{site['name']} (1)"
    assert found[(f"sites_converted_{row['year']}", 0)] == "none"
    table = pd.read_csv(tmp_path / "out" / "compare.csv").set_index("metric")
    assert float(table.loc["unmet_secure", "converted"]) == pytest.approx(
        pd.read_csv(third / "unmet.csv").query("need == 'secure'")["beds"].sum()
    )
    dutch = cells(compare_runs(folders, tmp_path / "nl", lang="nl").read_text(encoding="utf-8"))
    assert dutch[("sites_converted_2026", 0)] == "geen"
