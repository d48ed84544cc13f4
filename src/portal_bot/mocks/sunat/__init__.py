"""Mock of SUNAT Operaciones en Línea (SOL) for the "Altas/Bajas de PSE" procedure.

Three hosts, as the real portal: ``e-menu.sunat.gob.pe`` (entry, menu, campaign pop-ups),
``api-seguridad.sunat.gob.pe`` (OAuth login) and ``ww1.sunat.gob.pe`` (the module, inside a
cross-origin ``iframe#iframeApplication``). The session is a ``Domain=.sunat.gob.pe;
Secure; HttpOnly; SameSite=None`` cookie.

**Markup dialects.** Every page is drawn in one of three markup dialects, chosen with
``configure({"dialect": N})`` (``POST /__mock__/configure`` on any host; ``reset`` goes
back to 1; ``state()["dialect"]`` tells). Only the widget macros in
``templates/_widgets.html`` know them; routes, state and rules do not. Every text a person
reads is the same in all three (the search box's label aside, see below).

Dialect 1 is the real markup, as public sources show it (``/work/shared/portals.md``; [src]
= public code or help pages, chiefly jldamians/sol-login, jldamians/alta-autorizacion-pse,
jldamians/sol-popup, jonathanEDR/agente and SUNAT's login/menu HTML pasted in scrapers):

- [src] Entry URL and the 302 to ``…/oauth2/loginMenuSol?…&state=…``; the chain through
  ``AutenticaMenuInternet.htm?code=…``; the stale ``state`` message on ``/oauth2/error`` in
  ``#divErrorRUC``.
- [src] Login: "RUC" (``#btnPorRuc``) and "DNI" (``#btnPorDni``) are plain
  ``<button class="btn btnPor">`` in a Bootstrap button group, not tabs; ``#txtRuc``,
  ``#txtUsuario`` (upper-cased on blur), ``#txtContrasena`` named only by placeholders with
  their maxlengths; "Recuérdame, para entrar más fácil"; "¿Te olvidaste tu usuario o
  clave?" is a ``<span>``; "Iniciar sesión" is ``#btnAceptar``; errors in
  ``.alert.alert-danger[role=alert]`` with ``#spanMensajeError``; ``#txtCaptcha`` always in
  the HTML, hidden until SUNAT decides to show it; the form posts to ``j_security_check``.
- [src] Menu: title "SUNAT - Menú SOL"; "Bienvenido, <razón social>" is a link
  (``#aOpcionUsuario2``); "Salir" is ``<button id="btnSalir">``; the search box
  ``#txtBusca`` reads "Busque una opción del menú", results in ``#divResultadoBusqueda``;
  the ``li.nivelN``/``span.spanNivelDescripcion`` tree with ``nivel4_11_9_6_1_1``; modules
  open through ``MenuInternet.htm?action=execute&code=…&s=ww1`` (a 302) in
  ``iframe#iframeApplication``, created only after the menu click; late click handlers.
- [src] Campaign pop-ups in ``iframe#ifrVCE`` (``body.tundra`` while they show): dijit
  dialogs whose title bar is empty, closed by an icon titled "Cancelar"
  (``#divMensajeInformativo > #idthirdDialog … span.dijitDialogCloseIcon``), "IMPORTANTE"
  a blue bar inside the body; the forms "CONFIRMAR SU CUENTA DE CORREO ELECTRÓNICO" and
  "CONFIRMAR SU TELÉFONO CELULAR" with a disabled "Aceptar", "Continuar sin confirmar"
  (``continuarSinRegistrarBtn``) and a hidden "Finalizar"; closing one may bring up the
  next (a chain).
- [src] Module: ``body.tundra div.principal form#frmBajaCert``; title "COMUNICACION
  TERCERIZACIÓN CON PSE"; the authorizations as a dojox DataGrid of divs and tables
  (``role=grid``, ``div.dojoxGridRow[role=row]``, ``td.dojoxGridCell[role=gridcell][idx]``)
  whose rows are fetched by script after the page; dijit buttons (``span[role=button]``
  named through ``aria-labelledby``); "Alta Servicio" (``#btnNuevoCert``) opens "Alta de
  autorización de PSE" (``#dlgAgregarCert``, a titled dijit dialog) whose ".." button
  (``#btnListarPSE2``) opens "Lista de PSE activos" (``#dlgListaPSE``,
  ``form#frmRegistroCertLista``); that dialog is laid out by the table ``#tabArchLista``:
  a row with the RUC box ``#txt_ruc2`` and the search button ``#btnNuevoLista`` (its
  handler wired late), a row with the result grid ``#gridConsulta2``, where a PSE is chosen
  by clicking its row (no radio); then ``#btnNuevoCert2``, the start date ``#txtFechaIni``
  and ``#btnNuevoCert1``; a user without permission gets ``div.cuerpo p.error``.
- [src] 20600337832 = VIDA SOFTWARE S.A.C. (seed 000); the start date must be after today.

Dialects 2 and 3 are plausible other builds [inv], each varying differently:

- 2 (an older Bootstrap build): "RUC"/"DNI" are tabs; fields have ``<label>`` elements
  ("RUC", "Usuario"…) on the login and "Label:" colon labels in the module; "Iniciar
  sesión" is ``input[type=submit]``; "¿Te olvidaste…?" and "Salir" are links; the search
  box has the seed's label "¿Qué necesitas hacer?" and results are ``<li>`` items (no
  link); pop-ups are Bootstrap modals named "Importante" (closed by "×", "Cerrar") and
  "Informativo" ("Finalizar" / "Continuar sin confirmar"); the module's title is a
  heading; the grid a ``<table>`` with header cells, rows in the page; buttons are links;
  "Alta de autorización de PSE" is a dialog without a name (its title is a heading inside).
- 3 (a newer build): "RUC"/"DNI" are links; each field's text sits in the table cell
  before it (login) or in a span before it (module); every button is
  ``span[role=button]``, "SALIR" in capitals; the error box has no ARIA role; the search
  box ("Busque una opción del menú") reacts to key presses only, results are buttons; no
  dialog has a name (the title is bold text) and each closes with a "Cerrar" link; the
  module's title is a table cell, the grid a set of divs with ARIA table roles under the
  heading "Proveedores de Servicios Electrónicos comunicados", rows fetched late.
- In every dialect the menu header shows "Bienvenido, <razón social>", "RUC: <ruc>" and
  "Usuario: <usuario>" (other steps read them to check the customer's identity).

Invented [inv]: every error and success text of the login (wrong clave, lockout after 3
wrong claves, captcha, rate limit) and of the module; the captcha trigger (a successful
login of the same RUC within ``captcha_window_s``, checked when the RUC is typed and again
on submit), its picture and the captcha box's text; the rate limit (more than
``rate_limit`` logins in 10 min); the ``j_security_check`` field names; the
``verificaCaptcha``/``captcha``/``recuperarClave`` endpoints; the cookie name; the module
path ``/ol-ti-itpseautorizacion/autorizacionpse.htm`` and its ``action=listarPse``,
``action=listarAutorizaciones`` / POST ``action=registrar`` calls; the ``code`` values of
``action=execute``; the campaign page path and texts; the grid's columns, its subtitle and
the pre-populated ended PSE; the other active PSEs and their names; the labels of the
fields in the module and of the list's "Aceptar"; the "Mensaje" dialog after a
registration; the demo razón social; the other menu options (they open an "opción no
disponible" page); the pop-up choice (random unless ``popups`` is set).
"""

from portal_bot.mocks.sunat.portal import SunatPortal

__all__ = ["SunatPortal"]
