"""Several flows' dry-runs at once against serially: one `portal-bot run --dry-run`
process per flow, all against one mock server.

    .venv/bin/python benchmarks/scale.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal_bot.loader import load_flow
from portal_bot.mocks import all_portals, make_portal
from portal_bot.mocks.server import MockServer

ROOT = Path(__file__).resolve().parents[1]


def commands(address: str, folder: Path) -> list[tuple[list[str], dict[str, str]]]:
    out = []
    for path in sorted((ROOT / "flows").glob("*.yaml")):
        flow = load_flow(path)
        assert flow.mock is not None
        values = make_portal(flow.mock).demo(flow.id, folder)
        secret = {k for k, spec in flow.inputs.items() if spec.type == "secret"}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BOT_")}
        env.update({f"PORTAL_BOT_SECRET_{k.upper()}": values[k] for k in secret})
        args = [sys.executable, "-m", "portal_bot", "run", flow.id, "--dry-run", "--yes", "-q"]
        args += ["--mock-server", address]
        for name, value in values.items():
            if name not in secret:
                args += ["--input", f"{name}={value}"]
        out.append((args, env))
    return out


def timed(batch: list[tuple[list[str], dict[str, str]]], folder: Path, at_once: bool) -> float:
    started = time.perf_counter()
    running = []
    for i, (args, env) in enumerate(batch):
        evidence = folder / f"{'juntos' if at_once else 'serie'}-{i}"
        process = subprocess.Popen([*args, "--evidence", str(evidence)], env=env, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)  # fmt: skip
        if at_once:
            running.append(process)
        else:
            assert process.wait() == 0
    assert all(process.wait() == 0 for process in running)
    return time.perf_counter() - started


def main() -> None:
    with MockServer(all_portals()) as server, tempfile.TemporaryDirectory() as tmp:
        server.portal("sunat").configure({"popups": "none", "captcha": "never"})
        batch = commands(server.address, Path(tmp))
        serial = timed(batch, Path(tmp), at_once=False)
        together = timed(batch, Path(tmp), at_once=True)
    cores = os.cpu_count() or 1
    print(f"{len(batch)} flows' dry-runs on {cores} cores")
    print(f"one after another: {serial:.1f} s")
    share = f"{together / serial:.2f} of serial; 1/{cores} = {1 / cores:.2f}"
    print(f"all at once:       {together:.1f} s  ({share})")


if __name__ == "__main__":
    main()
