#!/usr/bin/env bash
# Runs every libFuzzer target built in <build>/fuzz for <seconds> each, starting from its seed
# corpus (fuzz/corpus/<target>) and any crash reproducers (fuzz/regressions/<target>), and prints
# one line per target: executions run and crashes found. New inputs go to <build>/fuzz/work, crash
# inputs to <build>/fuzz/artifacts/<target>/, so the checked-in seeds stay as they are.
# Usage: fuzz/run.sh [build-dir] [seconds]   (exit 1 when any target crashed)
set -uo pipefail
build=${1:-build-fuzz}
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
shopt -s nullglob
fuzzers=("$build"/fuzz/*_fuzzer)
if [ ${#fuzzers[@]} -eq 0 ]; then
  echo "fuzz/run.sh: no fuzzers in $build/fuzz; build the 'fuzzers' target first" >&2
  exit 2
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
printf '%-26s %12s %8s\n' target executions crashes
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer" _fuzzer)
  work="$build/fuzz/work/$name"
  artifacts="$build/fuzz/artifacts/$name/"
  log="$build/fuzz/$name.log"
  mkdir -p "$work" "$artifacts"
  corpora=("$work" "$here/corpus/$name")
  [ -d "$here/regressions/$name" ] && corpora+=("$here/regressions/$name")
  "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "${corpora[@]}" >"$log" 2>&1
  status=$?
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  crashes=$(find "$artifacts" -type f | wc -l)
  printf '%-26s %12s %8s\n' "$name" "${runs:-?}" "$crashes"
  if [ $status -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    echo "  $name failed (exit $status); see $log" >&2
    grep -m 5 -E 'ERROR|invariant|runtime error' "$log" | sed 's/^/  /' >&2
  fi
done
exit $failed
