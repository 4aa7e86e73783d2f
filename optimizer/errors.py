"""One error boundary: every problem a user can fix is a :class:`JzplanError`.

The CLI catches only this base class and prints its message with exit code 2; anything else is
an internal error (exit 1, traceback with ``JZPLAN_DEBUG=1``). Input problems are collected as
:class:`Finding` rows (file, field, what was expected) and raised together, so a user fixes a
file in one pass instead of one complaint at a time.
"""

from __future__ import annotations

from dataclasses import dataclass


class JzplanError(Exception):
    """A problem the user can fix (bad input, infeasible limits, an existing folder)."""


@dataclass(frozen=True)
class Finding:
    """One problem in a user's input: where it is and what was expected."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class ScenarioError(JzplanError, ValueError):
    """One or more findings in a scenario or in the files it points to."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        lines = "\n".join(f"  - {f}" for f in self.findings)
        super().__init__(f"{len(self.findings)} problem(s) in the scenario:\n{lines}")


class Findings:
    """Collects findings for one scenario file; :meth:`raise_if_any` raises them together."""

    def __init__(self, config_file: str):
        self.config_file = config_file
        self.items: list[Finding] = []

    def add(self, field_path: str, message: str, file: str | None = None) -> None:
        self.items.append(Finding(file=file or self.config_file, field=field_path, message=message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ScenarioError(self.items)
