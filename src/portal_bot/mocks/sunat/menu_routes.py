"""``e-menu.sunat.gob.pe``: the entry redirect, the code exchange, the menu and its pop-ups."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from portal_bot.mocks.sunat import login
from portal_bot.mocks.sunat.catalog import (
    AUTH_PATH,
    CAMPAIGN_PATH,
    MENU_PATH,
    MENU_TREE,
    MENU_URL,
    UNAVAILABLE_PATH,
    menu_leaves,
)
from portal_bot.mocks.sunat.web import (
    clear_session_cookie,
    login_url,
    redirect,
    session_token,
    set_session_cookie,
)

if TYPE_CHECKING:
    from portal_bot.mocks.sunat.portal import SunatPortal

SEARCH_LABELS = {"clasico": "¿Qué necesitas hacer?", "nuevo": "Busque una opción del menú"}
"""The search box's label when forced; by default each markup dialect has its own."""


def option_code(node_id: str) -> str:
    """``nivel4_11_9_6_1_1`` → ``11.9.6.1.1``, the ``code`` of ``action=execute``."""
    return node_id.split("_", 1)[1].replace("_", ".")


def search_index() -> list[dict[str, str]]:
    """What the menu's search box looks through: each option with its path."""
    return [
        {"id": node.id, "code": option_code(node.id), "label": node.label, "ruta": " › ".join(path)}
        for node, path in menu_leaves()
    ]


def option_url(code: str) -> str | None:
    """Where ``action=execute&code=…`` sends the application frame."""
    for node, _ in menu_leaves():
        if option_code(node.id) == code and node.url:
            if UNAVAILABLE_PATH in node.url:
                return f"{node.url}?{urlencode({'opcion': node.label})}"
            return node.url
    return None


def menu_routes(portal: SunatPortal) -> list[BaseRoute]:
    """Routes of the menu host, bound to ``portal``."""

    async def menu(request: Request) -> Response:
        token = session_token(request)
        if request.query_params.get("action") == "logout":
            portal.close_session(token)
            response = redirect(MENU_PATH)
            clear_session_cookie(response)
            return response
        session = portal.session(token)
        if session is not None and request.query_params.get("action") == "execute":
            target = option_url(request.query_params.get("code", ""))
            return redirect(target or MENU_PATH)
        if session is None:
            with portal.lock:
                flow = login.start_flow(portal.data, MENU_URL, time.time(), portal.rng)
            return redirect(login_url(flow.state, flow.original_url))
        with portal.lock:
            label_kind = portal.data.settings.menu_search_label
            delay = portal.data.settings.handler_delay_ms
        return portal.render(
            "menu.html",
            session=session,
            search_label=SEARCH_LABELS.get(label_kind),
            execute_url=f"{MENU_PATH}?action=execute",
            tree=MENU_TREE,
            index=search_index(),
            handler_delay_ms=delay,
            campaign_path=CAMPAIGN_PATH,
            logout_url=f"{MENU_PATH}?action=logout",
        )

    async def authenticate(request: Request) -> Response:
        opened = portal.open_session(request.query_params.get("code", ""))
        if opened is None:
            return redirect(MENU_PATH)
        session, original_url = opened
        response = redirect(login.safe_original_url(original_url))
        set_session_cookie(response, session.token)
        return response

    async def campaigns(request: Request) -> Response:
        """The ``ifrVCE`` document: this login's pop-ups, once, after a random delay."""
        popups: list[str] = []
        with portal.lock:
            session = portal.data.sessions.get(session_token(request) or "")
            if session is not None and not session.popups_served:
                session.popups_served = True
                popups = list(session.popups)
            delay = portal.rng.randint(300, 1200)
            chain = portal.rng.randint(100, 400)
        return portal.render("campanhas.html", popups=popups, delay_ms=delay, chain_ms=chain)

    return [
        Route(MENU_PATH, menu, methods=["GET"]),
        Route(AUTH_PATH, authenticate, methods=["GET"]),
        Route(CAMPAIGN_PATH, campaigns, methods=["GET"]),
    ]
