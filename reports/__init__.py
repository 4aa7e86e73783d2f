"""Maps and reports rendered from a run folder alone (docs/run-folder.md); never solves.

:func:`render_all` writes map.html, report.html and plan.xlsx into the run folder.
"""

from __future__ import annotations

from pathlib import Path

from reports.compare import compare_runs
from reports.excel import build_workbook
from reports.map import build_map
from reports.report import build_report

__all__ = ["build_map", "build_report", "build_workbook", "compare_runs", "render_all"]


def render_all(
    run_dir: Path,
    *,
    offline: bool = False,
    public: bool = False,
    lang: str = "en",
    threshold: int = 5,
) -> dict[str, Path]:
    """Write the map, the report (linking to the map) and the workbook; return their paths."""
    map_path = build_map(run_dir, offline=offline, public=public, threshold=threshold, lang=lang)
    report = build_report(
        run_dir, lang=lang, public=public, threshold=threshold, map_name=map_path.name
    )
    return {"map": map_path, "report": report, "workbook": build_workbook(run_dir)}
