#!/bin/sh
# run_scenario.sh qemu|pc386|bochs EMULATOR IMAGE SCENARIO WORKDIR [TAG]
# (HDB=FILE in the environment: a second IDE disk, the primary slave, on QEMU and pc386;
#  EVENTS_CHECK="PROGRAM [ARGS]", pc386 only: the run also writes its event stream to
#  WORKDIR/NAME.events.jsonl with --stats, and `PROGRAM [ARGS] LOG EVENTS` must pass: event_check.cpp)
#
# Boots the guest OS image and runs one scenario: a pc386 script (expect/send/wait-exit, see
# src/debug/script.h) whose comments may add checks on the guest's output:
#   # check NAME OP VALUE    the last "NAME <number>" line printed (the meminfo program's
#                            key-value lines) must satisfy OP (-gt -ge -eq -lt -le -ne) VALUE
#   # absent TEXT            TEXT must not appear in the output
#   # mem MB                 RAM size (default 8 MiB)
#   # bios FILE [VGA-FILE]   another BIOS (and VGA BIOS: pc386, Bochs); exit 77 (skip) if missing
# On pc386 the script runs as it is (pc386 run --script, its checks also written as JUnit XML to
# WORKDIR/NAME.junit.xml). On QEMU the `send` texts are typed
# ahead on the serial port (QEMU delivers stdin as the guest's UART reads it) and the `expect`
# texts are then looked for, in order, in the output. On Bochs (run_bochs.sh: COM1 on a local TCP
# socket) each `send` text goes out once the `expect` texts before it have appeared, and the
# kernel's "power off (status N)" line stands for QEMU's exit status (N << 1) | 1; the output is
# then checked as on QEMU. Always: no "FAIL" and no "panic".
# Prints PASS <scenario><TAG> or FAIL <scenario><TAG>: <reason>.
set -u
mode=$1 emulator=$2 image=$3 scenario=$4 work=$5 tag=${6:-}
name=$(basename "$scenario" .script)$tag
mkdir -p "$work"
log="$work/$name.$mode.log"

note= # what the runner said (bochs)
fail() {
    echo "---- guest output ($log) ----"
    tail -n 60 "$log"
    [ -n "$note" ] && printf '\n%s\n%s\n' "---- runner ----" "$note"
    echo "FAIL $name ($mode): $*"
    exit 1
}

# The script's quoted arguments of one command, one per line (escapes kept).
args_of() {
    sed -n "s/^[[:space:]]*$1[[:space:]]*\"\\(.*\\)\"[[:space:]]*\$/\\1/p" "$scenario"
}
mem=$(sed -n 's/^#[[:space:]]*mem[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$scenario" | tail -n 1)
mem=${mem:-8}
set -- $(sed -n 's/^#[[:space:]]*bios[[:space:]]*//p' "$scenario" | tail -n 1)
bios=${1:-} vga_bios=${2:-}
for f in $bios $vga_bios; do
    [ -r "$f" ] || { echo "SKIP $name: $f is not installed"; exit 77; }
done
qemu_bios= pc386_bios=
[ -n "$bios" ] && qemu_bios="-bios $bios" && pc386_bios="--bios $bios"
[ -n "$vga_bios" ] && pc386_bios="$pc386_bios --vga-bios $vga_bios"
exit_status=$(sed -n 's/^[[:space:]]*wait-exit[[:space:]]*\([0-9]*\).*/\1/p' "$scenario" | tail -n 1)

case $mode in
qemu)
    disk="$work/$name.img"
    cp --sparse=always "$image" "$disk" || fail "cannot copy $image"
    input=$(args_of send | tr -d '\n')
    printf '%b' "$input" | timeout 240 "$emulator" -cpu 486 -m "$mem" $qemu_bios -display none -serial stdio -no-reboot \
        -drive file="$disk",format=raw,if=ide,index=0 ${HDB:+-drive file="$HDB",format=raw,if=ide,index=1} \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 > "$log" 2>&1
    status=$?
    rm -f "$disk"
    ;;
pc386)
    events=${EVENTS_CHECK:+$work/$name.events.jsonl}
    timeout 240 "$emulator" run "$image" ${HDB:+--hdb "$HDB"} --headless --mem "$mem" $pc386_bios --snapshot \
        ${events:+--events "$events" --stats} --script "$scenario" --junit "$work/$name.junit.xml" > "$log" 2>&1
    status=$?
    ;;
bochs)
    note=$(bash "$(dirname "$0")/run_bochs.sh" "$emulator" "$image" "$mem" "$scenario" "$log" \
        $bios $vga_bios)
    status=$?
    case $status in 124 | 125) fail "$(printf '%s\n' "$note" | sed -n '1s/^bochs: //p')" ;; esac
    ;;
*) fail "unknown mode $mode" ;;
esac

[ -n "$exit_status" ] && [ "$status" -ne "$exit_status" ] && fail "exit status $status, expected $exit_status"
grep -q "FAIL" "$log" && fail "the guest printed FAIL"
grep -qi "panic" "$log" && fail "the guest kernel panicked"

# Every expect, in order.
args_of expect | while IFS= read -r text; do printf '%b\n' "$text"; done > "$work/$name.expects"
awk -v expects="$work/$name.expects" '
    { out = out $0 "\n" }
    END {
        gsub(/\r/, "", out)
        pos = 1
        while ((getline want < expects) > 0) {
            i = index(substr(out, pos), want)
            if (i == 0) { print "missing (in order): " want; exit 1 }
            pos += i + length(want) - 1
        }
    }' "$log" > "$work/$name.missing" || fail "$(cat "$work/$name.missing")"

# Counter checks and absent texts.
sed -n 's/^#[[:space:]]*check[[:space:]]*//p' "$scenario" | while read -r key op value; do
    got=$(tr -d '\r' < "$log" | sed -n "s/^$key \\([0-9][0-9]*\\)\$/\\1/p" | tail -n 1)
    [ -n "$got" ] || { echo "no '$key N' line in the output"; exit 1; }
    [ "$got" "$op" "$value" ] || { echo "$key is $got, expected $op $value"; exit 1; }
done > "$work/$name.checks" || fail "$(cat "$work/$name.checks")"
sed -n 's/^#[[:space:]]*absent[[:space:]]*//p' "$scenario" | while IFS= read -r text; do
    if grep -qF "$text" "$log"; then echo "unexpected: $text"; exit 1; fi
done > "$work/$name.absent" || fail "$(cat "$work/$name.absent")"
if [ "$mode" = pc386 ] && [ -n "${EVENTS_CHECK:-}" ]; then
    $EVENTS_CHECK "$log" "$events" > "$work/$name.events.check" 2>&1 ||
        fail "events ($events): $(cat "$work/$name.events.check")"
    cat "$work/$name.events.check"
fi
echo "PASS $name ($mode)"
