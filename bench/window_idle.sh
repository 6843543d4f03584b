#!/usr/bin/env bash
# What an idle debug window costs the host: the built-in guest boots to its prompt with the window
# open (on an Xvfb screen when no display is set), then pc386's CPU time (user + sys, every thread,
# from /proc) is read over SECONDS of the guest idle at its prompt, running, and over SECONDS paused
# (F5); then the same guest idle headless on a terminal (a pty from script(1)), for comparison: what
# the machine's idle costs without any window.
#   bench/window_idle.sh BUILD [SECONDS] [MEM_MB]
set -u
# shellcheck source=../scripts/lib/xvfb.sh
source "$(dirname "$0")/../scripts/lib/xvfb.sh"
BUILD=${1:?build directory}
SECONDS_IDLE=${2:-10}
MEM=${3:-8}
PC386=$(cd "$BUILD" && pwd)/pc386
[ -x "$PC386" ] || { echo "usage: $0 BUILD [SECONDS] [MEM_MB]"; exit 2; }
command -v xdotool >/dev/null || { echo "xdotool is needed to press F5"; exit 2; }

WORK=$(mktemp -d /tmp/pc386-idle.XXXXXX)
XVFB= EMU=
cleanup() {
    [ -n "$EMU" ] && kill "$EMU" 2>/dev/null
    [ -n "$XVFB" ] && kill "$XVFB" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
    command -v Xvfb >/dev/null || { echo "no display and no Xvfb"; exit 2; }
    start_xvfb 150 190 1920x1080 || { echo "no Xvfb display could be started"; exit 2; }
fi
unset SDL_VIDEODRIVER

# CPU seconds (user + sys) pc386 has used so far.
cpu_seconds() {
    local ticks
    ticks=$(awk '{ print $14 + $15 }' "/proc/$EMU/stat")
    echo "scale=3; $ticks / $(getconf CLK_TCK)" | bc
}
# CPU seconds used over the next SECONDS_IDLE seconds.
cpu_over_interval() {
    local before after
    before=$(cpu_seconds)
    sleep "$SECONDS_IDLE"
    after=$(cpu_seconds)
    echo "scale=3; $after - $before" | bc
}

cd "$WORK"
"$PC386" run --mem "$MEM" --serial file:console.txt >emu.log 2>&1 &
EMU=$!
# init's first line (the prompt has no newline, so it stays in the file's buffer), then the shell.
for _ in $(seq 600); do
    grep -q 'init (pid 1)' console.txt 2>/dev/null && break
    sleep 0.1
done
grep -q 'init (pid 1)' console.txt || { echo "the guest did not start init: $(tail -3 emu.log)"; exit 1; }
WINDOW=$(timeout 30 xdotool search --sync --name '^pc386' | head -1)
sleep 3  # the shell starts, the last highlights of the boot fade
running=$(cpu_over_interval)
xdotool key --window "$WINDOW" F5
sleep 2
paused=$(cpu_over_interval)
kill "$EMU"
wait "$EMU" 2>/dev/null
# Headless on a terminal: an interactive run, so the idle guest waits on the host clock too.
script -q -c "$PC386 run --headless --mem $MEM" /dev/null >headless.txt 2>&1 &
SCRIPT_PID=$!
sleep 1
EMU=$(pgrep -n -f "$PC386 run --headless --mem $MEM")
for _ in $(seq 600); do
    grep -q 'init (pid 1)' headless.txt 2>/dev/null && break
    sleep 0.1
done
sleep 3
headless=$(cpu_over_interval)
kill "$EMU" "$SCRIPT_PID" 2>/dev/null
EMU=
printf "%-40s %8s %8s\n" "guest idle at its prompt" "CPU s" "CPU %"
printf "%-40s %8s %8s\n" "headless on a terminal, over ${SECONDS_IDLE} s" "$headless" "$(echo "scale=1; 100 * $headless / $SECONDS_IDLE" | bc)"
printf "%-40s %8s %8s\n" "window open, running, over ${SECONDS_IDLE} s" "$running" "$(echo "scale=1; 100 * $running / $SECONDS_IDLE" | bc)"
printf "%-40s %8s %8s\n" "window open, paused (F5), over ${SECONDS_IDLE} s" "$paused" "$(echo "scale=1; 100 * $paused / $SECONDS_IDLE" | bc)"
