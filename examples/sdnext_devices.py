#!/usr/bin/env python3
"""A devpick replacement for SD.Next's device choice (modules/devices.py, modules/intel/openvino).

SD.Next's get_optimal_device_name() checks CUDA, then DirectML, then MPS, then the CPU, without
regard to the backend the user asked for, and its OpenVINO code takes OpenVINO's plain "GPU",
which is the integrated GPU when there is one. Here the backend comes first:

- an explicit backend flag (--use-openvino, --use-directml, --use-ipex, --use-zluda, --use-rocm,
  --use-cuda, in SD.Next's order of precedence) is honoured: devpick picks a device *that backend*
  can drive, or fails (NoEligibleDevice) instead of silently running on the CPU;
- without a flag, devpick recommends the backend for the best device on the machine;
- OpenVINO gets an Intel device (discrete Arc before the integrated GPU, then the CPU) and torch
  gets "cpu", since OpenVINO's tensors live on the CPU;
- --device-id is a device spec, validated: "1" is the backend's own index (cuda:1, xpu:1, GPU.1),
  and "dgpu", "pci:0000:03:00.0" or "name:A770" work too.

Run against a snapshot of another machine:
    python3 examples/sdnext_devices.py --use-openvino --replay tests/scenarios/desktop-rx6800.json
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Optional, Sequence

try:
    import devpick
except ImportError:  # run from a source tree: use the package beside this example
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    import devpick

# SD.Next's flags in its order of precedence (modules/shared.py, modules/devices.get_backend),
# and the devpick backend each one means.
BACKEND_FLAGS = (
    ("use_openvino", "openvino"),
    ("use_directml", "directml"),
    ("use_ipex", "xpu"),
    ("use_zluda", "zluda"),
    ("use_rocm", "rocm"),
    ("use_cuda", "cuda"),
)


def explicit_backend(args: Any) -> Optional[str]:
    """The backend the user asked for, or None to let devpick recommend one."""
    for flag, backend in BACKEND_FLAGS:
        if getattr(args, flag, False):
            return backend
    return None


def device_decision(args: Any, **discover: Any) -> "devpick.Decision":
    """The decision behind every function below; `discover` takes devpick's discovery options
    (replay=PATH for a snapshot)."""
    device = getattr(args, "device_id", None) or None
    return devpick.select(explicit_backend(args), device=device, **discover)


def get_backend(args: Any, **discover: Any) -> str:
    """SD.Next's devices.get_backend(): the backend name ("openvino", "cuda", "xpu", ...)."""
    return device_decision(args, **discover).backend


def get_optimal_device_name(args: Any, **discover: Any) -> str:
    """SD.Next's devices.get_optimal_device_name(): the torch device string ("cuda:0", "xpu:0",
    "cpu" for OpenVINO). The decision's environment (e.g. CUDA_DEVICE_ORDER=PCI_BUS_ID) is set
    so that the index is exact; call this before torch initialises the device runtime."""
    device = getattr(args, "device_id", None) or None
    return devpick.torch_device(explicit_backend(args), device=device, **discover)


def get_openvino_device(args: Any, **discover: Any) -> str:
    """SD.Next's modules/intel/openvino get_device(): the OpenVINO device to compile for."""
    device = getattr(args, "device_id", None) or None
    return devpick.openvino_device(device=device, **discover)


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, backend in BACKEND_FLAGS:
        parser.add_argument("--" + flag.replace("_", "-"), action="store_true",
                            help=f"use the {backend} backend")
    parser.add_argument("--device-id", help="device spec: an index, dgpu, pci:BDF, name:TEXT, ...")
    parser.add_argument("--replay", help="a devpick snapshot to use instead of this machine")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    discover = {"replay": args.replay} if args.replay else {}
    try:
        decision = device_decision(args, **discover)
    except devpick.DevpickError as error:
        print(f"sdnext_devices: {error}", file=sys.stderr)
        return error.code
    print(f"backend={decision.backend}")
    print(f"device={decision.device.id} ({decision.device.name})")
    print(f"torch={decision.torch or '-'}")
    if decision.backend == "openvino":
        print(f"openvino={decision.openvino}")
    for key, value in sorted(decision.env.items()):
        print(f"env {key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
