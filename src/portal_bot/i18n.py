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
    "report.mock": "Portal de práctica (simulación del portal)",
    "report.live": "Portal real",
    "report.dry_run": "Ensayo: no se envió nada",
    "report.meta": "Datos de la ejecución",
    "report.flow": "Flujo",
    "report.portal": "Portal",
    "report.target": "Destino",
    "report.operator": "Operador",
    "report.ticket": "Ticket",
    "report.started": "Inicio",
    "report.ended": "Fin",
    "report.duration": "Duración",
    "report.input": "Entrada",
    "report.step": "Paso",
    "report.sends": "Envía datos",
    "report.gate": "Confirmación",
    "report.answer": "Respuesta",
    "report.approved": "Aprobada",
    "report.declined": "Rechazada",
    "report.by": "por",
    "report.on": "el",
    "report.at": "a las",
    "report.file": "Archivo guardado",
    "report.bytes": "bytes",
    "report.shot": "Captura del paso",
    "report.open_shot": "Ver la captura completa del paso",
    "report.close": "Cerrar",
    "report.chain": "Último hash de la cadena de eventos (el sello para el ticket, que "
    "cubre también este informe, lo imprime portal-bot al terminar)",
    "report.version": "Versión de portal-bot",
    "report.flow_hash": "SHA-256 del archivo del flujo",
    "report.unknown": "no registrado",
    "report.times": "Las horas son las locales del portal ({zone}).",
    "report.sent": "Lo que se envió",
    "report.sent_none": "Nada: esta ejecución no envió nada al portal.",
    "report.identity": "Identidad comprobada",
    "report.identity_none": "Ningún paso comprobó la identidad en el portal.",
    "report.not_done": "Lo que no se hizo",
    "report.steps": "Pasos",
    "report.unreached": "Pasos no alcanzados",
    "report.branches": "Pasos que no hicieron falta (su condición no se cumplió)",
    "report.details": "Detalle de los pasos",
    "report.flow_texts": "Los títulos de los pasos, las preguntas y los mensajes se citan "
    "como quedaron registrados.",
    "summary.dry": "ENSAYO: no se envió nada",
    "summary.dry_ok": "Se recorrió el flujo sin enviar nada: todo lo esperado estaba en el portal.",
    "summary.dry_missed": "Se recorrió el flujo sin enviar nada; faltó lo esperado en "
    "{n} paso(s): {steps}.",
    "summary.unfinished": "La ejecución no terminó de registrarse",
    "summary.failed_at": "Se detuvo en el paso {n} «{title}»",
    "not_done.failed": "Paso {n} «{title}»: falló ({why}).",
    "not_done.simulated": "Paso {n} «{title}»: no se envió (ensayo).",
    "not_done.not_reached": "Paso {n} «{title}»: no alcanzado (ensayo).",
    "not_done.declined": "Paso {n} «{title}»: no se envió; la confirmación la rechazó {by}.",
    "not_done.unreached": "{n} paso(s) no alcanzado(s): {why}.",
    "not_done.why.failed": "la ejecución se detuvo antes, en un paso que falló",
    "not_done.why.declined": "se rechazó una confirmación",
    "not_done.why.interrupted": "el operador interrumpió la ejecución",
    "not_done.why.leak": "se detectó un secreto en la evidencia",
    "not_done.why.done": "el flujo terminó antes",
    "not_done.why.already_done": "el trámite ya estaba hecho",
    "not_done.why.unfinished": "la ejecución no terminó de registrarse",
    "status.passed": "Hecho",
    "status.failed": "Falló",
    "status.skipped": "Omitido",
    "status.simulated": "Ensayo: no se envió",
    "status.already_done": "Ya estaba hecho",
    "status.not_reached": "No alcanzado",
    "status.unreached": "No alcanzado",
    "status.running": "Sin terminar",
    "outcome.done": "Trámite completado",
    "outcome.already_done": "Ya estaba hecho: no se envió nada nuevo",
    "outcome.failed": "No se completó el trámite",
    "outcome.declined": "Detenido en una confirmación: no se envió",
    "outcome.interrupted": "Interrumpido por el operador",
    "outcome.leak": "Se detectó un secreto en la evidencia",
}

EN: dict[str, str] = {
    "report.title": "Evidence",
    "report.no_start": "Run with no recorded start",
    "report.mock": "Practice portal (simulation of the portal)",
    "report.live": "Live portal",
    "report.dry_run": "Rehearsal: nothing was sent",
    "report.meta": "Run details",
    "report.flow": "Flow",
    "report.portal": "Portal",
    "report.target": "Target",
    "report.operator": "Operator",
    "report.ticket": "Ticket",
    "report.started": "Started",
    "report.ended": "Ended",
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
    "report.at": "at",
    "report.file": "File kept",
    "report.bytes": "bytes",
    "report.shot": "Screenshot of step",
    "report.open_shot": "Open the full screenshot of step",
    "report.close": "Close",
    "report.chain": "Last hash of the event chain (the seal for the ticket, which also "
    "covers this report, is printed by portal-bot at the end)",
    "report.version": "portal-bot version",
    "report.flow_hash": "SHA-256 of the flow file",
    "report.unknown": "not recorded",
    "report.times": "Times are the portal's local time ({zone}).",
    "report.sent": "What was sent",
    "report.sent_none": "Nothing: this run sent nothing to the portal.",
    "report.identity": "Identity checked",
    "report.identity_none": "No step checked the identity on the portal.",
    "report.not_done": "What was not done",
    "report.steps": "Steps",
    "report.unreached": "Steps not reached",
    "report.branches": "Steps that were not needed (their condition did not hold)",
    "report.details": "Step details",
    "report.flow_texts": "Step titles, gate questions and the run's messages are quoted as "
    "recorded, in Spanish (the flow's and the portal's language).",
    "summary.dry": "REHEARSAL: nothing was sent",
    "summary.dry_ok": "The flow was walked without sending anything: everything expected "
    "was on the portal.",
    "summary.dry_missed": "The flow was walked without sending anything; what was expected "
    "was missing in {n} step(s): {steps}.",
    "summary.unfinished": "The run did not finish recording",
    "summary.failed_at": "Stopped at step {n} «{title}»",
    "not_done.failed": "Step {n} «{title}»: failed ({why}).",
    "not_done.simulated": "Step {n} «{title}»: not sent (rehearsal).",
    "not_done.not_reached": "Step {n} «{title}»: not reached (rehearsal).",
    "not_done.declined": "Step {n} «{title}»: not sent; {by} declined the confirmation.",
    "not_done.unreached": "{n} step(s) not reached: {why}.",
    "not_done.why.failed": "the run stopped earlier, at a step that failed",
    "not_done.why.declined": "a confirmation was declined",
    "not_done.why.interrupted": "the operator interrupted the run",
    "not_done.why.leak": "a secret was found in the evidence",
    "not_done.why.done": "the flow ended earlier",
    "not_done.why.already_done": "the procedure was already done",
    "not_done.why.unfinished": "the run did not finish recording",
    "status.passed": "Done",
    "status.failed": "Failed",
    "status.skipped": "Skipped",
    "status.simulated": "Rehearsal: not sent",
    "status.already_done": "Already done",
    "status.not_reached": "Not reached",
    "status.unreached": "Not reached",
    "status.running": "Unfinished",
    "outcome.done": "Procedure completed",
    "outcome.already_done": "Already done: nothing new was sent",
    "outcome.failed": "The procedure was not completed",
    "outcome.declined": "Stopped at a confirmation: not sent",
    "outcome.interrupted": "Interrupted by the operator",
    "outcome.leak": "A secret was found in the evidence",
}

CATALOGUES: Mapping[str, Mapping[str, str]] = {"es": ES, "en": EN}


def choose(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to use: explicit, PORTAL_BOT_LANG, the locale, or Spanish."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get("PORTAL_BOT_LANG"), env.get("LANG", "")[:2]):
        if candidate in LANGS:
            return candidate
    return "es"


Translate = Callable[..., str]
"""``t(key, **values)``: the text of ``key``, with ``{name}`` fields filled in."""


def translator(lang: str) -> Translate:
    catalogue = CATALOGUES.get(lang, ES)

    def t(key: str, **values: object) -> str:
        text = catalogue[key]
        return text.format(**values) if values else text

    return t
