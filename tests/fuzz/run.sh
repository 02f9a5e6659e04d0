#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the other, on the seed
# corpus in tests/fuzz/corpus/<target>/ plus a scratch corpus in build-fuzz/fuzz-work/<target>/
# (new inputs go there, never into the repository). Prints the executions per target and exits
# non-zero if any target found something; the reproducer is in build-fuzz/fuzz-artifacts/.
# Usage: tests/fuzz/run.sh SECONDS [target ...]
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?seconds per target}
shift
bin=build-fuzz/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/*_fuzz.cc; do t=$(basename "$f" _fuzz.cc); targets+=("$t"); done
fi
logs=${FUZZ_LOG_DIR:-build-fuzz/fuzz-logs}
mkdir -p build-fuzz/fuzz-artifacts "$logs"
status=0
for t in "${targets[@]}"; do
  work=build-fuzz/fuzz-work/$t
  mkdir -p "$work"
  args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1
        -artifact_prefix="build-fuzz/fuzz-artifacts/$t-")
  [ -f "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
  log=$logs/$t.log
  # halt_on_error: a UBSan or ASan report is a finding, not a warning.
  ASAN_OPTIONS=halt_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$bin/${t}_fuzz" "${args[@]}" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  if [ $rc -eq 0 ]; then
    printf 'fuzz %-18s ok      %8s executions in %ss\n' "$t" "${execs:-?}" "$secs"
  else
    printf 'fuzz %-18s FAILED  (exit %d; see %s)\n' "$t" "$rc" "$log"
    grep -m1 -A12 'ERROR: \|runtime error\|==ERROR' "$log" | head -20
    status=1
  fi
done
exit $status
