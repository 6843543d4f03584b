#!/usr/bin/env bash
# What the debug window costs the emulation: the same guest scenario headless and with the window
# open (on an Xvfb screen when no display is set), best of N runs each, as host CPU seconds (user +
# sys of pc386: the X server's own work is not counted) and wall seconds. A busy machine makes wall
# times noisy; CPU seconds are the comparison. The same is measured for a run that only boots to
# the prompt and powers off: the window's start-up (SDL, the X connection, the renderer, the font)
# is a fixed cost, and the steady-state ratio leaves it out: (window - window's boot) / (headless -
# headless's boot).
#   bench/window_overhead.sh BUILD [SCENARIO] [RUNS]     e.g. bench/window_overhead.sh build memhog 3
set -u
# shellcheck source=../scripts/lib/xvfb.sh
source "$(dirname "$0")/../scripts/lib/xvfb.sh"
BUILD=${1:?build directory}
SCENARIO=${2:-memhog}
RUNS=${3:-3}
PC386=$(cd "$BUILD" && pwd)/pc386
SCRIPT=$(cd "$(dirname "$0")/.." && pwd)/tests/scenarios/$SCENARIO.script
[ -x "$PC386" ] && [ -f "$SCRIPT" ] || { echo "usage: $0 BUILD [SCENARIO] [RUNS]"; exit 2; }

XVFB=
if [ -z "${DISPLAY:-}" ]; then
    command -v Xvfb >/dev/null || { echo "no display and no Xvfb"; exit 2; }
    start_xvfb 150 190 1920x1080 || { echo "no Xvfb display could be started"; exit 2; }
fi
BOOT_SCRIPT=$(mktemp --suffix=.script)
printf 'timeout 3000000000\nexpect "$ "\nsend "poweroff\\n"\nwait-exit 1\n' >"$BOOT_SCRIPT"
trap '[ -n "$XVFB" ] && kill "$XVFB"; rm -f "$BOOT_SCRIPT"' EXIT

# Prints "cpu wall" seconds of the best run (least CPU) of SCRIPT with the options after it.
best() {
    local script=$1
    shift
    local best_cpu= best_wall=
    for _ in $(seq "$RUNS"); do
        local times
        times=$(mktemp)
        /usr/bin/time -o "$times" -f "%U %S %e" "$PC386" run --mem 8 --serial none --script "$script" "$@" >/dev/null 2>&1
        read -r user sys wall < <(tail -1 "$times")
        rm -f "$times"
        local cpu
        cpu=$(echo "$user + $sys" | bc)
        if [ -z "$best_cpu" ] || [ "$(echo "$cpu < $best_cpu" | bc)" = 1 ]; then best_cpu=$cpu best_wall=$wall; fi
    done
    echo "$best_cpu $best_wall"
}

read -r headless_cpu headless_wall < <(best "$SCRIPT" --headless)
read -r window_cpu window_wall < <(best "$SCRIPT")
read -r headless_boot _ < <(best "$BOOT_SCRIPT" --headless)
read -r window_boot _ < <(best "$BOOT_SCRIPT")
printf "%-34s %10s %10s\n" "$SCENARIO, best of $RUNS" "CPU s" "wall s"
printf "%-34s %10s %10s\n" "headless" "$headless_cpu" "$headless_wall"
printf "%-34s %10s %10s\n" "window open (DISPLAY=$DISPLAY)" "$window_cpu" "$window_wall"
printf "%-34s %10s\n" "boot and power off, headless" "$headless_boot"
printf "%-34s %10s\n" "boot and power off, window open" "$window_boot"
printf "%-34s %10s\n" "window / headless (CPU)" "$(echo "scale=3; $window_cpu / $headless_cpu" | bc)"
printf "%-34s %10s\n" "the same without the boot runs" \
    "$(echo "scale=3; ($window_cpu - $window_boot) / ($headless_cpu - $headless_boot)" | bc)"
