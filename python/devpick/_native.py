"""Loading libdevpick.so and calling its C ABI (include/devpick/devpick.h) through ctypes.

Only this module touches ctypes. Every string the library returns is copied into Python and
released with devpick_string_free at once, so no C memory outlives a call. The library is
looked for, in order: $DEVPICK_LIBRARY (which must exist when set), beside this package
(a wheel or an in-tree copy), then by soname through the system loader (an installed prefix).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple

from .errors import DevpickError, error_for

# The soname of the ABI this package speaks; a newer major version would change it.
SONAME = "libdevpick.so.0"
# Functions the package needs were all present in ABI version 1.
_MIN_ABI_VERSION = 1

_lock = threading.Lock()
_library: Optional[ctypes.CDLL] = None


def _candidates() -> List[Tuple[str, str]]:
    """(path or soname, where it came from), in the order they are tried."""
    variable = os.environ.get("DEVPICK_LIBRARY")
    if variable:
        return [(variable, "DEVPICK_LIBRARY")]
    here = os.path.dirname(os.path.abspath(__file__))
    found = [(os.path.join(here, name), "the devpick package directory")
             for name in (SONAME, "libdevpick.so")]
    found.append((SONAME, "the system library path"))
    return found


def _declare(library: ctypes.CDLL) -> None:
    """Declares the prototypes, so ctypes checks arguments instead of guessing int."""
    handle_out = ctypes.POINTER(ctypes.c_void_p)
    string_out = ctypes.POINTER(ctypes.c_void_p)  # char**: freed with devpick_string_free
    prototypes = {
        "devpick_version": (ctypes.c_char_p, []),
        "devpick_abi_version": (ctypes.c_int, []),
        "devpick_discover": (ctypes.c_int, [ctypes.c_char_p, handle_out, string_out]),
        "devpick_inventory_list_json": (ctypes.c_int, [ctypes.c_void_p, string_out, string_out]),
        "devpick_inventory_snapshot_json": (ctypes.c_int,
                                            [ctypes.c_void_p, string_out, string_out]),
        "devpick_select": (ctypes.c_int,
                           [ctypes.c_void_p, ctypes.c_char_p, string_out, string_out]),
        "devpick_inventory_doctor_json": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p,
                                                         string_out, string_out]),
        "devpick_inventory_free": (None, [ctypes.c_void_p]),
        "devpick_string_free": (None, [ctypes.c_void_p]),
    }
    for name, (restype, argtypes) in prototypes.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes


def library() -> ctypes.CDLL:
    """The loaded libdevpick, loading it on first use; DevpickError when it cannot be found."""
    global _library
    with _lock:
        if _library is not None:
            return _library
        problems = []
        for path, origin in _candidates():
            if os.sep in path and not os.path.exists(path):
                problems.append(f"{path} ({origin}): not found")
                continue
            try:
                loaded = ctypes.CDLL(path)
            except OSError as error:
                problems.append(f"{path} ({origin}): {error}")
                continue
            try:
                _declare(loaded)
            except AttributeError as error:
                problems.append(f"{path} ({origin}): not a devpick library ({error})")
                continue
            abi = loaded.devpick_abi_version()
            if abi < _MIN_ABI_VERSION:
                problems.append(f"{path} ({origin}): ABI version {abi}, this package needs "
                                f"{_MIN_ABI_VERSION} or newer")
                continue
            _library = loaded
            return loaded
        raise DevpickError(1, "cannot load libdevpick: " + "; ".join(problems) +
                           "; set DEVPICK_LIBRARY to the path of libdevpick.so")


def _take_string(pointer: ctypes.c_void_p) -> Optional[str]:
    """Copies a library-owned string into Python and frees it."""
    if not pointer.value:
        return None
    try:
        return ctypes.string_at(pointer.value).decode("utf-8", errors="replace")
    finally:
        library().devpick_string_free(pointer)


def _encode(arguments: Dict[str, Any]) -> bytes:
    return json.dumps(arguments).encode("utf-8")


def version() -> str:
    return library().devpick_version().decode("ascii")


class Handle:
    """An owned devpick_inventory*; closed explicitly, by `with`, or when collected.

    Calls from several threads may be in flight at once; each holds a use of the handle for its
    duration, and close() from another thread only marks it closed: the inventory is freed when
    the last call in flight returns, never under one (freeing it there was a use-after-free).
    """

    def __init__(self, options: Dict[str, Any]):
        lib = library()
        self._lock = threading.Lock()
        self._uses = 0
        self._closed = False
        self._pointer = ctypes.c_void_p()
        error = ctypes.c_void_p()
        code = lib.devpick_discover(_encode(options), ctypes.byref(self._pointer),
                                    ctypes.byref(error))
        message = _take_string(error)
        if code != 0:
            raise error_for(code, message or "devpick_discover failed")

    def close(self) -> None:
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ failed before the handle existed
            return
        with lock:
            if self._closed:
                return
            self._closed = True
            idle = self._uses == 0
        if idle:
            self._free()

    def _free(self) -> None:
        with self._lock:
            pointer, self._pointer = self._pointer, ctypes.c_void_p()
        if pointer.value:
            library().devpick_inventory_free(pointer)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the module globals may be gone
            pass

    @contextlib.contextmanager
    def _use(self) -> Iterator[ctypes.c_void_p]:
        """The inventory pointer, kept alive until the block ends even if close() is called."""
        with self._lock:
            if self._closed or not self._pointer.value:
                raise DevpickError(2, "this devpick machine was closed")
            self._uses += 1
            pointer = self._pointer
        try:
            yield pointer
        finally:
            with self._lock:
                self._uses -= 1
                last = self._closed and self._uses == 0
            if last:
                self._free()

    def _document(self, function_name: str) -> str:
        output, error = ctypes.c_void_p(), ctypes.c_void_p()
        with self._use() as pointer:
            code = getattr(library(), function_name)(pointer, ctypes.byref(output),
                                                     ctypes.byref(error))
        text, message = _take_string(output), _take_string(error)
        if code != 0:
            raise error_for(code, message or f"{function_name} failed")
        return text or ""

    def list_json(self) -> str:
        return self._document("devpick_inventory_list_json")

    def snapshot_json(self) -> str:
        return self._document("devpick_inventory_snapshot_json")

    def doctor_json(self, request: Dict[str, Any]) -> Tuple[int, Optional[str], Optional[str]]:
        """(status code, report document or None, error message or None); 4 = problems."""
        output, error = ctypes.c_void_p(), ctypes.c_void_p()
        with self._use() as pointer:
            code = library().devpick_inventory_doctor_json(pointer, _encode(request),
                                                           ctypes.byref(output),
                                                           ctypes.byref(error))
        return code, _take_string(output), _take_string(error)

    def select_json(self, request: Dict[str, Any]) -> Tuple[int, Optional[str], Optional[str]]:
        """(status code, decision document or None, error message or None)."""
        output, error = ctypes.c_void_p(), ctypes.c_void_p()
        with self._use() as pointer:
            code = library().devpick_select(pointer, _encode(request), ctypes.byref(output),
                                            ctypes.byref(error))
        return code, _take_string(output), _take_string(error)
