"""What every mock portal provides to the shared mock server.

A mock portal is a small Starlette application that answers for one or more of a real
portal's host names (``api-seguridad.sunat.gob.pe``, ``zeusr.sii.cl``…). The server in
``server.py`` routes each request to the portal that owns its ``Host`` header and answers
the ``/__mock__/…`` endpoints itself, on every host, from the portal's :meth:`state`:

- ``GET /__mock__/state``: the portal's state as JSON (what was submitted, counters,
  the current captcha and e-mailed codes under ``challenges``).
- ``POST /__mock__/reset``: back to the initial state.
- ``POST /__mock__/configure``: a JSON object handed to :meth:`configure` (tests and
  practice set scenarios with it, e.g. a request that is later rejected).
- ``GET|POST|DELETE /__mock__/faults``: faults injected into the portal's answers (an
  error page, a slow or dropped answer, an expired session, a pop-up, a lost answer);
  see ``faults.py``.

Every state has at least ``login_attempts`` (every credential submission, accepted or
not), ``submissions`` (every accepted irreversible business action) and ``challenges``
(what a human would read off the screen or the mailbox: captcha text, e-mailed codes).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

from starlette.routing import BaseRoute


class MockPortal(ABC):
    """One mock portal: its host names, its routes and its observable state."""

    name: ClassVar[str]
    """Short name used in the registry and the CLI (``sunat``, ``sii``, ``siigo``)."""

    hosts: ClassVar[tuple[str, ...]]
    """Every host name the portal answers for, exactly as the real portal spells it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.reset()

    @abstractmethod
    def routes(self) -> list[BaseRoute]:
        """Starlette routes; use ``starlette.routing.Host`` to tell the hosts apart."""

    @abstractmethod
    def state(self) -> dict[str, Any]:
        """A JSON-serialisable snapshot; see the module docstring for the common keys."""

    @abstractmethod
    def reset(self) -> None:
        """Forget every submission, session, counter and challenge."""

    @abstractmethod
    def expire_sessions(self) -> None:
        """End every logged-in session (and any half-done procedure tied to one), as the
        real portal does after its idle timeout. Called with :attr:`lock` held."""

    def configure(self, settings: dict[str, Any]) -> None:
        """Apply a scenario setting; portals override this for the settings they know."""
        raise ValueError(f"{self.name}: ajuste desconocido: {sorted(settings)}")

    def demo(self, flow_id: str, folder: Path) -> dict[str, str]:
        """Inputs (secrets included) of the portal's public demo account for a flow.

        Used only against the mock: by ``portal-bot guide``, the pytest plugin and the
        benchmarks. Files the flow needs (a test certificate, a signed letter) are made in
        ``folder``. Raises ``KeyError`` for a flow the portal has no demo for.
        """
        raise KeyError(flow_id)
