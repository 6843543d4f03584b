#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS [TARGET...]: builds the libFuzzer targets (clang, ASan+UBSan) in
# build-fuzz and runs each for SECONDS from its seed corpus in tests/fuzz/corpus/TARGET (new
# inputs go to build-fuzz/corpus/TARGET, crashes to build-fuzz/crashes/). Exits non-zero on a
# crash, a sanitizer report or a leak. The default targets: machine, cli, script, event_filter.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(machine cli script event_filter)
JOBS=${JOBS:-$(nproc)}

CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPC386_FUZZ=ON \
  -DPC386_BUILD_UI=OFF -DPC386_BUILD_GUEST=OFF >/dev/null
cmake --build build-fuzz -j"$JOBS" --target "${TARGETS[@]/#/fuzz_}"

mkdir -p build-fuzz/crashes
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  echo "== fuzz_$t for ${SECONDS_EACH} s"
  # -rss_limit_mb: the machine target allocates a few MiB of guest RAM per input.
  if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "build-fuzz/tests/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="build-fuzz/crashes/$t-" -print_final_stats=1 \
      "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" 2>"build-fuzz/fuzz_$t.log"; then
    echo "fuzz_$t FAILED (see build-fuzz/fuzz_$t.log and build-fuzz/crashes/)"
    tail -40 "build-fuzz/fuzz_$t.log"
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^Done [0-9]+ runs" "build-fuzz/fuzz_$t.log" || true
done
exit $status
