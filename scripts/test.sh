#!/usr/bin/env bash
# Builds everything and runs every test: the Release build (unit, conformance, test programs, boot
# and guest scenarios on pc386 and QEMU), then an ASan+UBSan build running the unit and conformance
# tests, then a short fuzzing run of each libFuzzer target (tests/fuzz/run.sh). Exits non-zero when
# any test fails. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}

bash scripts/install-deps.sh

echo "== Release build"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$JOBS"
echo "== Release tests"
ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 600

echo "== Sanitizer build (ASan+UBSan)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPC386_SANITIZE=ON -DPC386_BUILD_UI=OFF >/dev/null
cmake --build build-asan -j"$JOBS"
echo "== Sanitizer tests (unit, conformance, emulator)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$JOBS" --timeout 900 -L 'unit|conformance|emulator'

echo "== Fuzzing (libFuzzer, ASan+UBSan): ${FUZZ_SECONDS:-30} s per target"
bash tests/fuzz/run.sh "${FUZZ_SECONDS:-30}"
