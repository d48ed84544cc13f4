"""Fixed data of the SUNAT mock: host names, the demo account, PSEs and the menu tree."""

from __future__ import annotations

from dataclasses import dataclass

MENU_HOST = "e-menu.sunat.gob.pe"
LOGIN_HOST = "api-seguridad.sunat.gob.pe"
MODULE_HOST = "ww1.sunat.gob.pe"
COOKIE_DOMAIN = ".sunat.gob.pe"
SESSION_COOKIE = "ITMENUSESSION"

CLIENT_ID = "4f3b88b3-d9d6-402a-b85d-6a0bc857746a"
OAUTH_PREFIX = f"/v1/clientessol/{CLIENT_ID}/oauth2"
MENU_PATH = "/cl-ti-itmenu/MenuInternet.htm"
AUTH_PATH = "/cl-ti-itmenu/AutenticaMenuInternet.htm"
CAMPAIGN_PATH = "/ol-ti-itmoddatosruc/campanhas.htm"
PSE_PATH = "/ol-ti-itpseautorizacion/autorizacionpse.htm"
UNAVAILABLE_PATH = "/ol-ti-itmenu/opcionNoDisponible.htm"

MENU_URL = f"https://{MENU_HOST}{MENU_PATH}"
PSE_URL = f"https://{MODULE_HOST}{PSE_PATH}"


@dataclass(frozen=True)
class Account:
    """A SOL user: RUC + usuario + clave, and the razón social shown after login."""

    ruc: str
    usuario: str
    clave: str
    razon_social: str


DEMO = Account("20100066603", "MODDATOS", "moddatos", "EMPRESA DEMO MODDATOS S.A.C.")
ACCOUNTS = {(DEMO.ruc, DEMO.usuario): DEMO}

VIDA_SOFTWARE = "20600337832"
ACTIVE_PSES: dict[str, str] = {
    VIDA_SOFTWARE: "VIDA SOFTWARE S.A.C.",
    "20555666773": "INNOVA FIRMA DIGITAL S.A.C.",
    "20487654320": "SERVICIOS ELECTRONICOS DEL PACIFICO S.A.",
    "20601122333": "QHAPAQ FACTURACION ELECTRONICA S.A.C.",
    "20512345671": "ANDES COMPROBANTES DIGITALES E.I.R.L.",
}
"""PSEs SUNAT lists as active (all but VIDA SOFTWARE are invented; RUCs are valid)."""

ENDED_PSE = ("20533445561", "TECNOLOGIA TRIBUTARIA LIMA S.A.C.", "01/03/2019", "31/12/2021")
"""The old, ended authorization every demo grid starts with (invented)."""

POPUP_NAMES = ("importante", "informativo", "celular")
"""Campaign pop-ups, in the order they come up: the "IMPORTANTE" notice, then the forms that
ask to confirm the e-mail address ("informativo") and the mobile phone ("celular")."""


@dataclass(frozen=True)
class MenuNode:
    """One option of the classic SOL menu tree (``li.nivelN`` with a real-looking id)."""

    id: str
    label: str
    children: tuple[MenuNode, ...] = ()
    url: str | None = None

    @property
    def level(self) -> int:
        return int(self.id[len("nivel")])


def _leaf(id_: str, label: str, url: str | None = None) -> MenuNode:
    return MenuNode(id_, label, url=url or f"https://{MODULE_HOST}{UNAVAILABLE_PATH}")


MENU_TREE: tuple[MenuNode, ...] = (
    MenuNode(
        "nivel1_11",
        "Empresas",
        (
            MenuNode(
                "nivel2_11_5",
                "Mi RUC y otros registros",
                (
                    MenuNode(
                        "nivel3_11_5_2",
                        "Datos del RUC",
                        (
                            _leaf("nivel4_11_5_2_1_1", "Altas y Bajas de Establecimientos Anexos"),
                            _leaf("nivel4_11_5_2_1_2", "Actualizar datos de contacto"),
                        ),
                    ),
                    MenuNode(
                        "nivel3_11_5_3",
                        "Representantes legales",
                        (_leaf("nivel4_11_5_3_1_1", "Altas y Bajas de Representantes Legales"),),
                    ),
                ),
            ),
            MenuNode(
                "nivel2_11_9",
                "Comprobantes de pago",
                (
                    MenuNode(
                        "nivel3_11_9_1",
                        "SEE - SOL",
                        (
                            _leaf("nivel4_11_9_1_1_1", "Emitir Factura"),
                            _leaf("nivel4_11_9_1_1_2", "Consultar Factura y Nota"),
                        ),
                    ),
                    MenuNode(
                        "nivel3_11_9_6",
                        "SEE - Del contribuyente",
                        (
                            _leaf("nivel4_11_9_6_1_1", "Altas/Bajas de PSE", PSE_URL),
                            _leaf("nivel4_11_9_6_1_2", "Consulta de comprobantes electrónicos"),
                        ),
                    ),
                ),
            ),
            MenuNode(
                "nivel2_11_11",
                "Mis declaraciones y pagos",
                (
                    MenuNode(
                        "nivel3_11_11_1",
                        "Declaraciones y pagos",
                        (_leaf("nivel4_11_11_1_1_1", "Declaro y pago"),),
                    ),
                ),
            ),
        ),
    ),
    MenuNode(
        "nivel1_12",
        "Trámites y consultas",
        (
            MenuNode(
                "nivel2_12_1",
                "Consultas",
                (
                    MenuNode(
                        "nivel3_12_1_1",
                        "Consulta RUC",
                        (_leaf("nivel4_12_1_1_1_1", "Consulta de Ficha RUC"),),
                    ),
                ),
            ),
        ),
    ),
)


def menu_leaves(
    nodes: tuple[MenuNode, ...] = MENU_TREE, path: tuple[str, ...] = ()
) -> list[tuple[MenuNode, tuple[str, ...]]]:
    """Every selectable option with the labels of its ancestors (the search index)."""
    found: list[tuple[MenuNode, tuple[str, ...]]] = []
    for node in nodes:
        if node.children:
            found.extend(menu_leaves(node.children, (*path, node.label)))
        else:
            found.append((node, path))
    return found
