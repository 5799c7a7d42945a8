#!/bin/sh
# End-to-end check of the Windows build under Wine (`make test-windows`): devpick.exe replays every
# scenario of tests/scenarios and must print exactly what tests/windows/expected/ holds for
# `list` and `select --backend cpu --json` (the Linux build prints the same: a replay is
# deterministic). Wine's standard output ends lines with CRLF; the CRs are dropped before comparing.
#
#   tests/windows/e2e.sh build-windows            # check
#   tests/windows/e2e.sh build-windows --update   # rewrite the expected files, then review the diff
#
# Wine must be running already (the Makefile starts it with its output detached).
set -eu
build=$1
update=${2:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
wine=${DEVPICK_WINE:-/usr/lib/wine/wine64}
devpick=$(cd "$build" && pwd)/devpick.exe
expected=$here/tests/windows/expected
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

check() {  # check NAME ARGS...: devpick.exe ARGS must print tests/windows/expected/NAME
  name=$1
  shift
  status=0
  "$wine" "$devpick" "$@" </dev/null >"$work/raw" 2>"$work/stderr" || status=$?
  tr -d '\r' <"$work/raw" >"$work/out"
  if [ "$status" != 0 ]; then
    echo "FAIL $name: devpick.exe $* exited with $status" >&2
    cat "$work/stderr" >&2
    failed=1
  elif [ "$update" = --update ]; then
    cp "$work/out" "$expected/$name"
  elif ! diff -u "$expected/$name" "$work/out" >&2; then
    echo "FAIL $name: devpick.exe $* printed something else (diff above)" >&2
    failed=1
  else
    echo "ok   $name"
  fi
}

for scenario in "$here"/tests/scenarios/*.json; do
  label=$(basename "$scenario" .json)
  [ "$label" = expectations ] && continue
  # A drive path: Wine maps Z: to the host's /.
  replay="Z:$scenario"
  check "$label.list.out" --replay "$replay" list
  check "$label.select-cpu.json" --replay "$replay" select --backend cpu --json
done
exit $failed
