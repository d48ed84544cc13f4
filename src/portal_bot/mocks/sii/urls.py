"""The SII addresses the mock answers, as flows and people type or click them."""

from __future__ import annotations

LOGIN_HOST = "zeusr.sii.cl"  # [src]
MISII_HOST = "misiir.sii.cl"  # [src]
PUBLIC_HOSTS = ("www.sii.cl", "homer.sii.cl")  # [src]
RECOVERY_HOST = "www2.sii.cl"  # [src]
CERT_HOST = "www4.sii.cl"  # [inv: the real host of the upload form is not public]

LOGIN_PATH = "/AUT2000/InicioAutenticacion/IngresoRutClave.html"  # [src]
LOGIN_POST_PATH = "/cgi_AUT2000/CAutInicio.cgi"  # [src]
LOGOUT_PATH = "/cgi_AUT2000/autTermino.cgi"  # [src]
AUT_JS_PATH = "/AUT2000/js/AutAll.js"  # [src]
MISII_PATH = "/cgi_misii/siihome.cgi"  # [src]
SERVICIOS_PATH = "/servicios_online/index.html"  # [inv]
FACTURA_PATH = "/servicios_online/1039-.html"  # [src]
CERTIFICADO_PATH = "/servicios_online/1039-certificado_digital-1182.html"  # [src]
CENTRALIZAR_PATH = "/centralizacertificadoui/"  # [inv]
CENTRALIZAR_POST_PATH = "/centralizacertificadoui/guardar"  # [inv]
RECOVERY_PATH = "/admin-cntr/noauthz/recuperar-clave-tributaria"  # [src]
RECOVERY_CHECK_PATH = RECOVERY_PATH + "/validar"  # [inv]
RECOVERY_CODE_PATH = RECOVERY_PATH + "/codigo"  # [inv]
RECOVERY_CLAVE_PATH = RECOVERY_PATH + "/clave"  # [inv]

MISII_URL = f"https://{MISII_HOST}{MISII_PATH}"
HOME_URL = "https://www.sii.cl/"
HOMER_URL = "https://homer.sii.cl/"
LOGIN_URL = f"https://{LOGIN_HOST}{LOGIN_PATH}"
LOGOUT_URL = f"https://{LOGIN_HOST}{LOGOUT_PATH}"
SERVICIOS_URL = f"https://www.sii.cl{SERVICIOS_PATH}"
FACTURA_URL = f"https://www.sii.cl{FACTURA_PATH}"
CERTIFICADO_URL = f"https://www.sii.cl{CERTIFICADO_PATH}"
CENTRALIZAR_URL = f"https://{CERT_HOST}{CENTRALIZAR_PATH}"
RECOVERY_URL = f"https://{RECOVERY_HOST}{RECOVERY_PATH}"
RECOVERY_CODE_URL = f"https://{RECOVERY_HOST}{RECOVERY_CODE_PATH}"


def login_url(referencia: str = MISII_URL) -> str:
    """The login page that returns to ``referencia`` (the whole query string is the URL)."""
    return f"{LOGIN_URL}?{referencia}"
