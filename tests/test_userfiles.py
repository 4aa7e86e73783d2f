"""User tables read through their declared schemas (optimizer.userfiles): generated tables with
the defects spreadsheets produce are either read to the right numbers or refused with a finding
that names the file, the line (header = line 1) and the column."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optimizer import data, userfiles
from optimizer.pipeline import load
from optimizer.scenario import ScenarioError
from optimizer.userfiles import DEMAND, MATRIX, USAGE, WEIGHTS, ZONES, TableFinding, read_table
from tests.fixtures import tiny

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NEEDS = ("secure", "hybrid", "open")

codes = st.lists(st.from_regex(r"GM[0-9]{4}", fullmatch=True), min_size=1, max_size=6, unique=True)
# beds with at most two decimals: never of the thousands-dot form 1.234
beds = st.integers(0, 1_000_000).map(lambda n: n / 100)


@st.composite
def demand_rows(draw):
    zone_codes = draw(codes)
    key = st.tuples(st.integers(2026, 2030), st.sampled_from(zone_codes), st.sampled_from(NEEDS))
    keys = draw(st.lists(key, min_size=1, max_size=12, unique=True))
    return [(year, code, need, draw(beds)) for year, code, need in keys]


def read(text: str | bytes, spec: userfiles.Spec, name: str = "table.csv"):
    """(table or None, findings) for ``text`` written to a fresh file."""
    folder = Path(tempfile.mkdtemp())
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    found: list = []
    return read_table(path, spec, found), found, path


def dutch(value: float, thousands: bool) -> str:
    """A number as Dutch Excel writes it: decimal comma, optionally thousands dots."""
    whole, _, frac = f"{value:.2f}".partition(".")
    if thousands:
        whole = f"{int(whole):,}".replace(",", ".")
    return f"{whole},{frac}"


def csv_text(rows, sep=",", fmt=repr) -> str:
    lines = [sep.join(("year", "gm_code", "need", "beds"))]
    lines += [sep.join((str(y), c, n, fmt(b))) for y, c, n, b in rows]
    return "\n".join(lines) + "\n"


def at(found, line: int, column: str | None = None) -> list[TableFinding]:
    return [
        f
        for f in found
        if isinstance(f, TableFinding) and f.line == line and (column is None or f.column == column)
    ]


# --- read correctly ------------------------------------------------------------------------------


@given(rows=demand_rows(), crlf=st.booleans(), bom=st.booleans())
@SETTINGS
def test_plain_tables_read_back_exactly(rows, crlf, bom) -> None:
    text = csv_text(rows)
    text = text.replace("\n", "\r\n") if crlf else text
    table, found, _ = read(("\ufeff" if bom else "") + text, DEMAND)
    assert found == []
    assert table.frame[["year", "gm_code", "need", "beds"]].values.tolist() == [
        list(r) for r in rows
    ]
    assert list(table.lines) == list(range(2, len(rows) + 2))


@given(rows=demand_rows(), thousands=st.booleans(), excel_sep_line=st.booleans())
@SETTINGS
def test_semicolons_with_decimal_commas_are_read_the_dutch_way(rows, thousands, excel_sep_line):
    text = csv_text(rows, sep=";", fmt=lambda b: dutch(b, thousands))
    table, found, _ = read(("sep=;\n" if excel_sep_line else "") + text, DEMAND)
    assert found == []
    assert table.frame["beds"].tolist() == [r[3] for r in rows]


@given(rows=demand_rows(), blank=st.sampled_from(["", ";;;;", "   "]))
@SETTINGS
def test_empty_rows_and_trailing_separators_are_ignored(rows, blank) -> None:
    text = csv_text(rows, sep=";", fmt=lambda b: dutch(b, False))
    lines = text.splitlines()
    lines = [lines[0] + ";"] + [line + ";" for line in lines[1:]] + [blank, blank]
    table, found, _ = read("\n".join(lines) + "\n", DEMAND)
    assert found == [] and len(table.frame) == len(rows)


# --- refused, naming file, line and column -------------------------------------------------------


@given(rows=demand_rows(), data_=st.data())
@SETTINGS
def test_a_duplicated_row_is_an_error_naming_both_lines(rows, data_) -> None:
    i = data_.draw(st.integers(0, len(rows) - 1))
    j = data_.draw(st.integers(0, len(rows)))
    pasted = rows[:j] + [rows[i]] + rows[j:]
    table, found, path = read(csv_text(pasted), DEMAND)
    original = i if i < j else i + 1
    lines = sorted((original + 2, j + 2))
    assert not table.valid
    match = [f for f in found if "appear more than once" in f.message]
    assert len(match) == 1 and match[0].file == str(path)
    assert match[0].field.startswith(f"lines {lines[0]}, {lines[1]}")


@given(rows=demand_rows(), data_=st.data(), bad=st.sampled_from(["NaN", "nan", "inf", "-inf", ""]))
@SETTINGS
def test_nan_inf_or_empty_numbers_are_refused_at_their_cell(rows, data_, bad) -> None:
    i = data_.draw(st.integers(0, len(rows) - 1))
    rows = [r if k != i else (*r[:3], None) for k, r in enumerate(rows)]
    table, found, path = read(csv_text(rows, fmt=lambda b: bad if b is None else repr(b)), DEMAND)
    hits = at(found, i + 2, "beds")
    assert len(hits) == 1 and hits[0].file == str(path), found
    assert "finite" in hits[0].message or "empty" in hits[0].message
    assert not table.valid


@given(rows=demand_rows(), data_=st.data())
@SETTINGS
def test_a_decimal_comma_in_a_comma_file_is_refused_with_the_fix(rows, data_) -> None:
    i = data_.draw(st.integers(0, len(rows) - 1))
    text = csv_text(rows, fmt=lambda b: repr(b))
    lines = text.splitlines()
    year, code, need, value = rows[i]
    lines[i + 1] = f"{year},{code},{need},{int(value)},5"
    table, found, path = read("\n".join(lines) + "\n", DEMAND)
    assert table is None
    assert any(
        f.file == str(path) and f"line {i + 2}" in f.field and "decimal comma" in f.message
        for f in found
    ), found


@given(
    population=st.integers(1000, 9_999_999),
    column=st.sampled_from(["population", "care_days"]),
)
@SETTINGS
def test_a_thousands_dot_in_a_whole_number_column_is_refused_never_read_as_decimal(
    population, column
) -> None:
    dotted = f"{population:,}".replace(",", ".")
    if column == "population":
        text = f"gm_code,name,region,lat,lon,population\nGM0001,A,R,51.5,4.5,{dotted}\n"
        spec = ZONES
    else:
        text = f"gm_code,type,care_days\nGM0001,closed,{dotted}\n"
        spec = USAGE
    table, found, path = read(text, spec)
    hits = at(found, 2, column)
    assert len(hits) == 1 and hits[0].file == str(path)
    assert "thousands separators" in hits[0].message and str(population) in hits[0].message
    assert table.frame[column].isna().all()  # not read as 69.663 or anything else


@given(value=st.integers(1, 999), group=st.integers(0, 999))
@SETTINGS
def test_an_ambiguous_thousands_dot_in_a_number_column_is_refused(value, group) -> None:
    # weights are often youth populations: 69.663 is 69663 in Dutch, 69.663 in English
    text = f"gm_code;weight\nGM0001;{value}.{group:03d}\nGM0002;3\n"
    table, found, _ = read(text, WEIGHTS)
    hits = at(found, 2, "weight")
    assert len(hits) == 1 and f"{value}{group:03d}" in hits[0].message, found
    assert table.frame["weight"].isna().tolist() == [True, False]
    # the same cell in a column that also writes a decimal comma is a thousands dot: read it
    table, found, _ = read(text.replace(";3\n", ";3,5\n"), WEIGHTS)
    assert found == [] and table.frame["weight"].tolist() == [value * 1000 + group, 3.5]
    # and in a column that writes decimal points elsewhere it is a decimal point
    table, found, _ = read(text.replace(";3\n", ";3.25\n"), WEIGHTS)
    assert found == []
    assert table.frame["weight"].tolist() == [float(f"{value}.{group:03d}"), 3.25]


@given(rows=demand_rows(), data_=st.data())
@SETTINGS
def test_bytes_that_are_not_utf8_name_their_position(rows, data_) -> None:
    text = csv_text(rows).encode()
    at_ = data_.draw(st.integers(len("year,gm_code,need,beds\n"), len(text) - 1))
    byte = data_.draw(st.sampled_from([b"\xe9", b"\xff", b"\x80", b"\xc3("]))
    broken = text[:at_] + byte + text[at_:]
    table, found, path = read(broken, DEMAND)
    assert table is None and len(found) == 1
    assert found[0].file == str(path)
    assert f"byte {at_}" in found[0].message and "UTF-8" in found[0].message
    line = text[:at_].count(b"\n") + 1
    assert found[0].field == f"line {line}"


@given(
    points=st.lists(st.tuples(st.floats(50.8, 53.5), st.floats(3.4, 7.1)), min_size=1, max_size=8),
    data_=st.data(),
)
@SETTINGS
def test_swapped_coordinates_are_named_per_line(points, data_) -> None:
    swapped = set(data_.draw(st.lists(st.integers(0, len(points) - 1), unique=True, min_size=1)))
    lines = ["gm_code,name,region,lat,lon"]
    for i, (lat, lon) in enumerate(points):
        lat, lon = (lon, lat) if i in swapped else (lat, lon)
        lines.append(f"Z{i},Zone {i},R,{lat:.5f},{lon:.5f}")
    table, found, path = read("\n".join(lines) + "\n", ZONES)
    named = {f.line for f in found if "swapped" in f.message}
    assert named == {i + 2 for i in swapped}
    assert len(found) == len(swapped)  # one finding per row, not one per coordinate
    assert all(f.file == str(path) and f.column == "lat" for f in found)


@pytest.mark.parametrize(
    ("lat", "lon"), [("151.5", "4.5"), ("51.5", "-4.5"), ("40.0", "4.5"), ("51.5", "45")]
)
def test_coordinates_outside_the_netherlands_are_refused(lat, lon) -> None:
    table, found, _ = read(f'gm_code,name,region,lat,lon\nZ,Z,R,"{lat}",{lon}\n', ZONES)
    assert found and all(f.line == 2 for f in found), found


def ids(pattern: str, most: int):
    return st.lists(st.from_regex(pattern, fullmatch=True), min_size=1, max_size=most, unique=True)


@given(zones=ids(r"Z[0-9]{2}", 5), sites=ids(r"s[a-z]{2}", 4), data_=st.data())
@SETTINGS
def test_missing_matrix_pairs_are_listed(zones, sites, data_) -> None:
    pairs = [(z, s) for z in zones for s in sites]
    dropped = set(data_.draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))))
    kept = [p for p in pairs if p not in dropped]
    assume(kept)
    text = "gm_code,site_id,km,minutes\n" + "".join(f"{z},{s},1.5,2\n" for z, s in kept)
    table, found, _ = read(text, MATRIX)
    assert found == []
    missing = data.missing_pairs(table, zones, sites)
    if not dropped:
        assert missing == []
        return
    assert len(missing) == 1 and f"{len(dropped)} zone-site pair(s)" in missing[0].message
    for z, s in sorted(dropped)[: userfiles.MAX_LISTED]:
        assert f"{z}-{s}" in missing[0].message or "more" in missing[0].message


def test_a_matrix_pair_twice_with_different_km_is_an_error() -> None:
    text = "gm_code,site_id,km,minutes\nZ,s,10,12\nY,s,3,4\nZ,s,15,12\n"
    _, found, path = read(text, MATRIX)
    assert len(found) == 1 and found[0].file == str(path)
    assert found[0].field == "lines 2, 4" and "different km (10 and 15)" in found[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "file is empty"),
        ("\n\n", "file is empty"),
        ("year,gm_code,need,beds\n", "no data rows"),
        ("year,gm_code,need,beds\n,,,\n", "no data rows"),
        ("Year,GM_code,need,beds\n2026,A,open,1\n", "missing column(s) ['year', 'gm_code']"),
        ("year,gm_code;need,beds\n", "both ',' and ';'"),
        (b"\xff\xfey\x00e\x00", "UTF-16"),
    ],
)
def test_tables_that_cannot_be_read_say_why(text, message) -> None:
    table, found, path = read(text, DEMAND)
    assert table is None
    assert len(found) == 1 and found[0].file == str(path) and message in found[0].message


def test_every_problem_of_a_table_is_reported_at_once() -> None:
    text = (
        "year,gm_code,need,beds\n2026,A,secure,lots\n2026,B,weird,1\n2026,C,open,-3\n"
        "1850,D,open,1\n2026,E,open,\n"
    )
    table, found, _ = read(text, DEMAND)
    assert sorted((f.line, f.column) for f in found) == [
        (2, "beds"), (3, "need"), (4, "beds"), (5, "year"), (6, "beds")
    ]  # fmt: skip
    assert not table.valid


def test_many_bad_cells_are_listed_then_counted() -> None:
    rows = "".join(f"2026,Z{i},open,x\n" for i in range(40))
    _, found, _ = read("year,gm_code,need,beds\n" + rows, DEMAND)
    assert len(found) == userfiles.MAX_LISTED + 1
    assert "30 more lines" in found[-1].message


# --- through the scenario: the checks that need the plan -----------------------------------------


@given(missing=st.sets(st.sampled_from([2026, 2027, 2028]), min_size=1, max_size=2))
@settings(max_examples=10, deadline=None)
def test_a_demand_table_missing_a_planning_year_is_an_error(missing) -> None:
    folder = Path(tempfile.mkdtemp())
    sc = tiny.base_scenario(years=(2026, 2027, 2028))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
    demand = [(y, "Z", "secure", 1.0) for y in (2026, 2027, 2028) if y not in missing]
    path = tiny.write(folder, sc, [("Z", "R1")], demand, {("Z", "s"): 1})
    with pytest.raises(ScenarioError) as info:
        load(path)
    found = [f for f in info.value.findings if "planning year" in f.message]
    assert len(found) == 1 and found[0].file == str(folder / "demand.csv")
    assert all(str(y) in found[0].message for y in missing)
