"""Mock of Chile's SII: login, Mi SII, centralizing a certificate, Recuperar Clave.

What is real [src] (``/work/shared/portals.md``, seed 003, albertomarturelo/sii docs):
host names ``zeusr``, ``misiir``, ``www``, ``homer`` and ``www2.sii.cl``; the login URL
``/AUT2000/InicioAutenticacion/IngresoRutClave.html?<return URL>`` titled
"Autenticación", ``form#myform`` posting ``rut``/``dv``/``referencia``/``clave``/``411``
to ``/cgi_AUT2000/CAutInicio.cgi``; ``#rutcntr`` (placeholder "Ej: 123456789",
maxlength 12), ``#clave``, ``#bt_ingresar`` "Ingresar"; the four client-side messages
in ``#alert_placeholder``; the wrong-clave page that stays on ``zeusr`` with code
01.01.203.500.720.20 and "Aceptar"; a lock after repeated failures for an hour with a
code ending 09; Mi SII at ``/cgi_misii/siihome.cgi`` with an inline ``DatosCntrNow``;
logout at ``/cgi_AUT2000/autTermino.cgi``; the cookie names ``TOKEN``, ``CSESSIONID``,
``RUT_NS``, ``DV_NS`` on ``.sii.cl``; ``/servicios_online/1039-.html`` (Factura
electrónica) and ``/servicios_online/1039-certificado_digital-1182.html``; the menu
path and texts of seed 003 ("Servicios online", "Conozca sobre Factura Electrónica",
"Certificado Digital", "Centralizar certificado digital", "Enviar", "Se guardó archivo
OK", "Cerrar", "Salir", "Recuperar Clave", "Acepto la Cláusula", "Continuar",
"Ingresar Código provisorio", "Enviar código", "Utilizando Clave Tributaria o
Certificado Digital", "Enviar formulario"); the recovery URL
``/admin-cntr/noauthz/recuperar-clave-tributaria``.

What is invented [inv]: the look of every page; the two accounts (12.345.678-5
"MARÍA GONZÁLEZ PÉREZ", clave ``sii-demo``, ``rgonzalez@empresa.cl``; 11.111.111-1
"JUAN PÉREZ SOTO", clave ``prueba123``, ``jperez@correo.cl``); the text of the locked
page; an unknown RUT answered like a wrong clave; the "Servicios online" index at
``/servicios_online/index.html`` and its list; the accordion sections of the Factura
electrónica page other than "Conozca sobre Factura Electrónica"; the certificate host
``www4.sii.cl`` and its paths ``/centralizacertificadoui/`` (form) and
``/centralizacertificadoui/guardar`` (multipart POST), its labels and every error text;
the "Certificado centralizado" panel on that form (holder, "Vigente hasta", "Estado";
public help pages only say a person can see whether a certificate is centralized); the
"Forma de ingreso al SII" line in Mi SII ("No informada" until one is chosen);
the recovery sub-paths ``…/codigo`` and ``…/clave``, the clause text, every recovery
error text, the 6-character codes, their 30-minute life, the options "Utilizando solo
Certificado Digital" and "Utilizando Clave Única", the clave rules (8 to 12 characters,
letters and digits, both present) and the confirmation text; the optional "Importante"
pop-up (``#ModalEmergente``) over Mi SII, once per session, when ``login_modal`` is on
(real scrapers close a ``#ModalEmergente``; its contents are ours).
"""

from portal_bot.mocks.sii.portal import SiiPortal

__all__ = ["SiiPortal"]
