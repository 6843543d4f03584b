#!/usr/bin/env bash
# The debug window driven from outside, as a person would: on an Xvfb screen of WIDTH x HEIGHT the
# window is sized to the screen, the built-in guest boots, then xdotool clicks the process "init"
# and a frame its address space maps, and F12 saves the picture and its text (window_text.cpp).
# Checks: init's address space is shown, the frame inspector names init's PTE for that frame, the
# PNG has the window's size; keys typed while paused show in the status line and reach the guest;
# a --break-on break names the event, pid and EIP in the status line and on stderr. Exit 77 (ctest SKIP_RETURN_CODE) when Xvfb or xdotool is missing.
#   xvfb_click_test.sh PC386 WIDTH HEIGHT
set -u
PC386=$1 WIDTH=$2 HEIGHT=$3
# shellcheck source=../../scripts/lib/xvfb.sh
source "$(dirname "$0")/../../scripts/lib/xvfb.sh"
command -v Xvfb >/dev/null && command -v xdotool >/dev/null || { echo "SKIP: Xvfb or xdotool missing"; exit 77; }

WORK=$(mktemp -d /tmp/pc386-xvfb.XXXXXX)
cd "$WORK"
fail() { echo "FAIL: $*"; [ -f last.txt ] && sed -n 1,60p last.txt; exit 1; }
cleanup() {
    [ -n "${EMU:-}" ] && kill "$EMU" 2>/dev/null
    [ -n "${XVFB:-}" ] && kill "$XVFB" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

start_xvfb 90 140 "${WIDTH}x${HEIGHT}" xvfb.log || fail "no Xvfb display could be started"
unset SDL_VIDEODRIVER

"$PC386" run --mem 8 --serial none >emu.log 2>&1 &
EMU=$!
WINDOW=$(timeout 30 xdotool search --sync --name '^pc386' | head -1)
[ -n "$WINDOW" ] || fail "no window appeared: $(cat emu.log)"
xdotool windowsize "$WINDOW" "$WIDTH" "$HEIGHT"

# Presses F12 and waits for the picture and its text; leaves the text in last.txt.
shots=0
shoot() {
    xdotool key --window "$WINDOW" F12
    shots=$((shots + 1))
    for _ in $(seq 50); do
        [ -s "pc386-screenshot-$shots.txt" ] && break
        sleep 0.1
    done
    [ -s "pc386-screenshot-$shots.txt" ] || fail "(emu: $(tail -3 emu.log)) F12 wrote no pc386-screenshot-$shots.txt"
    cp "pc386-screenshot-$shots.txt" last.txt
}
field() { sed -n "s/^grid .*\\b$1=\\([0-9]*\\).*/\\1/p" last.txt; }

# Boot: until the guest lists init (pid 1) at a clickable place.
for _ in $(seq 60); do
    shoot
    grep -q '^click process 1 at' last.txt && break
    sleep 1
done
grep -q "^window ${WIDTH}x${HEIGHT}\$" last.txt || fail "the window is not ${WIDTH}x${HEIGHT}"
read -r X Y < <(sed -n 's/^click process 1 at \([0-9]*\) \([0-9]*\)$/\1 \2/p' last.txt)
[ -n "${X:-}" ] || fail "init is not in the process list"

xdotool mousemove --window "$WINDOW" "$X" "$Y" click 1
sleep 0.5
shoot
grep -q '^Address space of pid 1 init' last.txt || fail "a click on init did not show its address space"
# A page of init's, and the frame it maps: "00400000-00400fff     1p -> 00165000  U R A -".
read -r PAGE PHYS < <(sed -n 's/^\([0-9a-f]\{8\}\)-[0-9a-f]\{8\} *[0-9]*p -> \([0-9a-f]\{8\}\) .*/\1 \2/p' last.txt | head -1)
[ -n "${PHYS:-}" ] || fail "init's address space lists no present page"
FRAME=$((16#$PHYS >> 12))
GX=$(field x) GY=$(field y) PITCH=$(field pitch) COLUMNS=$(field columns) PER=$(field frames_per_cell)
CELL=$((FRAME / PER))
CX=$((GX + (CELL % COLUMNS) * PITCH + PITCH / 2)) CY=$((GY + (CELL / COLUMNS) * PITCH + PITCH / 2))

xdotool mousemove --window "$WINDOW" "$CX" "$CY" click 1
sleep 0.5
shoot
grep -q "^frame $(printf %05x $FRAME)\$" last.txt || fail "a click at $CX,$CY did not select frame $(printf %x $FRAME)"
grep -q "^Frame $(printf %05x $FRAME)" last.txt || fail "the inspector does not show frame $(printf %x $FRAME)"
grep -A40 '^\[frame inspector\]' last.txt | grep -q "^  $PAGE .* in .*pid 1 init" ||
    fail "the inspector does not list init's PTE at $PAGE for frame $(printf %x $FRAME)"
# The PNG is the whole window.
SIZE=$(od -An -tu1 -j16 -N8 "pc386-screenshot-$shots.png" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
[ "$SIZE" = "$WIDTH $HEIGHT" ] || fail "the PNG is $SIZE, not $WIDTH $HEIGHT"

# Keys typed while paused are kept: the status line shows them, and the guest runs the command
# once the window continues (the console, in the picture's text, shows its output).
xdotool key --window "$WINDOW" F5
sleep 0.5
xdotool type --window "$WINDOW" --delay 100 ps
xdotool key --window "$WINDOW" Return
sleep 1.5
shoot
grep -A1 '^\[status\]' last.txt | grep -q '^PAUSED.*typed "ps\[Enter\]"' || fail "the status line does not show the keys typed while paused"
xdotool key --window "$WINDOW" F5
for _ in $(seq 20); do
    sleep 0.5
    shoot
    sed -n '/^\[console\]/,/^\[status\]/p' last.txt | grep -q '^PASS ps' && break
done
sed -n '/^\[console\]/,/^\[status\]/p' last.txt | grep -q '^PASS ps' || fail "ps typed while paused did not run when the window continued"

# A --break-on break says where and why it stopped: in the status line and on stderr.
kill "$EMU"
wait "$EMU" 2>/dev/null
"$PC386" run --mem 8 --serial none --break-on fork >emu.log 2>&1 &
EMU=$!
WINDOW=$(timeout 30 xdotool search --sync --name '^pc386' | head -1)
[ -n "$WINDOW" ] || fail "no window appeared with --break-on: $(cat emu.log)"
for _ in $(seq 60); do
    grep -q 'window paused at a break-on event' emu.log && break
    sleep 0.5
done
grep -q 'pc386: window paused at a break-on event: #[0-9]* pid 1 (init) fork parent=1 child=[0-9]* at eip 0x' emu.log ||
    fail "no break line on stderr: $(cat emu.log)"
shoot
grep -A1 '^\[status\]' last.txt | grep -q '^PAUSED, stopped at #[0-9]* pid 1 (init) fork parent=1 child=[0-9]* at eip 0x' ||
    fail "the status line does not say where the break stopped"
echo "PASS: ${WIDTH}x${HEIGHT}: clicked init and frame $(printf %x $FRAME) (its page $PAGE); the inspector names the PTE; keys typed while paused ran; a break says where"
