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
set -u
build=${1:?usage: events_overhead.sh BUILD_DIR [SCENARIO...]}; shift
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-5}
[ -x "$build/pc386" ] || { echo "events_overhead.sh: $build/pc386 not found (build first)" >&2; exit 4; }
[ $# -gt 0 ] || set -- memhog forkstorm cowtest

best_time() {  # SCENARIO ARGS...: best wall time of `rounds` runs, "-" if one failed
    local scenario=$1 best="" t0 t1 t; shift
    for _ in $(seq "$rounds"); do
        t0=$(date +%s.%N)
        "$build/pc386" run --headless --mem 8 --serial none --script "$here/tests/scenarios/$scenario.script" "$@" \
            > /dev/null 2>&1
        [ $? -eq 1 ] || { echo "-"; return; }
        t1=$(date +%s.%N)
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
        if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
    done
    printf '%.3f' "$best"
}

ratio() { [ "$1" = "-" ] || [ "$2" = "-" ] && echo "-" || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

printf '%-10s %8s %8s %8s %8s %10s %10s %10s\n' scenario off guest all chrome guest/off all/off chrome/off
for s in "$@"; do
    off=$(best_time "$s")
    guest=$(best_time "$s" --events /dev/null --events-filter guest)
    all=$(best_time "$s" --events /dev/null)
    chrome=$(best_time "$s" --events /dev/null --events-format chrome)
    printf '%-10s %8s %8s %8s %8s %10s %10s %10s\n' "$s" "$off" "$guest" "$all" "$chrome" \
        "$(ratio "$guest" "$off")" "$(ratio "$all" "$off")" "$(ratio "$chrome" "$off")"
done
