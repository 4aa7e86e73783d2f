"""A MILP as sparse arrays: for formulations too large to build term by term in Pyomo."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True, eq=False)
class MatrixMILP:
    """min c·x + offset  s.t.  row_lower <= A x <= row_upper,  col_lower <= x <= col_upper.

    Large generated formulations (a p-median radius model has 10^5 rows) are assembled as numpy
    arrays in well under a second, where Pyomo spends most of the run building expressions.
    """

    objective: np.ndarray
    matrix: sparse.csc_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    integer: np.ndarray  # bool per column
    offset: float = 0.0
