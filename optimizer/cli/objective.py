"""The objective options of ``jzplan run`` and ``jzplan alternatives``: a share and a choice."""

from __future__ import annotations

from optimizer.cli.common import fail

OBJECTIVES = ("cost", "worst-trip", "p90-trip")


def parse_share(text: str, option: str = "--slack") -> float:
    """'5%', '5 %' or '0.05' → 0.05."""
    value = text.strip()
    try:
        return float(value.rstrip("% ").strip()) / 100 if value.endswith("%") else float(value)
    except ValueError:
        raise fail(f"{option}: expected a share such as 5% or 0.05, got {text!r}") from None


def objective_of(name: str, cost_slack: str | None, cost_ceiling: float | None):
    """``--objective``, ``--cost-slack`` and ``--cost-ceiling`` as an
    :class:`optimizer.equity.Objective` (None: least cost, the default)."""
    from optimizer.equity import Objective

    if name not in OBJECTIVES:
        raise fail(f"--objective: expected one of {', '.join(OBJECTIVES)}, got {name!r}")
    if name == "cost":
        if cost_slack is not None or cost_ceiling is not None:
            raise fail(
                "--cost-slack and --cost-ceiling bound the cost of a trip objective: give them "
                "with --objective worst-trip or p90-trip"
            )
        return None
    if (cost_slack is None) == (cost_ceiling is None):
        raise fail(
            f"--objective {name}: give the cost ceiling as either --cost-slack (e.g. 5%, over "
            "the least cost) or --cost-ceiling EUR"
        )
    slack = None if cost_slack is None else parse_share(cost_slack, "--cost-slack")
    if slack is not None and not 0 <= slack < 10:
        raise fail(f"--cost-slack: expected a share such as 5% or 0.05, got {cost_slack!r}")
    if cost_ceiling is not None and not cost_ceiling > 0:
        raise fail(f"--cost-ceiling: expected an amount in EUR above 0, got {cost_ceiling}")
    return Objective(name, slack, cost_ceiling)
