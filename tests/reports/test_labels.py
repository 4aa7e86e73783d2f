"""Every user-visible label key the templates and the code use has an English and a Dutch text.

The keys are read from the source, not from a rendered page, so a label that only a rare branch
shows (an infeasible run, a public note) is checked too: Python files of reports/ through their
syntax tree (``t["key"]``, ``labels("key", …)``, ``view.labels["key"]``, f-string keys as
patterns), templates by pattern (``t.key``, ``t("key")``, ``t["key"]``). Names of codes (place
types, needs, cost components and kinds, capacity rules, solver statuses) and the workbook's
sheet names, column words and units are checked against the sets of codes the run folder uses.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from reports import excel, i18n
from reports.colours import TYPE_STYLES
from reports.runfolder import COSTS, UNITS

ROOT = Path(__file__).resolve().parents[2] / "reports"
LABEL_NAMES = {"t", "labels"}  # variables holding a Labels; also any ``<x>.labels``
TEMPLATE_KEYS = (
    re.compile(r"\bt\.([a-z_][a-z0-9_]*)\b"),
    re.compile(r"\bt\(\s*[\"']([^\"']+)[\"']"),
    re.compile(r"\bt\[\s*[\"']([^\"']+)[\"']\s*\]"),
)
LABEL_METHODS = {"name", "sheet", "column", "lang", "get", "keys", "items", "values"}
STATUSES = ("optimal", "feasible", "infeasible", "unbounded", "no_solution", "error")


def _is_labels(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in LABEL_NAMES
    return isinstance(node, ast.Attribute) and node.attr == "labels"


def _keys_of(node: ast.expr) -> list[str]:
    """Keys a subscript or first argument can take: constants, both arms of an ``if``, and
    f-strings as ``re:`` patterns."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys_of(node.body) + _keys_of(node.orelse)
    if isinstance(node, ast.JoinedStr):
        parts = [
            re.escape(v.value) if isinstance(v, ast.Constant) else r"[a-z0-9_]+"
            for v in node.values
        ]
        return ["re:" + "".join(parts)]
    return []


def python_keys(source: str) -> set[str]:
    """Label keys a Python source looks up."""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_labels(node.value):
            keys.update(_keys_of(node.slice))
        elif isinstance(node, ast.Call) and _is_labels(node.func) and node.args:
            keys.update(_keys_of(node.args[0]))
    return keys


def template_keys(text: str) -> set[str]:
    found = {key for pattern in TEMPLATE_KEYS for key in pattern.findall(text)}
    return found - LABEL_METHODS


def used_keys() -> dict[str, set[str]]:
    """Per source file of reports/, the label keys it uses."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        out[path.relative_to(ROOT).as_posix()] = python_keys(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "templates").glob("*.j2")):
        out[f"templates/{path.name}"] = template_keys(path.read_text(encoding="utf-8"))
    return out


def missing(keys: set[str], table: dict[str, str]) -> list[str]:
    """Keys (and f-string patterns matching no key) without a text in ``table``."""
    gone = []
    for key in sorted(keys):
        if key.startswith("re:"):
            if not any(re.fullmatch(key[3:], k) for k in table):
                gone.append(key)
        elif not str(table.get(key, "")).strip():
            gone.append(key)
    return gone


def test_the_scanner_finds_keys_and_reports_a_missing_one() -> None:
    source = (
        "def f(view, t, m, public):\n"
        "    a = t['map_title'] + view.labels['open_map'] + t('layer_ring', km=1)\n"
        "    b = t[f'metric_{m}'] + t['layer_flows_public' if public else 'layer_flows']\n"
        "    return t['no_such_label_anywhere'] + t.name('type', 'closed')\n"
    )
    keys = python_keys(source)
    assert keys == {"map_title", "open_map", "layer_ring", "re:metric_[a-z0-9_]+",
                    "layer_flows_public", "layer_flows", "no_such_label_anywhere"}  # fmt: skip
    assert missing(keys, i18n.NL) == ["no_such_label_anywhere"]
    template = "{{ t.open_map }} {{ t('cells_note', threshold=5) }} {{ t.name('x') }}"
    assert template_keys(template) == {"open_map", "cells_note"}
    used = used_keys()
    assert "map_title" in used["map.py"] and "report_title" in used["templates/report.html.j2"]
    assert sum(len(keys) for keys in used.values()) > 150, "the scanner should see the labels"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_label_the_code_uses_has_a_text(lang: str) -> None:
    table = i18n.TABLES[lang]
    gaps = {name: missing(keys, table) for name, keys in used_keys().items()}
    assert {name: keys for name, keys in gaps.items() if keys} == {}


def test_both_languages_have_the_same_labels() -> None:
    assert i18n.EN.keys() == i18n.NL.keys()
    assert i18n.NAMES["en"].keys() == i18n.NAMES["nl"].keys()
    placeholders = re.compile(r"\{(\w+)\}")
    for key in i18n.EN:
        assert set(placeholders.findall(i18n.EN[key])) == set(placeholders.findall(i18n.NL[key])), (
            key
        )


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_code_the_run_folder_uses_has_a_name(lang: str) -> None:
    names = i18n.NAMES[lang]
    codes = {f"type.{t}" for t in TYPE_STYLES} | {f"need.{n}" for n in ("secure", "hybrid", "open")}
    codes |= {f"cost.{c}" for c, _ in COSTS.column("component").values} | {"cost.total"}
    codes |= {f"kind.{k}" for k, _ in COSTS.column("kind").values}
    codes |= {f"rule.{r}" for r in ("service_level", "occupancy")}
    codes |= {f"status.{s}" for s in STATUSES}
    assert sorted(c for c in codes if not names.get(c, "").strip()) == []


def test_dutch_terminology() -> None:
    names = i18n.NAMES["nl"]
    assert (names["type.closed"], names["type.hybrid"], names["type.open"]) == (
        "gesloten", "hybride", "open",
    )  # fmt: skip
    assert "machtiging gesloten jeugdhulp" in i18n.NL["need_hybrid_note"]
    assert "machtiging gesloten jeugdhulp" in i18n.NL["need_secure_note"]


def test_the_workbook_has_dutch_sheet_names_column_words_and_units() -> None:
    assert sorted(i18n.SHEET_NAMES["nl"]) == sorted(excel.SHEETS)
    assert all(len(name) <= 31 for name in i18n.SHEET_NAMES["nl"].values())  # Excel's limit
    words = {column.words for columns in excel.SHEETS.values() for column in columns}
    assert sorted(w for w in words if not i18n.COLUMN_WORDS_NL.get(w, "").strip()) == []
    assert sorted(u for u in UNITS if u not in i18n.UNIT_HEADERS_NL) == []


# ---------------------------------------------------------------------------------------------
# Beyond reports/: the command line, the planner's explanations, the assumptions' units
# ---------------------------------------------------------------------------------------------

PROJECT = ROOT.parent
CLI = PROJECT / "optimizer" / "cli"
#: command-line functions whose every printed text comes from the label tables
CLI_LOCALIZED = {
    "printing.py": ("print_data_summary", "print_plan", "print_sentences", "solver_line"),
    "plan.py": ("compare",),
    "common.py": ("solving",),
    "alternatives.py": ("alternatives",),
    "staged.py": ("print_staged",),
}
PRINTERS = {"print", "print_table", "styled", "status", "update"}
SENTENCE_MODULES = ("optimizer/explain.py", "optimizer/infeasible.py", "optimizer/provider.py")


def _wordy(node: ast.expr) -> bool:
    """A string literal (or f-string) with words in it: text a reader would see."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(re.search(r"[A-Za-z]{3}", node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_wordy(v) for v in node.values if isinstance(v, ast.Constant))
    return False


def literal_prints(source: str, functions: tuple[str, ...]) -> list[str]:
    """Printed literals (``out.print("…")``, ``print_table(x, "…")``) in ``functions``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name in functions:
            for call in ast.walk(node):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "attr", getattr(call.func, "id", ""))
                args = [a for i, a in enumerate(call.args) if not (name == "styled" and i == 1)]
                if name in PRINTERS and any(_wordy(a) for a in args):  # styled's 2nd: a style
                    found.append(f"{node.name}: line {call.lineno}")
    return found


def test_the_command_line_scanner_finds_a_literal() -> None:
    source = "def compare(t):\n    out.print(t['cli_done'])\n    out.print(f'done {t}')\n"
    assert literal_prints(source, ("compare",)) == ["compare: line 3"]
    assert "cli_done" in python_keys(source)


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_label_the_command_line_uses_has_a_text(lang: str) -> None:
    keys = {p.name: python_keys(p.read_text(encoding="utf-8")) for p in sorted(CLI.glob("*.py"))}
    assert sum(len(k) for k in keys.values()) > 20, "the scanner should see the CLI's labels"
    gaps = {name: missing(k, i18n.TABLES[lang]) for name, k in keys.items()}
    assert {name: k for name, k in gaps.items() if k} == {}


def test_the_commands_with_lang_print_only_labels() -> None:
    """run's and compare's tables, status and messages are looked up, never English literals."""
    found = []
    for name, functions in CLI_LOCALIZED.items():
        source = (CLI / name).read_text(encoding="utf-8")
        defined = {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
        assert set(functions) <= defined, (name, set(functions) - defined)
        found += [f"{name} {where}" for where in literal_prints(source, functions)]
    assert found == []


def said_calls(source: str) -> tuple[list[tuple[int, str, str]], list[int]]:
    """``Said(en, nl)`` calls (line, English, Dutch text with f-string holes as {}), and the
    lines of wordy string literals outside any Said call and outside docstrings."""
    tree = ast.parse(source)
    inside: set[int] = set()
    calls = []

    def text(node: ast.expr) -> str:
        if isinstance(node, ast.Constant):
            return str(node.value)
        if isinstance(node, ast.JoinedStr):
            return "".join(text(v) if isinstance(v, ast.Constant) else "{}" for v in node.values)
        return "{}"

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Said":
            inside |= {id(n) for n in ast.walk(node)}
            en, nl = (text(a) for a in node.args[:2]) if len(node.args) >= 2 else ("", "")
            calls.append((node.lineno, en, nl))
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.Module | ast.ClassDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
    }
    loose = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.JoinedStr | ast.Constant)
        and id(n) not in inside
        and id(n) not in docstrings
        and _wordy(n)
        and " " in text(n).strip()
    ]
    return calls, sorted(set(loose))


def test_every_explanation_is_said_in_english_and_dutch() -> None:
    """The planner's sentences (unmet demand, infeasibility) are built as Said(en, nl): both
    texts given and different, and no sentence built outside one."""
    total = 0
    for module in SENTENCE_MODULES:
        calls, loose = said_calls((PROJECT / module).read_text(encoding="utf-8"))
        total += len(calls)
        for line, en, nl in calls:
            assert en.strip() and nl.strip(), (module, line)
            if re.search(r"[A-Za-z]{3}", en):
                assert en != nl, (module, line, "the Dutch text is the English one")
        assert loose == [], (module, "sentences outside Said(…)", loose)
    assert total > 25


def test_dutch_words_of_the_planner_are_the_reports_words() -> None:
    from optimizer import wording

    names = i18n.NAMES["nl"]
    assert wording.TYPE_NL == {k: names[f"type.{k}"] for k in wording.TYPE_NL}
    assert wording.NEED_NL == {k: names[f"need.{k}"] for k in wording.NEED_NL}
    assert set(wording.TYPE_NL) == set(TYPE_STYLES)


def test_every_unit_of_the_assumptions_has_a_dutch_text() -> None:
    from optimizer.units import RULES

    units = {unit for _, unit in RULES}
    assert sorted(u for u in units if not i18n.PARAMETER_UNITS_NL.get(u, "").strip()) == []
