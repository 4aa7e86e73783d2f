"""``jzplan`` as a user runs it: the console script in a subprocess, its exit codes and messages.

Every error case checks the contract of the one error boundary (``optimizer/cli/common.py``):
exit status 2, a short message on stderr that names the file and the field or option, and no
traceback. Internal errors are checked in-process with a patched stage: exit status 1 and a
pointer to ``JZPLAN_DEBUG``, or, with ``JZPLAN_DEBUG=1``, the exception itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
JZPLAN = Path(sys.executable).with_name("jzplan")
BASELINE = ROOT / "configs" / "baseline-2026.yaml"
SHIPPED = sorted((ROOT / "configs").glob("*.yaml"))
PMED1 = ROOT / "benchmarks" / "orlib" / "pmed" / "pmed1.txt"
HEAVY = ("pyomo", "highspy", "folium", "matplotlib", "openpyxl")
ORLIB_FIELDS = ["instance", "family", "objective", "status", "gap", "build_s", "solve_s"]
# the baseline's contract is 24 closed places (the hybrid pilot places are not in it)
USAGE = "gm_code,type,care_days\nGM0826,closed,120\nGM0758,closed,7\n"


def jzplan(*args: object, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The installed console script, as from a pipe: 80 columns, no JZPLAN_DEBUG."""
    env = {k: v for k, v in os.environ.items() if k != "JZPLAN_DEBUG"}
    env["COLUMNS"] = "80"
    return subprocess.run(
        [str(JZPLAN), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result.stdout


def user_error(result: subprocess.CompletedProcess[str], *names: object, lines: int = 12) -> str:
    """Exit 2, at most ``lines`` lines on stderr naming every one of ``names``, no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    stderr = result.stderr
    assert "Traceback" not in stderr and "Traceback" not in result.stdout, stderr
    assert "internal error" not in stderr, stderr
    assert 1 <= len(stderr.strip().splitlines()) <= lines, stderr
    for name in names:
        assert str(name) in stderr, f"{name!r} not named in:\n{stderr}"
    return stderr


def variant(tmp_path: Path, name: str, text: str) -> Path:
    """A scenario file that extends the baseline (absolute path) with ``text``."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"extends: {BASELINE.as_posix()}\n{text}", encoding="utf-8")
    return path


def table_rows(output: str) -> list[list[str]]:
    """Cells of every body line of the rich tables in ``output``."""
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]


# ---------------------------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One full ``jzplan run`` of the baseline (solve, map, report): a few seconds."""
    folder = tmp_path_factory.mktemp("cli-run") / "baseline"
    return folder, jzplan("run", BASELINE, "--out", folder)


def test_run_writes_the_run_folder(baseline_run) -> None:
    folder, result = baseline_run
    stdout = ok(result)
    for name in ("plan.csv", "map.html", "report.html", "plan.xlsx", "summary.json"):
        assert (folder / name).is_file(), name
    assert f"Run folder: {folder} " in stdout
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"] == "baseline-2026"
    assert f"objective EUR {summary['objective_eur']:,.0f} " in stdout
    assert "Traceback" not in result.stderr


def test_second_run_without_force_names_the_folder(baseline_run) -> None:
    folder, first = baseline_run
    ok(first)
    before = (folder / "summary.json").stat().st_mtime_ns
    user_error(jzplan("run", BASELINE, "--out", folder), folder, "--force", lines=2)
    assert (folder / "summary.json").stat().st_mtime_ns == before  # left alone


@pytest.mark.parametrize(
    ("extra", "names"),
    [
        (["--lang", "de"], ["--lang", "'de'"]),
        (["--lang", "NL"], ["--lang", "'NL'"]),
    ],
)
def test_run_refuses_a_bad_language_before_solving(tmp_path, extra, names) -> None:
    user_error(jzplan("run", BASELINE, "--out", tmp_path / "out", *extra), *names, lines=1)
    assert not (tmp_path / "out").exists()


def test_run_of_a_missing_scenario(tmp_path) -> None:
    missing = tmp_path / "nowhere.yaml"
    user_error(jzplan("run", missing, "--out", tmp_path / "out"), missing, "file not found")
    assert not (tmp_path / "out").exists()


def test_run_into_a_file_is_bad_input_not_an_internal_error(tmp_path) -> None:
    target = tmp_path / "plan.txt"
    target.write_text("not a run folder\n")
    user_error(jzplan("run", BASELINE, "--out", target, "--force"), target, lines=1)
    assert target.read_text() == "not a run folder\n"


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------


def test_validate_accepts_the_shipped_scenarios() -> None:
    result = jzplan("validate", *SHIPPED)
    stdout = ok(result)
    for config in SHIPPED:
        assert f"ok {config}" in stdout
    assert result.stderr == ""


def _unknown_field(tmp_path: Path) -> tuple[Path, list[object]]:
    path = variant(tmp_path, "unknown.yaml", "name: unknown\nbogus_field: 3\n")
    return path, [path, "bogus_field", "unknown field"]


def _wrong_type(tmp_path: Path) -> tuple[Path, list[object]]:
    path = variant(tmp_path, "wrong.yaml", "name: wrong\nplanning:\n  first_year: soon\n")
    return path, [path, "planning.first_year", "'soon'"]


def _three_problems(tmp_path: Path) -> tuple[Path, list[object]]:
    text = "name: three\nbogus: 1\nplanning:\n  first_year: soon\n"
    text += "sites:\n  ossendrecht:\n    max_groups: many\n"
    path = variant(tmp_path, "three.yaml", text)
    fields = ["bogus", "planning.first_year", "sites.ossendrecht.max_groups"]
    return path, [path, "3 problem(s)", *fields]


def _missing_file(tmp_path: Path) -> tuple[Path, list[object]]:
    path = tmp_path / "missing.yaml"
    return path, [path, "file not found"]


def _missing_parent(tmp_path: Path) -> tuple[Path, list[object]]:
    path = tmp_path / "child.yaml"
    path.write_text("extends: parent-that-is-not-there.yaml\nname: child\n")
    return path, [tmp_path / "parent-that-is-not-there.yaml", "file not found"]


def _bad_csv_column(tmp_path: Path) -> tuple[Path, list[object]]:
    (tmp_path / "key.csv").write_text("gm_code,wieght\nGM0758,1\n")
    path = variant(tmp_path, "key.yaml", "name: key\ndemand:\n  key: csv\n  key_csv: key.csv\n")
    return path, [tmp_path / "key.csv", "missing column", "'weight'"]


def _bad_csv_value(tmp_path: Path) -> tuple[Path, list[object]]:
    (tmp_path / "demand.csv").write_text("year,gm_code,need,beds\n2026,GM0758,secure,many\n")
    text = "name: table\ndemand:\n  totals: null\n  need_shares: null\n  table_csv: demand.csv\n"
    path = variant(tmp_path, "table.yaml", text)
    return path, [tmp_path / "demand.csv", "beds", "line 2", "'many'"]


def _broken_yaml(tmp_path: Path) -> tuple[Path, list[object]]:
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\nsites:\n  a:\n    allowed_types: [closed, hybrid\n    x: 3\n")
    # The YAML snippet is printed as written, not swallowed as rich markup.
    return path, [path, "not valid YAML", "allowed_types: [closed, hybrid"]


def _bracketed_folder(tmp_path: Path) -> tuple[Path, list[object]]:
    path = variant(tmp_path / "[draft]", "scenario.yaml", "name: draft\nbogus: 1\n")
    return path, [f"{path}: bogus: unknown field"]


def _not_utf8(tmp_path: Path) -> tuple[Path, list[object]]:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\n".encode("latin-1"))
    return path, [path, "UTF-8"]


def _directory(tmp_path: Path) -> tuple[Path, list[object]]:
    path = tmp_path / "configs"
    path.mkdir()
    return path, [path]


BAD_SCENARIOS = {
    "unknown field": _unknown_field,
    "wrong type": _wrong_type,
    "three problems at once": _three_problems,
    "missing file": _missing_file,
    "extends a missing parent": _missing_parent,
    "CSV without its column": _bad_csv_column,
    "CSV with a word for a number": _bad_csv_value,
    "broken YAML": _broken_yaml,
    "folder with brackets": _bracketed_folder,
    "not UTF-8": _not_utf8,
    "a directory": _directory,
}


@pytest.mark.parametrize("case", list(BAD_SCENARIOS))
def test_validate_names_file_and_field(tmp_path, case) -> None:
    path, names = BAD_SCENARIOS[case](tmp_path)
    result = jzplan("validate", path)
    stderr = user_error(result, *names)
    assert stderr.startswith(f"invalid {path}\n")
    assert result.stdout == ""


def test_validate_reports_every_file_in_one_pass(tmp_path) -> None:
    first, first_names = _unknown_field(tmp_path)
    second, second_names = _missing_parent(tmp_path)
    result = jzplan("validate", first, BASELINE, second)
    user_error(result, *first_names, *second_names)
    assert f"ok {BASELINE}" in result.stdout


@pytest.mark.parametrize("command", ["run", "size", "data", "classic pmedian --p 2"])
def test_other_commands_report_a_bad_scenario_alike(tmp_path, command) -> None:
    path, names = _wrong_type(tmp_path)
    extra = ["--out", tmp_path / "out"] if command == "run" else []
    result = jzplan(*command.split(), path, *extra)
    user_error(result, *names)


# ---------------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------------


def test_data_lists_the_bundled_municipalities() -> None:
    stdout = ok(jzplan("data"))
    assert "Municipalities (bundled open data)" in stdout
    for name in ("Breda", "Goes", "Oosterhout"):
        assert name in stdout
    assert "Population reference date: 2024-01-01" in stdout  # one CBS date for all


def test_data_of_a_scenario_shows_every_site_id_whole() -> None:
    stdout = ok(jzplan("data", BASELINE))
    sites = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))["sites"]
    cells = {cell for row in table_rows(stdout) for cell in row}
    for site_id in sites:
        assert site_id in cells, site_id  # never cut to "ossend…"
    for region in ("WBW", "WBO", "Zeeland"):
        assert region in cells


# ---------------------------------------------------------------------------------------------
# compare
# ---------------------------------------------------------------------------------------------


def small_scenario(tmp_path: Path, name: str) -> Path:
    """The baseline for 2026-2027 only, without policy limits, under another name."""
    base = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    base["name"] = name
    base["planning"]["last_year"] = 2027
    base["policy"] = {}
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(base, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_compare_two_small_scenarios(tmp_path) -> None:
    configs = [small_scenario(tmp_path, name) for name in ("small-a", "small-b")]
    out = tmp_path / "compare"
    stdout = ok(jzplan("compare", *configs, "--out", out))
    for name in ("small-a", "small-b"):
        assert f"done {name}: EUR " in stdout
        assert (out / name / "summary.json").is_file()
    match = re.search(r"Comparison: (\S+)", stdout)
    assert match, stdout
    assert Path(match.group(1)).is_file()
    assert (out / "compare.csv").is_file()


@pytest.mark.slow
def test_run_in_dutch_prints_dutch(tmp_path) -> None:
    """--lang nl: the tables, the solver's words, the money line and the folder line in Dutch,
    with the scenario's Dutch site names; none of the English texts."""
    from reports.i18n import EN, NL

    folder = tmp_path / "nl"
    config = small_scenario(tmp_path, "small-nl")
    stdout = ok(jzplan("run", config, "--out", folder, "--lang", "nl"))
    words = " ".join(stdout.split())  # table titles wrap at the table's width
    for key in ("cli_demand", "cli_sites", "cli_places"):
        assert NL[key] in words and EN[key] not in words, key
    assert "Scenario small-nl: regio's" in stdout
    cells = [cell for row in table_rows(stdout) for cell in row]
    assert any(re.fullmatch(r"\d+,\d\d", c) for c in cells), "Dutch decimal commas"
    assert not any(re.fullmatch(r"\d+\.\d\d", c) for c in cells), "no English decimals"
    assert "Oplosser: bewezen optimaal; doelfunctie EUR " in stdout and "Solver:" not in stdout
    assert f"Runmap: {folder} " in stdout and "Run folder:" not in stdout
    assert "Kandidaat Goes" in stdout and "Candidate Goes" not in stdout
    header = next(line for line in stdout.splitlines() if "locatiecode" in line)
    assert "bestaand" in " ".join(stdout.splitlines()) and "existing" not in header
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["public"] is False and len(summary["explanations_nl"]) == len(
        summary["explanations"]
    )
    for sentence in summary["explanations_nl"]:
        assert "niet geplaatst:" in stdout and " ".join(sentence.split()) in words


def test_compare_refuses_equal_names_before_solving(tmp_path) -> None:
    out = tmp_path / "compare"
    result = jzplan("compare", BASELINE, BASELINE, "--out", out)
    user_error(result, "names must differ", "baseline-2026", lines=1)
    assert not out.exists()


def test_compare_checks_every_scenario_before_solving(tmp_path) -> None:
    missing = tmp_path / "missing.yaml"
    out = tmp_path / "compare"
    user_error(jzplan("compare", BASELINE, missing, "--out", out), missing, "file not found")
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# size
# ---------------------------------------------------------------------------------------------


def test_size_of_a_scenario_gives_each_region() -> None:
    stdout = ok(jzplan("size", BASELINE))
    names = {row[0] for row in table_rows(stdout)}
    assert {"WBW", "WBO", "Zeeland", "pooled"} <= names
    assert "Offered load = average occupied beds in 2026 (scenario baseline-2026)" in stdout


def test_size_of_one_load() -> None:
    rows = table_rows(ok(jzplan("size", "--load", "3")))
    five = [row for row in rows if row[:3] == ["offered load", "3.00", "5%"]]
    assert len(five) == 1 and five[0][3] == "7"  # B(7, 3) = 2.2 % <= 5 % < B(6, 3) = 5.2 %
    assert not any(row[0] in ("load 1", "pooled") for row in rows), "one load: no pooling rows"


def test_size_of_two_loads_pools_them() -> None:
    stdout = ok(jzplan("size", "--load", "3", "--load", "2"))
    assert "one per load" in stdout and "one per region" not in stdout
    pooled = [row for row in table_rows(stdout) if row[0] == "pooled"]
    assert len(pooled) == 1 and pooled[0][1] == "5.00"


@pytest.mark.parametrize(
    ("args", "names"),
    [
        ([], ["--load"]),
        (["--load", "-3"], ["--load", "-3"]),
        (["--load", "nan"], ["--load", "nan"]),
        (["--load", "inf"], ["--load", "inf"]),
        (["--load", "abc"], ["--load"]),
        (["--load", "1e9"], ["load", "10,000"]),
        (["--load", "3", "--year", "2026"], ["--year"]),
        ([BASELINE, "--year", "1999"], ["--year", BASELINE, "1999"]),
        ([ROOT / "configs" / "nope.yaml"], [ROOT / "configs" / "nope.yaml", "file not found"]),
    ],
)
def test_size_refuses_bad_options(args, names) -> None:
    user_error(jzplan("size", *args), *names)


# ---------------------------------------------------------------------------------------------
# settle
# ---------------------------------------------------------------------------------------------


def test_settle_prints_every_amount_whole(tmp_path) -> None:
    from optimizer.advances import settle_scenario
    from optimizer.pipeline import load

    usage = tmp_path / "usage.csv"
    usage.write_text(USAGE)
    stdout = ok(jzplan("settle", BASELINE, "--usage", usage))
    assert "Settlement 2026" in stdout
    printed = {row[0]: row for row in table_rows(stdout) if row[0].startswith("GM")}
    expected = settle_scenario(load(BASELINE), usage, str(BASELINE))
    assert set(printed) == set(expected["gm_code"])
    for record in expected.itertuples(index=False):
        row = printed[record.gm_code]
        assert row[2] == str(record.used_days)
        amounts = (record.advance_eur, record.used_eur, record.unused_share_eur)
        amounts += (record.due_eur, record.balance_eur)
        assert row[3:] == [f"{value:,.2f}" for value in amounts], record.gm_code
    assert printed["GM0826"][2] == "120" and printed["GM0758"][2] == "7"


def test_settle_writes_csv_and_a_workbook_with_totals_and_warnings(tmp_path) -> None:
    import openpyxl
    import pandas as pd

    usage = tmp_path / "usage.csv"
    usage.write_text(USAGE)
    csv_file, book_file = tmp_path / "out" / "settle.csv", tmp_path / "out" / "settle.xlsx"
    stdout = ok(jzplan("settle", BASELINE, "--usage", usage, "--out", csv_file, "--out", book_file))
    totals = [row for row in table_rows(stdout) if row[0] == "TOTAL"]
    assert len(totals) == 1 and totals[0][-1] == "0.00", "the terminal shows the totals row"
    frame = pd.read_csv(csv_file, dtype={"gm_code": str})
    book = openpyxl.load_workbook(book_file)
    assert book.sheetnames == ["settlement", "warnings"]
    rows = list(book["settlement"].values)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == len(frame) - 1 == 27 and total[0] == "TOTAL"
    column = {name: i for i, name in enumerate(header)}
    for words, name in (("advance (EUR)", "advance_cents"), ("due (EUR)", "due_cents")):
        cents = [round(100 * r[column[words]]) for r in body]
        assert cents == list(frame[name][:-1]), words  # exact to the cent, row by row
        assert round(100 * total[column[words]]) == sum(cents) == frame[name].iloc[-1]
    assert total[column["balance (EUR; positive: pays extra)"]] == 0
    notes = [row[0] for row in book["warnings"].values][1:]
    warned = [line.removeprefix("warning: ") for line in stdout.splitlines() if "warning:" in line]
    assert notes[0].startswith("Contract 2026") and warned and all(w in notes for w in warned)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("gm_code,type,care_days\nGM0826,closed,12\nGM0758,closed,abc\n", ["row 3", "care_days"]),
        ("gm_code,type,care_days\nGM0826,closed,-4\n", ["row 2", "care_days", "negative"]),
        ("gm_code,kind,care_days\nGM0826,closed,12\n", ["missing column", "'type'"]),
        ("gm_code,type,care_days\n,closed,3\n", ["row 2", "gm_code", "empty"]),
        ("", ["empty"]),
        (b"gm_code,type,care_days\nGM0826,f\xe9rm\xe9,3\n", ["UTF-8"]),
    ],
    ids=["word for days", "negative days", "column", "empty code", "empty file", "latin-1"],
)
def test_settle_names_file_row_and_column(tmp_path, text, names) -> None:
    usage = tmp_path / "usage.csv"
    if isinstance(text, bytes):
        usage.write_bytes(text)
    else:
        usage.write_text(text)
    user_error(jzplan("settle", BASELINE, "--usage", usage), usage, *names, lines=2)


def test_settle_without_a_usage_file(tmp_path) -> None:
    missing = tmp_path / "usage.csv"
    user_error(jzplan("settle", BASELINE, "--usage", missing), missing, lines=1)


def test_settle_needs_a_settlement_section(tmp_path) -> None:
    # without the contract, the closed running cost is given in costs (defined once)
    closed = "costs:\n  running_eur_per_place_year:\n    values: {closed: 348930}\n"
    config = variant(tmp_path, "plain.yaml", "name: plain\nsettlement: null\n" + closed)
    usage = tmp_path / "usage.csv"
    usage.write_text(USAGE)
    user_error(jzplan("settle", config, "--usage", usage), config, "settlement", lines=1)


# ---------------------------------------------------------------------------------------------
# classic
# ---------------------------------------------------------------------------------------------


def test_classic_solve_reports_the_optimum() -> None:
    stdout = ok(jzplan("classic", "solve", PMED1))
    assert "objective   5819" in stdout
    assert "proven optimal" in stdout


def test_classic_solve_finds_a_bundled_file_by_name_from_anywhere(tmp_path) -> None:
    stdout = ok(jzplan("classic", "solve", "pmed1", cwd=tmp_path))
    assert "objective   5819" in stdout and "proven optimal" in stdout


def test_bundled_orlib_files_ship_inside_the_package() -> None:
    """An installed (not editable) jzplan has no benchmarks/ folder: pyproject.toml maps the
    bundled files into optimizer/classic/orlib_files, where orlib.py looks without the tree."""
    import fnmatch
    import tomllib

    from optimizer.classic import orlib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    name = "optimizer.classic.orlib_files"
    assert name in config["setuptools"]["packages"]
    assert config["setuptools"]["package-dir"][name] == "benchmarks/orlib"
    patterns = config["setuptools"]["package-data"][name]
    files = [p.relative_to(orlib.SOURCE_ORLIB_DIR).as_posix()
             for p in orlib.SOURCE_ORLIB_DIR.rglob("*") if p.is_file()]  # fmt: skip
    assert "pmed/pmed1.txt" in files and "cap/cap41.txt" in files and "optima.csv" in files
    assert [f for f in files if not any(fnmatch.fnmatch(f, pat) for pat in patterns)] == []
    assert orlib.PACKAGED_ORLIB_DIR == Path(orlib.__file__).resolve().parent / "orlib_files"


def test_classic_pmedian_on_the_scenario_keeps_a_site() -> None:
    args = ["classic", "pmedian", "--p", "2", "--keep", "ossendrecht", "--json", BASELINE]
    record = json.loads(ok(jzplan(*args)))
    assert record["problem"] == "pmedian" and record["scenario"] == "baseline-2026"
    sites = {site["site"]: site for site in record["open_sites"]}
    assert len(sites) == 2 and sites["ossendrecht"]["kept"] is True
    assert {row["site"] for row in record["assignments"]} <= set(sites)


def test_classic_mclp_reports_coverage() -> None:
    stdout = ok(jzplan("classic", "mclp", "--p", "2", "--radius", "30 km", BASELINE))
    assert re.search(r"coverage    \d+ of 27 zones, [\d.]+ % of the weight within 30", stdout)


def test_classic_lscp_covers_every_zone() -> None:
    record = json.loads(ok(jzplan("classic", "lscp", "--radius", "45 min", "--json", BASELINE)))
    assert record["coverage"]["zones_covered"] == record["coverage"]["zones"]
    assert all(row["minutes"] <= 45 for row in record["assignments"])


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["mclp", "--p", "2", "--radius", "30", BASELINE], ["radius", "'30'"]),
        (["mclp", "--p", "2", "--radius", "30 parsecs", BASELINE], ["radius", "parsecs"]),
        (["lscp", "--radius", "45 min", "--keep", "nowhere", BASELINE], ["keep", "nowhere"]),
        (["pmedian", "--p", "2", "--keep", "nowhere", BASELINE], ["keep", "nowhere"]),
        (["pmedian", "--p", "99", BASELINE], ["p = 99"]),
        (["pmedian", "--p", "2", "--weight", "bogus", BASELINE], ["weight", "bogus"]),
        (["pcenter", "--p", "2", ROOT / "nope.yaml"], [ROOT / "nope.yaml", "file not found"]),
        (["solve", ROOT / "nope.txt"], [ROOT / "nope.txt", "no such file"]),
    ],
)
def test_classic_refuses_bad_input(args, names) -> None:
    user_error(jzplan("classic", *args), *names, lines=3)


def test_classic_solve_of_a_malformed_file(tmp_path) -> None:
    path = tmp_path / "pmed99.txt"
    path.write_text("garbage\n")
    user_error(jzplan("classic", "solve", path), "pmed99.txt", "first line", lines=1)


# ---------------------------------------------------------------------------------------------
# orlib: exactly one JSON line
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("file", ["pmed1", PMED1])
def test_orlib_prints_one_json_line(file) -> None:
    result = jzplan("orlib", file)
    stdout = ok(result)
    assert stdout.endswith("\n") and stdout.count("\n") == 1
    record = json.loads(stdout)
    assert list(record) == ORLIB_FIELDS
    assert record["instance"] == "pmed1" and record["family"] == "pmed"
    assert record["objective"] == 5819 and record["status"] == "optimal"
    assert record["gap"] == pytest.approx(0.0, abs=1e-9)
    assert record["build_s"] >= 0 and record["solve_s"] >= 0
    assert result.stderr == ""


def _orlib_missing(tmp_path: Path) -> tuple[list[object], list[object]]:
    return [tmp_path / "pmed77.txt"], [tmp_path / "pmed77.txt", "no such file"]


def _orlib_garbage(tmp_path: Path) -> tuple[list[object], list[object]]:
    path = tmp_path / "pmed77.txt"
    path.write_text("garbage\n")
    return [path], ["pmed77.txt", "first line"]


def _orlib_short(tmp_path: Path) -> tuple[list[object], list[object]]:
    path = tmp_path / "pmed78.txt"
    path.write_text("3 2 1\n1 2 5\n")
    return [path], ["pmed78.txt", "2 edges"]


def _orlib_empty(tmp_path: Path) -> tuple[list[object], list[object]]:
    path = tmp_path / "pmed79.txt"
    path.write_text("")
    return [path], ["pmed79.txt", "empty"]


def _orlib_family(tmp_path: Path) -> tuple[list[object], list[object]]:
    return [PMED1, "--family", "tsp"], ["--family", "'tsp'"]


ORLIB_ERRORS = {
    "missing": _orlib_missing,
    "garbage": _orlib_garbage,
    "too few edges": _orlib_short,
    "empty": _orlib_empty,
    "family": _orlib_family,
}


@pytest.mark.parametrize("case", list(ORLIB_ERRORS))
def test_orlib_error_is_one_line_on_stderr_and_nothing_on_stdout(tmp_path, case) -> None:
    args, names = ORLIB_ERRORS[case](tmp_path)
    result = jzplan("orlib", *args)
    user_error(result, *names, lines=1)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1


# ---------------------------------------------------------------------------------------------
# Internal errors (in-process)
# ---------------------------------------------------------------------------------------------


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    usage = tmp_path / "usage.csv"
    usage.write_text(USAGE)
    config = str(BASELINE)
    return {
        "validate": ["validate", config],
        "data": ["data", config],
        "size": ["size", config],
        "settle": ["settle", config, "--usage", str(usage)],
        "run": ["run", config, "--out", str(tmp_path / "out")],
        "pmedian": ["classic", "pmedian", "--p", "2", config],
    }


@pytest.fixture
def broken_load(monkeypatch) -> RuntimeError:
    """``optimizer.pipeline.load`` raising a bug of ours; returns the exception it raises."""
    bug = RuntimeError("stage [load] fell over")

    def load(config):
        raise bug

    monkeypatch.setattr("optimizer.pipeline.load", load)
    return bug


COMMANDS = ["validate", "data", "size", "settle", "run", "pmedian"]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("debug", [None, "0", ""])
def test_internal_error_is_exit_1_with_a_pointer_to_debug(
    tmp_path, monkeypatch, broken_load, command, debug
) -> None:
    from optimizer.cli import app

    monkeypatch.delenv("JZPLAN_DEBUG", raising=False)
    env = {"JZPLAN_DEBUG": debug} if debug is not None else {}
    result = CliRunner().invoke(app, _commands(tmp_path)[command], env=env)
    assert result.exit_code == 1, result.output
    assert "internal error: RuntimeError: stage [load] fell over" in result.stderr
    assert "JZPLAN_DEBUG=1" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("command", COMMANDS)
def test_debug_lets_the_internal_error_through(tmp_path, broken_load, command) -> None:
    from optimizer.cli import app

    result = CliRunner().invoke(app, _commands(tmp_path)[command], env={"JZPLAN_DEBUG": "1"})
    assert result.exception is broken_load
    assert result.exit_code == 1
    assert "JZPLAN_DEBUG" not in result.output


def test_a_decode_error_not_in_the_given_file_stays_internal(monkeypatch, tmp_path) -> None:
    """A UnicodeDecodeError counts as bad input only if a file the user gave is not UTF-8."""
    from optimizer.cli import app

    def load(config):
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    monkeypatch.setattr("optimizer.pipeline.load", load)
    monkeypatch.delenv("JZPLAN_DEBUG", raising=False)
    result = CliRunner().invoke(app, ["size", str(BASELINE)])
    assert result.exit_code == 1
    assert "internal error: UnicodeDecodeError" in result.stderr


# ---------------------------------------------------------------------------------------------
# Start-up: --help and validate leave the solver and the map stack alone
# ---------------------------------------------------------------------------------------------

PROBE = """
import json, sys
from optimizer.cli import app
code = app(sys.argv[1:], standalone_mode=False)
print(json.dumps({"code": code, "heavy": [m for m in HEAVY if m in sys.modules]}))
"""


@pytest.mark.parametrize(
    "args",
    [["--help"], ["validate", str(BASELINE)], ["classic", "--help"], ["orlib", "--help"]],
    ids=["help", "validate", "classic help", "orlib help"],
)
def test_help_and_validate_do_not_import_the_solver_or_map_stack(args) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JZPLAN_DEBUG"}
    code = f"HEAVY = {HEAVY!r}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] in (0, None)
    assert report["heavy"] == []


def test_an_infeasible_scenario_is_explained_in_the_commands_language() -> None:
    """``solving`` turns the planner's Said sentences into a Dutch message with --lang nl."""
    from optimizer.cli.common import solving
    from optimizer.errors import JzplanError
    from optimizer.pipeline import ScenarioInfeasible
    from optimizer.wording import Said
    from reports.i18n import Labels

    said = [Said("Closed places 2026: at least 6 are needed.", "Gesloten plaatsen 2026: zes.")]
    with pytest.raises(JzplanError) as dutch, solving(Labels("nl")):
        raise ScenarioInfeasible("tiny", said)
    assert str(dutch.value).splitlines() == [
        "scenario tiny is onoplosbaar:",
        "Gesloten plaatsen 2026: zes.",
    ]
    with pytest.raises(ScenarioInfeasible) as english, solving(Labels("en")):
        raise ScenarioInfeasible("tiny", said)
    assert "scenario tiny is infeasible:\nClosed places 2026: at least 6" in str(english.value)
