"""The ``jzplan`` command: thin typer commands over the pipeline; no planning logic lives here.

Expected problems (bad scenario, missing file, infeasible limits, an existing output folder) are
printed as plain messages with exit code 2, never as a traceback. Set JZPLAN_DEBUG=1 to see the
traceback of an unexpected internal error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Plan JeugdzorgPlus places: where, how many, which type, year by year.",
)
out = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True)
    raise typer.Exit(code)


def _guarded(func):
    """Turn expected errors into messages; unexpected ones into one line unless debugging."""
    from functools import wraps

    @wraps(func)
    def wrapper(*args, **kwargs):
        from optimizer.pipeline import ScenarioInfeasible
        from optimizer.runfolder import RunFolderExists
        from optimizer.scenario import ScenarioError
        from optimizer.settlement import SettlementError
        from optimizer.solve import SolverUnavailable

        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except ScenarioError as exc:
            _fail(str(exc))
        except ScenarioInfeasible as exc:
            _fail(str(exc))
        except (RunFolderExists, SolverUnavailable, SettlementError, FileNotFoundError) as exc:
            _fail(str(exc))
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if os.environ.get("JZPLAN_DEBUG"):
                raise
            _fail(
                f"internal error: {type(exc).__name__}: {exc} (set JZPLAN_DEBUG=1 for details)", 1
            )

    return wrapper


def _print_table(frame: pd.DataFrame, title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        # spaces let a narrow terminal wrap a header instead of cutting it to "pla…"
        table.add_column(
            str(column).replace("_", " "),
            justify="right" if frame[column].dtype.kind in "fi" else "left",
        )
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:,.2f}" if isinstance(v, float) else str(v) for v in row])
    out.print(table)


def print_data_summary(data) -> None:
    zones = data.zones
    regions = (
        zones.groupby("region")
        .agg(municipalities=("gm_code", "count"), population=("population", "sum"))
        .reset_index()
    )
    _print_table(regions, f"Scenario {data.scenario.name}: regions")
    demand = data.demand.merge(zones[["gm_code", "region"]], on="gm_code")
    wide = demand.pivot_table(index="region", columns="year", values="beds", aggfunc="sum")
    wide = wide.reset_index()
    wide.columns = [str(c) for c in wide.columns]
    _print_table(wide, "Demand, average occupied beds per region and year (all needs)")
    sites = data.sites[
        [
            "site_id",
            "name",
            "region",
            "allowed_types",
            "education_types",
            "existing_closed",
            "existing_hybrid",
            "existing_open",
        ]
    ]
    _print_table(sites, "Sites (types allowed / with education access; groups in the start year)")


@app.command()
@_guarded
def validate(
    configs: Annotated[list[Path], typer.Argument(help="scenario YAML files")],
) -> None:
    """Check scenario files and the files they point to; report every problem at once."""
    from optimizer.pipeline import load
    from optimizer.scenario import ScenarioError

    failed = 0
    for config in configs:
        try:
            load(config)
            out.print(f"[green]ok[/] {config}")
        except ScenarioError as exc:
            failed += 1
            err.print(f"[red]invalid[/] {config}\n{exc}", markup=True, highlight=False)
    if failed:
        raise typer.Exit(2)


@app.command()
@_guarded
def data(
    config: Annotated[Path | None, typer.Argument(help="scenario (optional)")] = None,
) -> None:
    """List regions and municipalities with population and its reference date (and demand)."""
    import geodata

    if config is not None:
        from optimizer.pipeline import load

        print_data_summary(load(config))
        return
    zones = geodata.load_municipalities()
    frame = zones[["gm_code", "name", "region", "population", "population_date", "area_km2"]]
    _print_table(frame.sort_values(["region", "name"]), "Municipalities (bundled open data)")
    dates = sorted(zones["population_date"].dropna().unique())
    out.print(
        f"Population reference dates differ: {', '.join(dates)}. Sources: {geodata.sources_file()}"
    )


def _render(offline: bool, public: bool, lang: str, threshold: int):
    from reports import render_all

    def render(folder: Path) -> None:
        render_all(folder, offline=offline, public=public, lang=lang, threshold=threshold)

    return render


@app.command()
@_guarded
def run(
    config: Annotated[Path, typer.Argument(help="scenario YAML")],
    out_dir: Annotated[Path, typer.Option("--out", help="run folder to write")],
    force: Annotated[bool, typer.Option(help="replace an existing run folder")] = False,
    offline: Annotated[bool, typer.Option(help="self-contained map with no network")] = False,
    public: Annotated[bool, typer.Option(help="suppress small counts for publication")] = False,
    lang: Annotated[str, typer.Option(help="report language: en or nl")] = "en",
    threshold: Annotated[int, typer.Option(help="smallest count shown with --public")] = 5,
    time_limit: Annotated[
        float | None, typer.Option(help="seconds; overrides the scenario")
    ] = None,
) -> None:
    """Solve a scenario and write the plan, map and report into a run folder."""
    from optimizer.pipeline import load, solve_plan
    from optimizer.runfolder import check_target, write_run

    if lang not in ("en", "nl"):
        _fail(f"--lang: expected 'en' or 'nl', got {lang!r}")
    check_target(out_dir, force)
    data_ = load(config)
    print_data_summary(data_)
    with out.status("Solving with HiGHS…"):
        _, result, solution, summary = solve_plan(data_, time_limit=time_limit)
    folder = write_run(
        out_dir, data_, solution, summary, force, _render(offline, public, lang, threshold)
    )
    beds = pd.DataFrame(summary["beds_by_year_type"]).T.reset_index(names="year")
    _print_table(beds, "Places per type and year")
    out.print(
        f"Solver: {result.describe()}; objective EUR {summary['objective_eur']:,.0f} "
        f"(build {summary['build_seconds']:.2f} s, solve {summary['solve_seconds']:.2f} s)"
    )
    for sentence in summary["explanations"]:
        out.print(f"[yellow]unmet:[/] {sentence}", highlight=False)
    out.print(f"Run folder: {folder} (plan.csv, map.html, report.html, plan.xlsx)")


@app.command()
@_guarded
def compare(
    configs: Annotated[list[Path], typer.Argument(help="scenario YAML files")],
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the runs and the comparison")],
    force: Annotated[bool, typer.Option(help="replace existing run folders")] = False,
    offline: Annotated[bool, typer.Option(help="self-contained maps")] = False,
    lang: Annotated[str, typer.Option(help="en or nl")] = "en",
) -> None:
    """Solve several scenarios and write a side-by-side comparison."""
    from optimizer.pipeline import run as run_pipeline
    from optimizer.runfolder import check_target
    from optimizer.scenario import load_scenario
    from reports.compare import compare_runs

    names = [load_scenario(c)[0].name for c in configs]
    if len(set(names)) != len(names):
        _fail(f"scenario names must differ to be compared, got {names}")
    for name in names:
        check_target(out_dir / name, force)
    folders = []
    with out.status("") as status:
        for i, (config, name) in enumerate(zip(configs, names, strict=True), start=1):
            status.update(f"Solving {name} ({i} of {len(configs)})…")
            folder, summary = run_pipeline(
                config, out_dir / name, force, _render(offline, False, lang, 5)
            )
            out.print(
                f"[green]done[/] {name}: EUR {summary['objective_eur']:,.0f}, "
                f"{summary['solver']['describe']}"
            )
            folders.append(folder)
    path = compare_runs(folders, out_dir, lang=lang)
    out.print(f"Comparison: {path}")


@app.command()
@_guarded
def size(
    config: Annotated[Path | None, typer.Argument(help="scenario: loads per region")] = None,
    load: Annotated[list[float] | None, typer.Option(help="offered load(s) in beds")] = None,
    year: Annotated[int | None, typer.Option(help="scenario year (default: first)")] = None,
    reserve: Annotated[
        int | None, typer.Option(help="reserve places (default: the scenario's reserve rules)")
    ] = None,
) -> None:
    """Places needed at 1/5/10 % refusal (Erlang loss), pooled vs per region, reserve effect."""
    from optimizer import capacity

    if config is None and not load:
        _fail("give a scenario or at least one --load")
    if config is not None:
        from optimizer.pipeline import load as load_data

        data_ = load_data(config)
        year = year or data_.years[0]
        demand = data_.demand[data_.demand["year"] == year].merge(
            data_.zones[["gm_code", "region"]]
        )
        loads = demand.groupby("region")["beds"].sum().to_dict()
        if reserve is None:
            rules = [r for r in data_.scenario.policy.min_places if r.reserve and year in r.years]
            reserve = sum(r.places for r in rules) if rules else None
        out.print(
            f"Offered load = average occupied beds in {year} (scenario {data_.scenario.name})"
        )
    else:
        loads = {f"load {i + 1}": value for i, value in enumerate(load)}
    wide = capacity.sizing_table(loads)
    levels = [c.removeprefix("places_") for c in wide.columns if c.startswith("places_")]
    table = pd.DataFrame(
        [
            {
                "name": name,
                "load": row["load"],
                "max refusal": level,
                "places": int(row[f"places_{level}"]),
                "occupancy": row[f"occupancy_{level}"],
                "utilisation": row[f"utilisation_{level}"],
            }
            for name, row in wide.iterrows()
            for level in levels
        ]
    )  # one row per area and level: fits an 80-column terminal
    _print_table(table, "Places needed and expected occupancy by refusal probability")
    pooled = capacity.pooling_comparison(loads, 0.05).reset_index()
    pooled["refusal"] = [f"{100 * v:.2f} %" for v in pooled["refusal"]]
    _print_table(pooled, "One pool for all versus one per region, at 5 % refusal")
    if reserve is None:
        return
    total = sum(loads.values())
    base = capacity.places_needed(total, 0.05)
    effect = capacity.reserve_effect(total, base, reserve)
    out.print(
        f"Reserve: {reserve} extra places on top of {base} lower the refusal probability for a load"
        f" of {total:.2f} beds from {100 * effect['refusal_without']:.2f} %"
        f" to {100 * effect['refusal_with']:.2f} %."
    )


@app.command()
@_guarded
def settle(
    config: Annotated[Path, typer.Argument(help="scenario with a settlement section")],
    usage: Annotated[Path, typer.Option(help="CSV: gm_code, type, care_days")],
) -> None:
    """Advance, cost of used days, share of unused days and balance per municipality."""
    from optimizer import settlement as st
    from optimizer.advances import day_tariffs, settlement_key
    from optimizer.pipeline import load as load_data

    data_ = load_data(config)
    sc = data_.scenario
    if sc.settlement is None:
        _fail(
            f"{config}: settlement: the scenario needs a 'settlement' section"
            " (year, contract_places)"
        )
    tariffs, days = day_tariffs(data_)
    key = settlement_key(data_)
    if key is None:
        _fail(f"{config}: zones: the settlement key needs a population for every zone")
    table = st.settle(sc.settlement.contract_places, tariffs, days, key, st.read_usage_csv(usage))
    names = data_.zones.set_index("gm_code")["name"]
    table.insert(1, "name", table["gm_code"].map(names))
    cols = [
        "gm_code",
        "name",
        "used_days",
        "advance_eur",
        "used_eur",
        "unused_share_eur",
        "due_eur",
        "balance_eur",
    ]
    _print_table(table[cols], f"Settlement {sc.settlement.year} (positive balance: pays extra)")


def _mount_classic() -> None:
    from optimizer.cli_classic import classic_app
    from optimizer.cli_orlib import orlib_command

    app.command("orlib", help="Solve one OR-Library file; print one JSON line.")(orlib_command)
    app.add_typer(
        classic_app,
        name="classic",
        help="Classic location models: OR-Library files, or a scenario's zones and sites.",
    )


_mount_classic()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
