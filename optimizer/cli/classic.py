"""``jzplan classic``: the classic location models from the command line.

``solve FILE`` solves one OR-Library file; ``pmedian``, ``pcenter``, ``mclp`` and ``lscp`` solve
on a scenario's zones and sites with its travel matrix (km and minutes), loaded as ``jzplan run``
loads it, through :func:`optimizer.classic.locate.locate`. Bad input (missing or malformed file,
unknown site, radius without a unit, p out of range, coverage no site can give) goes through the
error boundary of :mod:`optimizer.cli.common`: one line on stderr, exit status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from optimizer.cli.common import guarded
from optimizer.cli.orlib import (
    PANEL,
    Capacity,
    FamilyOption,
    Reference,
    SingleSource,
    TimeLimit,
    solve_file,
)
from optimizer.errors import JzplanError

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.classic.instances import ClassicResult

classic_app = typer.Typer(
    help="Classic facility-location models on OR-Library benchmark files.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@classic_app.callback()
def classic() -> None:
    """Classic location models: OR-Library files, or a scenario's zones and sites."""
    # A callback keeps ``solve`` a named sub-command even while it is the only command, so
    # ``jzplan classic solve FILE`` works the same whether or not more commands are added.


def _describe_problem(result: ClassicResult, single_source: bool) -> str:
    if result.family == "pmed":
        return f"p-median, {result.n_clients} vertices, p = {result.p}"
    sourcing = "single source" if single_source else "split demand"
    return (
        f"capacitated warehouse location ({sourcing}), {result.n_sites} warehouses, "
        f"{result.n_clients} customers"
    )


def _format_objective(value: float | None) -> str:
    if value is None:
        return "none (no solution found)"
    if abs(value - round(value)) < 1e-6:
        return f"{round(value)}"
    return f"{value:.3f}"


@classic_app.command("solve")
@guarded
def solve_command(
    file: Annotated[Path, typer.Argument(help="An OR-Library pmedN.txt or capN.txt file.")],
    time_limit: TimeLimit = None,
    family: FamilyOption = None,
    capacity: Capacity = None,
    single_source: SingleSource = False,
    reference: Reference = False,
) -> None:
    """Solve FILE to proven optimality (or the time limit) and print what was found."""
    result = solve_file(file, family, time_limit, capacity, single_source, reference)

    opened = " ".join(str(j + 1) for j in result.open_facilities) or "-"
    typer.echo(f"instance    {result.instance}")
    typer.echo(f"family      {result.family} ({_describe_problem(result, single_source)})")
    typer.echo(f"objective   {_format_objective(result.objective)}")
    typer.echo(
        f"open        {len(result.open_facilities)} (numbered from 1 as in the file): {opened}"
    )
    typer.echo(f"status      {result.solve_result.describe()}")
    typer.echo(
        f"build       {result.read_seconds + result.build_seconds:.2f} s "
        f"(read {result.read_seconds:.2f} s, model {result.build_seconds:.2f} s)"
    )
    typer.echo(f"solve       {result.solve_seconds:.2f} s")
    if not result.solve_result.has_solution:
        raise typer.Exit(code=1)


# ---------------------------------------------------------------------------------------------
# The models on a scenario's zones and sites
# ---------------------------------------------------------------------------------------------

_TITLES = {
    "pmedian": "p-median",
    "pcenter": "p-center",
    "mclp": "maximal covering",
    "lscp": "location set covering",
}

ConfigArg = Annotated[Path, typer.Argument(help="Scenario YAML (zones, sites, travel, demand).")]
KeepOpt = Annotated[
    list[str] | None,
    typer.Option("--keep", help="Site id that must stay open (repeatable), e.g. ossendrecht."),
]
WeightOpt = Annotated[
    str,
    typer.Option(
        help="Zone weight: 'demand' (average occupied beds, all needs, in --year) or 'population'."
    ),
]
YearOpt = Annotated[
    int | None, typer.Option(help="Year of the demand weight (default: the first plan year).")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", help="Also write the assignments to this CSV file.")
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print one JSON object on stdout instead of tables.")
]
TimeOpt = Annotated[
    float | None, typer.Option("--time-limit", min=0.0, help="Stop HiGHS after this many seconds.")
]
POpt = Annotated[int, typer.Option("--p", help="Number of sites to open (kept sites included).")]
RadiusOpt = Annotated[
    str, typer.Option("--radius", help="Coverage radius with its unit: '30 km' or '45 min'.")
]
UnitOpt = Annotated[
    str, typer.Option("--unit", help="Distance the objective counts: 'km' or 'min'.")
]


def _run_on_scenario(problem: str, config: Path, **options: Any) -> None:
    """Load, solve, print: shared by the four scenario commands."""
    from optimizer.classic import locate
    from optimizer.pipeline import load

    out, as_json = options.pop("out"), options.pop("as_json")
    weight, year = options.pop("weight"), options.pop("year")
    data = load(config)
    zones, sites, matrix = locate.scenario_inputs(data, weight, year)
    result = locate.locate(problem, zones, sites, weight="weight", distances=matrix, **options)
    year = (data.years[0] if year is None else year) if weight == "demand" else None
    table = _assignment_table(result, zones, sites)
    if out is not None:
        try:
            table.to_csv(out, index=False)
        except OSError as exc:
            raise JzplanError(f"--out {out}: cannot write ({exc.strerror or exc})") from None
    weight_text = f"demand {year} (beds)" if weight == "demand" else "population"
    if as_json:
        typer.echo(json.dumps(_as_json(problem, data, result, table, weight_text, options)))
        return
    _print_result(problem, data, result, table, weight_text, options)
    if out is not None:
        typer.echo(f"assignments written to {out}")


def _assignment_table(result, zones, sites) -> pd.DataFrame:
    """Zone, site, km, minutes, weight (and covered) with names, as printed and written."""
    import pandas as pd

    zone_name = dict(zip(zones["gm_code"], zones["name"], strict=True))
    site_name = dict(zip(sites["site_id"], sites["name"], strict=True))
    table = pd.DataFrame(result.assignments.drop(columns="geometry", errors="ignore"))
    table.insert(1, "zone_name", table["zone"].map(zone_name))
    table.insert(3, "site_name", table["site"].map(site_name))
    return table


def _as_json(problem, data, result, table, weight_text, options) -> dict:
    open_rows = result.sites[result.sites["open"]]
    return {
        "problem": problem,
        "scenario": data.scenario.name,
        "weight": weight_text,
        "p": options.get("p"),
        "radius": None if result.radius is None else str(result.radius),
        "unit": result.unit,
        "keep": list(options.get("keep") or []),
        "objective": result.objective,
        "objective_label": result.objective_label,
        "status": result.solve_result.describe(),
        "open_sites": [
            {
                "site": row.site,
                "name": row.name,
                "kept": bool(row.kept),
                "zones": int(row.served_zones),
                "weight": float(row.served_weight),
            }
            for row in open_rows.itertuples(index=False)
        ],
        "assignments": json.loads(table.to_json(orient="records")),
        "coverage": result.coverage(),
    }


def _print_result(problem, data, result, table, weight_text, options) -> None:
    from rich.table import Table

    from optimizer.cli.common import out as console  # plain text: names are never markup

    what = [f"p = {options['p']}"] if options.get("p") else []
    what += [f"radius {result.radius}"] if result.radius is not None else []
    title = f"{_TITLES[problem]} ({', '.join(what + [f'weight: {weight_text}'])})"
    sites = Table(title=f"{title}: open sites, scenario {data.scenario.name}", title_justify="left")
    for column in ("site", "name", "kept", "zones", "weight"):
        sites.add_column(column, justify="right" if column in ("zones", "weight") else "left")
    for row in result.sites[result.sites["open"]].itertuples(index=False):
        kept = "yes" if row.kept else ""
        sites.add_row(row.site, row.name, kept, str(row.served_zones), f"{row.served_weight:,.3f}")
    console.print(sites)
    zones = Table(title="Zones and the open site that serves them", title_justify="left")
    columns = ["zone", "zone_name", "site", "km", "minutes", "weight"]
    columns += ["covered"] if "covered" in table else []
    for column in columns:
        zones.add_column(column, justify="right" if table[column].dtype.kind == "f" else "left")
    for row in table[columns].itertuples(index=False):
        zones.add_row(*(f"{v:,.3f}" if isinstance(v, float) else str(v) for v in row))
    console.print(zones)
    typer.echo(f"objective   {result.objective:.6g} ({result.objective_label})")
    if result.radius is not None:
        cover = result.coverage()
        typer.echo(
            f"coverage    {cover['zones_covered']} of {cover['zones']} zones, "
            f"{100 * cover['share_covered']:.1f} % of the weight within {result.radius}"
        )
    typer.echo(f"status      {result.solve_result.describe()}")


def _register_p_command(problem: str, summary: str) -> None:
    """pmedian and pcenter take the same options and differ only in the model they solve."""

    def command(
        config: ConfigArg,
        p: POpt,
        keep: KeepOpt = None,
        weight: WeightOpt = "demand",
        year: YearOpt = None,
        unit: UnitOpt = "km",
        out: OutOpt = None,
        as_json: JsonOpt = False,
        time_limit: TimeOpt = None,
    ) -> None:
        _run_on_scenario(
            problem, config, p=p, keep=keep or [], weight=weight, year=year, unit=unit,
            out=out, as_json=as_json, time_limit=time_limit,
        )  # fmt: skip

    command.__doc__ = summary
    classic_app.command(problem)(guarded(command))


_register_p_command(
    "pmedian", "Open p sites minimising the weighted distance (or time) from each zone to its site."
)
_register_p_command(
    "pcenter", "Open p sites minimising the longest distance (or time) from a zone to its site."
)


@classic_app.command("mclp")
@guarded
def mclp_command(
    config: ConfigArg,
    p: POpt,
    radius: RadiusOpt,
    keep: KeepOpt = None,
    weight: WeightOpt = "demand",
    year: YearOpt = None,
    out: OutOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeOpt = None,
) -> None:
    """Open p sites covering the most weight within the radius."""
    _run_on_scenario(
        "mclp", config, p=p, radius=radius, keep=keep or [], weight=weight, year=year,
        out=out, as_json=as_json, time_limit=time_limit,
    )  # fmt: skip


@classic_app.command("lscp")
@guarded
def lscp_command(
    config: ConfigArg,
    radius: RadiusOpt,
    keep: KeepOpt = None,
    weight: WeightOpt = "demand",
    year: YearOpt = None,
    out: OutOpt = None,
    as_json: JsonOpt = False,
    time_limit: TimeOpt = None,
) -> None:
    """Open the fewest sites that bring every zone within the radius."""
    _run_on_scenario(
        "lscp", config, radius=radius, keep=keep or [], weight=weight, year=year,
        out=out, as_json=as_json, time_limit=time_limit,
    )  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(
        classic_app,
        name="classic",
        help="Classic location models: OR-Library files, or a scenario's zones and sites.",
        rich_help_panel=PANEL,
    )
