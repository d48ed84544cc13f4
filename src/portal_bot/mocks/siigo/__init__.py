"""Mock of Siigo Nube's "Activa tu certificado digital" (Colombia).

Hosts and screens (every screen has its own path; no hash routing):

- ``login.siigo.com`` [inv]: ``/login?returnUrl=…`` "Ingresa a Siigo Nube" (Correo
  electrónico, Contraseña, Ingresar); ``/logout``. The session cookie ``SiigoSession``
  [inv name] is set with ``Domain=.siigo.com; Secure; HttpOnly; SameSite=Lax``.
- ``siigonube.siigo.com`` [src: the app host]: ``/`` → login or ``/inicio``; ``/inicio``;
  ``/habilitaciones-electronicas`` (cards, each with its own "Continuar");
  ``/documentos-electronicos/facturacion-electronica`` and
  ``…/inicia-tu-proceso`` (the six steps); ``/habilitaciones-electronicas/facturacion-electronica``
  (the same steps, reached from the card); ``/plataforma-tecnologica`` (launcher: one-time
  token, then a redirect to the other host); ``/modulo/<slug>`` decoy menu entries.
- ``plataformatecnologica.siigo.com`` [inv]: ``/acceso?token=…``; ``/facturacion-electronica``
  (steps; "Activa tu certificado digital" → "Continuar"); ``/certificado-digital`` (resumes
  at the company's step); ``…/paga-tu-certificado``, ``…/comprar``, ``…/comprar/pago``,
  ``…/compra-terminada``, ``…/tramita-tu-certificado``, ``…/seguimiento``.

Real [src: seed 001 and Siigo's public help pages]: the menu path Documentos electrónicos →
Facturación electrónica → Inicia tu proceso electrónico → Activa tu certificado digital and
the alternative Habilitaciones electrónicas → Facturación electrónica → "Continuar"; the
plataforma tecnológica opening apart from Siigo Nube and only reachable from it; the
steps "Paga tu certificado" ("Verificar pago", "Comprar certificado digital", price and a
one-year validity, then "Pagar" and the choice of a payment method), "Tramita tu
certificado" (Natural / Jurídica, company data pre-filled, the representative's fields
enabled only for Jurídica, a red message on a missing field, "Descargar carta" saving and
downloading, a PDF of at most 1 MB attached with "Adjuntar documento", then "Eliminar" and
"Continuar"), follow-up states "En trámite", "Rechazado" (observations column) and
"Completado", then the DIAN "set de pruebas"; "Usuario o contraseña incorrectos".

Invented [inv]: the login host and its layout; the cookie name; the one-time token; every
path; the representative's field labels and the format rules; the price ($ 250.000 + IVA),
the payment methods and the absence of a payment gateway; the loan notice's wording; the
letter's wording; the names of e-invoicing steps 3–6; every error text except the login's;
the TestSetId being a random UUID; the 0.5 s delay before "Verificar pago" answers.
"""

from portal_bot.mocks.siigo.portal import SiigoPortal

__all__ = ["SiigoPortal"]
