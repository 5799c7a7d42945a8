#!/bin/sh
# Writes what devpick prints for every scenario, fixture tree and captured machine into OUT, one file
# per command, so two builds can be compared byte for byte:
#
#   tests/contracts/dump-outputs.sh build-before /tmp/before
#   tests/contracts/dump-outputs.sh build        /tmp/after
#   diff -r /tmp/before /tmp/after
#
# Covered: list (JSON and text), snapshot, select --json / explain / select --format shell --isolate
# with no backend and with every backend `devpick select --help` accepts, and doctor --json.
set -eu
build=$1
out=$2
here=$(cd "$(dirname "$0")/../.." && pwd)
devpick=$(cd "$build" && pwd)/devpick
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

backends=$("$devpick" select --help | sed -n 's/^ *-b,--backend TEXT *\([a-z, ]*\) (default.*/\1/p' | tr -d ',')
[ -n "$backends" ] || { echo "dump-outputs: no backends found in select --help" >&2; exit 1; }

run() {  # run NAME ARGS...: stdout, stderr and status of one command
  name=$1
  shift
  status=0
  # Paths of temporary trees differ between runs; print them as <tree>.
  "$devpick" "$@" >"$work/stdout" 2>"$work/stderr" || status=$?
  sed -e "s|$work|<tree>|g" -e "s|$here|<repo>|g" "$work/stdout" >"$out/$name.out"
  sed -e "s|$work|<tree>|g" -e "s|$here|<repo>|g" "$work/stderr" >"$out/$name.err"
  echo "$status" >"$out/$name.status"
}

each_input() {  # each_input LABEL SOURCE-ARGS...
  label=$1
  shift
  run "$label.list-json" "$@" --json list
  run "$label.list" "$@" list
  run "$label.snapshot" "$@" snapshot
  run "$label.doctor-json" "$@" --json doctor
  run "$label.select-json" "$@" --json select
  run "$label.explain" "$@" explain
  for b in $backends; do
    run "$label.$b.select-json" "$@" --json select --backend "$b"
    run "$label.$b.explain" "$@" explain --backend "$b"
    run "$label.$b.select-shell" "$@" select --backend "$b" --isolate --format shell
    run "$label.$b.doctor-json" "$@" --json doctor --backend "$b"
  done
}

for scenario in "$here"/tests/scenarios/*.json; do
  case $scenario in */expectations.json) continue ;; esac
  each_input "scenario.$(basename "$scenario" .json)" --replay "$scenario"
done
for tree in "$here"/tests/fixtures/sysfs/*/; do
  each_input "fixture.$(basename "$tree")" --root "$tree"
done
for tarball in "$here"/tests/real-machines/*.tar.bz2; do
  name=$(basename "$tarball" .tar.bz2)
  mkdir -p "$work/$name"
  tar -xjf "$tarball" -C "$work/$name"
  each_input "machine.$name" --root "$(echo "$work/$name"/*/)"
done
echo "dump-outputs: $(ls "$out" | wc -l) files in $out"
