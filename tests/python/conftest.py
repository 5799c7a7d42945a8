"""Shared set-up for the Python package's tests: where the package, the scenarios, the CLI and
the library are. ctest sets DEVPICK_LIBRARY (the built libdevpick.so) and DEVPICK_CLI (the built
devpick); run by hand as
    DEVPICK_LIBRARY=build/libdevpick.so DEVPICK_CLI=build/devpick python3 -m pytest tests/python -q
"""

import json
import os
import subprocess
import sys

import pytest

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PYTHON_DIR = os.path.join(SOURCE_DIR, "python")
SCENARIO_DIR = os.environ.get("DEVPICK_SCENARIOS", os.path.join(SOURCE_DIR, "tests", "scenarios"))

sys.path.insert(0, PYTHON_DIR)

ARC = os.path.join(SCENARIO_DIR, "desktop-arc-a770-uhd770.json")
RTX = os.path.join(SCENARIO_DIR, "desktop-rtx3080-uhd770-no-openvino.json")
RX6800 = os.path.join(SCENARIO_DIR, "desktop-rx6800.json")


def expectations():
    with open(os.path.join(SCENARIO_DIR, "expectations.json")) as f:
        return json.load(f)


def cli(*args):
    """Runs the devpick CLI; skips the test when ctest did not say where it is."""
    path = os.environ.get("DEVPICK_CLI")
    if not path:
        pytest.skip("DEVPICK_CLI is not set")
    return subprocess.run([path, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session", autouse=True)
def library_is_configured():
    if not os.environ.get("DEVPICK_LIBRARY"):
        pytest.exit("set DEVPICK_LIBRARY to the built libdevpick.so (ctest does)", returncode=2)
