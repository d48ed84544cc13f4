"""The command's entry point: secrets out of the environment before anything else loads.

``/proc/PID/environ`` shows the environment a process was started with for as long as it
lives, whatever is later removed from ``os.environ``. So when ``PORTAL_BOT_SECRET_*`` come
in the environment, they are written to a pipe and the process starts itself again
(``execve``: same PID, same arguments) without them; the new process reads them from the
pipe (``secrets.HANDED``) and never puts them in its environment, so no child process gets
them either. Where there is no ``execve`` nothing changes.

This module imports only the standard library until the hand-over is done: the command
line (typer, rich, the flow models) loads once, in the process that runs.
"""

from __future__ import annotations

import json
import os
import sys

SECRET_PREFIX = "PORTAL_BOT_SECRET_"
HANDOVER_FD = "PORTAL_BOT_SECRETS_FD"


def hide_secrets_from_environment(argv: list[str]) -> None:
    """Start the process again without ``PORTAL_BOT_SECRET_*`` in its environment, the
    secrets in a pipe; in the process started so, read them from the pipe."""
    handed = os.environ.pop(HANDOVER_FD, None)
    if handed is not None:
        from portal_bot.secrets import receive_handed

        receive_handed(handed)
        return
    found = {k: v for k, v in os.environ.items() if k.startswith(SECRET_PREFIX)}
    data = json.dumps(found).encode()
    if not found or sys.platform == "win32" or not hasattr(os, "execve") or len(data) > 60_000:
        return  # (a pipe holds 64 KiB written at once; claves are short)
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    os.set_inheritable(read_end, True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(SECRET_PREFIX)}
    clean[HANDOVER_FD] = str(read_end)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, *argv], clean)


def main() -> None:
    try:
        hide_secrets_from_environment(sys.orig_argv[1:])
        from portal_bot.cli import app

        app()
    except KeyboardInterrupt:  # a Ctrl-C outside a run (or after its folder was closed)
        raise SystemExit(130) from None
