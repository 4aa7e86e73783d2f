"""The settlement key is configurable: population, agreed shares, or weights such as past use."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from optimizer.advances import plan_advances
from optimizer.pipeline import load
from optimizer.scenario import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
PLAN = pd.DataFrame({"year": [2026, 2026], "type": ["closed", "hybrid"], "beds": [18, 12]})


#: A fixed day tariff for the key tests: derived from an advance, the tariff would follow the key.
DAY_TARIFF = 955.97


def variant(
    tmp_path: Path, key: str | None, rows: list[tuple[str, object]] | None, derived=False
) -> Path:
    """The baseline for 2026 with its settlement key replaced and a key file beside it; the day
    tariff fixed unless ``derived`` (the baseline's tariff from Oosterhout's advance)."""
    base = yaml.safe_load((ROOT / "configs/baseline-2026.yaml").read_text())
    base["planning"]["last_year"] = 2026
    base["policy"] = {}
    if not derived:
        base["settlement"].pop("tariff_from_advance")
        base["settlement"]["day_tariff_eur"] = {"closed": DAY_TARIFF}
    if key is not None:
        base["settlement"]["key"] = key
    if rows is not None:
        lines = ["gm_code,weight"] + [f"{code},{weight}" for code, weight in rows]
        (tmp_path / "key.csv").write_text("\n".join(lines) + "\n")
        base["settlement"]["key_csv"] = "key.csv"
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(base, sort_keys=False))
    return path


def codes() -> list[str]:
    return load(ROOT / "configs/baseline-2026.yaml").zones["gm_code"].tolist()


def test_agreed_shares_decide_who_pays_and_the_total_does_not_change(tmp_path: Path) -> None:
    everyone = codes()
    first, rest = everyone[0], everyone[1:]
    rows = [(first, "0.5")] + [(code, repr(0.5 / len(rest))) for code in rest]
    shared = plan_advances(load(variant(tmp_path, "shares", rows)), PLAN)
    (tmp_path / "population").mkdir()
    by_population = plan_advances(load(variant(tmp_path / "population", None, None)), PLAN)
    total = int(by_population["advance_cents"].sum())
    assert int(shared["advance_cents"].sum()) == total  # the key splits; it never changes the sum
    mine = int(shared.set_index("gm_code").loc[first, "advance_cents"])
    assert abs(mine - total / 2) <= 1  # half the contract, to the cent


def test_past_use_weights_share_in_proportion(tmp_path: Path) -> None:
    everyone = codes()
    rows = [(everyone[0], 100), (everyone[1], 300)] + [(code, 0) for code in everyone[2:]]
    table = plan_advances(load(variant(tmp_path, "weights", rows)), PLAN).set_index("gm_code")
    total = int(table["advance_cents"].sum())
    assert abs(int(table.loc[everyone[0], "advance_cents"]) - total / 4) <= 1
    assert abs(int(table.loc[everyone[1], "advance_cents"]) - 3 * total / 4) <= 1
    assert (table.loc[everyone[2:], "advance_cents"] == 0).all()


def test_a_tariff_derived_from_an_advance_follows_the_key(tmp_path: Path) -> None:
    """With agreed shares the derived day tariff changes so that Oosterhout's contract-year
    advance is still the letter's EUR 440,542.08 to the cent, and the advances add up to the
    contract value."""
    from optimizer.contract import contract_of

    everyone = codes()
    rows = [(code, "0.1" if code == "GM0826" else repr(0.9 / (len(everyone) - 1)))
            for code in everyone]  # fmt: skip
    data = load(variant(tmp_path, "shares", rows, derived=True))
    contract = contract_of(data)
    # Oosterhout pays a tenth: the contract value is ten times its advance, to the cent
    assert contract.value_cents == 440_542_080
    assert float(contract.tariffs["closed"]) == pytest.approx(4_405_420.80 / (24 * 365))
    table = plan_advances(data, pd.DataFrame({"year": [2026], "type": ["closed"], "beds": [24]}))
    assert int(table.set_index("gm_code").at["GM0826", "advance_cents"]) == 44_054_208
    assert int(table["advance_cents"].sum()) == contract.value_cents


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return [str(p) for p in info.value.findings]


@pytest.mark.parametrize(
    ("key", "make_rows", "message"),
    [
        ("shares", lambda cs: [(c, "0.03") for c in cs], "agreed shares must sum to 1"),
        ("weights", lambda cs: [(c, 1) for c in cs[1:]], "no weight for zone(s)"),
        ("weights", lambda cs: [(c, 1) for c in cs] + [("GM9999", 1)], "GM9999"),
        ("weights", lambda cs: [(c, 1) for c in cs] + [(cs[0], 2)], "appear more than once"),
        ("weights", lambda cs: [(c, 0) for c in cs], "more than 0"),
        ("weights", lambda cs: [(c, -1 if c == cs[0] else 1) for c in cs], "not be negative"),
        ("shares", None, "needs a 'key_csv'"),
    ],
    ids=["not-one", "missing", "unknown", "repeated", "all-zero", "negative", "no-file"],
)
def test_bad_keys_are_reported_with_file_and_field(tmp_path, key, make_rows, message) -> None:
    rows = None if make_rows is None else make_rows(codes())
    found = problems_of(variant(tmp_path, key, rows))
    assert any(message in p for p in found), found
    if rows is not None:
        assert any("key.csv" in p for p in found), found
