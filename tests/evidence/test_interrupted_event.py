"""A Ctrl-C that lands while an event line is being written: the line and the chain hash
the next line names go together, and the interrupt comes just after (CI once saw
``verify`` refuse a folder after a burst of Ctrl-C: «la cadena se rompe en la línea 9»)."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import IO

import pytest

from portal_bot.events import Said
from portal_bot.evidence import Evidence, write_manifest
from portal_bot.job import CtrlC
from portal_bot.verify import verify


class CtrlCOnFlush:
    """The events file, with a Ctrl-C sent as its line reaches the disk."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.armed = True

    def write(self, data: bytes) -> int:
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()
        if self.armed:
            self.armed = False
            os.kill(os.getpid(), signal.SIGINT)

    def close(self) -> None:
        self.file.close()


def test_a_ctrl_c_during_an_event_line_leaves_the_chain_whole(tmp_path: Path) -> None:
    evidence = Evidence(tmp_path / "ev")
    with CtrlC() as ctrl_c:
        evidence(Said(index=1, text="antes"))
        evidence._events = CtrlCOnFlush(evidence._events)  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            evidence(Said(index=2, text="durante"))
        evidence(Said(index=3, text="después"))  # the run closes its folder
    assert ctrl_c.fired
    write_manifest(tmp_path / "ev", evidence.close())

    lines = (tmp_path / "ev" / "events.jsonl").read_bytes().splitlines()
    assert len(lines) == 3
    # (the folder has no report: only the chain is looked at)
    assert [p.message for p in verify(tmp_path / "ev") if p.kind == "chain"] == []
