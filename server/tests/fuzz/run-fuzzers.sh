#!/usr/bin/env bash
# Runs each libFuzzer target for FUZZ_SECONDS (default 60) — `make fuzz` calls this after building
# build/fuzz. The committed seed corpus (server/tests/fuzz/corpus/<target>/) is read, never written:
# new inputs go to build/fuzz/corpus/<target>/, crashes to build/fuzz/crashes/<target>/, logs to
# build/fuzz/logs/<target>.log. Prints one summary line per target; exits 1 if any target found a
# crash (its input is then in build/fuzz/crashes/: fix the bug and copy the input into the
# committed corpus so `make test` replays it from then on).
#   usage: run-fuzzers.sh BUILD_DIR [TARGET...]
set -uo pipefail
cd "$(dirname "$0")/../../.."
build=${1:?usage: run-fuzzers.sh BUILD_DIR [TARGET...]}
shift
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(http_request clarity_csv nightscout_json jwt static_path)
seconds=${FUZZ_SECONDS:-60}
seeds=server/tests/fuzz/corpus
mkdir -p "$build/logs"

failed=0
printf '%-16s %10s %8s %8s %8s %s\n' target executions exec/s cov ft result
for t in "${targets[@]}"; do
  bin="$build/server/tests/fuzz/fuzz_$t"
  mkdir -p "$build/corpus/$t" "$build/crashes/$t"
  log="$build/logs/$t.log"
  # -rss_limit_mb: the HTTP target runs Argon2 (64 MiB) under ASan on sign-up and sign-in.
  "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$build/crashes/$t/" "$build/corpus/$t" "$seeds/$t" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  if [ "$rc" -eq 0 ]; then result=ok; else result="CRASH (exit $rc, see $log)"; failed=1; fi
  printf '%-16s %10s %8s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
if [ "$failed" -ne 0 ]; then
  echo "make fuzz: crashes in $build/crashes/ (reproduce: $build/server/tests/fuzz/fuzz_<target> <file>)" >&2
fi
exit "$failed"
