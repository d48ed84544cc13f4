"""Rules of the "Altas/Bajas de PSE" module: the active-PSE lookup and the registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal_bot.mocks.sunat.catalog import ACTIVE_PSES
from portal_bot.mocks.sunat.rules import LIMA, is_after_today
from portal_bot.mocks.sunat.state import GridRow, Registration, SunatData

NOT_FOUND = "No se encontraron PSE activos con el RUC ingresado."
BAD_RUC = "Ingrese un RUC válido de 11 dígitos."
NO_PSE = "Debe seleccionar un PSE."
NOT_ACTIVE = "El RUC ingresado no corresponde a un PSE activo."
ALREADY = "El PSE ya se encuentra registrado."
BAD_DATE = "La fecha de inicio de autorización debe ser posterior a la fecha actual."
DONE = "Se registró la autorización del PSE correctamente."
NO_PERMISSION = "Usted no tiene permisos para acceder a esta opción."
SESSION_EXPIRED = "Su sesión ha expirado. Vuelva a ingresar a SUNAT Operaciones en Línea."


@dataclass(frozen=True)
class Lookup:
    """The answer of "Lista de PSE activos": rows, or a message when there are none."""

    rows: list[dict[str, str]]
    message: str = ""


def search_active(ruc: str) -> Lookup:
    """Active PSEs whose RUC is ``ruc``; all of them when ``ruc`` is empty."""
    ruc = ruc.strip()
    if not ruc:
        return Lookup([{"ruc": r, "razon_social": n} for r, n in ACTIVE_PSES.items()])
    if len(ruc) != 11 or not ruc.isdigit():
        return Lookup([], BAD_RUC)
    if ruc not in ACTIVE_PSES:
        return Lookup([], NOT_FOUND)
    return Lookup([{"ruc": ruc, "razon_social": ACTIVE_PSES[ruc]}])


def preset_rows(registered: list[dict[str, str]]) -> list[GridRow]:
    """Grid rows for the ``registered`` setting (already active authorizations)."""
    return [
        GridRow(item["ruc"], ACTIVE_PSES[item["ruc"]], item["start_date"], None, "Activo")
        for item in registered
    ]


def register(data: SunatData, ruc: str, start_date: str, now: datetime | None = None) -> str:
    """Apply the server-side rules; returns the message shown, :data:`DONE` on success."""
    ruc, start_date = ruc.strip(), start_date.strip()
    moment = now or datetime.now(LIMA)
    if not ruc:
        message = NO_PSE
    elif ruc not in ACTIVE_PSES:
        message = NOT_ACTIVE
    elif any(row.ruc == ruc and row.status == "Activo" for row in data.grid()):
        message = ALREADY
    elif not is_after_today(start_date, moment):
        message = BAD_DATE
    else:
        data.registrations.append(
            Registration(ruc, ACTIVE_PSES[ruc], start_date, moment.isoformat(timespec="seconds"))
        )
        return DONE
    data.rejections.append({"ruc": ruc, "start_date": start_date, "message": message})
    return message
