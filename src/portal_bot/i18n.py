"""The operator-facing texts of reports, in Spanish (default) and English.

One catalogue per language, with the same keys (a test checks it). The language is
``--lang``, else ``PORTAL_BOT_LANG``, else the environment's locale (``LANG``), else
Spanish.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

LANGS = ("es", "en")

ES: dict[str, str] = {
    "report.title": "Evidencia",
    "report.no_start": "Ejecución sin inicio registrado",
    "report.mock": "Simulación local (mock)",
    "report.live": "Portal real",
    "report.dry_run": "Ensayo sin envíos",
    "report.result": "Resultado",
    "report.unfinished": "la ejecución no terminó de registrarse.",
    "report.meta": "Datos de la ejecución",
    "report.flow": "Flujo",
    "report.portal": "Portal",
    "report.target": "Destino",
    "report.operator": "Operador",
    "report.ticket": "Ticket",
    "report.started": "Inicio (UTC)",
    "report.duration": "Duración",
    "report.input": "Entrada",
    "report.step": "Paso",
    "report.sends": "Envía datos",
    "report.gate": "Confirmación",
    "report.answer": "Respuesta",
    "report.approved": "Aprobado",
    "report.declined": "Rechazado",
    "report.by": "por",
    "report.on": "el",
    "report.file": "Archivo guardado",
    "report.shot": "Captura del paso",
    "report.chain": "Hash final de la cadena de eventos (péguelo en el ticket)",
    "status.passed": "Hecho",
    "status.failed": "Falló",
    "status.skipped": "Omitido",
    "status.simulated": "Simulado: no se envió",
    "status.already_done": "Ya estaba hecho",
    "status.not_reached": "No alcanzado",
    "status.running": "En curso",
    "outcome.done": "Completado",
    "outcome.already_done": "Ya estaba hecho",
    "outcome.failed": "Falló",
    "outcome.declined": "Detenido en una confirmación",
    "outcome.interrupted": "Interrumpido",
    "outcome.leak": "Secreto detectado en la evidencia",
}

EN: dict[str, str] = {
    "report.title": "Evidence",
    "report.no_start": "Run with no recorded start",
    "report.mock": "Local simulation (mock)",
    "report.live": "Live portal",
    "report.dry_run": "Dry run, nothing sent",
    "report.result": "Outcome",
    "report.unfinished": "the run did not finish recording.",
    "report.meta": "Run details",
    "report.flow": "Flow",
    "report.portal": "Portal",
    "report.target": "Target",
    "report.operator": "Operator",
    "report.ticket": "Ticket",
    "report.started": "Started (UTC)",
    "report.duration": "Duration",
    "report.input": "Input",
    "report.step": "Step",
    "report.sends": "Sends data",
    "report.gate": "Confirmation",
    "report.answer": "Answer",
    "report.approved": "Approved",
    "report.declined": "Declined",
    "report.by": "by",
    "report.on": "on",
    "report.file": "File kept",
    "report.shot": "Screenshot of step",
    "report.chain": "Final hash of the event chain (paste it into the ticket)",
    "status.passed": "Done",
    "status.failed": "Failed",
    "status.skipped": "Skipped",
    "status.simulated": "Simulated: not sent",
    "status.already_done": "Already done",
    "status.not_reached": "Not reached",
    "status.running": "Running",
    "outcome.done": "Completed",
    "outcome.already_done": "Already done",
    "outcome.failed": "Failed",
    "outcome.declined": "Stopped at a confirmation",
    "outcome.interrupted": "Interrupted",
    "outcome.leak": "Secret found in the evidence",
}

CATALOGUES: Mapping[str, Mapping[str, str]] = {"es": ES, "en": EN}


def choose(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: explicit, PORTAL_BOT_LANG, the locale, or Spanish."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get("PORTAL_BOT_LANG"), env.get("LANG", "")[:2]):
        if candidate in LANGS:
            return candidate
    return "es"


def translator(lang: str) -> Callable[[str], str]:
    catalogue = CATALOGUES.get(lang, ES)
    return lambda key: catalogue[key]
