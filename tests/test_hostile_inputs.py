"""Hostile and careless inputs, one test per class: each is a clear finding or error naming the
file (the one that set the value) and the field, row or column, never a crash or a wrong number."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from optimizer import erlang, scenario
from optimizer.advances import settle_scenario
from optimizer.cli import app
from optimizer.pipeline import load
from optimizer.scenario import ScenarioError, load_scenario
from optimizer.settlement import SettlementError
from tests.fixtures import tiny

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline-2026.yaml"


def findings(path: Path) -> list:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return info.value.findings


def variant(folder: Path, text: str, name: str = "variant.yaml") -> Path:
    """A variant of the shipped baseline (extends by absolute path)."""
    path = folder / name
    path.write_text(f"extends: {BASELINE.as_posix()}\nname: v\n{text}", encoding="utf-8")
    return path


# --- scenario YAML -------------------------------------------------------------------------------


def test_a_key_written_twice_names_the_key_and_both_lines(tmp_path) -> None:
    path = variant(tmp_path, "title: first\nplanning:\n  discount_rate: 0.01\ntitle: second\n")
    found = [f for f in findings(path) if "twice" in f.message]
    assert len(found) == 1
    assert found[0].file == str(path.resolve()) and found[0].field == "line 6"
    assert "'title'" in found[0].message and "lines 3 and 6" in found[0].message


def test_an_alias_bomb_is_refused_with_a_finding(tmp_path) -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 7):  # 10^7 values once expanded, in a few hundred bytes
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n")
    found = findings(path)
    assert len(found) == 1 and found[0].file == str(path.resolve())
    assert "aliases" in found[0].message and f"{scenario.MAX_YAML_NODES:,}" in found[0].message


def test_a_recursive_alias_is_refused(tmp_path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("a: &a [1, *a]\n")
    assert "contains it" in findings(path)[0].message


def test_shipped_anchors_and_aliases_still_load() -> None:
    text = (ROOT / "configs" / "arrivals-stay.yaml").read_text()
    assert "&derived" in text and "*derived" in text
    load_scenario(ROOT / "configs" / "arrivals-stay.yaml")


def test_a_document_over_the_size_limit_names_the_limit(tmp_path) -> None:
    path = variant(tmp_path, "# " + "x" * scenario.MAX_YAML_BYTES + "\n")
    found = findings(path)
    assert len(found) == 1 and f"{scenario.MAX_YAML_BYTES:,}" in found[0].message


def test_deep_nesting_is_refused(tmp_path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 2000 + "]" * 2000 + "\n")
    assert "nested more than" in findings(path)[0].message


@pytest.mark.parametrize("target", [".", "sub", "missing.yaml"])
def test_extends_to_a_folder_or_a_missing_file_blames_the_extends(tmp_path, target) -> None:
    (tmp_path / "sub").mkdir()
    path = tmp_path / "child.yaml"
    path.write_text(f"extends: {target}\nname: child\n")
    found = findings(path)
    assert len(found) == 1
    assert found[0].file == str(path.resolve()) and found[0].field == "extends"
    assert ("folder" if target != "missing.yaml" else "file not found") in found[0].message


def test_a_non_utf8_scenario_is_a_finding(tmp_path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: caf\xe9\n")
    found = findings(path)
    assert found[0].field == "line 1" and "byte 9" in found[0].message


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("demand:\n  totals:\n    values: {2027: -3}\n", "negative"),  # a section's own check
        ("sites:\n  goes:\n    gm_code: GM9999\n", "GM9999"),  # checked against the zones
        ("policy:\n  min_places: []\n  budget_eur_per_year:\n    values: {2035: 1}\n",
         "outside the plan"),
    ],
)  # fmt: skip
def test_the_child_is_blamed_for_what_it_changed_not_the_parent(tmp_path, change, message):
    parent = tmp_path / "parent.yaml"
    parent.write_text(BASELINE.read_text())
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: parent.yaml\nname: child\n{change}")
    found = [f for f in findings(child) if message in f.message]
    assert found and {f.file for f in found} == {str(child.resolve())}, found


def test_the_parent_is_blamed_for_what_only_it_set(tmp_path) -> None:
    text = BASELINE.read_text()
    budget = "budget_eur_per_year:\n    values: {2026: "
    assert budget in text
    parent = tmp_path / "parent.yaml"
    parent.write_text(text.replace(budget, "budget_eur_per_year:\n    values: {2035: 1, 2026: "))
    child = tmp_path / "child.yaml"
    child.write_text("extends: parent.yaml\nname: child\ntitle: only the title\n")
    found = [f for f in findings(child) if "budget_eur_per_year" in f.field]
    assert len(found) == 1 and found[0].file == str(parent.resolve())


def test_a_variant_in_another_folder_runs_with_its_parents_files(tmp_path) -> None:
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
    tiny.write(tmp_path / "base", sc, [("Z", "R1")], [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5})
    child = tmp_path / "variants" / "deeper" / "child.yaml"
    child.parent.mkdir(parents=True)
    child.write_text("extends: ../../base/scenario.yaml\nname: child\ntitle: elsewhere\n")
    data = load(child)
    assert data.scenario.name == "child" and data.demand["beds"].sum() == 1.0
    assert data.scenario.zones.csv == "../../base/zones.csv"
    assert sorted(data.files) == ["base/demand.csv", "base/matrix.csv", "base/zones.csv"]
    assert all(path.is_file() for path in data.files.values())
    # a file the child names itself is still relative to the child
    (child.parent / "demand.csv").write_text("year,gm_code,need,beds\n2026,Z,secure,2\n")
    child.write_text(child.read_text() + "demand:\n  table_csv: demand.csv\n")
    assert load(child).demand["beds"].sum() == 2.0


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({"budget_eur_per_year": {"values": {2031: 5}, **tiny.A}}, "policy.budget_eur_per_year"),
        ({"min_places": [{"name": "m", "years": [2024], "types": ["closed"], "places": 1,
                          **tiny.A}]}, "policy.min_places.0.years"),
        ({"hybrid_site_required_from": {"values": {"R1": 2040}, **tiny.A}},
         "policy.hybrid_site_required_from.values.R1"),
    ],
)  # fmt: skip
def test_a_policy_rule_outside_the_horizon_is_an_error(tmp_path, policy, field) -> None:
    sc = tiny.base_scenario(years=(2026, 2027))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
    sc["policy"] = policy
    demand = [(2026, "Z", "secure", 1.0), (2027, "Z", "secure", 1.0)]
    path = tiny.write(tmp_path, sc, [("Z", "R1")], demand, {("Z", "s"): 5})
    found = findings(path)
    assert any(f.field.startswith(field) and f.file == str(path.resolve()) for f in found), found


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("planning:\n  discount_rate: .nan\n", "planning.discount_rate"),
        ("costs:\n  site_eur_per_year: {value: .inf, source: s}\n",
         "costs.site_eur_per_year.value"),
        ("costs:\n  site_eur_per_year: {value: '-Infinity', source: s}\n",
         "costs.site_eur_per_year.value"),
    ],
)  # fmt: skip
def test_a_non_finite_number_in_yaml_names_its_field(tmp_path, text, field) -> None:
    path = variant(tmp_path, text)
    found = findings(path)
    hits = [f for f in found if f.field == field]
    assert len(hits) == 1 and "not a finite number" in hits[0].message, found
    assert hits[0].file == str(path.resolve())


# --- money ---------------------------------------------------------------------------------------


def usage_file(folder: Path, rows: str) -> Path:
    path = folder / "usage.csv"
    path.write_text("gm_code,type,care_days\n" + rows)
    return path


def test_usage_beyond_the_contract_is_refused_naming_file_rows_and_column(tmp_path) -> None:
    # the baseline contracts 24 closed places: 24 x 365 = 8,760 care days at most
    usage = usage_file(tmp_path, "GM0826,closed,5000\nGM0758,hybrid,10\nGM0748,closed,3761\n")
    with pytest.raises(SettlementError) as info:
        settle_scenario(load(BASELINE), usage, str(BASELINE))
    message = str(info.value)
    assert f"{usage}: rows 2, 4, column 'care_days'" in message
    assert "8,761 care days of type 'closed'" in message and "8,760" in message


def test_usage_of_an_uncontracted_type_is_refused(tmp_path) -> None:
    usage = usage_file(tmp_path, "GM0826,closed,10\nGM0758,open,3\n")
    with pytest.raises(SettlementError) as info:
        settle_scenario(load(BASELINE), usage, str(BASELINE))
    assert f"{usage}: row 3, column 'care_days'" in str(info.value)
    assert "no open places" in str(info.value)


def test_a_population_key_that_cannot_be_built_names_the_zone_line(tmp_path) -> None:
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
    sc["settlement"] = {"year": 2026, "contract_places": {"closed": 1}, **tiny.A}
    path = tiny.write(tmp_path, sc, [("Z", "R1"), ("Y", "R1")],
                      [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5, ("Y", "s"): 5})  # fmt: skip
    zones = pd.read_csv(tmp_path / "zones.csv").assign(population=["1200", "onbekend"])
    zones.to_csv(tmp_path / "zones.csv", index=False)
    usage = usage_file(tmp_path, "Z,closed,3\n")
    with pytest.raises(SettlementError) as info:
        settle_scenario(load(path), usage, str(path))
    message = str(info.value)
    assert "population" in message and f"{tmp_path / 'zones.csv'}: line 3" in message
    assert "'onbekend'" in message


# --- bounded work ------------------------------------------------------------------------------


def test_size_with_an_absurd_load_refuses_naming_the_limit() -> None:
    outcome = CliRunner().invoke(app, ["size", "--load", "1e8"])
    assert outcome.exit_code == 2, outcome.output
    assert f"{erlang.MAX_LOAD_BEDS:,} beds" in outcome.output
    with pytest.raises(erlang.ErlangInputError, match="at most 10,000 beds"):
        erlang.places_needed(1e8, 0.05)
    assert erlang.places_needed(erlang.MAX_LOAD_BEDS, 0.05) > 9000  # the limit itself is sized


def test_a_pool_too_big_to_tabulate_is_a_finding(tmp_path) -> None:
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"], max_groups=erlang.MAX_TABLE_PLACES + 1)}
    sc["service_level"] = {"max_refusal_probability": 0.05, **tiny.A}
    path = tiny.write(tmp_path, copy.deepcopy(sc), [("Z", "R1")], [(2026, "Z", "secure", 1.0)],
                      {("Z", "s"): 5})  # fmt: skip
    raw = yaml.safe_load(path.read_text())
    raw["service_level"]["pools"] = {"all": {"sites": ["s"], **tiny.A}}
    if "capacity_rule" in scenario.Scenario.model_fields:  # the sizing rule is named explicitly
        raw["capacity_rule"] = "service_level"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises((ScenarioError, erlang.ErlangInputError)) as info:
        load(path)
    assert f"{erlang.MAX_TABLE_PLACES:,}" in str(info.value)
