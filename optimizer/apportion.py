"""Split a whole number of units over weights so the parts add up exactly (largest remainder).

Used wherever a total must survive being divided: demand beds over municipalities (in units of
1/10,000 bed) and money over municipalities (in cents).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np


def largest_remainder(total: int, weights) -> np.ndarray:
    """Hamilton apportionment of ``total`` units in proportion to ``weights``.

    Parts are non-negative integers summing exactly to ``total``; a zero weight gets zero.
    Ties in the remainders go to the earlier position, so the result is deterministic.
    Weights are taken as exact fractions, so rounding noise in them cannot move a unit.
    """
    if total < 0 or int(total) != total:
        raise ValueError(f"total must be a non-negative whole number of units, got {total!r}")
    exact = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact)
    if weight_sum == 0:
        if total == 0:
            return np.zeros(len(exact), dtype=np.int64)
        raise ValueError("cannot split a positive total over weights that are all zero")
    quotas = [Fraction(int(total)) * w / weight_sum for w in exact]
    parts = [q.numerator // q.denominator for q in quotas]
    left = int(total) - sum(parts)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return np.asarray(parts, dtype=np.int64)
