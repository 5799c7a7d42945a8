"""The devpick Python package on the replayed scenario machines and on this machine."""

import ast
import json
import os
import re
import subprocess
import sys
import threading

import pytest

import devpick
from conftest import ARC, PYTHON_DIR, RTX, RX6800, cli, expectations


def test_version_is_the_projects():
    with open(os.path.join(PYTHON_DIR, "pyproject.toml")) as f:
        declared = re.search(r'^version = "([^"]+)"', f.read(), re.M).group(1)
    assert devpick.version() == declared


def test_openvino_on_the_nvidia_machine_gets_the_intel_gpu_and_torch_cpu():
    decision = devpick.select("openvino", replay=RTX)
    assert isinstance(decision, devpick.Decision)
    assert decision.backend == "openvino"
    assert decision.policy == "performance"
    assert decision.backend_recommended is False
    assert decision.device.id == "gpu0"
    assert decision.device.kind == "igpu"
    assert decision.device.vendor == "intel"
    assert decision.device.pci_address == "0000:00:02.0"
    assert decision.native == {"openvino": "GPU", "torch": "cpu"}
    assert decision.openvino == "GPU"
    assert decision.torch == "cpu"
    assert decision.env == {}
    assert decision.fallback is False
    assert decision.error is None
    assert [(c.id, c.eligible, c.rank, c.reason_code) for c in decision.candidates] == [
        ("gpu0", True, 1, "eligible"),
        ("cpu", True, 2, "eligible"),
        ("gpu1", False, None, "backend_cannot_drive"),
    ]
    assert decision.candidates[2].reason == "OpenVINO cannot drive NVIDIA GPUs"


def test_openvino_on_the_arc_machine_prefers_the_discrete_arc():
    decision = devpick.select("openvino", replay=ARC)
    assert decision.device.kind == "dgpu"
    assert decision.device.pci_address == "0000:03:00.0"
    assert decision.native == {"openvino": "GPU.1", "torch": "cpu"}


def _select_kwargs(args):
    """`select --backend B --device D --fallback F` as keyword arguments."""
    assert args[0] == "select"
    flags = dict(zip(args[1::2], args[2::2]))
    return {flag.lstrip("-"): value for flag, value in flags.items()}


@pytest.mark.parametrize("row", expectations(),
                         ids=lambda row: row["scenario"] + ":" + " ".join(row["args"][1:]))
def test_scenario_expectations(row):
    replay = os.path.join(os.path.dirname(ARC), row["scenario"])
    kwargs = _select_kwargs(row["args"])
    if row["exit"] == 2:
        with pytest.raises(devpick.InvalidRequest) as raised:
            devpick.select(replay=replay, **kwargs)
        assert raised.value.code == 2
        assert row["output_has"] in str(raised.value)
        return
    if row["exit"] == 3:
        with pytest.raises(devpick.NoEligibleDevice) as raised:
            devpick.select(replay=replay, **kwargs)
        assert raised.value.code == 3
        assert raised.value.decision.device is None
        assert raised.value.decision.error == str(raised.value)
        return
    decision = devpick.select(replay=replay, **kwargs)
    if "pci_address" in row:
        assert decision.device.pci_address == row["pci_address"]
    if "device_id" in row:
        assert decision.device.id == row["device_id"]
    if "kind" in row:
        assert decision.device.kind == row["kind"]
    if "backend" in row:
        assert decision.backend == row["backend"]
    for key, value in row.get("native", {}).items():
        assert decision.native[key] == value
    if "env" in row:
        assert decision.env == row["env"]
    if "fallback" in row:
        assert decision.fallback == row["fallback"]


@pytest.mark.parametrize("replay", [ARC, RTX, RX6800], ids=os.path.basename)
@pytest.mark.parametrize("backend", ["cuda", "rocm", "xpu", "openvino", "cpu", None])
def test_decision_document_is_the_clis(replay, backend):
    args = ["--replay", replay, "select", "--json"] + (["--backend", backend] if backend else [])
    result = cli(*args)
    assert result.returncode in (0, 3), result.stderr
    expected = json.loads(result.stdout)
    try:
        decision = devpick.select(backend, replay=replay)
        assert result.returncode == 0
    except devpick.NoEligibleDevice as error:
        assert result.returncode == 3
        decision = error.decision
    assert decision.document == expected


def test_errors_carry_the_clis_messages():
    result = cli("--replay", RX6800, "select", "--backend", "nonsense")
    assert result.returncode == 2
    with pytest.raises(devpick.InvalidRequest) as raised:
        devpick.select("nonsense", replay=RX6800)
    # The CLI names the flag the value came from ("flag --backend: "); the rest is the same text.
    assert result.stderr == f"devpick: flag --backend: {raised.value}\n"
    assert str(raised.value).startswith(
        "unknown backend 'nonsense'; accepted: cuda, rocm, zluda, xpu, openvino, directml")
    assert isinstance(raised.value, ValueError)


def test_no_eligible_device_is_an_exception_not_a_cpu_fallback():
    with pytest.raises(devpick.NoEligibleDevice) as raised:
        devpick.torch_device("cuda", replay=ARC)
    assert str(raised.value).startswith(
        "no eligible device for backend cuda: no NVIDIA GPU was found (found: cpu (CPU), gpu0 ")
    assert [(c.id, c.eligible, c.reason_code) for c in raised.value.decision.candidates] == [
        ("cpu", False, "cpu_needs_fallback"),
        ("gpu0", False, "backend_cannot_drive"),
        ("gpu1", False, "backend_cannot_drive"),
    ]
    assert devpick.torch_device("rocm", fallback="cpu", replay=RTX) == "cpu"
    assert devpick.select("rocm", fallback="cpu", replay=RTX).fallback is True


@pytest.mark.parametrize("call, message", [
    (lambda: devpick.select("openvino", policy="fast", replay=ARC),
     "unknown policy 'fast'; accepted: performance, efficiency, memory, measured"),
    (lambda: devpick.select("openvino", fallback="gpu", replay=ARC),
     "unknown fallback 'gpu'; accepted: none, cpu"),
    (lambda: devpick.select("openvino", exclude=["igpu", 3], replay=ARC),
     "request.exclude[1]: expected a string, got 3"),
    (lambda: devpick.select("openvino", replay="/nonexistent/machine.json"),
     "cannot read snapshot /nonexistent/machine.json: No such file or directory"),
    (lambda: devpick.select("openvino", replay=ARC, root="/"),
     "options: replay and root cannot be combined; give at most one of replay, snapshot_json "
     "and root"),
    (lambda: devpick.discover(timeout_ms=0),
     "options.timeout_ms: expected a positive number of milliseconds up to 3600000, got 0"),
])
def test_invalid_requests_raise_with_exact_messages(call, message):
    with pytest.raises(devpick.InvalidRequest) as raised:
        call()
    assert str(raised.value) == message
    assert raised.value.code == 2


def test_torch_device_applies_the_environment_that_makes_the_index_exact(monkeypatch):
    monkeypatch.delenv("ZE_ENABLE_PCI_ID_DEVICE_ORDER", raising=False)
    assert devpick.torch_device("xpu", replay=RTX, apply_env=False) == "xpu:0"
    assert "ZE_ENABLE_PCI_ID_DEVICE_ORDER" not in os.environ
    assert devpick.torch_device("xpu", replay=RTX) == "xpu:0"
    assert os.environ["ZE_ENABLE_PCI_ID_DEVICE_ORDER"] == "1"


@pytest.mark.parametrize("replay, backend, expected", [
    (RTX, "cuda", "cuda:0"),
    (RTX, "openvino", "cpu"),
    (ARC, "xpu", "xpu:0"),
    (ARC, "ipex", "xpu:0"),
    (RX6800, "rocm", "cuda:0"),
    (RX6800, "cpu", "cpu"),
])
def test_torch_device(replay, backend, expected):
    assert devpick.torch_device(backend, replay=replay, apply_env=False) == expected


@pytest.mark.parametrize("replay, device, expected", [
    (ARC, None, "GPU.1"),
    (ARC, "igpu", "GPU.0"),
    (ARC, "cpu", "CPU"),
    (RTX, None, "GPU"),
    (RX6800, None, "CPU"),
])
def test_openvino_device(replay, device, expected):
    assert devpick.openvino_device(device=device, replay=replay) == expected


def test_list_shows_every_backends_choice():
    listing = devpick.list(replay=ARC)
    arc = next(d for d in listing["devices"] if d["pci_address"] == "0000:03:00.0")
    assert list(listing["backends"]) == ["cuda", "rocm", "zluda", "xpu", "openvino", "directml",
                                         "mps", "onnxruntime", "vulkan", "cpu"]
    assert listing["backends"]["openvino"] == arc["id"]
    assert listing["backends"]["cuda"] is None
    assert listing["backends"]["cpu"] == "cpu"


def test_snapshot_round_trips():
    text = devpick.snapshot(replay=ARC)
    with devpick.discover(snapshot=text) as machine:
        assert machine.select("openvino") == devpick.select("openvino", replay=ARC)
        assert machine.list() == devpick.list(replay=ARC)


def test_doctor_reports_problems_as_data():
    broken = os.path.join(os.path.dirname(PYTHON_DIR), "tests", "fixtures", "sysfs", "broken")
    report = devpick.doctor("rocm", root=broken, probes=["sysfs", "cpu", "rocm"])
    assert (report["backend"], report["errors"], report["warnings"]) == ("rocm", 1, 0)
    assert [(f["code"], f["device_id"], f["severity"]) for f in report["findings"]] == [
        ("no_driver", "gpu1", "error")]
    assert devpick.doctor(replay=ARC) == {"backend": None, "findings": [], "errors": 0,
                                          "warnings": 0}
    with pytest.raises(devpick.InvalidRequest) as raised:
        devpick.doctor(python=True, replay=ARC)
    assert str(raised.value) == (
        "request.python: a Python environment on this machine cannot be combined with a "
        "replayed snapshot (" + ARC + ")")


def test_doctor_inspects_this_python_environment():
    with devpick.discover(probes=["cpu"]) as machine:
        report = machine.doctor("cpu", python=True)
    assert report["backend"] == "cpu"
    assert report["errors"] == 0


def test_a_closed_machine_refuses_politely():
    machine = devpick.discover(replay=ARC)
    machine.close()
    with pytest.raises(devpick.DevpickError) as raised:
        machine.select("openvino")
    assert str(raised.value) == "this devpick machine was closed"


def test_threads_may_share_a_machine():
    with devpick.discover(replay=ARC) as machine:
        expected = machine.select("openvino")
        results = []

        def work():
            for _ in range(20):
                results.append(machine.select("openvino") == expected)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [True] * 160


def test_clear_cache_while_other_threads_select():
    # Issue 12: 8 threads x 50 selects with clear_cache() every 5th call freed the inventory under
    # a select in flight (SIGSEGV 5 runs of 5; ASan: heap-use-after-free). `make test-sanitize`
    # runs this under ASan.
    errors = []

    def work():
        for i in range(50):
            try:
                assert devpick.select("openvino", replay=ARC).device.id == "gpu1"
                if i % 5 == 4:
                    devpick.clear_cache()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(repr(error))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_closing_a_machine_other_threads_use_never_frees_it_under_them():
    machine = devpick.discover(replay=ARC)
    outcomes = []
    start = threading.Barrier(9)

    def work():
        start.wait()
        for _ in range(30):
            try:
                outcomes.append(machine.select("openvino").device.id)
            except devpick.DevpickError as error:
                outcomes.append(str(error))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    start.wait()
    machine.close()
    for thread in threads:
        thread.join()
    assert set(outcomes) <= {"gpu1", "this devpick machine was closed"}
    assert len(outcomes) == 240
    with pytest.raises(devpick.DevpickError):
        machine.select("openvino")


def test_this_machine_with_the_isolated_probes(monkeypatch):
    # The helper must be found beside libdevpick.so: python3's own directory has none.
    monkeypatch.delenv("DEVPICK_PROBE_HELPER", raising=False)
    with devpick.discover(probes=["sysfs", "cpu", "opencl"], timeout_ms=20000) as machine:
        listing = machine.list()
        diagnostics = {d["probe"]: d for d in listing["diagnostics"] if d["level"] == "status"}
        assert set(diagnostics) == {"sysfs", "cpu", "opencl"}
        assert "devpick-probe was not found" not in diagnostics["opencl"]["detail"]
        assert diagnostics["opencl"]["status"] in ("ok", "absent", "unavailable")
        decision = machine.select("cpu")
    assert decision.device.id == "cpu"
    assert decision.device.kind == "cpu"
    assert decision.native == {"torch": "cpu", "openvino": "CPU"}
    assert decision.fallback is False


def test_the_measured_policy_measures_this_machines_cpu_in_a_child(monkeypatch, tmp_path):
    monkeypatch.delenv("DEVPICK_PROBE_HELPER", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with devpick.discover(probes=["sysfs", "cpu", "opencl"], timeout_ms=20000) as machine:
        decision = machine.select("openvino", policy="measured")
    assert decision.policy == "measured"
    assert decision.device.id == "cpu"
    measurement = decision.candidates[0].measurement
    assert measurement["measured"] is True and measurement["correct"] is True
    assert measurement["gflops"] > 0
    assert measurement["source"].startswith("opencl 0/0 (pthread")
    cache = tmp_path / "devpick" / "measured.json"
    assert oct(cache.stat().st_mode & 0o777) == "0o600"


def test_the_measured_policy_refuses_a_replayed_machine():
    with pytest.raises(devpick.InvalidRequest) as raised:
        devpick.select("openvino", policy="measured", replay=ARC)
    assert str(raised.value) == (
        "the measured policy runs work on this machine's devices; it cannot rank the devices of a "
        "replayed snapshot (" + ARC + ")")


def test_an_explicit_probe_helper_is_used():
    with devpick.discover(probes=["cpu", "opencl"], probe_helper="/nonexistent/devpick-probe") as m:
        opencl = next(d for d in m.list()["diagnostics"] if d["probe"] == "opencl")
    assert (opencl["status"], opencl["detail"]) == (
        "error", "probe helper /nonexistent/devpick-probe (from DiscoverOptions.probe_helper) does "
                 "not exist; point it at the devpick-probe executable")


def _run_python(code, **environment):
    env = {k: v for k, v in os.environ.items() if k != "DEVPICK_LIBRARY"}
    env.update(environment)
    env["PYTHONPATH"] = environment.get("PYTHONPATH", PYTHON_DIR)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=60)


def test_a_missing_library_is_a_devpick_error_naming_the_fix():
    result = _run_python(
        "import devpick\n"
        "try:\n    devpick.version()\n"
        "except devpick.DevpickError as e:\n    print(e.code, e)\n",
        DEVPICK_LIBRARY="/nonexistent/libdevpick.so")
    assert result.stdout == ("1 cannot load libdevpick: /nonexistent/libdevpick.so "
                             "(DEVPICK_LIBRARY): not found; set DEVPICK_LIBRARY to the path of "
                             "libdevpick.so\n"), result.stderr


def test_the_library_is_found_beside_the_package(tmp_path):
    import shutil
    package = tmp_path / "devpick"
    shutil.copytree(os.path.join(PYTHON_DIR, "devpick"), package)
    shutil.copy(os.path.realpath(os.environ["DEVPICK_LIBRARY"]), package / "libdevpick.so.0")
    result = _run_python("import devpick, devpick._native as n\n"
                         "print(devpick.version(), n.library()._name)\n",
                         PYTHONPATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{devpick.version()} {package / 'libdevpick.so.0'}\n"


def test_sources_parse_as_python_3_8():
    for name in sorted(os.listdir(os.path.join(PYTHON_DIR, "devpick"))):
        if name.endswith(".py"):
            with open(os.path.join(PYTHON_DIR, "devpick", name)) as f:
                ast.parse(f.read(), name, feature_version=(3, 8))
