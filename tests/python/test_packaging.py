"""python/pyproject.toml builds a wheel offline with Debian's setuptools and wheel."""

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

import devpick
from conftest import PYTHON_DIR


def test_wheel_builds_with_the_system_setuptools(tmp_path):
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")
    source = tmp_path / "source"
    shutil.copytree(PYTHON_DIR, source, ignore=shutil.ignore_patterns("__pycache__", "*.so*"))
    # In a child process, as a build frontend would run the backend (setuptools writes build/ in
    # the current directory).
    result = subprocess.run(
        [sys.executable, "-c",
         "import setuptools.build_meta as backend; print(backend.build_wheel('dist'))"],
        cwd=source, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    wheel_name = result.stdout.strip().splitlines()[-1]
    assert wheel_name == f"devpick-{devpick.version()}-py3-none-any.whl"
    with zipfile.ZipFile(source / "dist" / wheel_name) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"devpick-{devpick.version()}.dist-info/METADATA").decode()
    assert {"devpick/__init__.py", "devpick/_native.py", "devpick/errors.py",
            "devpick/py.typed"} <= names
    assert "Requires-Python: >=3.8" in metadata


def _tool_output(*command):
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (binutils)")
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_the_shared_library_exports_exactly_the_c_abi():
    import re
    library = os.path.realpath(os.environ["DEVPICK_LIBRARY"])
    header = os.path.join(os.path.dirname(PYTHON_DIR), "include", "devpick", "devpick.h")
    with open(header) as f:
        declared = set(re.findall(r"DEVPICK_API[^;]*?\b(devpick_\w+)\(", f.read()))
    exported = set()
    for line in _tool_output("nm", "-D", "--defined-only", library).splitlines():
        address, kind, name = line.split()
        if kind != "A":  # "A" is the symbol version node, DEVPICK_0
            exported.add(name.split("@")[0])
    assert exported == declared
    assert len(declared) == 9


def test_the_shared_library_has_a_versioned_soname():
    library = os.path.realpath(os.environ["DEVPICK_LIBRARY"])
    dynamic = _tool_output("readelf", "-d", library)
    major = devpick.version().split(".")[0]
    assert f"Library soname: [libdevpick.so.{major}]" in dynamic
    assert os.path.basename(library) == f"libdevpick.so.{devpick.version()}"
