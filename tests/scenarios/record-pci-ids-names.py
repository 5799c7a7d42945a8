#!/usr/bin/env python3
"""Records pci.ids names into hand-made scenario snapshots, as `devpick snapshot` does on a machine.

A replay names devices with the names its snapshot recorded (pci[].pci_ids_names), never with the
replaying machine's pci.ids. These scenarios were written by hand, so this adds the names that
pci.ids gives their vendor and device IDs, in the field devpick writes:

    tests/scenarios/record-pci-ids-names.py [--pci-ids /usr/share/misc/pci.ids] FILE...

The files keep their layout (two-space indent, keys in their order); only each function's
pci_ids_names is added or replaced. Run it again after adding a scenario or a PCI function.
"""
import argparse
import json
import re
import sys

SEARCH_PATHS = ["/usr/share/hwdata/pci.ids", "/usr/share/misc/pci.ids", "/usr/share/pci.ids"]


def load_pci_ids(path):
    vendors = {}
    vendor = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("C "):
                break  # the device-class section
            match = re.match(r"^([0-9a-fA-F]{4})  (.*)$", line)
            if match:
                vendor = int(match.group(1), 16)
                vendors.setdefault(vendor, (match.group(2).strip(), {}))
                continue
            match = re.match(r"^\t([0-9a-f]{4})  (.*)$", line)
            if match and vendor is not None:
                vendors[vendor][1].setdefault(int(match.group(1), 16), match.group(2).strip())
    return vendors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pci-ids")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    path = args.pci_ids
    if path is None:
        for candidate in SEARCH_PATHS:
            try:
                open(candidate).close()
                path = candidate
                break
            except OSError:
                pass
    if path is None:
        sys.exit("record-pci-ids-names: no pci.ids found (tried %s)" % ", ".join(SEARCH_PATHS))
    vendors = load_pci_ids(path)
    for name in args.files:
        with open(name, encoding="utf-8") as f:
            snapshot = json.load(f)
        for function in snapshot.get("pci", []):
            if function.get("vendor") is None:
                continue
            vendor_id = int(function["vendor"], 16)
            vendor_name, devices = vendors.get(vendor_id, (None, {}))
            device_name = None
            if function.get("device") is not None:
                device_name = devices.get(int(function["device"], 16))
            function.pop("pci_ids_names", None)
            function["pci_ids_names"] = {"vendor": vendor_name, "device": device_name}
        with open(name, "w", encoding="utf-8") as f:
            f.write(json.dumps(snapshot, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
