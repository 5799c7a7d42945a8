"""examples/sdnext_devices.py, SD.Next's device choice through devpick, on the scenario machines."""

import argparse
import importlib.util
import os

import pytest

import devpick
from conftest import ARC, RTX, RX6800, SOURCE_DIR

_spec = importlib.util.spec_from_file_location(
    "sdnext_devices", os.path.join(SOURCE_DIR, "examples", "sdnext_devices.py"))
sdnext = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sdnext)


def args(*flags, device_id=None):
    namespace = argparse.Namespace(device_id=device_id)
    for flag, _ in sdnext.BACKEND_FLAGS:
        setattr(namespace, flag, flag in flags)
    return namespace


@pytest.fixture(autouse=True)
def keep_environment(monkeypatch):
    # get_optimal_device_name applies the decision's environment; keep it out of other tests.
    for key in ("CUDA_DEVICE_ORDER", "ZE_ENABLE_PCI_ID_DEVICE_ORDER"):
        monkeypatch.delenv(key, raising=False)


@pytest.mark.parametrize("machine, flags, backend, torch_device", [
    # The OpenVINO-with-NVIDIA machine: OpenVINO gets the Intel GPU and torch gets the CPU, not
    # the RTX 3080 that SD.Next's get_optimal_device_name() used to return.
    (RTX, ["use_openvino"], "openvino", "cpu"),
    (RTX, [], "cuda", "cuda:0"),
    (RTX, ["use_cuda"], "cuda", "cuda:0"),
    (RTX, ["use_ipex"], "xpu", "xpu:0"),
    (ARC, ["use_openvino"], "openvino", "cpu"),
    (ARC, [], "xpu", "xpu:0"),
    (RX6800, ["use_rocm"], "rocm", "cuda:0"),
    (RX6800, ["use_zluda"], "zluda", "cuda:0"),
    (RX6800, ["use_openvino"], "openvino", "cpu"),
    # An explicit backend beats autodetection even when another one would be recommended.
    (RTX, ["use_openvino", "use_cuda"], "openvino", "cpu"),
], ids=lambda value: os.path.basename(value) if isinstance(value, str) else None)
def test_backend_and_torch_device(machine, flags, backend, torch_device):
    assert sdnext.get_backend(args(*flags), replay=machine) == backend
    assert sdnext.get_optimal_device_name(args(*flags), replay=machine) == torch_device


@pytest.mark.parametrize("machine, device_id, openvino_device, pci_address", [
    (RTX, None, "GPU", "0000:00:02.0"),
    (ARC, None, "GPU.1", "0000:03:00.0"),
    (ARC, "0", "GPU.0", "0000:00:02.0"),
    (ARC, "igpu", "GPU.0", "0000:00:02.0"),
    (RX6800, None, "CPU", None),
], ids=lambda value: os.path.basename(value) if isinstance(value, str) else None)
def test_openvino_device(machine, device_id, openvino_device, pci_address):
    chosen = args("use_openvino", device_id=device_id)
    assert sdnext.get_openvino_device(chosen, replay=machine) == openvino_device
    assert sdnext.device_decision(chosen, replay=machine).device.pci_address == pci_address


def test_the_nvidia_gpu_is_never_given_to_openvino():
    decision = sdnext.device_decision(args("use_openvino"), replay=RTX)
    rtx = next(c for c in decision.candidates if c.id == "gpu1")
    assert (rtx.eligible, rtx.reason) == (False, "OpenVINO cannot drive NVIDIA GPUs")


def test_device_id_sets_the_index_and_is_validated():
    assert sdnext.get_optimal_device_name(args("use_ipex", device_id="0"), replay=ARC) == "xpu:0"
    with pytest.raises(devpick.InvalidRequest) as raised:
        sdnext.get_optimal_device_name(args("use_cuda", device_id="0,1x"), replay=RTX)
    assert str(raised.value).startswith(
        "invalid device spec '0,1x': item '1x' is not a device spec; accepted: ")


def test_an_explicit_backend_without_a_device_fails_instead_of_using_the_cpu():
    with pytest.raises(devpick.NoEligibleDevice):
        sdnext.get_optimal_device_name(args("use_cuda"), replay=ARC)


def test_main_prints_the_choice(capsys):
    assert sdnext.main(["--use-openvino", "--replay", RTX]) == 0
    name = devpick.select("openvino", replay=RTX).device.name
    assert capsys.readouterr().out == (
        f"backend=openvino\ndevice=gpu0 ({name})\ntorch=cpu\nopenvino=GPU\n")
    assert sdnext.main(["--use-ipex", "--replay", RTX]) == 0
    name = devpick.select("xpu", replay=RTX).device.name
    assert capsys.readouterr().out == (
        f"backend=xpu\ndevice=gpu0 ({name})\ntorch=xpu:0\nenv ZE_ENABLE_PCI_ID_DEVICE_ORDER=1\n")


def test_main_exits_with_the_clis_status(capsys):
    assert sdnext.main(["--use-cuda", "--replay", ARC]) == 3
    assert capsys.readouterr().err.startswith(
        "sdnext_devices: no eligible device for backend cuda: no NVIDIA GPU was found")
