"""devpick's exceptions: one class per status code of the C ABI and the CLI."""

from __future__ import annotations

from typing import Any, Optional


class DevpickError(Exception):
    """A devpick failure. `code` is the CLI's exit status; str() is the CLI's message."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class InvalidRequest(DevpickError, ValueError):
    """Bad input (exit status 2): an unknown backend, a malformed device spec, a bad snapshot."""

    def __init__(self, message: str):
        super().__init__(2, message)


class NoEligibleDevice(DevpickError):
    """A valid request no device satisfies (exit status 3). `decision` says why, per device."""

    def __init__(self, message: str, decision: Any = None):
        super().__init__(3, message)
        self.decision = decision


def error_for(code: int, message: str, decision: Optional[Any] = None) -> DevpickError:
    if code == 2:
        return InvalidRequest(message)
    if code == 3:
        return NoEligibleDevice(message, decision)
    return DevpickError(code, message)
