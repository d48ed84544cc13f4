"""Pure validation rules of the SUNAT mock (RUC check digit, dates in Lima time)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

LIMA = ZoneInfo("America/Lima")
RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
RUC_PREFIXES = ("10", "15", "17", "20")
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def ruc_check_digit(first_ten: str) -> str:
    """The RUC check digit: weights 5,4,3,2,7,6,5,4,3,2, then (11 − sum mod 11) mod 10."""
    total = sum(int(d) * w for d, w in zip(first_ten, RUC_WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def ruc_is_valid(ruc: str) -> bool:
    """Eleven digits, a known prefix and the right check digit."""
    return (
        len(ruc) == 11
        and ruc.isdigit()
        and ruc[:2] in RUC_PREFIXES
        and ruc_check_digit(ruc[:10]) == ruc[10]
    )


def parse_date(text: str) -> date | None:
    """A ``DD/MM/YYYY`` date, or None when the text is not one (e.g. 31/02/2030)."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def lima_today(now: datetime | None = None) -> date:
    """Today's date in Lima (UTC−5), where SUNAT decides what "today" is."""
    moment = now or datetime.now(LIMA)
    return moment.astimezone(LIMA).date()


def is_after_today(text: str, now: datetime | None = None) -> bool:
    """True when ``text`` is a valid ``DD/MM/YYYY`` date strictly after today in Lima."""
    parsed = parse_date(text)
    return parsed is not None and parsed > lima_today(now)


def format_date(value: date) -> str:
    """``DD/MM/YYYY``, as SUNAT writes dates."""
    return value.strftime("%d/%m/%Y")
