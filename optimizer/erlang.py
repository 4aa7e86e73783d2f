"""Erlang loss model (M/G/c/c) for sizing JeugdzorgPlus places.

A youth who needs a secure place and finds every place taken is refused (placed elsewhere, far
away, or on a waiting list); nobody queues for a bed that frees up later. That is Erlang's loss
system, and its blocking probability depends on the stay only through its mean (insensitivity),
so the formula holds for the long, skewed stays seen in secure youth care. The MILP tabulates
:func:`admissible_load_table` so that "at most p refused" becomes a linear constraint on groups.

Bounded work: the recursions take a step per place, so inputs are capped far above any real
region (the whole country has about 525 JeugdzorgPlus places): an offered load of at most
:data:`MAX_LOAD_BEDS` beds where the places are searched for, at most :data:`MAX_PLACES` places in
one pool, and at most :data:`MAX_TABLE_PLACES` places in an admissible-load table (one bisection
per group). A larger input is refused with :class:`ErlangInputError`, naming the limit.
"""

from __future__ import annotations

import heapq
import math
import numbers
from statistics import NormalDist
from typing import Literal

import numpy as np
import pandas as pd

from optimizer.errors import JzplanError

StayDistribution = Literal["exponential", "lognormal", "deterministic"]

POOLED = "pooled"

#: Largest offered load sized by :func:`places_needed` (beds, i.e. average occupied places).
MAX_LOAD_BEDS = 10_000
#: Most places in one pool (erlang_b, admissible_load, reserve_effect).
MAX_PLACES = 100_000
#: Most places (group size x groups) in one admissible-load table of the MILP.
MAX_TABLE_PLACES = 2_000
#: Most arrivals a simulation draws (arrival rate x (warm-up + horizon)).
MAX_SIM_ARRIVALS = 5_000_000
_COUNTRY = "the whole country has about 525 JeugdzorgPlus places"


class ErlangInputError(JzplanError, ValueError):
    """An input the loss model cannot take: not a number, out of range, or beyond a work limit."""


def _check_places(c: object, name: str = "c") -> int:
    if isinstance(c, bool) or not isinstance(c, numbers.Integral):
        raise ErlangInputError(f"{name} must be a whole number of places (int >= 0), got {c!r}")
    if c < 0:
        raise ErlangInputError(f"{name} must be a whole number of places (int >= 0), got {c}")
    if c > MAX_PLACES:
        raise ErlangInputError(
            f"{name} must be at most {MAX_PLACES:,} places ({_COUNTRY}), got {int(c):,}"
        )
    return int(c)


def _check_load_bound(a: float, name: str = "load") -> float:
    """The load whose places are searched for: each place is one step of the recursion."""
    if a > MAX_LOAD_BEDS:
        raise ErlangInputError(
            f"{name} must be at most {MAX_LOAD_BEDS:,} beds (average occupied places; "
            f"{_COUNTRY}), got {a:,.6g}: is it in beds, not care days or youths?"
        )
    return a


def _check_nonnegative(x: object, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ErlangInputError(f"{name} must be a finite number >= 0, got {x!r}")
    value = float(x)
    if not math.isfinite(value) or value < 0:
        raise ErlangInputError(f"{name} must be a finite number >= 0, got {x!r}")
    return value


def _check_positive(x: object, name: str) -> float:
    value = _check_nonnegative(x, name)
    if value == 0:
        raise ErlangInputError(f"{name} must be a finite number > 0, got {x!r}")
    return value


def _check_probability(p: object, name: str = "max_refusal") -> float:
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 < float(p) < 1:
        raise ErlangInputError(f"{name} must be a probability strictly between 0 and 1, got {p!r}")
    return float(p)


def _blocking(c: int, a: float) -> float:
    """The recursion without input checks, for the inner loops of the inverses."""
    b = 1.0
    for k in range(1, c + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def erlang_b(c: int, load: float) -> float:
    """Probability that an arriving youth finds all ``c`` places taken at offered ``load``.

    Uses B(k) = a B(k-1) / (k + a B(k-1)), which never forms a^c or c! and so stays finite and
    accurate for thousands of places, where the textbook quotient overflows.
    """
    return _blocking(_check_places(c), _check_nonnegative(load, "load"))


def places_needed(load: float, max_refusal: float) -> int:
    """Smallest number of places whose refusal probability is at most ``max_refusal``.

    With no offered load nothing can be refused, so zero places suffice (B(0) = 1 is then a
    probability of refusing nobody). A load above :data:`MAX_LOAD_BEDS` is refused.
    """
    a = _check_load_bound(_check_nonnegative(load, "load"))
    p = _check_probability(max_refusal)
    if a == 0:
        return 0
    c, b = 0, 1.0
    while b > p:
        c += 1
        ab = a * b
        b = ab / (c + ab)
    return c


def expected_occupancy(c: int, load: float) -> float:
    """Mean number of occupied places: the offered load that is not refused."""
    a = _check_nonnegative(load, "load")
    return a * (1.0 - _blocking(_check_places(c), a))


def utilisation(c: int, load: float) -> float:
    """Share of the ``c`` places that is occupied on average."""
    places = _check_places(c)
    if places == 0:
        raise ErlangInputError("utilisation needs at least one place (c >= 1), got c=0")
    return expected_occupancy(places, load) / places


def admissible_load(places: int, max_refusal: float) -> float:
    """Largest offered load that ``places`` can carry with refusal at most ``max_refusal``.

    B is continuous and strictly increasing in the load, so bisection is safe. The occupancy
    bound a(1 - B) < c gives B > p at a = c / (1 - p), a valid upper end. The lower end is
    returned, so B(places, result) <= max_refusal always holds as computed.
    """
    c = _check_places(places, "places")
    p = _check_probability(max_refusal)
    if c == 0:
        return 0.0
    lo, hi = 0.0, c / (1.0 - p)
    while _blocking(c, hi) <= p:  # guards against rounding at the bound; rarely runs
        lo, hi = hi, 2.0 * hi
    for _ in range(2200):  # enough halvings to exhaust double precision from any start
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi or hi - lo <= 1e-12 * hi:
            break
        if _blocking(c, mid) <= p:
            lo = mid
        else:
            hi = mid
    return lo


def admissible_load_table(group_size: int, max_groups: int, max_refusal: float) -> list[float]:
    """Admissible load of g groups (g = 0..max_groups), for a piecewise-linear MILP constraint."""
    size = _check_places(group_size, "group_size")
    if size == 0:
        raise ErlangInputError("group_size must be at least 1 place, got 0")
    groups = _check_places(max_groups, "max_groups")
    if size * groups > MAX_TABLE_PLACES:
        raise ErlangInputError(
            f"a pool of {groups:,} groups of {size} places ({size * groups:,} places) is more "
            f"than the {MAX_TABLE_PLACES:,} places one pool may hold ({_COUNTRY}); lower "
            "sites.<site id>.max_groups or split the pool"
        )
    p = _check_probability(max_refusal)
    return [admissible_load(g * size, p) for g in range(groups + 1)]


def offered_load(arrivals_per_year: float, mean_stay_years: float) -> float:
    """Offered load in place-years per year (Little's law without refusals): lambda times L."""
    lam = _check_nonnegative(arrivals_per_year, "arrivals_per_year")
    stay = _check_nonnegative(mean_stay_years, "mean_stay_years")
    return lam * stay


def _check_loads(loads: dict[str, float]) -> dict[str, float]:
    if not loads:
        raise ErlangInputError("loads must name at least one region or location")
    checked = {name: _check_nonnegative(a, f"load of {name!r}") for name, a in loads.items()}
    for name, a in checked.items():
        _check_load_bound(a, f"load of {name!r}")
    return checked


def pooling_comparison(loads: dict[str, float], max_refusal: float) -> pd.DataFrame:
    """Places needed when each part keeps its own places versus one shared pool.

    One row per part and a final ``"pooled"`` row. ``places`` is what that load needs as one
    pool; ``places_if_split`` is the sum of its parts' needs (equal to ``places`` for a single
    part); ``saving`` is the difference. Pooling wins because peaks rarely coincide.
    """
    checked = _check_loads(loads)
    if POOLED in checked:
        raise ErlangInputError(f"{POOLED!r} is reserved for the shared pool; rename that part")
    p = _check_probability(max_refusal)
    _check_load_bound(math.fsum(checked.values()), "pooled load")
    rows = []
    for name, a in checked.items():
        c = places_needed(a, p)
        rows.append((name, a, c, _blocking(c, a), c))
    total = math.fsum(checked.values())
    pooled = places_needed(total, p)
    split = sum(row[2] for row in rows)
    rows.append((POOLED, total, pooled, _blocking(pooled, total), split))
    frame = pd.DataFrame(rows, columns=["name", "load", "places", "refusal", "places_if_split"])
    frame["saving"] = frame["places_if_split"] - frame["places"]
    return frame.set_index("name")


def _level_label(level: float) -> str:
    return f"{100 * level:g}%"


def sizing_table(
    loads: dict[str, float], refusal_levels: tuple[float, ...] = (0.01, 0.05, 0.10)
) -> pd.DataFrame:
    """Per region: places needed, mean occupancy and utilisation at each refusal level.

    Columns are ``load`` then ``places_<p>``, ``occupancy_<p>``, ``utilisation_<p>`` per level
    (e.g. ``places_5%``). Utilisation is NaN where no place is needed (zero load).
    """
    checked = _check_loads(loads)
    levels = [_check_probability(level, "refusal level") for level in refusal_levels]
    if not levels:
        raise ErlangInputError("refusal_levels must contain at least one level")
    labels = [_level_label(level) for level in levels]
    if len(set(labels)) != len(labels):
        raise ErlangInputError(f"refusal_levels must be distinct, got {tuple(refusal_levels)}")
    records = []
    for name, a in checked.items():
        record: dict[str, object] = {"name": name, "load": a}
        for level, label in zip(levels, labels, strict=True):
            c = places_needed(a, level)
            occupancy = a * (1.0 - _blocking(c, a))
            record[f"places_{label}"] = c
            record[f"occupancy_{label}"] = occupancy
            record[f"utilisation_{label}"] = occupancy / c if c else math.nan
        records.append(record)
    return pd.DataFrame.from_records(records).set_index("name")


def reserve_effect(load: float, base_places: int, reserve_places: int) -> dict[str, float]:
    """What a reserve buys: refusal probability and occupancy without and with it.

    ``refusals_avoided`` is the share of all offered youths admitted only thanks to the reserve.
    """
    a = _check_nonnegative(load, "load")
    base = _check_places(base_places, "base_places")
    reserve = _check_places(reserve_places, "reserve_places")
    without = _blocking(base, a)
    with_reserve = _blocking(base + reserve, a)
    return {
        "load": a,
        "base_places": base,
        "reserve_places": reserve,
        "refusal_without": without,
        "refusal_with": with_reserve,
        "occupancy_without": a * (1.0 - without),
        "occupancy_with": a * (1.0 - with_reserve),
        "refusals_avoided": without - with_reserve,
    }


def _t_quantile_975(df: int) -> float:
    """Student-t 97.5 % quantile by the Cornish-Fisher series (Abramowitz & Stegun 26.7.5).

    Accurate to about 1e-3 from 4 degrees of freedom on; avoids a SciPy dependency.
    """
    x = NormalDist().inv_cdf(0.975)
    g1 = (x**3 + x) / 4
    g2 = (5 * x**5 + 16 * x**3 + 3 * x) / 96
    g3 = (3 * x**7 + 19 * x**5 + 17 * x**3 - 15 * x) / 384
    g4 = (79 * x**9 + 776 * x**7 + 1482 * x**5 - 1920 * x**3 - 945 * x) / 92160
    return x + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _draw_stays(rng: np.random.Generator, n: int, mean: float, kind: str, cv: float) -> np.ndarray:
    if kind == "exponential":
        return rng.exponential(mean, n)
    if kind == "lognormal":
        sigma2 = math.log1p(cv * cv)
        return rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), n)
    if kind == "deterministic":
        return np.full(n, mean)
    raise ValueError(
        f"stay_distribution must be 'exponential', 'lognormal' or 'deterministic', got {kind!r}"
    )


def simulate_loss_system(
    arrival_rate: float,
    mean_stay: float,
    places: int,
    horizon: float,
    seed: int,
    stay_distribution: StayDistribution = "exponential",
    warmup: float | None = None,
    stay_cv: float = 1.0,
    batches: int = 20,
) -> dict[str, object]:
    """Simulate the loss system to check the formula where its assumptions are stretched.

    Poisson arrivals over ``warmup + horizon``; only arrivals after the warm-up (default ten mean
    stays, so the empty start is forgotten) are counted. ``stay_cv`` is the coefficient of
    variation of lognormal stays. The 95 % interval of the refused fraction comes from
    ``batches`` equal time batches, as a ratio estimator (refusals over arrivals per batch).
    Returns refused_fraction, ci95 (low, high), mean_occupancy, arrivals and refused.
    """
    lam = _check_positive(arrival_rate, "arrival_rate")
    stay_mean = _check_positive(mean_stay, "mean_stay")
    c = _check_places(places, "places")
    length = _check_positive(horizon, "horizon")
    warm = 10.0 * stay_mean if warmup is None else _check_nonnegative(warmup, "warmup")
    cv = _check_positive(stay_cv, "stay_cv")
    if isinstance(batches, bool) or not isinstance(batches, numbers.Integral) or batches < 5:
        raise ErlangInputError(
            f"batches must be an int >= 5 for a usable interval, got {batches!r}"
        )
    end = warm + length
    if lam * end > MAX_SIM_ARRIVALS:
        raise ErlangInputError(
            f"the simulation would draw about {lam * end:,.0f} arrivals (arrival_rate x "
            f"(warmup + horizon)), more than {MAX_SIM_ARRIVALS:,}; shorten the horizon"
        )
    rng = np.random.default_rng(seed)
    n = int(rng.poisson(lam * end))
    arrivals = np.sort(rng.uniform(0.0, end, n))
    departures = arrivals + _draw_stays(rng, n, stay_mean, stay_distribution, cv)

    accepted = np.zeros(n, dtype=bool)
    busy: list[float] = []  # departure times of occupied places
    for i, (t, leave) in enumerate(zip(arrivals.tolist(), departures.tolist(), strict=True)):
        while busy and busy[0] <= t:
            heapq.heappop(busy)
        if len(busy) < c:
            heapq.heappush(busy, leave)
            accepted[i] = True

    measured = arrivals >= warm
    total = int(measured.sum())
    if total == 0:
        raise ValueError("no arrivals after the warm-up: lengthen the horizon")
    batch = np.minimum(((arrivals[measured] - warm) / length * batches).astype(int), batches - 1)
    x = np.bincount(batch, minlength=batches).astype(float)
    y = np.bincount(batch, weights=(~accepted[measured]).astype(float), minlength=batches)
    refused = int(round(y.sum()))
    ratio = refused / total
    residual = y - ratio * x
    se = math.sqrt(float(np.sum(residual**2)) / (batches - 1) / batches) / float(x.mean())
    half = _t_quantile_975(batches - 1) * se

    stay_in = np.minimum(departures[accepted], end) - np.maximum(arrivals[accepted], warm)
    occupancy = float(np.clip(stay_in, 0.0, None).sum()) / length
    return {
        "refused_fraction": ratio,
        "ci95": (max(0.0, ratio - half), min(1.0, ratio + half)),
        "mean_occupancy": occupancy,
        "arrivals": total,
        "refused": refused,
    }
