"""Numbers as a Dutch or English reader expects them (1,234.5 or 1.234,5)."""

from __future__ import annotations

import math


def number(value: float | None, decimals: int = 0, lang: str = "en") -> str:
    """Grouped thousands, fixed decimals; an empty string for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def eur(value: float | None, lang: str = "en") -> str:
    text = number(value, 0, lang)
    return f"€ {text}" if text else ""


def beds(value: float | None, lang: str = "en") -> str:
    return number(value, 1, lang)


def km(value: float | None, lang: str = "en") -> str:
    return number(value, 1, lang)


def percent(share: float | None, lang: str = "en") -> str:
    text = number(None if share is None else 100 * share, 0, lang)
    return f"{text} %" if text else ""


def cents(value: int, lang: str = "en") -> str:
    """An exact amount in cents as euros with two decimals, without going through a float."""
    whole, part = divmod(abs(int(value)), 100)
    text = f"{'-' if value < 0 else ''}{number(whole, 0, lang)}{',' if lang == 'nl' else '.'}"
    return f"{text}{part:02d}"


def refusal(share: float | None, lang: str = "en") -> str:
    """A probability as a percentage with two decimals (small refusal chances stay visible)."""
    text = number(None if share is None else 100 * share, 2, lang)
    return f"{text} %" if text else ""


def whole_or_one(value: float | None, lang: str = "en") -> str:
    """Whole numbers without decimals, others with one; '–' for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(value, 0 if float(value).is_integer() else 1, lang)
