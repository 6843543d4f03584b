#!/usr/bin/env bash
# events_overhead.sh BUILD_DIR [SCENARIO...]: what the event stream costs. The same guest scenario
# (tests/scenarios/NAME.script on the built-in guest at --mem 8) runs side by side in one run, each
# way ROUNDS times (default 5), best wall time kept:
#   off     nobody listens (the default run: recording is off)
#   guest   --events /dev/null --events-filter guest   (the guest's own events, JSON Lines)
#   all     --events /dev/null                          (every event, interrupts and TLB flushes too)
#   chrome  --events /dev/null --events-format chrome   (every event, trace-event JSON)
# and prints each time with its ratio to `off`. Default scenarios: memhog forkstorm cowtest.
# Wall times include boot and start-up; a noisy machine shows as spread, so compare ratios.
# BASELINE=PATH/pc386 adds a column for another build (say, one from before the event stream) on
# the same image. CALLGRIND=1 counts host instructions with valgrind instead of timing: exact and
# repeatable on a busy machine, about 50 times slower (use it with cowtest or forkstorm).
set -u
build=${1:?usage: events_overhead.sh BUILD_DIR [SCENARIO...]}; shift
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-5}
[ -x "$build/pc386" ] || { echo "events_overhead.sh: $build/pc386 not found (build first)" >&2; exit 4; }
[ $# -gt 0 ] || set -- memhog forkstorm cowtest

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# The scenario's expect/send/timeout/wait-exit lines only: the same workload for every build,
# including one that predates the script's newer commands.
plain_script() {
    grep -E '^[[:space:]]*(expect|send|timeout|wait-exit)' "$here/tests/scenarios/$1.script" > "$work/$1.script"
    echo "$work/$1.script"
}

best_time() {  # [BIN=...] SCENARIO ARGS...: best wall time of `rounds` runs, "-" if one failed
    local scenario best="" t0 t1 t bin=${BIN:-$build/pc386}
    scenario=$(plain_script "$1"); shift
    if [ -n "${CALLGRIND:-}" ]; then
        local out; out=$(mktemp)
        valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" run "$build/guestos.img" --snapshot --headless \
            --mem 8 --serial none --script "$scenario" "$@" > /dev/null 2>&1
        awk '/^summary:/ { printf "%.0fM", $2 / 1e6 }' "$out"; rm -f "$out"; return
    fi
    for _ in $(seq "$rounds"); do
        t0=$(date +%s.%N)
        "$bin" run "$build/guestos.img" --snapshot --headless --mem 8 --serial none \
            --script "$scenario" "$@" > /dev/null 2>&1
        [ $? -eq 1 ] || { echo "-"; return; }
        t1=$(date +%s.%N)
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
        if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
    done
    printf '%.3f' "$best"
}

ratio() { [ "$1" = "-" ] || [ "$2" = "-" ] && echo "-" || awk -v a="${1%M}" -v b="${2%M}" 'BEGIN { printf "%.3f", a / b }'; }

[ -n "${BASELINE:-}" ] && printf '%-10s %9s %9s %12s\n' scenario baseline off off/baseline
for s in "$@"; do
    [ -n "${BASELINE:-}" ] || break
    base=$(BIN=$BASELINE best_time "$s")
    off=$(best_time "$s")
    printf '%-10s %9s %9s %12s\n' "$s" "$base" "$off" "$(ratio "$off" "$base")"
done
printf '%-10s %8s %8s %8s %8s %10s %10s %10s\n' scenario off guest all chrome guest/off all/off chrome/off
for s in "$@"; do
    off=$(best_time "$s")
    guest=$(best_time "$s" --events /dev/null --events-filter guest)
    all=$(best_time "$s" --events /dev/null)
    chrome=$(best_time "$s" --events /dev/null --events-format chrome)
    printf '%-10s %8s %8s %8s %8s %10s %10s %10s\n' "$s" "$off" "$guest" "$all" "$chrome" \
        "$(ratio "$guest" "$off")" "$(ratio "$all" "$off")" "$(ratio "$chrome" "$off")"
done
