"""What ``jzplan run`` prints for a staged plan: the decision now and what the paths cost."""

from __future__ import annotations

from optimizer.cli.common import out, print_table


def print_staged(st: dict) -> None:
    """The staged plan in a few lines: what is decided now, and what the paths cost."""
    import pandas as pd

    years = ", ".join(str(t) for t in st["first_stage_years"])
    out.print(
        f"Staged plan over {len(st['paths'])} demand paths ({st['engine']}, {st['method']}, "
        f"{st['ranks']} rank(s)); decided now: {years}; minimised: {st['risk']['measure']}",
        soft_wrap=True,
    )
    rows = [
        {
            "path": w,
            "probability": st["probabilities"][w],
            "cost EUR": round(st["cost_by_path_eur"][w]),
            "own optimum EUR": round(st["own_optimum_by_path_eur"][w]),
            "regret EUR": round(st["regret_by_path_eur"][w]),
        }
        for w in st["paths"]
    ]
    print_table(pd.DataFrame(rows), "Cost per demand path under the staged plan")
    vss = "n/a (the expected-demand plan cannot serve every path)"
    if st.get("expected_value_plan_status") == "not_found":
        vss = "unknown (the expected-demand plan was not evaluated within the time limit)"
    if st["vss_eur"] is not None:
        vss = f"EUR {st['vss_eur']:,.0f}"
    gap = "unknown" if st["gap"] is None else f"{100 * st['gap']:.3f} %"
    bound = "none" if st["bound_eur"] is None else f"EUR {st['bound_eur']:,.0f}"
    out.print(
        f"Expected cost EUR {st['expected_cost_eur']:,.0f}; bound {bound} (gap {gap}); "
        f"value of the stochastic solution {vss}; expected value of perfect information "
        f"EUR {st['evpi_eur']:,.0f}. Below, and on the pages by default: path "
        f"{st['headline_path']} (the most probable; the first of equals).",
        soft_wrap=True,
    )
