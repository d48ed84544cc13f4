"""Real runs of every seed flow whose evidence folders the tests in this folder read (and
copy before changing): each is made once per session, and every test that reads one runs
on the same pytest-xdist worker (the «shared-runs» group, tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from portal_bot.evidence import read_events
from portal_bot.loader import load_flow
from portal_bot.mocks import make_portal
from portal_bot.mocks.server import MockServer
from portal_bot.prompt import ScriptedPrompter
from tests.conftest import FLOWS, Runner


@pytest.fixture(scope="session")
def pristine(demo_runs: DemoRuns) -> Path:
    """A successful pe-sunat-pse-alta run (the demo run the other evidence tests read too);
    tests copy it before changing anything."""
    folder = demo_runs("pe-sunat-pse-alta")
    completed(folder)
    return folder


SEED_RUNS = {
    "pe-sunat-pse-alta": {},
    "cl-sii-autenticacion-certificado": {},
    "cl-sii-centralizar-certificado": {},
    "co-siigo-certificado-digital": {},
    "co-siigo-certificado-digital-impago": {"usuario": "pendiente@empresa.co", "nit": "9012345677"},
}
"""Every seed flow on its mock's demo account with ``--yes`` (the unpaid Siigo account
too: it pays, so it has the most screens), as a customer guide and a supervisor see it."""


@dataclass
class DemoRuns:
    """Runs each seed flow once per session, on demand, and keeps its folder."""

    runner: Runner
    tmp: Path
    done: dict[tuple[str, str], Path] = field(default_factory=dict)

    def __call__(self, name: str, mode: str = "run", approve: bool = True) -> Path:
        key = (name, f"{mode}-{approve}")
        if key not in self.done:
            flow_id = name.removesuffix("-impago")
            loaded = load_flow(FLOWS / f"{flow_id}.yaml")
            assert loaded.mock is not None
            portal = make_portal(loaded.mock)
            demo = {**portal.demo(flow_id, self.tmp), **SEED_RUNS[name]}
            secrets = {k: v for k, v in demo.items()
                       if k in loaded.inputs and loaded.inputs[k].type == "secret"}  # fmt: skip
            given = {k: v for k, v in demo.items() if k not in secrets}
            self.runner.reset(loaded.mock)
            prompter = None if approve else ScriptedPrompter(False, by="agente")
            result = self.runner(
                flow_id, given, secrets, mode=mode, yes=approve, prompter=prompter,
                evidence=self.tmp / f"{name}-{mode}-{approve}",
            )  # fmt: skip
            self.done[key] = result.folder
        return self.done[key]


def completed(folder: Path) -> str:
    """The run's end message; fails the test unless the run completed."""
    end = read_events(folder)[-1]
    assert end["type"] == "run_ended" and end["outcome"] in ("done", "already_done"), end
    return str(end["message"])


@pytest.fixture(scope="session")
def demo_runs(
    tmp_path_factory: pytest.TempPathFactory, mock_server: MockServer, browser: Browser
) -> DemoRuns:
    tmp = tmp_path_factory.mktemp("demo-runs")
    return DemoRuns(Runner(mock_server, browser, tmp), tmp)
