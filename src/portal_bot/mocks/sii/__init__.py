"""Mock of Chile's SII: login, Mi SII, centralizing a certificate, Recuperar Clave.

Every page is written in one of three markup dialects (``configure {"dialect": N}``,
N = 1, 2, 3; ``reset`` goes back to 1; ``state`` reports ``"dialect"``). The dialect
lives only in the widget macros of ``templates/_widgets.html`` (and their behaviour in
``_widgets_js.html``); ``portal.py`` hands it to the templates in one place. The texts a
person reads are the same in every dialect.

Dialect 1, the real markup [src: portals.md "Chile: SII" and "More real facts, found
since": albertomarturelo/sii docs, public Selenium/Puppeteer scrapers, gesnex and relbase
help pages, seed 003]:

- Host names ``zeusr``, ``misiir``, ``www``, ``homer`` and ``www2.sii.cl``.
- homer.sii.cl: the link "Ingresar a Mi Sii" (lower-case "ii") in ``ul#sinAutenticacion``;
  the menus write "Mi Sii".
- Login: ``/AUT2000/InicioAutenticacion/IngresoRutClave.html?<return URL>`` titled
  "Autenticación", ``form#myform`` posting ``rut``/``dv``/``referencia``/``clave``/``411``
  to ``/cgi_AUT2000/CAutInicio.cgi``; ``#rutcntr`` (placeholder "Ej: 123456789",
  maxlength 12), ``#clave``, hidden ``#rut #dv #referencia`` filled by script (AutAll.js),
  ``#bt_ingresar`` "Ingresar"; the four client-side messages in ``#alert_placeholder``
  ("Por favor, ingrese rut y clave.", "Debe ingresar el rut completo", "El RUT ingresado
  no es valido", "Dígito Verificador erróneo"); the wrong-clave page (a plain page, not a
  dialog) on ``zeusr`` with its long text, code 01.01.203.500.720.20 and "Aceptar"; a lock
  after repeated failures for an hour with a code ending 09; one attempt only.
- Mi SII at ``/cgi_misii/siihome.cgi`` with an inline ``DatosCntrNow``, ``#info_profile``
  (we show the name and RUT there), hover menus ``ul#main-menu > li.dropdown``, and a
  Bootstrap modal ``#ModalEmergente`` right after login whose title varies, closed by its
  footer button; logout at ``/cgi_AUT2000/autTermino.cgi``; the cookies ``TOKEN``,
  ``CSESSIONID``, ``RUT_NS``, ``DV_NS`` on ``.sii.cl``.
- "Servicios online" shows "Factura electrónica" several times;
  ``/servicios_online/1039-.html`` (Factura electrónica) is a Bootstrap accordion whose
  toggles are anchors (``#headingOne > h4 > a``), "Conozca sobre Factura Electrónica"
  among them; ``/servicios_online/1039-certificado_digital-1182.html``.
- Centralizar [src: seed 003, tuu.helpkit.so, cymasuite.com]: "Certificado Digital" →
  "Centralizar certificado digital" → file (.pfx; .p12 [inf]) + its password → "Enviar" →
  "Se guardó archivo OK" → "Cerrar" → "Salir".
- Recuperar Clave at ``/admin-cntr/noauthz/recuperar-clave-tributaria``, the sequence
  described in ``recovery.py`` (RUT + "Acepto la Cláusula" + "Continuar" → a notice that
  a code will be e-mailed whose own "Continuar" sends it → "Ir a recuperar Clave" → the
  same form again → a screen saying a code exists with "Ingresar Código provisorio", which
  opens a new window → "Enviar código" → new clave and "Reingreso de Clave", a secret
  question and answer, the way to enter the SII (first "Utilizando Clave Tributaria o
  Certificado Digital", last "sólo Certificado Digital") → "Enviar formulario"); the
  clave rule: 8 to 10 characters, letters and numbers (SII, 2023).

Dialects 2 and 3 [inv: plausible builds of the same pages, not from sources]:

- 2: page titles in layout-table cells; fields in a layout table with "Label:" in the
  cell before them; submits as ``input[type=submit]``; links that act as buttons are
  ``<button>``; script buttons are ``input[type=button]``; "Mi SII" in upper case; a plain
  list menu; accordion toggles are buttons in h3; the certificate status is a data table
  with a caption; the notices over Mi SII have no accessible name (the title is a bold
  line in the body); checkboxes and radios are native inside their labels.
- 3: titles in divs; text and password boxes named only by their placeholder (a box with
  a real placeholder gets "Label:" just before it); deeper wrappers; submits and script
  buttons are anchors with role=button, whose handlers (and the accordion's) are attached
  late; a menubar of menu items; the certificate status is an ARIA region named by
  aria-label; the file input is hidden behind an "Examinar…" button; notices are named
  by aria-label and closed with "Aceptar"; the checkbox and radios are ARIA widgets.

What is invented [inv] in every dialect: the look of every page; the two accounts
(12.345.678-5 "MARÍA GONZÁLEZ PÉREZ", clave ``sii-demo``, ``rgonzalez@empresa.cl``;
11.111.111-1 "JUAN PÉREZ SOTO", clave ``prueba123``, ``jperez@correo.cl``); the text of the
locked page; an unknown RUT answered like a wrong clave; the "Servicios online" index at
``/servicios_online/index.html``, its list and its "Destacados"; the accordion sections
other than "Conozca sobre Factura Electrónica"; the certificate host ``www4.sii.cl`` and
its paths ``/centralizacertificadoui/`` (form) and ``/centralizacertificadoui/guardar``
(multipart POST), its labels, the RUT it shows, and every error text; the "Certificado
centralizado" status on that form (holder, "Vigente hasta", "Estado"; public help pages
only say a person can see whether a certificate is centralized); the "Forma de ingreso al
SII" line in Mi SII ("No informada" until one is chosen); the notices' titles and texts
and their order (two in a chain on every other login); the recovery sub-paths
``…/validar``, ``…/codigo`` (the window, ``?rut=``) and ``…/clave``, the clause text,
every recovery notice and error text, the RUT and masked e-mail they show, the 6-character
codes, their 30-minute life, the secret questions, the middle option "Utilizando Clave
Única o Certificado Digital", the reading that a clave needs both letters and digits, and
the confirmation text.
"""

from portal_bot.mocks.sii.portal import SiiPortal

__all__ = ["SiiPortal"]
