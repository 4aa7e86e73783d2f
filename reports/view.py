"""How a run is shown: language, and whether small figures are suppressed for publication."""

from __future__ import annotations

import html
from dataclasses import dataclass

from reports import formatting
from reports.disclosure import PRIMARY, SHOWN
from reports.i18n import Labels


def esc(value: object) -> str:
    """Any value as HTML-escaped text (quotes too, so it is safe in attributes)."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class View:
    """How to show a run: language, public suppression and its threshold."""

    labels: Labels
    public: bool
    threshold: int

    @property
    def lang(self) -> str:
        return self.labels.lang

    def plain(self, value: float, status: str = SHOWN) -> str:
        """Beds as plain text; suppressed cells as "<5" (below threshold) or "suppressed"."""
        if status == PRIMARY:
            return f"<{self.threshold}"
        if status != SHOWN:
            return self.labels["suppressed"]
        return formatting.beds(value, self.lang)

    def beds(self, value: float, status: str = SHOWN) -> str:
        """:meth:`plain` as HTML."""
        return html.escape(self.plain(value, status))

    def beds_unit(self, value: float, status: str = SHOWN) -> str:
        """Beds with their unit, or just the suppression mark."""
        text = self.beds(value, status)
        return text if status not in (SHOWN, PRIMARY) else f"{text} {self.labels['beds_unit']}"
