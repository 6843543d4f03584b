#!/usr/bin/env bash
# guest_compare.sh BUILD_DIR [SCENARIO...]: the same guest OS image and the same scenario
# (tests/scenarios/NAME.script: boot, run test programs, power off) on pc386, QEMU (TCG,
# -cpu 486) and Bochs, one after the other in one run, each ROUNDS times (default 3); prints the
# best wall time of each and its ratio to pc386. Default scenarios: memhog cowswap forkstorm.
# A machine that is not installed is left out. Wall times include boot and emulator start-up.
set -u
build=${1:?usage: guest_compare.sh BUILD_DIR [SCENARIO...]}; shift
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
runner=$here/tests/scenarios/run_scenario.sh
image=$build/guestos.img
rounds=${ROUNDS:-3}
[ -r "$image" ] || { echo "guest_compare.sh: $image not found (build first)" >&2; exit 4; }
[ $# -gt 0 ] || set -- memhog cowswap forkstorm
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

declare -A emulator=([pc386]=$build/pc386 [qemu]=$(command -v qemu-system-i386 || true)
                     [bochs]=$(command -v bochs || true))

# Best wall time in seconds of `rounds` runs of one scenario on one machine ("-" if it failed).
best_time() {
    local mode=$1 scenario=$2 best="" t0 t1 t
    for _ in $(seq "$rounds"); do
        t0=$(date +%s.%N)
        if ! sh "$runner" "$mode" "${emulator[$mode]}" "$image" "$here/tests/scenarios/$scenario.script" \
            "$work/$mode" > "$work/last.log" 2>&1; then
            echo "-"; return
        fi
        t1=$(date +%s.%N)
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
        if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
    done
    printf '%.2f' "$best"
}

printf '%-12s %10s %10s %10s %12s %12s\n' scenario pc386 qemu bochs qemu/pc386 bochs/pc386
for s in "$@"; do
    declare -A t=()
    for mode in pc386 qemu bochs; do
        if [ -n "${emulator[$mode]}" ]; then t[$mode]=$(best_time "$mode" "$s"); else t[$mode]="-"; fi
    done
    ratio() { [ "${t[$1]}" = "-" ] || [ "${t[pc386]}" = "-" ] && echo "-" || awk -v a="${t[$1]}" -v b="${t[pc386]}" 'BEGIN { printf "%.2f", a / b }'; }
    printf '%-12s %10s %10s %10s %12s %12s\n' "$s" "${t[pc386]}" "${t[qemu]}" "${t[bochs]}" "$(ratio qemu)" "$(ratio bochs)"
done
