#!/bin/sh
# snapshot_cli.sh PC386 WORKDIR
# Snapshots as a CI user takes them: one script boots the built-in guest, saves at the prompt, runs
# cowtest, goes back to the prompt (the guest's output after the save is gone: `uptime`-like state
# is the prompt's again) and writes the booted machine to a file; a second run starts from that file
# with --restore and runs cowtest without booting. Then the bad inputs: a file that is not a
# snapshot, and a snapshot of another machine (other --mem), each one line and exit status 4.
# Prints PASS snapshot_cli or FAIL snapshot_cli: <reason>.
set -u
pc386=$1 work=$2
mkdir -p "$work" && cd "$work" || exit 1
rm -f booted.snap
fail() { echo "---- $1 ----"; cat "$1" 2>/dev/null; echo "FAIL snapshot_cli: $2"; exit 1; }

cat > save.script <<'SCRIPT'
timeout 3000000000
case "boot and save"
expect "$ "
snapshot save prompt
case "cowtest after the save"
send "cowtest\n"
expect "PASS cowtest"
expect "$ "
case "back to the prompt"
snapshot restore prompt
send "meminfo\n"
expect "PASS meminfo"
expect "$ "
snapshot restore prompt
snapshot write "booted.snap"
SCRIPT
"$pc386" run --headless --mem 8 --serial file:save.log --script save.script --junit save.xml > save.out 2>&1
status=$?
[ $status -eq 0 ] || fail save.out "the saving run exited with $status"
grep -q "script: 5 passed, 0 failed, 0 skipped" save.out || fail save.out "not every check of the saving run passed"
[ -s booted.snap ] || fail save.out "no booted.snap"
[ -e booted.snap.partial ] && fail save.out "a partial snapshot file was left behind"
# The restored machine continued from the prompt: meminfo ran in a guest that never ran cowtest.
grep -q "PASS cowtest" save.log || fail save.log "cowtest did not run"

cat > resume.script <<'SCRIPT'
timeout 3000000000
send "cowtest\n"
expect "PASS cowtest"
expect "$ "
send "poweroff\n"
wait-exit 1
SCRIPT
"$pc386" run --headless --mem 8 --serial file:resume.log --restore booted.snap --script resume.script --stats \
    > resume.out 2>&1
status=$?
[ $status -eq 1 ] || fail resume.out "the restored run exited with $status, not the guest's 1"
# It started at the prompt: no boot messages in its output.
grep -q "PASS cowtest" resume.log || fail resume.log "cowtest did not pass after --restore"
grep -qi "booting\|BIOS" resume.log && fail resume.log "the restored run booted again"

printf 'not a snapshot\n' > junk.snap
"$pc386" run --headless --mem 8 --restore junk.snap > junk.out 2>&1
status=$?
[ $status -eq 4 ] || fail junk.out "a junk snapshot: exit $status, not 4"
[ "$(wc -l < junk.out)" -eq 1 ] || fail junk.out "a junk snapshot: not one line"
grep -q "^pc386: --restore 'junk.snap': not a pc386 snapshot" junk.out || fail junk.out "a junk snapshot: unclear message"

"$pc386" run --headless --mem 16 --restore booted.snap > other.out 2>&1
status=$?
[ $status -eq 4 ] || fail other.out "a snapshot of another machine: exit $status, not 4"
grep -q "RAM size in bytes: the snapshot has 8388608, this machine 16777216" other.out ||
    fail other.out "a snapshot of another machine: unclear message"

echo "PASS snapshot_cli"
