"""Sections a Ctrl-C must not cut in half.

The first Ctrl-C of a run raises ``KeyboardInterrupt`` wherever the main thread is. Landing
between an event line's write and the chain hash kept for the next line, it left the
events' chain broken (the next line named a ``prev`` that was not the last line's hash),
and ``verify`` then refused the folder. Inside :func:`uncut`, the Ctrl-C handler
(:class:`portal_bot.job.CtrlC`) only notes the interrupt, and it is raised once the
section is over, as if it had come just after.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_state = threading.local()  # signals are handled in the main thread: only its depth counts


@contextmanager
def uncut() -> Iterator[None]:
    """Run the block whole; a Ctrl-C that came meanwhile is raised after it."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        yield
    finally:
        _state.depth -= 1
        pending = _state.depth == 0 and getattr(_state, "pending", False)
        if pending:
            _state.pending = False  # an error leaving the block ends the run anyway
    if pending:
        raise KeyboardInterrupt


def put_off() -> bool:
    """For the Ctrl-C handler: True when the interrupt is to be raised at the end of the
    section under way (then it must not raise it itself)."""
    if getattr(_state, "depth", 0):
        _state.pending = True
        return True
    return False
