#!/usr/bin/env bash
# gdb_session.sh PC386 GUESTOS_ELF: debugs the built-in guest kernel with Debian's gdb through
# `pc386 run --gdb PORT --wait-gdb`, as a kernel developer would: a breakpoint on a symbol, reading
# a variable, stepping a source line, a hardware watchpoint that triggers on the timer's write,
# monitor commands (info mem, break-on an event of the stream, events), a single instruction step,
# savevm/loadvm around two steps,
# detach. Then, over a raw socket: Ctrl-C stops a running machine, an unmapped read is an error
# reply, and kill ends pc386. Exit 77 (skip) without gdb.
set -u
pc386=$1 elf=$2
command -v gdb > /dev/null || { echo "gdb not installed: skipped"; exit 77; }
work=$(mktemp -d); trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + $$ % 30000))
fail() { echo "FAIL: $*"; echo "--- gdb output:"; cat "$work/gdb.out"; echo "--- pc386 output:"; cat "$work/pc386.out"; exit 1; }

# --- a session with gdb
"$pc386" run --headless --mem 8 --serial none --gdb "$port" --wait-gdb > "$work/pc386.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "waiting for gdb" "$work/pc386.out" && break; sleep 0.1; done
cat > "$work/cmds" <<GDB
set pagination off
set confirm off
target remote :$port
break kmain
continue
print \$eip == kmain
print ticks
next
delete
monitor break-on cow-copy
continue
monitor events 3
monitor break-on off
watch ticks
continue
delete
monitor info mem
stepi
info registers eip
monitor savevm here
info registers eip
stepi
stepi
info registers eip
monitor loadvm here
flushregs
info registers eip
monitor info snapshots
detach
GDB
timeout 60 gdb -batch -x "$work/cmds" "$elf" > "$work/gdb.out" 2>&1 || fail "gdb failed (status $?)"
grep -q "Breakpoint 1, kmain" "$work/gdb.out" || fail "no stop at the breakpoint on kmain"
grep -q '^\$1 = 1' "$work/gdb.out" || fail "EIP is not kmain at the breakpoint"
grep -q '^\$2 = 0' "$work/gdb.out" || fail "ticks is not 0 before the timer runs"
grep -q "console_init" "$work/gdb.out" || fail "'next' did not step to kmain's next line"
grep -q "Hardware watchpoint 2: ticks" "$work/gdb.out" || fail "gdb did not set a hardware watchpoint"
old=$(sed -n 's/^Old value = //p' "$work/gdb.out") new=$(sed -n 's/^New value = //p' "$work/gdb.out")
[ -n "$old" ] && [ "$new" = $((old + 1)) ] || fail "the watchpoint did not stop at the next tick (old '$old', new '$new')"
grep -Eq "^c0000000-c00b8000 000b8000 -> 00000000" "$work/gdb.out" || fail "monitor info mem lacks the kernel's direct map"
grep -q "the machine stops at the next event: cow-copy" "$work/gdb.out" || fail "monitor break-on refused"
grep -Eq "stopped at #[0-9]+ pid [0-9]+ .*cow-copy addr=" "$work/gdb.out" || fail "no stop at the cow-copy event"
grep -Eq "#[0-9]+ pid [0-9]+ .*cow-copy" "$work/gdb.out" || fail "monitor events does not list the cow-copy"
# savevm, two steps, loadvm: EIP is back where it was saved.
eips=$(grep -E '^eip ' "$work/gdb.out" | awk '{print $2}' | tail -n 3 | tr '\n' ' ')
set -- $eips
[ $# -eq 3 ] && [ "$1" = "$3" ] && [ "$1" != "$2" ] || fail "loadvm did not take EIP back (saved, stepped, loaded: $eips)"
grep -q "loaded 'here': the machine is back there" "$work/gdb.out" || fail "monitor loadvm did not say so"
grep -Eq "^here +[0-9]+ KiB" "$work/gdb.out" || fail "monitor info snapshots does not list 'here'"
grep -q "Inferior 1 (Remote target) detached" "$work/gdb.out" || fail "detach failed"
kill $pid 2>/dev/null; wait $pid 2>/dev/null

# --- the protocol by hand: Ctrl-C, an unmapped read, kill
"$pc386" run --headless --mem 8 --serial none --gdb "$port" > "$work/pc386.out" 2>&1 &
pid=$!
sleep 0.5
packet() { local sum=0 i; for ((i = 0; i < ${#1}; i++)); do sum=$(((sum + $(printf '%d' "'${1:i:1}")) % 256)); done; printf '$%s#%02x' "$1" "$sum"; }
exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "cannot connect to the stub"
reply() { local r=""; while IFS= read -r -t 5 -n 1 c <&3; do r+=$c; [[ $r == *'#'?? ]] && break; done; echo "$r"; }
packet "?" >&3; r=$(reply); [[ $r == *'$S05#'* ]] || fail "attach: expected S05, got '$r'"
packet "mc0100000,4" >&3; r=$(reply); [[ $r =~ \$[0-9a-f]{8}# ]] || fail "reading the kernel text at c0100000: '$r'"
packet "c" >&3; sleep 0.5
printf '\003' >&3; r=$(reply); [[ $r == *'$S02#'* ]] || fail "Ctrl-C: expected S02, got '$r'"
packet "mfffff000,4" >&3; r=$(reply); [[ $r == *'$E14#'* ]] || fail "unmapped read: expected E14, got '$r'"
packet "k" >&3
for _ in $(seq 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
kill -0 $pid 2>/dev/null && fail "kill did not end pc386"
echo "PASS gdb_session"
