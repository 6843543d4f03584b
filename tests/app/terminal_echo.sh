#!/usr/bin/env bash
# terminal_echo.sh PC386: on a terminal, `pc386 run` hands COM1 the keys the way QEMU's
# -serial stdio does: the terminal's own echo and line editing are off, so a command typed at the
# guest's shell appears once (the guest's echo), and the guest's exit status comes back.
# The terminal is a pty from `script` (--echo always: a terminal that echoes, as a user's does).
set -u
pc386=$1
dir=$(mktemp -d); trap 'exec 3>&-; rm -rf "$dir"' EXIT
mkfifo "$dir/keys"
timeout 60 script --echo always -qfec "$pc386 run --headless --mem 8" /dev/null < "$dir/keys" > "$dir/log" 2>&1 &
pid=$!
exec 3> "$dir/keys"
fail() { echo "FAIL terminal_echo: $*"; echo "--- output:"; tr -d '\r' < "$dir/log"; exit 1; }
# Type only at the prompt, so nothing the guest prints while booting gets in between.
for _ in $(seq 600); do grep -q '^\$ ' "$dir/log" && break; sleep 0.1; done
grep -q '^\$ ' "$dir/log" || fail "no shell prompt"
printf 'poweroff\n' >&3
wait "$pid"; status=$?
out=$(tr -d '\r' < "$dir/log")
echo "$out" | grep -q 'kernel: power off (status 0)' || fail "the guest did not power off"
[ "$status" -eq 1 ] || fail "exit status $status, expected 1 (poweroff)"
count=$(echo "$out" | grep -o 'poweroff' | wc -l)
[ "$count" -eq 1 ] || fail "'poweroff' appears $count times (the terminal echoed it too?)"
echo "PASS terminal_echo"
