#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora (fuzz/corpus/<target>/) from the tests and fixtures.

Seeds are the inputs the unit tests already use (string literals passed to each parser), the
fixture machines' attribute files and the scenario snapshots, each encoded the way its fuzzer reads
input (a leading selector byte, or FuzzedDataProvider's trailing bytes). Run it after adding tests;
the output is checked in so `make fuzz` needs no Python.
"""
import ast
import hashlib
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def c_string_literals(path, call):
    """The first string argument of every `call("...")` in a C++ file, unescaped."""
    text = (ROOT / path).read_text()
    found = []
    for match in re.finditer(re.escape(call) + r'\(\s*("(?:[^"\\]|\\.)*")', text):
        try:
            found.append(ast.literal_eval(match.group(1)).encode("latin-1", "replace"))
        except (ValueError, SyntaxError):
            pass
    return found


def raw_strings(path):
    """Every R"(...)" raw string in a C++ file."""
    text = (ROOT / path).read_text()
    return [m.group(1).encode() for m in re.finditer(r'R"\((.*?)\)"', text, re.S)]


def adjacent_literals(path, name):
    """A `constexpr ... name = "a" "b" ...;` literal concatenation."""
    text = (ROOT / path).read_text()
    match = re.search(re.escape(name) + r'\s*=\s*((?:\s*"(?:[^"\\]|\\.)*")+)\s*;', text)
    if not match:
        return []
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    return ["".join(ast.literal_eval('"' + p + '"') for p in parts).encode("latin-1", "replace")]


def write(target, seeds):
    directory = CORPUS / target
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    for seed in seeds:
        name = hashlib.sha1(seed).hexdigest()[:16]
        (directory / name).write_bytes(seed)
    print(f"{target}: {len(list(directory.iterdir()))} seeds")


def fixture_files(name_pattern):
    return sorted(p for p in (ROOT / "tests/fixtures/sysfs").rglob("*")
                  if p.is_file() and not p.is_symlink() and re.fullmatch(name_pattern, p.name))


def main():
    scenarios = sorted((ROOT / "tests/scenarios").glob("*.json"))
    write("snapshot", [p.read_bytes() for p in scenarios if p.name != "expectations.json"])
    write("bounded_json", [p.read_bytes() for p in scenarios if p.name != "expectations.json"] +
          raw_strings("src/capi/request_json_test.cc") + bounded_json_shapes())

    write("config", raw_strings("src/select/config_test.cc") + [
        b'policy = "memory"\nfallback = "cpu"\n[backend.cuda]\ndevice = "cuda:1"\n',
        b'[backends.rocm]\nmin_memory = "8G"\nexclude = ["npu", "pci:0000:03:00.0"]\n',
        b'polcy = "performance"\n',
    ])

    specs = c_string_literals("src/select/device_spec_test.cc", "Spec")
    specs += c_string_literals("src/select/device_spec_test.cc", "ParseDeviceSpec")
    write("device_spec", specs + [b"dgpu,igpu,cpu", b"pci:0000:03:00.0", b"uuid:GPU-8932f937",
                                  b"name:RTX 4090", b"cuda:1", b"GPU.1", b"nvidia:0", b"10de:2684"])

    write("byte_size", c_string_literals("src/select/policy_test.cc", "ParseByteSize"))

    for target, call in [("cuda_visible_devices", "ApplyCudaVisibleDevices"),
                         ("hip_visible_devices", "ApplyHipVisibleDevices"),
                         ("rocr_visible_devices", "ApplyRocrVisibleDevices"),
                         ("ze_affinity_mask", "ApplyZeAffinityMask")]:
        values = c_string_literals("src/select/visibility_test.cc", call)
        write(target, [bytes([count]) + v for v in values for count in (2, 4)])
    selectors = c_string_literals("src/select/visibility_test.cc", "ParseOneApiDeviceSelector")
    write("oneapi_device_selector", [bytes([count]) + v for v in selectors for count in (2, 4)])

    # sysfs_attr: selector % 7 picks the parser; selectors >= 128 allow 24-bit hex (class).
    attribute_parsers = [
        (r"vendor|device|subsystem_vendor|subsystem_device|revision", 0),
        (r"class", 133), (r"numa_node|boot_vga", 1),
        (r"mem_info_.*|lmem_total_bytes|npu_busy_time_us", 2), (r"local_cpulist|cpulist", 3),
        (r"properties", 4), (r"information", 5), (r"version", 6),
    ]
    seeds = set()
    for pattern, selector in attribute_parsers:
        for path in fixture_files(pattern):
            seeds.add(bytes([selector]) + path.read_bytes())
    seeds.add(bytes([3]) + b"0-3,8,10-11\n")
    write("sysfs_attr", sorted(seeds))

    # cpu_parse: the selector is FuzzedDataProvider's last byte.
    seeds = set()
    for path in sorted((ROOT / "tests/fixtures/cpu").glob("*.cpuinfo")) + fixture_files("cpuinfo"):
        seeds.add(path.read_bytes() + bytes([0]))
    for path in fixture_files("meminfo"):
        seeds.add(path.read_bytes() + bytes([3]))
    for text, selector in [(b"0-3,8-11\n", 1), (b"12\n", 2), (b"max 100000\n", 4),
                           (b"150000 100000 0", 4), (b"17179869184\n", 6), (b"max\n", 6),
                           (b"9223372036854771712\n", 7), (b"0x41", 9)]:
        seeds.add(text + bytes([selector]))
    seeds.add(b"150000\n\\ 100000\n" + bytes([5]))
    mountinfo = (b"29 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw\n"
                 b"35 25 0:30 /docker/abc /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu,cpuacct\n")
    seeds.add(b"0::/user.slice/user-1000.slice/session-2.scope\n\\ " + mountinfo + bytes([0, 8]))
    seeds.add(b"4:cpu,cpuacct:/docker/abc/def\n\\ " + mountinfo + bytes([1, 8]))
    write("cpu_parse", sorted(seeds))

    # pci_ids: four 16-bit IDs come from the end (vendor last).
    sample = adjacent_literals("src/inventory/pci_ids_test.cc", "kSample")
    ids = bytes.fromhex("9d88" "4310" "8426" "de10")  # 889d, 1043, 2684, 10de little-end first
    seeds = [s + ids for s in sample]
    system = pathlib.Path("/usr/share/misc/pci.ids")
    if system.exists():
        lines = system.read_bytes().splitlines(keepends=True)
        seeds.append(b"".join(lines[:400]) + ids)
    write("pci_ids", seeds)

    write("measure_cache", measure_cache_seeds())


def bounded_json_shapes():
    """Shapes at the reader's bounds: nesting just within and just past kMaxJsonDepth (64),
    strings that hide brackets, and a long flat array."""
    return [b"[" * 64 + b"]" * 64, b"[" * 65 + b"]" * 65, b'{"a":' * 64 + b"1" + b"}" * 64,
            b'["[[[[", "\\"]', b"[" + b"0," * 5000 + b"0]", b'{"pci": [' + b"{}," * 2000 + b"{}]}"]


def measure_cache_seeds():
    """The file the tests expect Save to write, entry lists from the tests in their envelope, and
    two rejected files."""
    text = (ROOT / "src/verify/measure_cache_test.cc").read_text()
    documents = [m.group(1).encode() for m in re.finditer(r'R"json\((.*?)\)json"', text, re.S)]
    envelope = b'{"format": "devpick-measurements", "version": 1, "entries": [%s]}\n'
    entries = [envelope % raw for raw in raw_strings("src/verify/measure_cache_test.cc")]
    return documents + entries + [envelope % b"", envelope % b'{"key": 1e400}', b'{"format": ']


if __name__ == "__main__":
    main()
