#!/usr/bin/env bash
# Whole-process benchmark of devpick against the tools a user would run instead, in one run on this
# machine: median wall time of repeated runs (hyperfine), reported as ratios. Not a test: figures
# depend on the machine. Usage: bench/run.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-40}
devpick="$build/devpick"
[ -x "$devpick" ] || { echo "bench: $devpick not built (run make build)" >&2; exit 2; }
for tool in hyperfine lspci clinfo vulkaninfo lstopo-no-graphics python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make bench installs it)" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The measured policy reads its cache here; the warm-up runs fill it, so the timed runs measure a
# cached decision (measuring itself is verify's workload: seconds, reported by devpick verify).
export XDG_CACHE_HOME="$out/cache"
# -N: no intermediate shell, so the figures are the processes themselves.
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/r.json" --style basic \
  -n "devpick list --probes sysfs,cpu" "$devpick list --probes sysfs,cpu" \
  -n "devpick list (full discovery)" "$devpick list" \
  -n "devpick list --in-process" "$devpick list --in-process" \
  -n "devpick select --backend openvino" "$devpick select --backend openvino" \
  -n "devpick select --backend openvino --policy measured (cached)" \
     "$devpick select --backend openvino --policy measured" \
  -n "lspci -nn" "lspci -nn" \
  -n "clinfo -l" "clinfo -l" \
  -n "vulkaninfo --summary" "vulkaninfo --summary" \
  -n "lstopo-no-graphics" "lstopo-no-graphics --of console" >/dev/null
python3 - "$out/r.json" "$runs" <<'PY'
import json, sys, platform, os
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {name: r["median"] * 1000 for name, r in results.items()}
print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; {sys.argv[2]} runs each after 3 warm-ups; whole-process medians (hyperfine -N)\n")
print("| command | median ms | min ms | max ms |")
print("|---|---:|---:|---:|")
for name, r in results.items():
    print(f"| `{name}` | {r['median']*1000:.2f} | {r['min']*1000:.2f} | {r['max']*1000:.2f} |")
fast, full = med["devpick list --probes sysfs,cpu"], med["devpick list (full discovery)"]
print("\n| ratio | value |")
print("|---|---:|")
print(f"| `devpick list --probes sysfs,cpu` / `lspci -nn` | {fast/med['lspci -nn']:.2f} |")
print(f"| `devpick list` (full) / `lspci -nn` | {full/med['lspci -nn']:.2f} |")
print(f"| `devpick list` (full) / `clinfo -l` | {full/med['clinfo -l']:.2f} |")
print(f"| `devpick list` (full) / `vulkaninfo --summary` | {full/med['vulkaninfo --summary']:.2f} |")
print(f"| `devpick list` (full) / `lstopo-no-graphics` | {full/med['lstopo-no-graphics']:.2f} |")
print(f"| `devpick list` (full) / (`clinfo -l` + `vulkaninfo --summary`) | {full/(med['clinfo -l']+med['vulkaninfo --summary']):.2f} |")
sel = med["devpick select --backend openvino"]
measured = med["devpick select --backend openvino --policy measured (cached)"]
print(f"| `select --policy measured` (cached) / `select` (performance) | {measured/sel:.2f} |")
print(f"| `select --policy measured` (cached) / (`clinfo -l` + `vulkaninfo --summary`) | {measured/(med['clinfo -l']+med['vulkaninfo --summary']):.2f} |")
PY
