"""devpick: which compute device an inference backend should use, and what it calls it.

A thin ctypes layer over libdevpick's C ABI (no compiled extension, so one copy serves every
CPython 3.8+):

    >>> import devpick
    >>> decision = devpick.select("openvino")
    >>> decision.native
    {'openvino': 'GPU.1', 'torch': 'cpu'}
    >>> devpick.torch_device("cuda")        # drop-in for SD.Next's get_optimal_device_name()
    'cuda:0'
    >>> devpick.openvino_device()           # the OpenVINO device string to compile for
    'GPU.1'

Every function probes this machine, or replays a snapshot written by `devpick snapshot` when
given `replay=PATH` (or `snapshot=TEXT`, or a captured tree with `root=DIR`). Probing is done
once per set of discovery options and cached for the process; `clear_cache()` forgets it, and
`discover()` gives an uncached Machine to reuse explicitly.

Errors are exceptions carrying the CLI's messages: InvalidRequest (exit status 2: unknown
backend, malformed device spec, unreadable snapshot), NoEligibleDevice (3: nothing can run the
request; there is no silent CPU fallback unless fallback="cpu" is asked for), DevpickError (1).

Thread-safety: functions may be called from several threads; a Machine may be shared.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Union

from . import _native
from .errors import DevpickError, InvalidRequest, NoEligibleDevice, error_for

__all__ = [
    "Candidate", "Decision", "Device", "DevpickError", "InvalidRequest", "Machine",
    "NoEligibleDevice", "clear_cache", "discover", "doctor", "list", "openvino_device", "select",
    "snapshot", "torch_device", "version",
]

_builtin_list = list  # `list` below is devpick.list(), as the CLI's command is called


@dataclass(frozen=True)
class Device:
    """The chosen device's identity, as `devpick select --json` prints it."""

    id: str  # cpu, gpu0, gpu1, npu0
    kind: str  # cpu, dgpu, igpu, npu
    vendor: str  # nvidia, amd, intel, apple, qualcomm, microsoft, other
    name: str
    pci_address: Optional[str] = None  # dddd:bb:dd.f, lower case; None for the CPU
    uuid: Optional[str] = None
    memory_total_bytes: Optional[int] = None

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "Device":
        return cls(id=document["id"], kind=document["kind"], vendor=document["vendor"],
                   name=document.get("name", ""), pci_address=document.get("pci_address"),
                   uuid=document.get("uuid"),
                   memory_total_bytes=document.get("memory_total_bytes"))


@dataclass(frozen=True)
class Candidate:
    """One inventory device as the decision judged it."""

    id: str
    eligible: bool
    rank: Optional[int]  # 1 = chosen; None for ineligible devices
    reason: str  # "discrete GPU, 16 GiB", "OpenVINO cannot drive NVIDIA GPUs"
    reason_code: str  # eligible, backend_cannot_drive, hidden_by_env, excluded, ...
    # policy="measured": {"measured", "correct", "gflops", "source", "failure"}; else None.
    measurement: Optional[Dict[str, Any]] = None

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "Candidate":
        return cls(id=document["id"], eligible=document["eligible"], rank=document.get("rank"),
                   reason=document.get("reason", ""), reason_code=document.get("reason_code", ""),
                   measurement=document.get("measurement"))


@dataclass(frozen=True)
class Decision:
    """The device a backend should use, what the backend calls it, and why."""

    backend: str  # canonical: cuda, rocm, zluda, xpu, openvino, directml, mps, onnxruntime, ...
    policy: str  # performance, efficiency, memory, measured
    device: Optional[Device]  # None when no device is eligible (then `error` says why)
    native: Dict[str, Any]  # {"torch": "cuda:0"}, {"openvino": "GPU.1", "torch": "cpu"}, ...
    env: Dict[str, str]  # assignments that make `native` exact; see apply_env()
    fallback: bool  # True when the CPU was chosen because fallback="cpu" was requested
    candidates: List[Candidate] = field(default_factory=_builtin_list)
    warnings: List[str] = field(default_factory=_builtin_list)
    error: Optional[str] = None
    backend_recommended: bool = False  # True when no backend was requested
    document: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, document: Dict[str, Any]) -> "Decision":
        device = document.get("device")
        return cls(backend=document["backend"], policy=document["policy"],
                   device=Device.from_json(device) if device else None,
                   native=dict(document.get("native") or {}), env=dict(document.get("env") or {}),
                   fallback=bool(document.get("fallback", False)),
                   candidates=[Candidate.from_json(c) for c in document.get("candidates", [])],
                   warnings=_builtin_list(document.get("warnings", [])),
                   error=document.get("error"),
                   backend_recommended=bool(document.get("backend_recommended", False)),
                   document=document)

    @property
    def torch(self) -> Optional[str]:
        """The torch device string ("cuda:0", "xpu:0", "cpu", "mps"), if the backend has one."""
        value = self.native.get("torch")
        return value if isinstance(value, str) else None

    @property
    def openvino(self) -> Optional[str]:
        """The OpenVINO device name ("GPU.1", "GPU", "NPU", "CPU"), if the backend has one."""
        value = self.native.get("openvino")
        return value if isinstance(value, str) else None

    def apply_env(self, environ: Optional[Dict[str, str]] = None) -> None:
        """Makes the environment assignments in `environ` (default: os.environ). They must
        precede the backend runtime's initialisation (importing torch and using CUDA/XPU)."""
        target = os.environ if environ is None else environ
        for key, value in self.env.items():
            target[key] = value


def _discover_options(replay: Optional[Union[str, os.PathLike]] = None,
                      snapshot: Optional[str] = None,
                      root: Optional[Union[str, os.PathLike]] = None,
                      probes: Optional[Iterable[str]] = None,
                      no_probe: Optional[Iterable[str]] = None,
                      timeout_ms: Optional[int] = None,
                      in_process: Optional[bool] = None,
                      probe_helper: Optional[Union[str, os.PathLike]] = None) -> Dict[str, Any]:
    """The options JSON of devpick_discover; only what was given, so the library's defaults
    apply to the rest."""
    given = {
        "replay": os.fspath(replay) if replay is not None else None,
        "snapshot_json": snapshot,
        "root": os.fspath(root) if root is not None else None,
        "probes": _builtin_list(probes) if probes is not None else None,
        "no_probe": _builtin_list(no_probe) if no_probe is not None else None,
        "timeout_ms": timeout_ms,
        "in_process": in_process,
        "probe_helper": os.fspath(probe_helper) if probe_helper is not None else None,
    }
    return {key: value for key, value in given.items() if value is not None}


class Machine:
    """A discovered (or replayed) machine: the inventory to list, snapshot and select on."""

    def __init__(self, **options: Any):
        self._handle = _native.Handle(_discover_options(**options))

    def __enter__(self) -> "Machine":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def list(self) -> Dict[str, Any]:
        """The `devpick list --json` document: {"devices", "diagnostics", "backends"}."""
        return json.loads(self._handle.list_json())

    def snapshot(self) -> str:
        """The snapshot document (SNAPSHOT.md); replay it with select(replay=...) or the CLI."""
        return self._handle.snapshot_json()

    def doctor(self, backend: Optional[str] = None,
               python: Optional[Union[str, os.PathLike, bool]] = None) -> Dict[str, Any]:
        """The `devpick doctor --json` report: {"backend", "findings", "errors", "warnings"}.
        `python` also inspects a Python environment (a venv or an interpreter; True: this
        interpreter's sys.prefix) for torch/openvino/onnxruntime builds that do not fit.
        Problems are returned, not raised: check report["errors"]."""
        request: Dict[str, Any] = {"backend": backend}
        if python is True:
            request["python"] = sys.prefix
        elif python:
            request["python"] = os.fspath(python)
        code, text, message = self._handle.doctor_json(request)
        if code not in (0, 4):
            raise error_for(code, message or "devpick_inventory_doctor_json failed")
        return json.loads(text or "{}")

    def select(self, backend: Optional[str] = None, device: Optional[str] = None,
               policy: Optional[str] = None, fallback: Optional[str] = None,
               min_memory: Optional[Union[str, int]] = None,
               exclude: Optional[Union[str, Iterable[str]]] = None,
               isolate: bool = False) -> Decision:
        """The decision for `backend` (None: devpick recommends one). Raises InvalidRequest
        for a bad request and NoEligibleDevice, carrying the decision, when nothing fits."""
        request: Dict[str, Any] = {"backend": backend, "device": device, "policy": policy,
                                   "fallback": fallback, "min_memory": min_memory,
                                   "isolate": isolate}
        if exclude is not None:
            request["exclude"] = exclude if isinstance(exclude, str) else _builtin_list(exclude)
        code, text, message = self._handle.select_json(request)
        decision = Decision.from_json(json.loads(text)) if text else None
        if code != 0:
            raise error_for(code, message or "devpick_select failed", decision)
        assert decision is not None
        return decision


def discover(**options: Any) -> Machine:
    """Probes this machine (or replays `replay=PATH`) now, uncached. Options: replay, snapshot,
    root, probes, no_probe, timeout_ms, in_process, probe_helper."""
    return Machine(**options)


_cache_lock = threading.Lock()
_cache: Dict[str, Machine] = {}


def _machine(options: Dict[str, Any]) -> Machine:
    key = json.dumps(_discover_options(**options), sort_keys=True)
    with _cache_lock:
        machine = _cache.get(key)
        if machine is None:
            machine = Machine(**options)
            _cache[key] = machine
        return machine


def clear_cache() -> None:
    """Forgets the machines discovered by the module-level functions (e.g. after a hotplug).
    A call already using one finishes on it; each is freed when nothing uses it any more."""
    with _cache_lock:
        _cache.clear()


def version() -> str:
    """The version of the loaded libdevpick, e.g. "0.1.0"."""
    return _native.version()


def list(**options: Any) -> Dict[str, Any]:  # noqa: A001 - named as the CLI command
    """The `devpick list --json` document of this machine (or `replay=PATH`)."""
    return _machine(options).list()


def snapshot(**options: Any) -> str:
    """The snapshot document of what the probes observed on this machine."""
    return _machine(options).snapshot()


def doctor(backend: Optional[str] = None,
           python: Optional[Union[str, os.PathLike, bool]] = None,
           **options: Any) -> Dict[str, Any]:
    """Problems with evidence and remedies, as `devpick doctor --json` reports them."""
    return _machine(options).doctor(backend=backend, python=python)


def select(backend: Optional[str] = None, device: Optional[str] = None,
           policy: Optional[str] = None, fallback: Optional[str] = None,
           min_memory: Optional[Union[str, int]] = None,
           exclude: Optional[Union[str, Iterable[str]]] = None, isolate: bool = False,
           **options: Any) -> Decision:
    """The device `backend` should use: devpick.select("openvino"), select("cuda",
    device="cuda:1"), select(policy="efficiency", replay="machine.json")."""
    return _machine(options).select(backend=backend, device=device, policy=policy,
                                    fallback=fallback, min_memory=min_memory, exclude=exclude,
                                    isolate=isolate)


def torch_device(backend: Optional[str] = None, device: Optional[str] = None,
                 apply_env: bool = True, **kwargs: Any) -> str:
    """The torch device string for `backend`: "cuda:0", "xpu:0", "mps", and "cpu" for
    OpenVINO, whose tensors live on the CPU. With apply_env (the default) the decision's
    environment assignments (e.g. CUDA_DEVICE_ORDER=PCI_BUS_ID) are made in os.environ, so the
    index means what it says; call this before torch initialises the device runtime.
    Raises NoEligibleDevice rather than falling back to "cpu" unless fallback="cpu"."""
    decision = select(backend, device=device, **kwargs)
    if decision.torch is None:
        raise InvalidRequest(f"backend '{decision.backend}' has no torch device; its native "
                             f"names are {json.dumps(decision.native)}")
    if apply_env:
        decision.apply_env()
    return decision.torch


def openvino_device(device: Optional[str] = None, **kwargs: Any) -> str:
    """The OpenVINO device to compile for ("GPU.1", "GPU", "NPU", "CPU"): the discrete Intel
    GPU before the integrated one, never a GPU OpenVINO cannot drive."""
    decision = select("openvino", device=device, **kwargs)
    assert decision.openvino is not None
    return decision.openvino
