"""What ``jzplan run``, ``compare`` and ``alternatives`` print, in the reader's language.

The texts come from the label tables the pages use (reports/i18n.py, ``cli_*`` keys), numbers
are formatted for the language, and the planner's sentences are printed in Dutch from their
Dutch wording (optimizer/wording.py). tests/reports/test_labels.py checks that these functions
print no literal text.
"""

from __future__ import annotations

from optimizer.cli.common import out, print_table, styled

TYPES = ("closed", "hybrid", "open")


def labels(lang: str = "en"):
    """The command's texts in ``lang`` (reports/i18n.py, the same tables as the pages)."""
    from reports.i18n import Labels

    return Labels(lang)


def number(value: float, decimals: int, lang: str) -> str:
    from reports.formatting import number as formatted

    return formatted(value, decimals, lang)


def print_data_summary(data, lang: str = "en") -> None:
    """The scenario's regions, demand per region and year, and sites, in ``lang``."""
    from optimizer.explain import dutch_names

    t = labels(lang)
    zones = data.zones
    regions = (
        zones.groupby("region")
        .agg(municipalities=("gm_code", "count"), population=("population", "sum"))
        .reset_index()
    )
    regions.columns = [t[f"cli_col_{c}"] for c in regions.columns]
    print_table(regions, t("cli_regions", name=data.scenario.name), lang)
    demand = data.demand.merge(zones[["gm_code", "region"]], on="gm_code")
    wide = demand.pivot_table(index="region", columns="year", values="beds", aggfunc="sum")
    wide = wide.reset_index()
    wide.columns = [t["cli_col_region"], *(str(c) for c in wide.columns[1:])]
    print_table(wide, t["cli_demand"], lang)
    sites = data.sites.copy()
    if lang != "en":
        sites["name"] = sites["site_id"].map(dutch_names(data)).fillna(sites["name"])
        for column in ("allowed_types", "education_types"):
            sites[column] = [
                ";".join(t.name("type", k) for k in str(v).split(";") if k) for v in sites[column]
            ]
    columns = {c: t[f"cli_col_{c}"] for c in ("site_id", "name", "region")}
    columns |= {c: t[f"cli_col_{c}"] for c in ("allowed_types", "education_types")}
    shown = {k: k if lang == "en" else t.name("type", k) for k in TYPES}
    columns |= {f"existing_{k}": t("cli_col_existing", type=shown[k]) for k in TYPES}
    print_table(sites[list(columns)].rename(columns=columns), t["cli_sites"], lang)


def print_plan(summary: dict, t) -> None:
    """Places per type and year, the solver's line and the money line, in ``t``'s language."""
    import pandas as pd

    beds = pd.DataFrame(summary["beds_by_year_type"]).T.reset_index(names="year")
    types = [str(c) if t.lang == "en" else t.name("type", str(c)) for c in beds.columns[1:]]
    beds.columns = [t["cli_col_year"], *types]
    print_table(beds, t["cli_places"], t.lang)
    out.print(solver_line(summary, t), soft_wrap=True)
    out.print(
        t(
            "cli_cash",
            cash=number(summary["cash_total_discounted_eur"], 0, t.lang),
            undiscounted=number(summary["cash_total_eur"], 0, t.lang),
            weights=number(summary["weights_total_discounted_eur"], 0, t.lang),
        ),
        soft_wrap=True,
    )


def print_sentences(summary: dict, t) -> None:
    """The provider's viability and the unmet-demand explanations (Dutch ones with ``nl``)."""
    from optimizer.wording import dutch

    for sentence in summary.get("provider_viability", []):
        shown = sentence if t.lang == "en" else dutch(sentence)
        out.print(styled(t["cli_viability"], "yellow", shown), highlight=False)

    said = summary["explanations"]  # Said sentences carry their Dutch (summary.json: *_nl)
    if t.lang != "en":
        said = summary.get(f"explanations_{t.lang}") or [dutch(s) for s in said]
    for sentence in said:
        out.print(styled(t["cli_unmet"], "yellow", sentence), highlight=False)


def solver_words(summary: dict, t) -> str:
    from reports.texts import solver_words as worded

    return summary["solver"]["describe"] if t.lang == "en" else worded(summary["solver"], t)


def solver_line(summary: dict, t) -> str:
    """``Solver: proven optimal; objective EUR … (build … s, solve … s)`` in ``t``'s language."""
    return t(
        "cli_solver",
        status=solver_words(summary, t),
        objective=number(summary["objective_eur"], 0, t.lang),
        build=number(summary["build_seconds"], 2, t.lang),
        solve=number(summary["solve_seconds"], 2, t.lang),
    )
