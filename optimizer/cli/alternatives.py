"""``jzplan alternatives``: near-optimal plans within a cost slack, compared side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.common import fail, guarded, out, solving
from optimizer.cli.objective import parse_share
from optimizer.cli.printing import labels


@guarded
def alternatives(
    config: Annotated[Path, typer.Argument(help="scenario YAML")],
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the run folders")],
    slack: Annotated[str, typer.Option(help="cost slack over the optimum, e.g. 5%")] = "5%",
    count: Annotated[int, typer.Option(help="how many alternatives")] = 3,
    differ: Annotated[
        str,
        typer.Option(
            help="sites: each differs most from the optimum and the earlier alternatives in "
            "which types run where and when (the default); worst-trip: each has the least worst "
            "trip of the plans still new"
        ),
    ] = "sites",
    force: Annotated[bool, typer.Option(help="replace existing run folders")] = False,
    lang: Annotated[str, typer.Option(help="en or nl")] = "en",
    time_limit: Annotated[float | None, typer.Option(help="seconds per solve")] = None,
) -> None:
    """Plans within the cost slack that differ most in which types run where and when."""
    from optimizer.alternatives import check_options, run_alternatives
    from reports import render_all
    from reports.compare import compare_runs

    if lang not in ("en", "nl"):
        raise fail(f"--lang: expected 'en' or 'nl', got {lang!r}")
    share = parse_share(slack)
    check_options(share, count, differ)

    def render(folder: Path) -> None:
        render_all(folder, offline=True, lang=lang)

    t = labels(lang)
    with solving(t, t["cli_alternatives_solving"]):
        folders = run_alternatives(config, out_dir, share, count, force, render, time_limit, differ)
    for folder in folders:
        out.print(t("cli_written", folder=folder), soft_wrap=True)
    if len(folders) == 1:
        out.print(t["cli_no_alternative"])
    path = compare_runs(folders, out_dir, lang=lang, rank_by="objective", optimum=folders[0])
    out.print(t("cli_comparison", path=path), soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command()(alternatives)
