"""Read Beasley's OR-Library facility-location files into numpy cost matrices.

The classic models in :mod:`models.classic` are validated against OR-Library's published optima,
and those optima are only reproducible when the files are read exactly the way OR-Library meant
them (``benchmarks/orlib/SOURCES.md``). Two details change the numbers and are easy to get wrong:

* **pmed**: the cost matrix is not in the file. Edges are undirected, a repeated edge keeps the
  *last* cost read (not the minimum), and allocation costs are all-pairs shortest paths.
* **cap**: the file is a token stream (line breaks mean nothing), and ``c_ij`` is the cost of
  serving *all* of customer ``j``'s demand from warehouse ``i``; it is not a unit cost.

Every cost matrix returned here has rows = clients (demand points) and columns = candidate
sites, the orientation :mod:`models.classic` expects. Malformed files raise
:class:`OrlibFormatError` with the file name and what was expected, so a command line can print
one clear line instead of a traceback.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from optimizer.errors import JzplanError

Family = Literal["pmed", "cap"]

#: The project's own copy of the benchmark files; nothing outside the project is read at run time.
#: From the source tree (an editable install) benchmarks/orlib; an installed package carries the
#: same files as optimizer/classic/orlib_files (pyproject.toml package-dir).
SOURCE_ORLIB_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "orlib"
PACKAGED_ORLIB_DIR = Path(__file__).resolve().parent / "orlib_files"
ORLIB_DIR = SOURCE_ORLIB_DIR if SOURCE_ORLIB_DIR.is_dir() else PACKAGED_ORLIB_DIR


class OrlibFormatError(JzplanError, ValueError):
    """A benchmark file does not have the layout its family requires."""


@dataclass(frozen=True)
class PMedianInstance:
    """An uncapacitated p-median problem: every vertex is a client (weight 1) and a site."""

    name: str
    n: int  # vertices
    n_edges: int  # edge lines in the file, duplicates included
    p: int  # medians to open
    edges: np.ndarray  # (n_edges, 3) int: i, j (0-based), cost, in file order
    cost: np.ndarray  # (n, n) float: shortest-path distance from client i to site j


@dataclass(frozen=True)
class CapInstance:
    """A capacitated warehouse location problem with fractional (split) assignment."""

    name: str
    n_customers: int
    n_warehouses: int
    capacity: np.ndarray  # (n_warehouses,) float
    fixed_cost: np.ndarray  # (n_warehouses,) float
    demand: np.ndarray  # (n_customers,) float
    cost: np.ndarray  # (n_customers, n_warehouses): cost of serving ALL of customer i from j


@dataclass(frozen=True)
class PublishedOptimum:
    """One row of ``optima.csv``: the value a correct model must reproduce."""

    instance: str
    family: Family
    file: Path  # absolute
    optimal_value: float
    p: int | None


class _Tokens:
    """Whitespace tokens with their line numbers, so errors can point into the file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        try:
            text = path.read_text(encoding="ascii")
        except UnicodeDecodeError as exc:
            raise OrlibFormatError(
                f"{self.name}: expected a plain ASCII text file, found a non-ASCII byte at "
                f"offset {exc.start}"
            ) from None
        self.items: list[tuple[str, int]] = [
            (token, line_no)
            for line_no, line in enumerate(text.splitlines(), start=1)
            for token in line.split()
        ]
        self.lines = text.splitlines()
        self.pos = 0

    def __len__(self) -> int:
        return len(self.items)

    @property
    def remaining(self) -> int:
        return len(self.items) - self.pos

    def error(self, message: str) -> OrlibFormatError:
        return OrlibFormatError(f"{self.name}: {message}")

    def _next(self, what: str) -> tuple[str, int]:
        if self.pos >= len(self.items):
            raise self.error(f"expected {what}, found the end of the file")
        item = self.items[self.pos]
        self.pos += 1
        return item

    def take_int(self, what: str) -> int:
        token, line_no = self._next(what)
        try:
            return int(token)
        except ValueError:
            message = f"line {line_no}: expected an integer {what}, found {token!r}"
            raise self.error(message) from None

    def take_float(self, what: str) -> float:
        token, line_no = self._next(what)
        try:
            value = float(token)
        except ValueError:
            raise self.error(f"line {line_no}: expected a number {what}, found {token!r}") from None
        if not np.isfinite(value):
            raise self.error(f"line {line_no}: expected a finite number {what}, found {token!r}")
        return value


def _open(path: str | Path) -> _Tokens:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    return _Tokens(path)


def floyd_warshall(cost: np.ndarray) -> np.ndarray:
    """All-pairs shortest paths of a dense (n, n) matrix with ``inf`` for missing edges.

    Vectorised over (i, j) for each intermediate vertex k: n numpy passes of n² work instead of
    an n³ Python loop, about 0.1 s for OR-Library's largest pmed graphs (n = 400).
    """
    dist = np.array(cost, dtype=float, copy=True)
    if dist.ndim != 2 or dist.shape[0] != dist.shape[1]:
        raise ValueError(f"expected a square matrix, got shape {dist.shape}")
    for k in range(dist.shape[0]):
        np.minimum(dist, dist[:, k, None] + dist[None, k, :], out=dist)
    return dist


def read_pmed(path: str | Path) -> PMedianInstance:
    """Read an OR-Library ``pmedN.txt`` file and build its shortest-path cost matrix.

    Follows OR-Library's recipe literally: start from ``inf`` off the diagonal and 0 on it, set
    ``c(i,j) = c(j,i) = cost`` for each edge line in file order (so the last line for a repeated
    edge wins, even when it is longer; several instances have such repeats and the published
    optima depend on it), then Floyd-Warshall.
    """
    tokens = _open(path)
    name = tokens.name
    if len(tokens) < 3:
        raise tokens.error(
            f"expected a header 'n_vertices n_edges p' of three integers, found {len(tokens)} "
            "token(s)"
        )
    n = tokens.take_int("number of vertices in the header")
    n_edges = tokens.take_int("number of edges in the header")
    p = tokens.take_int("number of medians p in the header")
    if n < 1 or n_edges < 0:
        raise tokens.error(f"expected n_vertices >= 1 and n_edges >= 0, found {n} and {n_edges}")
    if not 1 <= p <= n:
        raise tokens.error(f"expected 1 <= p <= n_vertices = {n}, found p = {p}")
    if tokens.remaining != 3 * n_edges:
        found, extra = divmod(tokens.remaining, 3)
        detail = f"{found} edge line(s)" + (f" and {extra} stray number(s)" if extra else "")
        raise tokens.error(
            f"expected {n_edges} edges 'i j cost' as the header says, found {detail}"
        )

    edges = np.empty((n_edges, 3), dtype=np.int64)
    for e in range(n_edges):
        line_no = tokens.items[tokens.pos][1]
        i = tokens.take_int(f"vertex for edge {e + 1}")
        j = tokens.take_int(f"vertex for edge {e + 1}")
        c = tokens.take_int(f"cost for edge {e + 1}")
        if not (1 <= i <= n and 1 <= j <= n):
            raise tokens.error(
                f"line {line_no}: expected vertices numbered 1..{n}, found edge ({i}, {j})"
            )
        if c < 0:
            raise tokens.error(f"line {line_no}: expected a non-negative edge cost, found {c}")
        edges[e] = (i - 1, j - 1, c)

    matrix = np.full((n, n), np.inf)
    # A plain loop in file order, because OR-Library's rule is "last cost read wins" and numpy
    # does not promise an order for repeated indices in one fancy-index assignment. At most a
    # few thousand edges, so this costs nothing next to Floyd-Warshall.
    for i, j, c in edges.tolist():
        matrix[i, j] = matrix[j, i] = c
    np.fill_diagonal(matrix, 0.0)
    cost = floyd_warshall(matrix)
    unreachable = int(np.count_nonzero(~np.isfinite(cost[0])))
    if unreachable:
        raise tokens.error(
            f"expected a connected graph, found {unreachable} vertex/vertices unreachable from "
            "vertex 1 (their p-median distances would be infinite)"
        )
    return PMedianInstance(name=Path(name).stem, n=n, n_edges=n_edges, p=p, edges=edges, cost=cost)


def _count_pair_lines(tokens: _Tokens) -> int:
    """How many lines after the header hold exactly two tokens, for a helpful error message.

    The parser itself ignores line breaks, but every known cap file writes one
    capacity/fixed-cost pair per line, so when the token count is off this tells the reader
    which section is short.
    """
    count = 0
    seen_header = False
    for line in tokens.lines:
        parts = line.split()
        if not parts:
            continue
        if not seen_header:
            seen_header = True
            continue
        if len(parts) != 2:
            break
        count += 1
    return count


#: The word capa/capb/capc files write where a capacity goes: each file stands for four
#: problems, with the capacities of Table 1 in Beasley (1988), EJOR 33, 314-325.
CAPACITY_PLACEHOLDER = "capacity"

#: Beasley (1988), Table 1: every warehouse's capacity in problems 1-4 of capa, capb and capc
#: (as quoted in public OR-Library benchmark documentation: capa 8000/10000/12000/14000, capb
#: 5000/6000/7000/8000, capc 5000/5750/6500/7250). Used only for a placeholder file named after
#: one problem (capa1 ... capc4); any other name needs the capacity given.
TABLE1_CAPACITIES: dict[str, tuple[float, ...]] = {
    "capa": (8000, 10000, 12000, 14000),
    "capb": (5000, 6000, 7000, 8000),
    "capc": (5000, 5750, 6500, 7250),
}


def table1_capacity(stem: str) -> float | None:
    """The Table 1 capacity for a file named capa1 ... capc4, else None."""
    match = re.fullmatch(r"(cap[abc])([1-4])", stem.lower())
    return TABLE1_CAPACITIES[match.group(1)][int(match.group(2)) - 1] if match else None


def read_cap(path: str | Path, capacity: float | None = None) -> CapInstance:
    """Read an OR-Library ``capN.txt`` warehouse file as one stream of tokens.

    ``capacity`` replaces every warehouse's capacity. capa/capb/capc files write the word
    "capacity" instead of a number: a file named after one of their problems (capa1 ... capc4)
    takes its capacity from :data:`TABLE1_CAPACITIES`, any other needs ``capacity``.

    The returned ``cost`` is transposed to (customers, warehouses) and is the cost of serving a
    customer's whole demand, so with ``x`` = fraction of demand served the allocation cost is
    ``cost * x`` (no extra demand factor).
    """
    tokens = _open(path)
    if len(tokens) < 2:
        raise tokens.error(
            f"expected a header 'm n' (warehouses, customers), found {len(tokens)} token(s)"
        )
    m = tokens.take_int("number of warehouses m in the header")
    n = tokens.take_int("number of customers n in the header")
    if m < 1 or n < 1:
        raise tokens.error(f"expected at least one warehouse and one customer, found m={m}, n={n}")
    expected = 2 + 2 * m + n * (m + 1)
    if len(tokens) != expected:
        pairs = _count_pair_lines(tokens)
        sizes = (
            f"(the file has {len(tokens)} numbers; {m} warehouses and {n} customers need "
            f"2 + 2*{m} + {n}*(1 + {m}) = {expected})"
        )
        if pairs != m:
            raise tokens.error(f"expected {m} capacity/fixed-cost pairs, found {pairs} {sizes}")
        body = len(tokens) - 2 - 2 * m
        whole, extra = divmod(body, m + 1)
        detail = f"{whole} customer block(s)" + (f" and {extra} stray number(s)" if extra else "")
        raise tokens.error(
            f"expected {n} customer blocks 'demand c_1j .. c_{m}j', found {detail} {sizes}"
        )

    capacities = np.empty(m)
    fixed_cost = np.empty(m)
    placeholders = 0
    for i in range(m):
        if tokens.items[tokens.pos][0].lower() == CAPACITY_PLACEHOLDER:
            tokens.pos += 1
            placeholders += 1
            capacities[i] = np.nan
        else:
            capacities[i] = tokens.take_float(f"for the capacity of warehouse {i + 1}")
        fixed_cost[i] = tokens.take_float(f"for the fixed cost of warehouse {i + 1}")
    stem = Path(tokens.name).stem
    if placeholders and capacity is None:
        capacity = table1_capacity(stem)
    if placeholders and capacity is None:
        family = TABLE1_CAPACITIES.get(stem.lower())
        choices = f" ({stem}: one of {', '.join(f'{v:g}' for v in family)})" if family else ""
        raise tokens.error(
            f"{placeholders} warehouse(s) have the word 'capacity' instead of a number (a capa/"
            "capb/capc file stands for four problems with the capacities of Table 1 in Beasley "
            f"1988{choices}); give the capacity to use (--capacity VALUE on the command line)"
        )
    if capacity is not None:
        if not (np.isfinite(capacity) and capacity > 0):
            raise tokens.error(f"expected a positive capacity to use, got {capacity}")
        capacities[:] = float(capacity)
    demand = np.empty(n)
    cost = np.empty((n, m))
    for j in range(n):
        demand[j] = tokens.take_float(f"for the demand of customer {j + 1}")
        for i in range(m):
            cost[j, i] = tokens.take_float(f"for the cost of serving customer {j + 1} from {i + 1}")
    for label, values in (
        ("capacities", capacities),
        ("fixed costs", fixed_cost),
        ("demands", demand),
        ("allocation costs", cost),
    ):
        if (values < 0).any():
            raise tokens.error(f"expected non-negative {label}, found {values.min():g}")
    return CapInstance(
        name=Path(tokens.name).stem,
        n_customers=n,
        n_warehouses=m,
        capacity=capacities,
        fixed_cost=fixed_cost,
        demand=demand,
        cost=cost,
    )


def detect_family(path: str | Path) -> Family:
    """Tell pmed from cap by the header, so a caller can hand over any OR-Library file.

    The file name is not trusted (copies get renamed); the first line is: a pmed header has
    three integers ``n m p``, a cap header two ``m n``.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    with path.open(encoding="ascii", errors="replace") as handle:
        for line in handle:
            parts = line.split()
            if parts:
                break
        else:
            message = "expected an OR-Library header, found an empty file"
            raise OrlibFormatError(f"{path.name}: {message}")
    if all(part.isdigit() for part in parts):
        if len(parts) == 3:
            return "pmed"
        if len(parts) == 2:
            return "cap"
    raise OrlibFormatError(
        f"{path.name}: expected a first line of 3 integers 'n m p' (pmed) or 2 integers 'm n' "
        f"(cap), found {' '.join(parts)[:60]!r}"
    )


def read_instance(
    path: str | Path, family: Family | None = None, capacity: float | None = None
) -> PMedianInstance | CapInstance:
    """Read either family; ``family`` skips detection when the caller already knows it.

    ``capacity`` is for cap files only (see :func:`read_cap`).
    """
    family = family or detect_family(path)
    if family == "pmed":
        if capacity is not None:
            raise OrlibFormatError(f"{Path(path).name}: a capacity applies to cap files only")
        return read_pmed(path)
    if family == "cap":
        return read_cap(path, capacity=capacity)
    raise ValueError(f"unknown family {family!r}; expected 'pmed' or 'cap'")


def load_optima(path: str | Path | None = None) -> dict[str, PublishedOptimum]:
    """Published optimal values by instance name, with file paths made absolute."""
    path = Path(path) if path is not None else ORLIB_DIR / "optima.csv"
    optima: dict[str, PublishedOptimum] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            optima[row["instance"]] = PublishedOptimum(
                instance=row["instance"],
                family=row["family"],  # type: ignore[arg-type]
                file=path.parent / row["file"],
                optimal_value=float(row["optimal_value"]),
                p=int(row["p"]) if row["p"] else None,
            )
    return optima


#: SOURCES.md: cap optima are published with 3 decimals and may be off by rounding in the last.
CAP_ABS_TOL = 0.01


def matches_published(family: Family, objective: float | None, published: float) -> bool:
    """Whether a solved objective reproduces a published optimum, by the family's own rule.

    pmed optima are integers, so the objective must round to exactly that integer (and be within
    1e-6 of it, which solver round-off stays far below). cap optima carry 3 rounded decimals,
    hence an absolute tolerance of :data:`CAP_ABS_TOL`.
    """
    if objective is None or not np.isfinite(objective):
        return False
    if family == "pmed":
        nearest = round(objective)
        return nearest == published and abs(objective - nearest) <= 1e-6
    return abs(objective - published) <= CAP_ABS_TOL
