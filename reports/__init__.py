"""Maps and reports rendered from a run folder alone (docs/run-folder.md); never solves.

:func:`render_all` writes map.html, report.html, plan.xlsx and municipalities/ (a fact sheet per
municipality) into the run folder. This package
file stays light (no folium, no openpyxl at import): the run-folder writer imports the contract
in :mod:`reports.runfolder` without loading the map stack.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["render_all"]


def render_all(
    run_dir: Path,
    *,
    offline: bool = False,
    public: bool = False,
    lang: str = "en",
    threshold: int = 5,
) -> dict[str, Path]:
    """Write the map, the report (linking to the map), the workbook and the municipalities' fact
    sheets; return their paths (``factsheets``: the folder). With ``public`` every page shows
    small counts suppressed and then every other file of the folder is suppressed the same way
    (reports/public.py, public.json)."""
    from reports.excel import build_workbook
    from reports.factsheet import FOLDER, build_factsheets
    from reports.public import is_public, publish

    if is_public(run_dir):
        raise ValueError(
            f"{run_dir} is a public run folder (public.json): its counts are suppressed, so it "
            "cannot be rendered again; render from the exact run folder"
        )
    from reports.map import build_map
    from reports.report import build_report

    map_path = build_map(run_dir, offline=offline, public=public, threshold=threshold, lang=lang)
    _other_path_maps(run_dir, offline=offline, public=public, threshold=threshold, lang=lang)
    report = build_report(
        run_dir, lang=lang, public=public, threshold=threshold, map_name=map_path.name
    )
    workbook = build_workbook(run_dir, lang=lang, public_view=public, threshold=threshold)
    build_factsheets(run_dir, lang=lang, public=public, threshold=threshold)
    if public:  # last: the pages above were rendered from the exact figures
        publish(run_dir, threshold)
    return {
        "map": map_path,
        "report": report,
        "workbook": workbook,
        "factsheets": Path(run_dir) / FOLDER,
    }


def _other_path_maps(run_dir: Path, **options) -> None:
    """A staged run: the map of every demand path besides the headline one (map.html)."""
    from reports.map import build_map
    from reports.runfolder import headline_path, load_run

    run = load_run(run_dir)
    for path in run.paths["path"]:
        if path != headline_path(run.summary):
            build_map(run_dir, path=str(path), **options)
