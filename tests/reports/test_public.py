"""--public covers the whole run folder: every CSV, the summary, the workbook and every HTML file
(map, report, fact sheets) shows no count below the threshold, public.json says what was done
to each file, and the manifest's hashes are those of the public files."""

from __future__ import annotations

import csv
import hashlib
import html
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from reports import render_all
from reports.runfolder import TABLES, UNITS, unlisted
from tests.fixtures.sample_run import write_sample_run

THRESHOLD = 5
MARKS = {f"<{THRESHOLD}", "suppressed"}
BEDS_HEADER = f"({UNITS['beds'].header})"  # how the workbook's count columns end
SMALL_PARAMETER = ["demand.totals.values.2026", "3.5", "average occupied beds", "test", "test"]


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(exact run folder, the same run rendered with --public)."""
    base = tmp_path_factory.mktemp("public")
    folders = []
    for name in ("exact", "public"):
        run = write_sample_run(base / name)
        with (run / "inputs" / "parameters.csv").open("a", newline="", encoding="utf-8") as f:
            csv.writer(f).writerow(SMALL_PARAMETER)  # a small demand figure of the scenario
        user = run / "inputs" / "user" / "demand.csv"
        user.parent.mkdir()
        user.write_text("year,gm_code,need,beds\n2026,GM0654,secure,0.4\n", encoding="utf-8")
        manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        manifest["files"] = {
            p.relative_to(run).as_posix(): _hash(p)
            for p in sorted(run.rglob("*"))
            if p.is_file() and p.name != "manifest.json"
        }
        (run / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        folders.append(run)
    exact, public = folders
    render_all(public, public=True, threshold=THRESHOLD)
    return exact, public


def _small_counts(run: Path) -> set[float]:
    """Every exact count of the run below the threshold (above 0), however the pages group it."""
    demand = pd.read_csv(run / "inputs" / "demand.csv")
    assignments = pd.read_csv(run / "assignments.csv")
    service = pd.read_csv(run / "service.csv")
    values = [
        *demand["beds"],
        *demand.groupby(["year", "gm_code"])["beds"].sum(),
        *assignments["beds"],
        *assignments.groupby(["year", "gm_code", "site_id"])["beds"].sum(),
        *assignments.groupby(["year", "gm_code", "site_id", "type"])["beds"].sum(),
        *assignments.groupby(["year", "gm_code"])["beds"].sum(),
        *pd.read_csv(run / "unmet.csv")["beds"],
        *service["offered_load_beds"],
    ]
    return {round(float(v), 6) for v in values if 0 < v < THRESHOLD}


def _shown(value: float) -> set[str]:
    """How a page may print a count: one or two decimals, English or Dutch."""
    forms = {f"{value:.1f}", f"{value:.2f}"}
    forms = {f for f in forms if 0 < float(f) < THRESHOLD}  # 4.96 rounds to 5.0: no count
    return forms | {f.replace(".", ",") for f in forms}


#: report sections whose numbers are no counts (scenario parameters, solver times); their demand
#: figures are checked on their own
NOT_COUNTS = ("assumptions", "solver")


def _text(path: Path) -> str:
    """The visible text of an HTML file; for the map, the strings its payload hands to Leaflet
    (coordinates and widths are numbers there, never text)."""
    source = path.read_text(encoding="utf-8")
    for section in NOT_COUNTS:
        source = re.sub(rf'<section id="{section}">.*?</section>', " ", source, flags=re.S)
    match = re.search(r"jzplanMap\(.*?, (\{\"years\".*\})\);", source)
    if match:
        strings: list[str] = []

        def walk(value: object) -> None:
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str):
                strings.append(value)

        walk(json.loads(match.group(1)))
        source = " ".join(strings)
    source = re.sub(r"<(style|script)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r'<td class="[^"]*\bdist\b[^"]*">[^<]*</td>', " ", source)  # km, minutes
    text = html.unescape(re.sub(r"<[^>]+>", " ", source))
    return re.sub(r"[\d.,]+\s*(km|%|min)", " ", text)  # distances, shares and times


def _leaks(text: str, small: set[float]) -> list[str]:
    found = []
    for value in small:
        for shown in _shown(value):
            if re.search(rf"(?<![\d.,]){re.escape(shown)}(?![\d])", text):
                found.append(shown)
    return sorted(set(found))


def _is_count_ok(value: object) -> bool:
    """A public count cell: a suppression mark, empty, or a number at least the threshold."""
    if value is None or str(value) in MARKS or str(value) == "":
        return True
    return float(value) >= THRESHOLD


def test_every_csv_count_is_suppressed(runs) -> None:
    _, public = runs
    checked = 0
    for path, table in TABLES.items():
        if not (public / path).exists():
            continue
        with (public / path).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        for column in table.columns:
            if column.unit == "beds":
                bad = [r[column.name] for r in rows if not _is_count_ok(r[column.name])]
                assert bad == [], (path, column.name, bad[:5])
                checked += len(rows)
    assert checked > 800
    parameters = pd.read_csv(public / "inputs" / "parameters.csv", dtype=str)
    row = parameters[parameters["path"] == SMALL_PARAMETER[0]]
    assert list(row["value"]) == [f"<{THRESHOLD}"]
    assert "<5" in (public / "assignments.csv").read_text(encoding="utf-8")


def test_counts_that_give_a_count_away_go_with_it(runs) -> None:
    exact, public = runs
    service = pd.read_csv(public / "service.csv", dtype=str)
    hidden = service[service["offered_load_beds"].isin(MARKS)]
    assert len(hidden) and set(hidden["refusal_probability"]) == {"suppressed"}
    costs = pd.read_csv(public / "costs.csv", dtype=str)
    penalty = costs[(costs["component"] == "unmet_penalty") & (costs["year"] == "2027")]
    unmet = pd.read_csv(exact / "unmet.csv").query("year == 2027")["beds"].sum()
    assert 0 < unmet < THRESHOLD and list(penalty["eur"]) == ["suppressed"]
    year = costs[(costs["year"] == "2027") & (costs["eur"] == "suppressed")]
    assert len(year) == 2, "a lone suppressed cost takes a second one of its year along"


def test_summary_and_user_files(runs) -> None:
    _, public = runs
    summary = json.loads((public / "summary.json").read_text(encoding="utf-8"))
    assert summary["explanations"] == [] and summary["explanations_nl"] == []
    assert summary["public"] is True, "summary.json says the folder is public"
    assert all(_is_count_ok(item["beds"]) for item in summary["unmet"])
    assert _is_count_ok(summary["unmet_total_beds"])
    assert summary["cost_by_year"]["2027"]["unmet_penalty"] == "suppressed"
    assert not (public / "inputs" / "user").exists()


def test_the_workbook_shows_no_small_count(runs) -> None:
    _, public = runs
    book = openpyxl.load_workbook(public / "plan.xlsx")
    checked = 0
    for sheet in book.worksheets:
        rows = list(sheet.values)
        for index, header in enumerate(rows[0]):
            if str(header).endswith(BEDS_HEADER):
                bad = [r[index] for r in rows[1:] if not _is_count_ok(r[index])]
                assert bad == [], (sheet.title, header, bad[:5])
                checked += len(rows) - 1
    assert checked > 500


def test_every_html_file_shows_no_small_count(runs) -> None:
    exact, public = runs
    small = _small_counts(exact)
    assert len(small) > 50
    pages = [public / "map.html", public / "report.html", *(public / "municipalities").glob("*")]
    assert len(pages) == 2 + 27
    for page in pages:
        assert _leaks(_text(page), small) == [], page.name
    report = _text(public / "report.html")
    assert "<5" in report and "public.json" in report
    assumptions = re.search(
        r'<section id="assumptions">.*?</section>', (public / "report.html").read_text(), re.S
    ).group(0)
    row = re.search(rf"{re.escape(SMALL_PARAMETER[0])}</td><td[^>]*>([^<]*)<", assumptions)
    assert row and html.unescape(row.group(1)) == f"<{THRESHOLD}"
    exact_report = exact / "report.html"
    render_all(exact)
    assert _leaks(_text(exact_report), small), "the check finds the counts of an exact report"


def test_public_json_and_manifest_say_so(runs) -> None:
    _, public = runs
    info = json.loads((public / "public.json").read_text(encoding="utf-8"))
    assert info["public"] is True and info["threshold"] == THRESHOLD
    assert info["files"]["assignments.csv"].startswith("suppressed")
    assert info["files"]["inputs/user/"].startswith("removed")
    written = {p for p in TABLES if (public / p).exists()}
    assert written <= set(info["files"])
    manifest = json.loads((public / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"], "the manifest still lists the folder's files"
    assert manifest["public"] is True, "manifest.json says the folder is public"
    for name, digest in manifest["files"].items():
        assert _hash(public / name) == digest, name
    assert not any(name.startswith("inputs/user/") for name in manifest["files"])
    assert unlisted(public) == []
    with pytest.raises(ValueError, match="public run folder"):
        render_all(public, public=True)
