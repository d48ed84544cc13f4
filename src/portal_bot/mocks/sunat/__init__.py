"""Mock of SUNAT Operaciones en Línea (SOL) for the "Altas/Bajas de PSE" procedure.

Three hosts, as the real portal: ``e-menu.sunat.gob.pe`` (entry, menu, campaign pop-ups),
``api-seguridad.sunat.gob.pe`` (OAuth login) and ``ww1.sunat.gob.pe`` (the module, inside a
cross-origin ``iframe#iframeApplication``). The session is a ``Domain=.sunat.gob.pe;
Secure; HttpOnly; SameSite=None`` cookie.

Real, from public sources (see ``/work/shared/portals.md``): entry URL and the 302 to
``…/oauth2/loginMenuSol?…&state=…``; the login form (tabs RUC/DNI, placeholders, maxlengths,
ids, "Iniciar sesión", "Recuérdame…", "¿Te olvidaste tu usuario o clave?"); the stale
``state`` message on ``/oauth2/error`` in ``#divErrorRUC``; ``#spanMensajeError`` in a
``.alert.alert-danger`` box; a hidden ``#txtCaptcha`` shown on repeated logins; the chain
through ``AutenticaMenuInternet.htm?code=…``; the menu title, "Bienvenido, …", "Salir";
both search-box labels; the ``li.nivelN``/``span.spanNivelDescripcion`` tree with
``nivel4_11_9_6_1_1``; late click handlers; the ``iframe#ifrVCE`` campaign pop-ups
("Importante" with a close icon, "Informativo" with "Finalizar"/"Continuar sin
confirmar", ``body.tundra``); the module's title, "Alta Servicio", the dialogs "Alta de
autorización de PSE" and "Lista de PSE activos", their ids, the "no permission" paragraph
(``div.cuerpo p.error``); 20600337832 = VIDA SOFTWARE S.A.C.; the date rule (after today).

Invented [inv]: every error and success text of the login (wrong clave, lockout after 3
wrong claves, captcha, rate limit) and of the module; the captcha trigger (a successful
login of the same RUC within ``captcha_window_s``, checked when the RUC is typed and again
on submit) and its picture; the rate limit (more than ``rate_limit`` logins in 10 min); the
``j_security_check`` field names; the ``verificaCaptcha``/``captcha``/``recuperarClave``
endpoints; the cookie name; the module path ``/ol-ti-itpseautorizacion/autorizacionpse.htm``
and its ``action=listarPse`` / POST ``action=registrar`` calls; the campaign page path and
texts; the grid as a real ``<table>`` (the real one is a Dojo grid) with its columns and
the pre-populated ended PSE; the other active PSEs and their names; the radio + "Aceptar"
selection; the "Mensaje" dialog after a registration; the demo razón social; the other menu
options (they open an "opción no disponible" page).
"""

from portal_bot.mocks.sunat.portal import SunatPortal

__all__ = ["SunatPortal"]
