"""Sentences in two languages: the English text with its Dutch wording, built side by side.

The planner's explanations (optimizer.explain, optimizer.infeasible) are :class:`Said` strings:
the English text, which summary.json, unmet.csv and error messages keep, with the Dutch wording in
``.nl`` (summary.json ``explanations_nl`` and ``reasons_nl``), so a Dutch page or command never
quotes an English sentence.
"""

from __future__ import annotations


class Said(str):
    """An English sentence that carries its Dutch wording as ``.nl``."""

    nl: str

    def __new__(cls, en: str, nl: str) -> Said:
        said = super().__new__(cls, en)
        said.nl = nl
        return said


#: Dutch words of the place types and needs, as the reports name them (reports/i18n.py NAMES).
TYPE_NL = {"closed": "gesloten", "hybrid": "hybride", "open": "open"}
NEED_NL = {"secure": "gesloten", "hybrid": "hybride", "open": "open"}


def dutch(text: str) -> str:
    """The Dutch wording of a sentence made here; a plain string stays as it is."""
    return getattr(text, "nl", text)


def dutch_reasons(reasons) -> dict[str, str]:
    """``{English reason: Dutch reason}`` for unmet.csv's reasons (summary ``reasons_nl``)."""
    return {str(r): dutch(r) for r in reasons if isinstance(r, str) and r}


def join(parts: list[Said], en: str, nl: str) -> Said:
    return Said(en.join(parts), nl.join(dutch(p) for p in parts))


def num(value: float, decimals: int, lang: str) -> str:
    text = f"{value:,.{decimals}f}"
    return text if lang == "en" else text.replace(",", " ").replace(".", ",").replace(" ", ".")


def fmt_eur(value: float, lang: str = "en") -> str:
    return f"EUR {num(value, 0, lang)}"


def eur(value: float) -> tuple[str, str]:
    return fmt_eur(value), fmt_eur(value, "nl")


def dutch_texts(summary: dict, unmet) -> dict:
    """summary.json's Dutch texts: ``explanations_nl`` (one per English explanation, unless the
    summary gives its own) and ``reasons_nl`` (unmet.csv's reasons)."""
    given = summary.get("explanations_nl")
    explanations = [str(s) for s in summary.get("explanations") or []]
    if not (isinstance(given, list) and len(given) == len(explanations)):
        given = [dutch(s) for s in summary.get("explanations") or []]
    reasons = unmet["reason"] if "reason" in getattr(unmet, "columns", ()) else []
    return {"explanations_nl": given, "reasons_nl": dutch_reasons(reasons)}
