"""What a run has already sent to the portal, so that no later failure hides it.

An agent who reads only "Falló" after a submission went through may send it again by
hand; every failure after a sent irreversible step says what was sent, and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

MARK = "Atención: "


@dataclass(frozen=True)
class Sent:
    """An irreversible step whose request reached the portal."""

    index: int
    title: str
    at: datetime

    @classmethod
    def now(cls, index: int, title: str) -> Sent:
        return cls(index, title, datetime.now(UTC))


def warning(sent: list[Sent], timezone: str) -> str:
    """«Atención: el paso 14 «…» ya se envió al portal a las 10:42:03; no lo repita…»."""
    zone = ZoneInfo(timezone)
    steps = "; ".join(
        f"el paso {s.index} «{s.title}» ya se envió al portal a las "
        f"{s.at.astimezone(zone):%H:%M:%S}"
        for s in sent
    )
    again = "no lo repita" if len(sent) == 1 else "no los repita"
    return (
        f"{MARK}{steps}; {again} a mano: vuelva a ejecutar el flujo, que comprueba primero "
        "lo que ya está hecho."
    )
