"""The exception tree. Only the CLI catches these and maps them to exit codes.

::

    PortalBotError                  every error the tool raises on purpose
    ├── UsageError                  exit 2: bad options (e.g. --yes against a live portal)
    │   ├── FlowError               exit 2: a flow file is invalid (file:line:col)
    │   ├── InputError              exit 2: an input value is invalid or missing
    │   └── BrowserNotFound         exit 2: no browser to run
    ├── StepFailed                  exit 1: a step could not be done (names the step)
    │   └── CredentialsRejected     exit 1: the portal refused the password; never retried
    ├── GateDeclined                exit 3: a human (or the lack of one) declined a gate
    └── LeakDetected                exit 4: a secret was found in the evidence folder

Every message is operator-facing Spanish and never holds a secret value.
"""

from __future__ import annotations


class PortalBotError(Exception):
    """Base of every error portal-bot raises on purpose."""

    exit_code = 1


class UsageError(PortalBotError):
    exit_code = 2


class FlowError(UsageError):
    """A flow file could not be loaded; ``problems`` lists each ``file:line:col`` message."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class InputError(UsageError):
    pass


class BrowserNotFound(UsageError):
    pass


class StepFailed(PortalBotError):
    exit_code = 1

    def __init__(self, step: str, reason: str, index: int | None = None) -> None:
        number = f" {index}" if index is not None else ""
        named = f" «{step}»" if step else ""
        super().__init__(f"Falló el paso{number}{named}: {reason}")
        self.step = step
        self.reason = reason
        self.index = index


class CredentialsRejected(StepFailed):
    pass


class GateDeclined(PortalBotError):
    exit_code = 3


class LeakDetected(PortalBotError):
    exit_code = 4
