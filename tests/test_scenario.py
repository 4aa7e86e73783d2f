"""Scenario files: shipped ones validate; broken ones are rejected with precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from optimizer.pipeline import load
from optimizer.scenario import ScenarioError, load_scenario
from tests.conftest import SHIPPED
from tests.fixtures import tiny

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("config", SHIPPED, ids=lambda p: p.stem)
def test_shipped_configs_validate(config):
    data = load(config)
    assert len(data.zones) == 27


def variant(tmp_path: Path, text: str, name: str = "variant.yaml") -> Path:
    """A variant of the baseline, written beside a copy of it."""
    (tmp_path / "baseline-2026.yaml").write_text((ROOT / "configs/baseline-2026.yaml").read_text())
    path = tmp_path / name
    path.write_text("extends: baseline-2026.yaml\n" + text)
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return [str(p) for p in info.value.findings]


def test_extends_overrides_only_what_differs():
    scenario, _ = load_scenario(ROOT / "configs/zeeland-hybrid.yaml")
    assert scenario.sites["goes"].education.on_site is True
    assert scenario.sites["ossendrecht"].existing == {"closed": 4}
    assert scenario.policy.hybrid_site_required_from.values == {"Zeeland": 2027}


def test_null_removes_a_site(tmp_path):
    scenario, _ = load_scenario(variant(tmp_path, "name: v\nsites:\n  terneuzen: null\n"))
    assert "terneuzen" not in scenario.sites


def test_unknown_field_and_wrong_type_reported_together(tmp_path):
    path = variant(
        tmp_path, "name: v\nplanning:\n  frist_year: 2026\nsites:\n  goes:\n    max_groups: many\n"
    )
    found = problems_of(path)
    assert any(
        str(path) in p and "planning.frist_year" in p and "unknown field" in p for p in found
    )
    assert any("sites.goes.max_groups" in p and "integer" in p for p in found)
    assert len(found) >= 2


def test_negative_demand(tmp_path):
    path = variant(tmp_path, "name: v\ndemand:\n  totals:\n    values: {2027: -3}\n")
    assert any("demand" in p and "negative" in p for p in problems_of(path))


def test_need_shares_must_sum_to_one(tmp_path):
    path = variant(
        tmp_path,
        "name: v\ndemand:\n  need_shares:\n    values:\n"
        "      2026: {secure: 0.5, hybrid: 0.3, open: 0.1}\n",
    )
    assert any("demand.need_shares" in p and "sum to 0.9" in p for p in problems_of(path))


def test_unknown_municipality_code(tmp_path):
    path = variant(tmp_path, "name: v\nsites:\n  goes:\n    gm_code: GM9999\n")
    assert any("sites.goes.gm_code" in p and "GM9999" in p for p in problems_of(path))


def test_site_outside_every_region(tmp_path):
    path = variant(
        tmp_path, "name: v\nsites:\n  goes:\n    gm_code: null\n    lat: 52.37\n    lon: 4.89\n"
    )
    assert any("sites.goes" in p and "outside every zone" in p for p in problems_of(path))


def test_missing_file(tmp_path):
    path = variant(tmp_path, "name: v\ndemand:\n  key: csv\n  key_csv: nowhere.csv\n")
    assert any("demand.key_csv" in p and "file not found" in p for p in problems_of(path))
    assert "file not found" in str(problems_of(tmp_path / "absent.yaml"))


def test_malformed_csv(tmp_path):
    (tmp_path / "key.csv").write_text('gm_code,weight\nGM0748,"12\nGM0664,3,4,5\n')
    path = variant(tmp_path, "name: v\ndemand:\n  key: csv\n  key_csv: key.csv\n")
    found = problems_of(path)
    assert any("key.csv" in p and ("malformed" in p or "expected a number" in p) for p in found)


def test_csv_with_text_in_a_number_column(tmp_path):
    sc = tiny.base_scenario()
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
    path = tiny.write(tmp_path, sc, [("Z", "R1")], [(2026, "Z", "secure", "lots")], {("Z", "s"): 1})
    found = problems_of(path)
    assert any("demand.csv" in p and "beds" in p and "line 2" in p for p in found)


def test_missing_provenance_is_rejected(tmp_path):
    path = variant(
        tmp_path, "name: v\nsolver: {time_limit_s: 5, mip_rel_gap: 0, assumption: null}\n"
    )
    found = problems_of(path)
    assert any("solver" in p and "source" in p for p in found)


def test_problem_in_parent_names_the_parent_file(tmp_path):
    (tmp_path / "baseline-2026.yaml").write_text(
        (ROOT / "configs/baseline-2026.yaml").read_text().replace("max_groups: 6", "max_groups: -1")
    )
    child = tmp_path / "child.yaml"
    child.write_text("extends: baseline-2026.yaml\nname: child\n")
    found = problems_of(child)
    assert any(
        p.startswith(str(tmp_path / "baseline-2026.yaml")) and "max_groups" in p for p in found
    )


def numbers_without_provenance(node, path=(), covered=False):
    """Paths of numbers that no enclosing mapping gives a `source` or `assumption`."""
    if isinstance(node, dict):
        covered = covered or bool(node.get("source") or node.get("assumption"))
        for key, value in node.items():
            yield from numbers_without_provenance(value, path + (str(key),), covered)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from numbers_without_provenance(value, path + (str(i),), covered)
    elif isinstance(node, (int, float)) and not isinstance(node, bool) and not covered:
        yield ".".join(path)


def test_provenance_checker_can_fail():
    assert list(numbers_without_provenance({"a": {"b": 1, "c": {"d": 2, "source": "x"}}})) == [
        "a.b"
    ]


@pytest.mark.parametrize("config", SHIPPED, ids=lambda p: p.stem)
def test_every_number_in_configs_has_provenance(config):
    data = yaml.safe_load(config.read_text())
    missing = list(numbers_without_provenance(data))
    assert not missing, f"{config.name}: numbers without source/assumption: {missing}"
