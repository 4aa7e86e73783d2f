"""The scenario reference page (``configs/README.md``), rendered from :mod:`optimizer.schema`.

The page is a walk over the pydantic models from :class:`~optimizer.schema.Scenario` down: nested
sections, mappings of sections (``sites: dict[str, Site]``), lists of sections
(``policy.min_places``), Literal choices and optional sections. Each field becomes one table row
with its dotted path (the path error messages use), a readable type, its unit, whether it is
required or its default, and its description. A unit comes from :func:`optimizer.units.unit_of`
(the rule list the run folder uses) where that yields one, else from the description's closing
``Unit: ….`` sentence. The output is deterministic and follows the schema's field order;
:func:`optimizer.docs.scenario_reference` prepends the "generated" header line.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from optimizer import schema
from optimizer.units import unit_of

#: What the keys of a mapping with free-text keys stand for, by ``Model.field``.
KEY_NAMES: dict[str, str] = {
    "Scenario.sites": "site id",
    "Scenario.reference_figures": "figure name",
    "Demand.totals_by_region": "region",
    "Demand.arrivals_by_region": "region",
    "StayByNeed.by_region": "region",
    "ByRegionYear.values": "region",
    "ServiceLevel.pools": "pool name",
    "EducationPolicy.school_terms": "school kind",
    "EducationPolicy.schools": "school id",
    "DemandPaths.paths": "path name",
}

#: Models that only hold numbers and their provenance; explained once, under "Common shapes".
VALUE_MODELS: tuple[type[BaseModel], ...] = (
    schema.Quantity,
    schema.ByYear,
    schema.ByType,
    schema.ByRegionYear,
)

PROVENANCE_FIELDS = ("source", "assumption")
LIST_POSITION = "n"
_UNIT = re.compile(r"\s*Unit: (?P<unit>[^.]+)\.\s*$")
_BOUNDS = (
    (annotated_types.Gt, "gt", ">"),
    (annotated_types.Ge, "ge", "≥"),
    (annotated_types.Lt, "lt", "<"),
    (annotated_types.Le, "le", "≤"),
)


@dataclass(frozen=True)
class Row:
    """One field at one place in a scenario."""

    path: str  # dotted, with <placeholders> for mapping keys and list positions
    model: type[BaseModel]  # the model that declares the field here
    field: str
    type: str
    unit: str  # the unit shown: from optimizer.units, else from the description
    units_unit: str  # what optimizer.units.unit_of gives (numbers only)
    described_unit: str  # the description's "Unit: ….", if any
    required: str
    meaning: str  # the description without its unit sentence
    numeric: bool  # a number, or mappings and lists of numbers

    @property
    def is_provenance(self) -> bool:
        return issubclass(self.model, schema.Provenance) and self.field in PROVENANCE_FIELDS


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    unit: str
    required: str
    meaning: str


@dataclass(frozen=True)
class UserFile:
    """A CSV (or GeoJSON) file a scenario, or a command, can point to."""

    field: str  # where it is named: a scenario field path or a command option
    when: str
    columns: tuple[Column, ...]
    note: str


USER_FILES: tuple[UserFile, ...] = (
    UserFile(
        "zones.csv",
        "with `zones.kind: csv`",
        (
            Column("gm_code", "text", "", "required", "Zone id, unique (any text, e.g. GM0873)."),
            Column("name", "text", "", "required", "Zone name for tables and the map."),
            Column(
                "region", "text", "", "required",
                "Region of the zone: the names `totals_by_region`, `arrivals_by_region`, "
                "`by_region` and `hybrid_site_required_from` use.",
            ),
            Column("lat", "number", "degrees latitude (WGS 84)", "required", "Zone point."),
            Column("lon", "number", "degrees longitude (WGS 84)", "required", "Zone point."),
            Column(
                "population", "number", "inhabitants", "optional",
                "Needed by `demand.key: population` and the population settlement key.",
            ),
            Column(
                "population_date", "text", "", "optional",
                "Reference date of the population, shown where it is used.",
            ),
        ),
        "Trips start at the zone point.",
    ),
    UserFile(
        "zones.geojson",
        "optional, with `zones.kind: csv`",
        (
            Column(
                "gm_code", "text (feature property)", "", "required",
                "The zone the polygon belongs to, as in `zones.csv`.",
            ),
        ),
        "Zone polygons. Needed for `travel.method: land_graph` (zones join where their polygons "
        "touch) and to find a site's zone from its coordinates.",
    ),
    UserFile(
        "demand.table_csv",
        "demand form 4",
        (
            Column("year", "integer", "year", "required", "Year; other than plan years ignored."),
            Column("gm_code", "text", "", "required", "Zone code, one of the zones."),
            Column("need", "one of secure, hybrid, open", "", "required", "Need level."),
            Column(
                "beds", "number ≥ 0", "average occupied beds", "required",
                "Demand of the zone and need in that year.",
            ),
        ),
        "A year, zone and need not listed has no demand.",
    ),
    UserFile(
        "demand.key_csv",
        "with `demand.key: csv`",
        (
            Column("gm_code", "text", "", "required", "Zone code: every zone exactly once."),
            Column(
                "weight", "number ≥ 0", "any (e.g. youths, past care days)", "required",
                "Totals and arrivals are spread over the zones in proportion to it.",
            ),
        ),
        "",
    ),
    UserFile(
        "travel.matrix_csv",
        "with `travel.method: matrix`",
        (
            Column("gm_code", "text", "", "required", "Zone code the trip starts from."),
            Column("site_id", "text", "", "required", "Site id, a key of `sites`."),
            Column("km", "number ≥ 0", "km", "required", "Trip length."),
            Column("minutes", "number ≥ 0", "minutes", "required", "Travel time."),
            Column(
                "links", "text", "", "optional",
                "Names of the links the trip uses, separated by `;`.",
            ),
        ),
        "Any router's output, e.g. OSRM. A zone and site not listed together cannot be assigned.",
    ),
    UserFile(
        "settlement.key_csv",
        "with `settlement.key: shares` or `weights`",
        (
            Column("gm_code", "text", "", "required", "Zone code: every zone exactly once."),
            Column(
                "weight", "number ≥ 0", "share (0-1) with `shares`; any with `weights`",
                "required",
                "Agreed shares must sum to 1; weights are shared in proportion (at least one "
                "more than 0).",
            ),
        ),
        "",
    ),
    UserFile(
        "jzplan settle --usage FILE",
        "a command option, not a scenario field",
        (
            Column("gm_code", "text", "", "required", "Municipality, one of the key's zones."),
            Column("type", "one of closed, hybrid, open", "", "required", "Place type used."),
            Column(
                "care_days", "integer ≥ 0", "days", "required",
                "Care days used; rows of one municipality and type add up.",
            ),
        ),
        "The care days actually used in `settlement.year`.",
    ),
)  # fmt: skip


# --- types, keys, defaults, units -----------------------------------------------------------


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _literal_noun(choices: tuple) -> str | None:
    if set(choices) == set(schema.TYPES):
        return "type"
    if set(choices) == set(schema.NEEDS):
        return "need"
    return None


def _key_name(key: Any, owner: type[BaseModel], name: str) -> str:
    """What one key of a mapping stands for: year, type, need, or a name from KEY_NAMES."""
    if key is int:
        return "year"
    if get_origin(key) is Literal and _literal_noun(get_args(key)):
        return _literal_noun(get_args(key))
    where = f"{owner.__name__}.{name}"
    if where not in KEY_NAMES:
        raise KeyError(f"{where}: add what its keys stand for to schema_docs.KEY_NAMES")
    return KEY_NAMES[where]


def _key_text(key: Any, owner: type[BaseModel], name: str) -> str:
    noun = _key_name(key, owner, name)
    if get_origin(key) is Literal:
        return f"{noun} ({', '.join(get_args(key))})"
    return noun


def _type_text(annotation: Any, owner: type[BaseModel], name: str) -> str:
    annotation = _without_none(annotation)
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    if annotation is str:
        return "text"
    if origin is Literal:
        return "one of " + ", ".join(args)
    if _is_model(annotation):
        return "mapping (rows below)"
    if origin is dict:
        key, value = args
        return f"mapping {_key_text(key, owner, name)} → {_type_text(value, owner, name)}"
    if origin is list:
        return "list of " + _plural(args[0], owner, name)
    if origin is tuple and len(args) == 2 and args[0] == args[1]:
        return "pair of " + _plural(args[0], owner, name)
    raise TypeError(f"{owner.__name__}.{name}: no readable name for {annotation!r}")


def _plural(annotation: Any, owner: type[BaseModel], name: str) -> str:
    if get_origin(annotation) is Literal:
        choices = get_args(annotation)
        noun = _literal_noun(choices) or "value"
        return f"{noun}s ({', '.join(choices)})"
    plural = {int: "integers", float: "numbers", str: "texts"}
    if annotation in plural:
        return plural[annotation]
    if _is_model(annotation):
        return "mappings (rows below)"
    return _type_text(annotation, owner, name)


def _bounds(info: FieldInfo) -> str:
    parts = []
    for item in info.metadata:
        for kind, attribute, sign in _BOUNDS:
            if isinstance(item, kind):
                parts.append(f"{sign} {getattr(item, attribute):g}")
        if isinstance(item, annotated_types.MinLen):
            parts.append(f"at least {item.min_length}")
    return ", ".join(parts)


def as_yaml(value: Any) -> str:
    """A default as it would be written in the YAML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value or '""'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(as_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{as_yaml(k)}: {as_yaml(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _required_text(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    default = info.get_default(call_default_factory=True)
    if default is None:
        return "optional"
    if isinstance(default, BaseModel):
        return "optional (defaults below)"
    return f"default `{as_yaml(default)}`"


def split_unit(description: str) -> tuple[str, str]:
    """A description's text and the unit its closing ``Unit: ….`` sentence names ('' if none)."""
    match = _UNIT.search(description)
    if not match:
        return description.strip(), ""
    return description[: match.start()].strip(), match["unit"].strip()


def _leaf(annotation: Any, path: str, owner: type[BaseModel], name: str) -> tuple[Any, str]:
    """The value at the bottom of mappings and lists, and a path to it as unit_of expects."""
    while True:
        annotation = _without_none(annotation)
        origin = get_origin(annotation)
        if origin is dict:
            key, annotation = get_args(annotation)
            path += f".<{_key_name(key, owner, name)}>"
        elif origin in (list, tuple):
            annotation = get_args(annotation)[0]
            path += ".0"
        else:
            return annotation, path


def _markdown_doc(cls: type) -> str:
    """A class docstring as Markdown paragraphs: lines joined, ``code`` as `code`."""
    text = inspect.cleandoc(cls.__doc__ or "").replace("``", "`")
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


# --- the walk -------------------------------------------------------------------------------


def _row(model: type[BaseModel], name: str, info: FieldInfo, path: str) -> Row:
    meaning, described = split_unit(info.description or "")
    leaf, sample = _leaf(info.annotation, path, model, name)
    numeric = leaf in (int, float)
    units_unit = unit_of(sample) if numeric else ""
    kind = _type_text(info.annotation, model, name)
    bounds = _bounds(info)
    return Row(
        path=path,
        model=model,
        field=name,
        type=f"{kind}, {bounds}" if bounds else kind,
        unit=units_unit or described,
        units_unit=units_unit,
        described_unit=described,
        required=_required_text(info),
        meaning=meaning,
        numeric=numeric,
    )


def _children(annotation: Any, path: str, owner: type[BaseModel], name: str):
    """The model inside a field (itself, a mapping's values or a list's items) and its prefix."""
    annotation = _without_none(annotation)
    origin = get_origin(annotation)
    if _is_model(annotation):
        return annotation, path
    if origin is dict:
        key, value = get_args(annotation)
        if _is_model(value):
            return value, f"{path}.<{_key_name(key, owner, name)}>"
    if origin is list and _is_model(get_args(annotation)[0]):
        return get_args(annotation)[0], f"{path}.<{LIST_POSITION}>"
    return None, path


def model_rows(model: type[BaseModel], prefix: str) -> list[Row]:
    """Rows of one model's fields under ``prefix``, depth first, provenance last."""
    rows, provenance = [], []
    for name, info in model.model_fields.items():
        row = _row(model, name, info, f"{prefix}.{name}" if prefix else name)
        if row.is_provenance:
            provenance.append(row)
            continue
        rows.append(row)
        inner, inner_prefix = _children(info.annotation, row.path, model, name)
        if inner is not None:
            rows.extend(model_rows(inner, inner_prefix))
    return rows + provenance


def rows() -> list[Row]:
    """Every field of every model, at every place it can occur in a scenario."""
    return model_rows(schema.Scenario, "")


def sections() -> list[tuple[str, type[BaseModel] | None, list[Row]]]:
    """Per top-level field: its name, the model it holds (None for a plain value), its rows."""
    out = []
    for name, info in schema.Scenario.model_fields.items():
        inner, prefix = _children(info.annotation, name, schema.Scenario, name)
        out.append((name, inner, model_rows(inner, prefix) if inner else []))
    return out


def _nested_models(section_rows: list[Row], top: type[BaseModel]) -> list[tuple[str, type]]:
    """The models a section holds below its own, each once, with the first path it occurs at."""
    seen, out = {top, *VALUE_MODELS}, []
    for row in section_rows:
        info = row.model.model_fields[row.field]
        inner, _ = _children(info.annotation, row.path, row.model, row.field)
        if inner is not None and inner not in seen:
            seen.add(inner)
            out.append((row.path, inner))
    return out


# --- Markdown -------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], lines: list[tuple[str, ...]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in line) + " |" for line in lines]
    return "\n".join(out)


def _provenance_line(source: Row, assumption: Row) -> tuple[str, ...]:
    owner = source.path.rsplit(".", 1)[0]
    return (
        f"`{source.path}`, `{assumption.path}`",
        "text",
        "",
        "at least one of the two",
        f"Where the numbers of `{owner}` come from (see Provenance).",
    )


def _row_lines(section_rows: list[Row]) -> list[tuple[str, ...]]:
    lines, i = [], 0
    while i < len(section_rows):
        row = section_rows[i]
        if row.is_provenance and row.field == "source" and i + 1 < len(section_rows):
            lines.append(_provenance_line(row, section_rows[i + 1]))
            i += 2
            continue
        lines.append((f"`{row.path}`", row.type, row.unit, row.required, row.meaning))
        i += 1
    return lines


HEADER = ("field", "type", "unit", "required / default", "meaning")


def _intro(all_rows: list[Row]) -> str:
    placeholders = sorted(
        {p for row in all_rows for p in re.findall(r"<([^>]+)>", row.path)} - {LIST_POSITION}
    )
    source = schema.Provenance.model_fields["source"].description
    assumption = schema.Provenance.model_fields["assumption"].description
    files = ", ".join(f"`{f.field}`" for f in USER_FILES if "." in f.field and " " not in f.field)
    shapes = "\n".join(
        f"- **{model.__name__}**: {_markdown_doc(model)} Fields: "
        + ", ".join(
            f"`{name}` ({_type_text(info.annotation, model, name)})"
            for name, info in model.model_fields.items()
            if name not in PROVENANCE_FIELDS
        )
        + ", and `source` / `assumption`."
        for model in VALUE_MODELS
    )
    keys = ", ".join(f"`<{p}>`" for p in placeholders)
    paragraphs = [
        "# Scenario files",
        "A scenario is one YAML file that states a planning problem: the plan years, where youths "
        "come from and how much care they need, the place types and the sites that can run them, "
        "how far is too far, what everything costs, the limits policy sets and how long the "
        "solver may take. `jzplan validate FILE` checks a scenario and every file it points to "
        "and lists all problems at once, each with its file, the field path used on this page "
        "and what was expected; `jzplan run FILE --out DIR` solves it. `baseline-2026.yaml` in "
        "this folder is a complete example; the other files here are variants of it.",
        "This page is generated from the schema (`optimizer/schema.py`): every field a scenario "
        "may hold is in one of the tables below, and any other key is an error (unknown field).",
        "## Variants: `extends:` and `null`",
        "A variant names its parent with `extends: parent.yaml`, a path relative to the "
        "variant's own file, and writes only what differs. Mappings merge key by key, at every "
        "depth; a list or a single value replaces the parent's as a whole; and `null` removes a "
        "key: `sites: {goes: null}` drops a candidate site, `totals: null` removes the parent's "
        "demand form so that another one can be given. A parent may itself extend another file, "
        "as long as the chain does not loop.",
        "## Provenance",
        "Every mapping that holds numbers needs a `source:` or an `assumption:`, or both; the "
        "tables mark these mappings with a `source`, `assumption` row. A mapping with neither is "
        "rejected. The run folder's `inputs/parameters.csv` and the report list every number "
        "with its unit and provenance.",
        f"- `source`: {source}\n- `assumption`: {assumption}",
        "## Paths",
        f"File paths in a scenario ({files}) are relative to the folder of the scenario file that "
        "is run; for a variant that is the variant's folder, also for a path its parent wrote. "
        "`extends:` is relative to the file that contains it. The files are described under "
        "[User files](#user-files).",
        "## How to read the tables",
        f"- **field**: the dotted path, as in error messages. {keys} stand for a key you choose "
        f"or one of the values the type lists; `<{LIST_POSITION}>` is a position in a list, "
        "counted from 0 (`policy.min_places.0.years`).\n"
        "- **type**: text, number, integer, true or false, one of a fixed set of words, a list "
        "(`[closed, hybrid]`) or a mapping (`mapping year → number` is written "
        "`{2026: 21.6, 2027: 19.2}`). Bounds such as `≥ 0` are checked.\n"
        "- **unit**: the unit of the number, as in the run folder's `inputs/parameters.csv`.\n"
        "- **required / default**: *required* whenever the mapping that holds the field is "
        "given; *optional* may be left out; a default is the value used when it is left out.",
        "## Common shapes",
        "Many numbers sit in one of these small mappings; the rows that use them give the unit.",
        shapes,
    ]
    return "\n\n".join(paragraphs)


def _top_table() -> str:
    lines = []
    for name, info in schema.Scenario.model_fields.items():
        row = _row(schema.Scenario, name, info, name)
        meaning = row.meaning
        inner, _ = _children(info.annotation, name, schema.Scenario, name)
        if inner is not None:
            meaning += f" See [`{row.path}`](#{row.path})."
        lines.append((f"`{row.path}`", row.type, row.unit, row.required, meaning))
    return "## Top level\n\n" + _table(HEADER, lines)


def _section(name: str, model: type[BaseModel], section_rows: list[Row]) -> str:
    info = schema.Scenario.model_fields[name]
    required = _required_text(info)
    if required in ("required", "optional"):
        status = required.capitalize() + "."
    elif isinstance(info.default, BaseModel):
        status = "Optional; left out, every field takes its default."
    else:
        status = f"Optional; {required}."
    parts = [f"## `{name}`", f"{split_unit(info.description or '')[0]} {status}"]
    parts.append(_markdown_doc(model))
    nested = _nested_models(section_rows, model)
    if nested:
        parts.append(
            "\n".join(
                f"- `{path}`: " + _markdown_doc(inner).replace("\n\n", " ")
                for path, inner in nested
            )
        )
    parts.append(_table(HEADER, _row_lines(section_rows)))
    return "\n\n".join(parts)


def _user_files() -> str:
    parts = [
        "## User files",
        "Your own data, named by the scenario fields below. All CSV files are UTF-8 with a "
        "header row; a zone code must be one of the scenario's zones.",
    ]
    for item in USER_FILES:
        parts.append(f"### `{item.field}` ({item.when})")
        if item.note:
            parts.append(item.note)
        parts.append(
            _table(
                ("column", "type", "unit", "required", "meaning"),
                [(f"`{c.name}`", c.type, c.unit, c.required, c.meaning) for c in item.columns],
            )
        )
    return "\n\n".join(parts)


def markdown() -> str:
    """The whole reference page (without the generated-file header line)."""
    parts = [_intro(rows()), _top_table()]
    for name, model, section_rows in sections():
        if model is not None:
            parts.append(_section(name, model, section_rows))
    parts.append(_user_files())
    return "\n\n".join(parts) + "\n"
