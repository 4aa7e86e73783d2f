"""The scenario reference (configs/README.md) covers the whole schema, with its real defaults."""

from __future__ import annotations

import inspect

import pytest
from pydantic import BaseModel

from optimizer import schema, schema_docs
from optimizer.units import unit_of

MODELS = [
    cls
    for _, cls in inspect.getmembers(schema, inspect.isclass)
    if issubclass(cls, BaseModel) and cls.__module__ == schema.__name__
]
BASES = (schema.Strict, schema.Provenance)


@pytest.fixture(scope="module")
def page() -> str:
    return schema_docs.markdown()


@pytest.fixture(scope="module")
def rows() -> list[schema_docs.Row]:
    return schema_docs.rows()


def cells(page: str, path: str) -> list[str]:
    """The table cells of the row for ``path``: field, type, unit, required/default, meaning."""
    for line in page.splitlines():
        if line.startswith(f"| `{path}` |"):
            return [cell.strip() for cell in line.strip().strip("|").split(" | ")]
    raise AssertionError(f"no table row for {path}")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_schema_class_has_a_docstring(model: type[BaseModel]) -> None:
    doc = model.__dict__.get("__doc__")
    assert doc and doc.strip(), f"{model.__name__} has no docstring"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_has_a_description(model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        assert info.description and info.description.strip(), f"{model.__name__}.{name}"


def test_every_field_of_every_schema_class_is_on_the_page(page: str, rows) -> None:
    covered = {(row.model, row.field) for row in rows}
    for model in MODELS:
        if model in BASES:
            continue
        missing = [name for name in model.model_fields if (model, name) not in covered]
        assert not missing, f"{model.__name__}: {missing} not reached from Scenario"
    for base in BASES:
        for name in base.model_fields:
            assert any(issubclass(r.model, base) and r.field == name for r in rows), name
    for row in rows:
        assert f"`{row.path}`" in page, f"{row.path} is not on the page"


@pytest.mark.parametrize(
    "path",
    [
        "planning.discount_rate",
        "demand.mean_stay_days.by_region",
        "demand.arrivals_by_region.<region>.values",
        "place_types.<type>.min_groups_if_open",
        "sites.<site id>.education.school_km",
        "travel.fixed_links.<n>.extra_minutes",
        "costs.site_eur_per_year.value",
        "policy.min_places.<n>.reserve",
        "policy.hybrid_site_required_from.values",
        "service_level.pools.<pool name>.types",
        "settlement.contract_places",
        "reference_figures.<figure name>.value",
        "sites.<site id>.source",
    ],
)
def test_dotted_paths_with_placeholders(page: str, path: str) -> None:
    assert f"`{path}`" in page


def test_page_mentions_every_top_level_section(page: str) -> None:
    sections = schema_docs.sections()
    assert [name for name, _, _ in sections] == list(schema.Scenario.model_fields)
    for name, model, _ in sections:
        assert f"| `{name}` |" in page, name
        if model is not None:
            assert f"\n## `{name}`\n" in page, name
    assert {name for name, model, _ in sections if model is None} == {
        "name",
        "title",
        "description",
        "extends",
        "capacity_rule",
        "title_nl",
        "description_nl",
    }


def _default(model: type[BaseModel], name: str):
    return model.model_fields[name].get_default(call_default_factory=True)


def test_defaults_shown_are_the_schemas(page: str) -> None:
    text_defaults = {
        "zones.kind": (schema.Zones, "kind"),
        "travel.method": (schema.Travel, "method"),
        "demand.key": (schema.Demand, "key"),
        "settlement.key": (schema.Settlement, "key"),
    }
    for path, (model, name) in text_defaults.items():
        assert cells(page, path)[3] == f"default `{_default(model, name)}`", path
    minimum = _default(schema.PlaceTypeSpec, "min_groups_if_open")
    assert cells(page, "place_types.<type>.min_groups_if_open")[3] == f"default `{minimum}`"
    extra = _default(schema.FixedLink, "extra_minutes")
    assert cells(page, "travel.fixed_links.<n>.extra_minutes")[3] == f"default `{extra!r}`"
    reserve = str(_default(schema.MinPlaces, "reserve")).lower()
    assert cells(page, "policy.min_places.<n>.reserve")[3] == f"default `{reserve}`"
    regions = "[" + ", ".join(_default(schema.Zones, "regions")) + "]"
    assert cells(page, "zones.regions")[3] == f"default `{regions}`"
    types = "[" + ", ".join(_default(schema.Pool, "types")) + "]"
    assert cells(page, "service_level.pools.<pool name>.types")[3] == f"default `{types}`"
    assert schema.Planning.model_fields["start_year"].is_required()
    assert cells(page, "planning.start_year")[3] == "required"
    assert schema.Education.model_fields["school"].default is None
    assert cells(page, "sites.<site id>.education.school")[3] == "optional"


def test_literal_choices_and_readable_types(page: str) -> None:
    assert cells(page, "travel.method")[1] == "one of land_graph, straight_line, matrix"
    assert cells(page, "policy.budget_eur_per_year.values")[1] == "mapping year → number"
    assert cells(page, "sites.<site id>.max_groups")[1] == "integer, ≥ 0"
    assert cells(page, "policy.min_places")[1].startswith("list of ")


def test_units_come_from_the_units_module(page: str, rows) -> None:
    for path in (
        "costs.site_eur_per_year.value",
        "place_types.<type>.max_km",
        "solver.time_limit_s",
    ):
        assert cells(page, path)[2] == unit_of(path) != ""
    for row in rows:
        if row.units_unit and row.described_unit:
            assert row.units_unit == row.described_unit, row.path
        if row.numeric and not row.path.startswith("reference_figures."):
            assert row.unit, f"{row.path}: a number without a unit"


def test_user_files_cover_every_file_field(page: str, rows) -> None:
    from optimizer import data, settlement

    files = {item.field: item for item in schema_docs.USER_FILES}
    for row in rows:
        if row.path.startswith("demand_paths.paths."):  # a path's demand: the demand section's
            continue
        if row.field in ("csv", "geojson") or row.field.endswith("_csv"):
            assert row.path in files, f"{row.path}: no entry in schema_docs.USER_FILES"
            assert f"### `{row.path}`" in page
    zone_columns = [column.name for column in files["zones.csv"].columns]
    assert set(data.ZONE_COLUMNS) <= set(zone_columns)
    usage = [column.name for column in files["jzplan settle --usage FILE"].columns]
    assert tuple(usage) == settlement.USAGE_COLUMNS


def test_page_is_deterministic(page: str) -> None:
    assert schema_docs.markdown() == page
    assert page.startswith("# ") and page.endswith("\n")
