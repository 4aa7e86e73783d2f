"""``jzplan settle --out``: the one contract, settled to the cent, as a file with a totals row.

The baseline's contract is 24 places (the letter); its day tariff is derived from Oosterhout's
advance, so with usage equal to the contract Oosterhout's advance is the letter's EUR 440,542.08,
nothing is left unused, the balances add up to zero and the totals row is the contract value.
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from optimizer.advances import TOTAL, settle_contract, settlement_file
from optimizer.pipeline import load

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline-2026.yaml"
JZPLAN = Path(sys.executable).with_name("jzplan")
LETTER_CENTS = 44_054_208  # Oosterhout's advance for 2026, EUR 440,542.08 (letter)


def contract_usage(folder: Path) -> Path:
    """All 24 x 365 = 8,760 contracted care days, used by three municipalities."""
    path = folder / "usage.csv"
    path.write_text("gm_code,type,care_days\nGM0826,closed,3000\nGM0758,closed,5000\n"
                    "GM0748,closed,760\n")  # fmt: skip
    return path


def test_settle_out_on_the_baseline_with_usage_equal_to_the_contract(tmp_path) -> None:
    usage, out = contract_usage(tmp_path), tmp_path / "settlement.csv"
    env = {k: v for k, v in os.environ.items() if k != "JZPLAN_DEBUG"} | {"COLUMNS": "200"}
    result = subprocess.run(
        [str(JZPLAN), "settle", str(BASELINE), "--usage", str(usage), "--out", str(out)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "type 'closed' used 100.0 % of its 8,760 contracted care days" in result.stdout
    table = pd.read_csv(out, dtype={"gm_code": str})
    rows, total = table[table["gm_code"] != TOTAL], table[table["gm_code"] == TOTAL].iloc[0]
    oosterhout = rows.set_index("gm_code").loc["GM0826"]
    assert oosterhout["advance_cents"] == LETTER_CENTS
    assert oosterhout["advance_eur"] == pytest.approx(440_542.08, abs=1e-9)
    assert int(rows["balance_cents"].sum()) == 0 == total["balance_cents"]
    assert (rows["unused_share_cents"] == 0).all()
    data = load(BASELINE)
    contract = settle_contract(data, usage, str(BASELINE)).contract
    value = contract.value_cents
    for name in ("advance", "used", "due"):  # the totals row is the contract value
        assert int(rows[f"{name}_cents"].sum()) == value == total[f"{name}_cents"], name
        assert total[f"{name}_eur"] == pytest.approx(value / 100, abs=1e-6)
    assert total["used_days"] == 24 * 365 and total["share"] == pytest.approx(1.0)
    # the contract value is 24 places x the day tariff x 365, rounded once
    exact = 24 * contract.tariffs["closed"] * 365 * 100
    assert value == int(exact + Fraction(1, 2))
    # ... and the model's running cost of a closed place is that tariff x 365
    from optimizer.contract import running_costs

    assert running_costs(data)["closed"] == pytest.approx(value / 100 / 24, rel=1e-15)


def test_the_other_municipalities_add_up_to_the_contract_total(tmp_path) -> None:
    settled = settle_contract(load(BASELINE), contract_usage(tmp_path), str(BASELINE))
    advances = settled.table.set_index("gm_code")["advance_cents"]
    others = int(advances.drop("GM0826").sum())
    assert others + LETTER_CENTS == settled.contract.value_cents
    # each is its population share of the contract value, within a cent (largest remainder)
    zones = load(BASELINE).zones.set_index("gm_code")["population"].astype(int)
    quota = zones / zones.sum() * settled.contract.value_cents
    assert (advances - quota.reindex(advances.index)).abs().max() < 1


def test_the_file_adds_up_with_unused_days_and_warns(tmp_path) -> None:
    usage = tmp_path / "usage.csv"
    usage.write_text("gm_code,type,care_days\nGM0826,closed,365\nGM0758,closed,100\n")
    settled = settle_contract(load(BASELINE), usage, str(BASELINE))
    table = settlement_file(settled)
    assert list(table["gm_code"])[-1] == TOTAL
    rows, total = table.iloc[:-1], table.iloc[-1]
    for name in ("advance", "used", "unused_share", "due", "balance"):
        assert total[f"{name}_cents"] == rows[f"{name}_cents"].sum(), name
        assert total[f"{name}_eur"] == pytest.approx(total[f"{name}_cents"] / 100)
    assert total["balance_cents"] == 0
    assert total["due_cents"] == total["advance_cents"] == settled.contract.value_cents
    tariff = settled.contract.tariffs["closed"]
    used = Decimal(465) * Decimal(tariff.numerator) / Decimal(tariff.denominator) * 100
    assert abs(int(total["used_cents"]) - used) <= 2  # rounded once per municipality
    assert any("8,295 of 8,760 contracted care days (94.7 %) were not used" in w
               for w in settled.warnings)  # fmt: skip


def test_hybrid_days_are_not_in_the_contract(tmp_path) -> None:
    """The 12 hybrid pilot places are paid by the SPUK pilot, not by the contract."""
    from optimizer.settlement import SettlementError

    usage = tmp_path / "usage.csv"
    usage.write_text("gm_code,type,care_days\nGM0826,hybrid,10\n")
    with pytest.raises(SettlementError, match="the contract has no hybrid places"):
        settle_contract(load(BASELINE), usage, str(BASELINE))
