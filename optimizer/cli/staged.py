"""What ``jzplan run`` prints for a staged plan: the decision now and what the paths cost."""

from __future__ import annotations

from optimizer.cli.common import out, print_table


def print_staged(st: dict, t) -> None:
    """The staged plan in a few lines, in ``t``'s language (reports/i18n.py labels)."""
    import pandas as pd

    from reports.formatting import number

    lang = t.lang
    eur = lambda v: "–" if v is None else number(v, 0, lang)  # noqa: E731
    out.print(
        t(
            "cli_staged_head",
            n=len(st["paths"]),
            engine=st["engine"],
            method=st["method"],
            ranks=st["ranks"],
            years=", ".join(str(y) for y in st["first_stage_years"]),
            risk=st["risk"]["measure"],
        ),
        soft_wrap=True,
    )
    rows = [
        {
            t["staged_path"]: w,
            t["staged_probability"]: number(st["probabilities"][w], 2, lang),
            t["staged_cost"]: eur(st["cost_by_path_eur"][w]),
            t["staged_own"]: eur(st["own_optimum_by_path_eur"][w]),
            t["staged_regret"]: eur(st["regret_by_path_eur"][w]),
        }
        for w in st["paths"]
    ]
    print_table(pd.DataFrame(rows), t["cli_staged_table"])
    status = st.get("expected_value_plan_status", "found")
    vss = eur(st["vss_eur"]) if st["vss_eur"] is not None else t[f"cli_staged_vss_{status}"]
    gap = t["cli_staged_unknown"] if st["gap"] is None else number(100 * st["gap"], 3, lang)
    out.print(
        t(
            "cli_staged_values",
            expected=eur(st["expected_cost_eur"]),
            bound=eur(st["bound_eur"]),
            gap=gap,
            vss=vss,
            evpi=eur(st["evpi_eur"]),
            path=st["headline_path"],
        ),
        soft_wrap=True,
    )
