"""Steps 2 and 3 of the certificate: "Tramita tu certificado" and "Seguimiento".

Step 2 saves the legal representative and hands out the exoneration letter, takes the
signed letter back as a multipart upload (checked again here: at most 1 MB, ``%PDF-``),
and "Continuar" sends the request. Step 3 shows the request's state.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.siigo.letter import exoneration_letter, letter_filename
from portal_bot.mocks.siigo.state import (
    CertificateRequest,
    CompanyContact,
    Letter,
    Representative,
    Session,
    account_by_email,
    now_bogota,
    timestamp,
)
from portal_bot.mocks.siigo.tech_platform import (
    NO_ACCESS,
    no_access,
    platform_page,
    platform_session,
)
from portal_bot.mocks.siigo.validation import (
    DOCUMENT_TYPES,
    LETTER_EMPTY,
    PERSON_TYPES,
    company_errors,
    letter_error,
    representative_errors,
)
from portal_bot.mocks.siigo.web import found, see_other

if TYPE_CHECKING:
    from portal_bot.mocks.siigo.portal import SiigoPortal

STEP2 = "/certificado-digital/tramita-tu-certificado"
STEP3 = "/certificado-digital/seguimiento"
LETTER_FIRST = "Primero descarga la carta de exoneración con los datos del representante legal."
NOT_PAID = "Primero paga tu certificado digital."


class PaperworkPages:
    def __init__(self, portal: SiigoPortal) -> None:
        self.portal = portal

    def routes(self) -> list[BaseRoute]:
        return [
            Route(STEP2, self.form, methods=["GET"]),
            Route(f"{STEP2}/representante", self.save_representative, methods=["POST"]),
            Route(f"{STEP2}/carta", self.download_letter, methods=["GET"]),
            Route(f"{STEP2}/adjunto", self.attach, methods=["POST"]),
            Route(f"{STEP2}/adjunto/eliminar", self.detach, methods=["POST"]),
            Route(f"{STEP2}/enviar", self.send, methods=["POST"]),
            Route(STEP3, self.follow_up, methods=["GET"]),
        ]

    def _step2_session(self, request: Request) -> tuple[Session | None, str]:
        """The session when step 2 is open to it, else None and why."""
        session = platform_session(self.portal, request)
        if session is None:
            return None, NO_ACCESS
        with self.portal.lock:
            data = self.portal.data
            if not (data.is_paid(session.nit) or data.settings.lend_certificate):
                return None, NOT_PAID
        return session, ""

    async def form(self, request: Request) -> Response:
        session, why = self._step2_session(request)
        if session is None:
            return no_access() if why == NO_ACCESS else found("/certificado-digital")
        account = account_by_email(session.email)
        assert account is not None
        with self.portal.lock:
            saved = self.portal.data.representative.get(session.nit)
            contact = self.portal.data.company_contact.get(session.nit)
            letter = self.portal.data.letter.get(session.nit)
        return platform_page(
            "pt_tramita.html",
            self.portal,
            session,
            step=2,
            person_type=saved.person_type if saved else account.person_type,
            saved=saved,
            company_email=contact.email if contact else account.contact_email,
            company_phone=contact.phone if contact else account.contact_phone,
            letter=letter,
            person_types=PERSON_TYPES,
            document_types=DOCUMENT_TYPES,
        )

    async def save_representative(self, request: Request) -> Response:
        session, why = self._step2_session(request)
        if session is None:
            return JSONResponse({"error": why}, status_code=403)
        form = {key: str(value) for key, value in (await request.form()).items()}
        errors = company_errors(form) | representative_errors(form)
        if errors:
            return JSONResponse({"errores": errors}, status_code=422)
        legal = form["tipo_persona"].strip() == "Jurídica"

        def value(name: str) -> str:
            return form.get(name, "").strip() if legal else ""

        representative = Representative(
            person_type=form["tipo_persona"].strip(),
            full_name=value("nombre_completo"),
            document_type=value("tipo_documento"),
            document_number=value("numero_documento"),
            email=value("correo"),
            phone=value("telefono"),
            at=timestamp(),
        )
        contact = CompanyContact(
            form.get("empresa_correo", "").strip(), form.get("empresa_telefono", "").strip()
        )
        with self.portal.lock:
            self.portal.data.representative[session.nit] = representative
            self.portal.data.company_contact[session.nit] = contact
        return JSONResponse({"carta": f"{STEP2}/carta"})

    async def download_letter(self, request: Request) -> Response:
        session, why = self._step2_session(request)
        if session is None:
            return no_access(why)
        account = account_by_email(session.email)
        assert account is not None
        with self.portal.lock:
            representative = self.portal.data.representative.get(session.nit)
            if representative is None:
                return found(STEP2)
            self.portal.data.letters_downloaded += 1
        pdf = exoneration_letter(account.company, account.nit, representative, now_bogota())
        filename = letter_filename(account.nit)
        return Response(
            pdf,
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    async def attach(self, request: Request) -> Response:
        session, why = self._step2_session(request)
        if session is None:
            return JSONResponse({"error": why}, status_code=403)
        async with request.form(max_files=1) as form:
            upload = form.get("carta")
            if not isinstance(upload, UploadFile):
                return JSONResponse({"error": LETTER_EMPTY}, status_code=400)
            content = await upload.read()
            name = PurePosixPath((upload.filename or "").replace("\\", "/")).name
        error = letter_error(content)
        if error:
            return JSONResponse({"error": error}, status_code=400)
        letter = Letter(
            filename=name[-120:] or "documento.pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        with self.portal.lock:
            if session.nit not in self.portal.data.representative:
                return JSONResponse({"error": LETTER_FIRST}, status_code=409)
            self.portal.data.letter[session.nit] = letter
        return JSONResponse({"nombre": letter.filename, "tamano": letter.size})

    async def detach(self, request: Request) -> Response:
        session, why = self._step2_session(request)
        if session is None:
            return JSONResponse({"error": why}, status_code=403)
        with self.portal.lock:
            self.portal.data.letter.pop(session.nit, None)
        return JSONResponse({"ok": True})

    async def send(self, request: Request) -> Response:
        """ "Continuar": sends the request once per company unless the last was rejected."""
        session, why = self._step2_session(request)
        if session is None:
            return no_access(why)
        with self.portal.lock:
            data = self.portal.data
            ready = session.nit in data.letter and session.nit in data.representative
            if not ready:
                return see_other(STEP2)
            mine = data.requests_of(session.nit)
            if not mine or mine[-1].state == "Rechazado":
                request_ = CertificateRequest(session.nit, "En trámite", "", timestamp())
                self.portal.apply_request_settings(request_)
                data.requests.append(request_)
                data.submissions += 1
        return see_other(STEP3)

    async def follow_up(self, request: Request) -> Response:
        session = platform_session(self.portal, request)
        if session is None:
            return no_access()
        with self.portal.lock:
            mine = [
                {
                    "cells": [
                        datetime.fromisoformat(r.at).strftime("%d/%m/%Y %H:%M"),
                        "Certificado digital",
                        r.state,
                        r.observation,
                    ],
                    "state": r.state,
                    "test_set_id": r.test_set_id,
                }
                for r in self.portal.data.requests_of(session.nit)
            ]
        if not mine:
            return found(STEP2)
        return platform_page(
            "pt_seguimiento.html", self.portal, session, step=3, requests=mine[::-1]
        )
