"""Planner commands: validate, data, run, compare, size, settle.

Each command parses its options, calls one function of the pipeline or a stage, and prints.
Planning logic lives in :mod:`optimizer` (pipeline, reserve, advances), never here.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from optimizer.cli.common import (
    err,
    fail,
    guarded,
    out,
    print_table,
    solving,
    styled,
    user_message,
)
from optimizer.cli.printing import (
    labels,
    number,
    print_data_summary,
    print_plan,
    print_sentences,
    solver_words,
)

LANGS = ("en", "nl")


def register(app: typer.Typer) -> None:
    for command in (validate, data, run, compare, size, settle):
        app.command()(command)


def _public_staged(data, public: bool) -> None:
    """--public suppresses per plan; a staged run holds several (not yet supported)."""
    if public and data.scenario.demand_paths is not None:
        raise fail(
            "--public: a scenario with demand paths writes every path's rows, and publishing "
            "suppresses one plan's; run each path as its own scenario for a public folder, or "
            "drop --public"
        )


@guarded
def validate(
    configs: Annotated[list[Path], typer.Argument(help="scenario YAML files")],
) -> None:
    """Check scenario files and the files they point to; report every problem at once."""
    from optimizer.pipeline import load

    failed = 0
    for config in configs:
        try:
            load(config)
        except Exception as exc:
            message = user_message(exc, [config])
            if message is None:
                raise  # internal: the error boundary reports it
            failed += 1
            err.print(styled("invalid", "red", f"{config}\n{message}"), soft_wrap=True)
        else:
            out.print(styled("ok", "green", config), soft_wrap=True)
    if failed:
        raise typer.Exit(2)


@guarded
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
    print_table(frame.sort_values(["region", "name"]), "Municipalities (bundled open data)")
    dates = sorted(zones["population_date"].dropna().unique())
    when = (
        f"Population reference date: {dates[0]}"
        if len(dates) == 1
        else f"Population reference dates differ: {', '.join(dates)}"
    )
    out.print(f"{when}. Sources: {geodata.sources_file()}")


def _render(offline: bool, public: bool, lang: str, threshold: int):
    def render(folder: Path) -> None:
        from reports import render_all

        render_all(folder, offline=offline, public=public, lang=lang, threshold=threshold)

    return render


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise fail(f"--lang: expected 'en' or 'nl', got {lang!r}")


@guarded
def run(
    config: Annotated[Path, typer.Argument(help="scenario YAML")],
    out_dir: Annotated[Path, typer.Option("--out", help="run folder to write")],
    force: Annotated[bool, typer.Option(help="replace an existing run folder")] = False,
    offline: Annotated[
        bool,
        typer.Option(
            help="accepted for old scripts: maps are self-contained by default (no network); "
            "this also leaves out the optional web tile layer"
        ),
    ] = False,
    public: Annotated[
        bool,
        typer.Option(
            help="for publication: every file of the folder shows counts below --threshold "
            "suppressed (public.json says what was done)"
        ),
    ] = False,
    lang: Annotated[str, typer.Option(help="report language: en or nl")] = "en",
    threshold: Annotated[int, typer.Option(help="smallest count shown with --public")] = 5,
    time_limit: Annotated[
        float | None, typer.Option(help="seconds; overrides the scenario")
    ] = None,
    objective: Annotated[
        str,
        typer.Option(
            help="cost (least cost, the default), worst-trip or p90-trip: the least longest or "
            "90th-percentile trip of placed youth within --cost-slack or --cost-ceiling"
        ),
    ] = "cost",
    cost_slack: Annotated[
        str | None, typer.Option(help="with a trip objective: share over the least cost, e.g. 5%")
    ] = None,
    cost_ceiling: Annotated[
        float | None, typer.Option(help="with a trip objective: the ceiling in EUR (objective)")
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            help="for a scenario with demand paths: extensive-form (one HiGHS run, exact; the "
            "default) or mpi-sppy (progressive hedging on --ranks MPI ranks, with its bound)"
        ),
    ] = None,
    ranks: Annotated[int, typer.Option(help="MPI ranks with --engine mpi-sppy")] = 2,
) -> None:
    """Solve a scenario and write the plan, map and report into a run folder."""
    from optimizer import pipeline
    from optimizer.cli.objective import objective_of

    _check_lang(lang)
    if engine not in (None, "extensive-form", "mpi-sppy"):
        raise fail(f"--engine: expected extensive-form or mpi-sppy, got {engine!r}")
    chosen = objective_of(objective, cost_slack, cost_ceiling)
    render = _render(offline, public, lang, threshold)
    t = labels(lang)
    with solving(t) as status:
        outcome = pipeline.run(
            config,
            out_dir,
            force=force,
            render=render,
            time_limit=time_limit,
            on_loaded=lambda d: (
                _public_staged(d, public),
                status.stop(),
                print_data_summary(d, lang),
                status.start(),
            ),
            objective=chosen,
            engine=engine,
            ranks=ranks,
        )
    summary = outcome.summary
    if chosen is not None:
        out.print(f"Objective: {summary['objective']['description']}", soft_wrap=True)
    if summary.get("stochastic"):
        from optimizer.cli.staged import print_staged

        print_staged(summary["stochastic"], t)
    print_plan(summary, t)
    print_sentences(summary, t)
    out.print(t("cli_folder", folder=outcome.folder), soft_wrap=True)
    if public:
        out.print(t("cli_public", threshold=threshold), soft_wrap=True)


@guarded
def compare(
    configs: Annotated[list[Path], typer.Argument(help="scenario YAML files")],
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the runs and the comparison")],
    force: Annotated[bool, typer.Option(help="replace existing run folders")] = False,
    offline: Annotated[
        bool,
        typer.Option(
            help="accepted for old scripts: maps are self-contained by default (no network); "
            "this also leaves out the optional web tile layer"
        ),
    ] = False,
    lang: Annotated[str, typer.Option(help="en or nl")] = "en",
    rank_by: Annotated[
        str,
        typer.Option(
            "--rank-by",
            help="order the scenarios by 'cash' (discounted money, the default) or 'objective' "
            "(cash and policy weights together)",
        ),
    ] = "cash",
) -> None:
    """Solve several scenarios and write a side-by-side comparison, ranked by cash."""
    from optimizer import pipeline
    from optimizer.runfolder import check_target
    from optimizer.scenario import load_scenario

    _check_lang(lang)
    if rank_by not in ("cash", "objective"):
        raise fail(f"--rank-by: expected 'cash' or 'objective', got {rank_by!r}")
    names = [load_scenario(c)[0].name for c in configs]
    if len(set(names)) != len(names):
        raise fail(f"scenario names must differ to be compared, got {names}")
    for name in names:
        check_target(out_dir / name, force)
    folders = []
    t = labels(lang)
    for i, (config, name) in enumerate(zip(configs, names, strict=True), start=1):
        with solving(t, t("cli_compare_solving", name=name, i=i, n=len(configs))):
            outcome = pipeline.run(
                config, out_dir / name, force=force, render=_render(offline, False, lang, 5)
            )
        summary = outcome.summary
        done = t(
            "cli_compare_done",
            name=name,
            objective=number(summary["objective_eur"], 0, lang),
            cash=number(summary["cash_total_discounted_eur"], 0, lang),
            status=solver_words(summary, t),
        )
        out.print(styled(t["cli_done"], "green", done))
        folders.append(outcome.folder)
    from reports.compare import compare_runs

    path = compare_runs(folders, out_dir, lang=lang, rank_by=rank_by)
    out.print(t("cli_comparison", path=path), soft_wrap=True)


@guarded
def size(
    config: Annotated[Path | None, typer.Argument(help="scenario: loads per region")] = None,
    load: Annotated[list[float] | None, typer.Option(help="offered load(s) in beds")] = None,
    year: Annotated[int | None, typer.Option(help="scenario year (default: first)")] = None,
    run: Annotated[
        Path | None,
        typer.Option(help="a run folder: its refusal per pool and what its reserve buys"),
    ] = None,
) -> None:
    """Places needed at 1/5/10 % refusal (Erlang loss), and what one pool saves over several.

    With --run: the plan's refusal probability per pool and year, and what the reserve places
    buy (the plan with and without them), read from the run folder (service.csv, reserve.csv).
    """
    from optimizer import reserve as reserve_stage

    if run is not None:
        if config is not None or load:
            raise fail("--run: give either a run folder or a scenario/--load, not both")
        _print_run_service(run)
        return
    if config is None and not load:
        raise fail("give a scenario, at least one --load, or --run DIR")
    if config is None and year is not None:
        raise fail("--year: needs a scenario (the offered loads of --load have no year)")
    for value in load or []:
        if not (math.isfinite(value) and value >= 0):
            raise fail(f"--load: expected a finite number of beds >= 0, got {value}")
    if config is not None:
        from optimizer.pipeline import load as load_data

        data_ = load_data(config)
        if year is not None and year not in data_.years:
            raise fail(f"--year: {config} plans the years {data_.years}, not {year}")
        year, loads = reserve_stage.scenario_loads(data_, year)
        out.print(
            f"Offered load = average occupied beds in {year} (scenario {data_.scenario.name})"
        )
    else:
        # one load is named by itself; several by their order (a name per --load)
        loads = (
            {"offered load": load[0]}
            if len(load) == 1
            else {f"load {i + 1}": value for i, value in enumerate(load)}
        )
    report = reserve_stage.sizing_report(loads)
    print_table(report.levels, "Places needed and expected occupancy by refusal probability")
    if report.pooling is not None:
        split = "per region" if config is not None else "per load"
        print_table(report.pooling, f"One pool for all versus one {split}, at 5 % refusal")


def _print_run_service(folder: Path) -> None:
    """The run's service.csv (plan rows) and reserve.csv, as the report shows them."""
    import pandas as pd

    from reports.runfolder import load_run

    run_ = load_run(folder)
    plan = run_.service[run_.service["variant"] == "plan"]
    table = pd.DataFrame(
        {
            "year": plan["year"],
            "pool": plan["pool"],
            "places": plan["places"],
            "load": plan["offered_load_beds"].round(4),
            "refusal %": (100 * plan["refusal_probability"]).map(lambda v: f"{v:.4f}"),
        }
    )
    print_table(table, f"Refusal probability per pool and year (run {run_.summary['scenario']})")
    if run_.reserve.empty:
        out.print("The scenario marks no minimum-places rule as a reserve.")
        return
    for row in run_.reserve.itertuples(index=False):
        extra = row.objective_with_eur - row.objective_without_eur
        out.print(
            f"Reserve '{row.rule}' {row.year}: refusal {100 * row.refusal_without:.4f} % without "
            f"it ({row.places_without} places of {row.types}), {100 * row.refusal_with:.4f} % with "
            f"it ({row.places_with} places); the plan with the reserve costs EUR {extra:,.0f} more."
        )


@guarded
def settle(
    config: Annotated[Path, typer.Argument(help="scenario with a settlement section")],
    usage: Annotated[Path, typer.Option(help="CSV: gm_code, type, care_days")],
    out_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--out",
            help="also write the settlement to this file (repeatable): FILE.csv (cents exact, a "
            "totals row) or FILE.xlsx (a 'settlement' sheet with the totals row and a "
            "'warnings' sheet)",
        ),
    ] = None,
) -> None:
    """Advance, cost of used days, share of unused days and balance per municipality."""
    from optimizer.advances import SETTLEMENT_COLUMNS, settle_contract, settlement_file
    from optimizer.pipeline import load as load_data

    data_ = load_data(config)
    settled = settle_contract(data_, usage, str(config))
    year = data_.scenario.settlement.year
    print_table(  # with the totals row: advances and dues add up, balances to zero
        settlement_file(settled)[SETTLEMENT_COLUMNS],
        f"Settlement {year} (positive balance: pays extra)",
    )
    contract = settled.contract
    contract_line = (
        f"Contract {year}: EUR {contract.value_cents / 100:,.2f} for "
        + ", ".join(f"{n} {k} places" for k, n in contract.places.items() if n)
        + "; day tariffs "
        + ", ".join(f"{k} EUR {float(contract.tariffs[k]):,.4f}" for k in contract.priced or
                    [k for k, n in contract.places.items() if n])
        + f" ({contract.derivation})"
    )  # fmt: skip
    out.print(contract_line, soft_wrap=True)
    for warning in settled.warnings:
        out.print(styled("warning:", "yellow", warning), highlight=False, soft_wrap=True)
    for out_file in out_files or []:
        if out_file.suffix.lower() == ".xlsx":
            from reports.excel import settlement_workbook

            lines = [contract_line, *settled.warnings]
            settlement_workbook(settlement_file(settled), lines, out_file)
        else:
            out_file.parent.mkdir(parents=True, exist_ok=True)
            settlement_file(settled).to_csv(out_file, index=False)
        out.print(f"Settlement file: {out_file}", soft_wrap=True)
