"""Mock of Siigo Nube's "Activa tu certificado digital" (Colombia).

Hosts and screens (every screen has its own path; no hash routing [inv]):

- ``account.siigo.com`` [src]: Azure AD B2C under
  ``/siigob2cco.onmicrosoft.com/b2c_1a_col_pd_ssosiigo/`` [src]: ``…/oauth2/v2.0/authorize``
  (the sign-in form), ``…/SelfAsserted`` (POST, one login attempt), ``…/api/
  CombinedSigninAndSignup/confirmed`` (the second screen, "Ingresar"), ``…/oauth2/v2.0/
  logout``. The path tails after the policy, the query and the second screen's wording
  are [inv].
- ``siigonube.siigo.com`` [src: the app host]: ``/openid-callback`` [src] turns B2C's
  one-time code into the session (cookie ``SiigoSession`` [inv name], ``Domain=.siigo.com;
  Secure; HttpOnly; SameSite=Lax``); ``/`` → ``/inicio``; ``/habilitaciones-electronicas``
  (cards, each with its own "Continuar"); ``/documentos-electronicos/facturacion-electronica``
  and ``…/inicia-tu-proceso`` (the six steps); ``/habilitaciones-electronicas/
  facturacion-electronica`` (the same steps, from the card); ``/plataforma-tecnologica``
  (launcher: one-time token, then a redirect to the other host); ``/modulo/<slug>`` decoy
  menu entries; ``/logout``. Without a session every page is the app's empty shell whose
  script goes to the sign-in about 1 s after load [inf: an Angular app guarding its
  routes; the delay is inv].
- ``plataformatecnologica.siigo.com`` [inv host]: ``/acceso?token=…`` → ``/certificado-digital``
  (the three steps at once), ``…/paga-tu-certificado``, ``…/comprar``, ``…/comprar/pago``,
  ``…/compra-terminada``, ``…/tramita-tu-certificado``, ``…/seguimiento``.

Real [src: seed 001; Siigo's help pages "activa-tu-certificado-digital", "realizar-pago-del-
certificado-digital", "renovacion-del-certificado-digital", "seguimiento-certificado-
digital-propio", "solicitud… persona jurídica"; public test automation of Siigo Nube
(Serenity/Cypress page objects, a 2025 Playwright script), as summed up in
../shared/portals.md, Colombia]:

- the sign-in: B2C on ``account.siigo.com`` with tenant ``siigob2cco`` and policy
  ``b2c_1a_col_pd_ssosiigo``, back to ``siigonube.siigo.com/openid-callback``; fields
  ``#siigoSignInName`` and ``#siigoPassword`` (``name="Contraseña"``), the submit
  ``#siigoNext`` (class ``bg-default``) reading "Continuar"; a wrong pair shows "Usuario o
  contraseña inválidos" in ``#siigoError``; then a second screen with an "Ingresar" button;
- the shell: the header ``siigo-header-molecule`` with its content in a shadow root and
  the company in ``div.company-header-title``; menu entries ``a[href='javascript:;']`` with
  ``data-value``; page titles ``div.menu-tab-title-label mr-10`` (not headings), section
  titles ``h2``/``h3``; fields ``siigo-textfield-web`` custom elements whose input
  (``input.mdc-text-field__input``) and error text live in their shadow root; a ``#Spinner``
  overlay while a page loads and after some clicks; ngx-toastr messages in
  ``#toast-container``, success and error toasts alike with role=alert;
- the menu path Documentos electrónicos → Facturación electrónica → Inicia tu proceso
  electrónico → Activa tu certificado digital (a green "Continuar"), and the alternative
  Habilitaciones electrónicas → "Facturación electrónica en Siigo Nube" → "Continuar"; the
  plataforma tecnológica opening apart from Siigo Nube [inf: in a new window] and only
  reachable from it;
- the plataforma tecnológica shows the three steps at once ("Paga tu certificado",
  "Tramita tu certificado", "Haz seguimiento…"), each with its own "Continuar";
  "Verificar pago" answers a paid certificate with a message and an "Aceptar" button, an
  unpaid one with "Comprar certificado digital" (price, one-year validity, pay, "compra
  terminada"), and Siigo's loan notice with "Entendido";
- "Tramita tu certificado": Natural / Jurídica; the company's data pre-filled and
  editable, its own e-mail and phone beside the representative's (same labels) in "Datos
  de la empresa", the representative's in "Datos del representante legal"; a red message
  on a missing field; "Descargar carta" saving and downloading the letter; a PDF of at
  most 1 MB attached with "Adjuntar documento" (a hidden file input behind the visible
  button); then "Eliminar" and an enabled "Continuar";
- follow-up states "En trámite", "Rechazado" (observations column) and "Completado", then
  the DIAN "set de pruebas" with a 36-character TestSetId.

Invented [inv]: the plataforma tecnológica's host and every path on it; the cookie name;
the one-time token and code; the texts of the B2C page other than its field names, button
and error ("Inicia sesión", "¿Olvidaste tu contraseña?", the missing-credentials message,
"¡Hola, …!"); the names of e-invoicing steps 3–6; the step texts and statuses on the
three-step page ("Estado: …", "Sin solicitudes"), the full title "Haz seguimiento a tu
trámite"; the paid dialog's title "Verificación del pago"; the representative's field
labels and the format rules; the company's contact data; the price ($ 250.000 + IVA), the
payment methods and the absence of a payment gateway; the loan notice's wording; the
letter's wording; every error and success text except the sign-in's; the TestSetId being
a random UUID; the timings: "Verificar pago" drawn 1 s after its title and answering
0.6 s after the click, the attachment shown 0.8 s after it is chosen, both under the
spinner, the spinner on load for 0.4 s and 0.25 s before a menu click navigates.

Markup dialects (``POST /__mock__/configure {"dialect": N}``, ``reset`` → 1; the state
reports ``dialect``). Every page is the same in all three except for how its widgets are
built; the variation lives in ``templates/_widgets.html`` only (one macro per widget), and
:class:`~portal_bot.mocks.siigo.web.DialectApp` hands the dialect to the templates:

1. The real markup above [src].
2. [inv] Buttons as links (``href="javascript:;"``); labels ending in ":"; native
   ``<select>``; the header in the light DOM; page titles ``<h1>``; sections as panels
   whose heading sits in a header wrapper; Bootstrap-like alerts with no role; an unnamed
   modal whose title is a bold line; "Eliminar" a link; the file chooser is the input's
   own ``<label>``; a spinner overlay after clicks only; table cells wrapped twice.
3. [inv] ``span[role=button]`` in an extra wrapper; fields with a placeholder and no
   label, a select with only a caption before it, radio buttons named by aria-label;
   ARIA menu items; page titles as bold text; sections as ``<fieldset>`` + ``<legend>``;
   success messages with role=status, errors with role=alert; a SweetAlert-like unnamed
   popup; the follow-up as an ARIA grid of divs; a busy bar that covers nothing.
"""

from portal_bot.mocks.siigo.portal import SiigoPortal

__all__ = ["SiigoPortal"]
