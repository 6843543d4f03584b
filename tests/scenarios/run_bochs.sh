#!/usr/bin/env bash
# run_bochs.sh BOCHS IMAGE MEM SCENARIO LOG [BIOS [VGA-BIOS]]
#
# Boots IMAGE (a copy of it) on Bochs with MEM MiB and plays the scenario's `send` texts on COM1,
# each once the `expect` texts before it have appeared (in order) in what the guest printed,
# which goes to LOG. Bochs has no debug-exit device: the run ends when the kernel prints
# "kernel: power off (status N)" (it then halts), and this script exits with QEMU's isa-debug-exit
# status for it, (N << 1) | 1. Otherwise it exits with 124 (no power off within $BOCHS_TIMEOUT
# seconds, default 120) or 125 (Bochs did not start or stopped early), after a line saying why.
# Bochs's own log is LOG with .emu.log for .log, its terminal output .screen.
#
# How Bochs is run, and why:
# - Debian's Bochs has its debugger built in: it stops at a prompt before the first instruction.
#   The -rc file says "c" (continue), then "quit": SIGINT stops the simulation and drops to the
#   debugger, which reads the next command from the file, so SIGINT is a clean exit.
# - No window: the term display library (package bochs-term) draws the VGA screen on a terminal,
#   which `script` provides (a pty whose output goes to the .screen file). The rfb library would
#   do without a terminal, but its VNC server listens on every interface.
# - COM1 is a TCP server on 127.0.0.1 (mode=socket-server) on a port nothing else uses (picked
#   from this script's PID, checked with ss, another one tried if Bochs cannot listen on it).
#   Bochs waits for the connection before it starts the CPU.
# - Why not type everything ahead as on QEMU: Bochs hands the guest's UART the characters at the
#   line's baud rate, so typed-ahead text keeps arriving while programs run, and the tty's echo
#   of it lands in the middle of their output.
# Bochs is stopped on every way out of this script (trap), SIGKILL if SIGINT is not enough.
set -u
export LC_ALL=C # byte offsets and lengths
bochs=$1 image=$2 mem=$3 scenario=$4 log=$5 bios=${6:-/usr/share/bochs/BIOS-bochs-latest}
vga_bios=${7:-/usr/share/vgabios/vgabios.bin}
timeout_s=${BOCHS_TIMEOUT:-120}
base=${log%.log}
disk=$base.img rc=$base.rc conf=$base.bochsrc emu_log=$base.emu.log screen=$base.screen

script_pid='' bochs_pid='' reader_pid=''
stop_bochs() {
    exec 3>&-
    [ -n "$reader_pid" ] && kill "$reader_pid" 2>/dev/null && wait "$reader_pid" 2>/dev/null
    reader_pid=
    if [ -n "$bochs_pid" ] && kill -INT "$bochs_pid" 2>/dev/null; then
        for _ in $(seq 30); do kill -0 "$bochs_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$bochs_pid" 2>/dev/null
    fi
    bochs_pid=
    [ -n "$script_pid" ] && wait "$script_pid" 2>/dev/null
    script_pid=
}
cleanup() {
    stop_bochs
    rm -f "$disk" "$disk.lock" "$base.pid"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

: > "$log"
cp --sparse=always "$image" "$disk" || { echo "bochs: cannot copy $image"; exit 125; }
printf 'c\nquit\n' > "$rc"

# Bochs keeps at most 2048 MiB of the guest's RAM in host memory at a time ("megs" sets both); a
# larger guest (zones_3g) gets "memory: guest=N, host=2048", which Bochs accepts up to 3 GiB.
if [ "$mem" -gt 2048 ]; then memory_line="memory: guest=$mem, host=2048"; else memory_line="megs: $mem"; fi

# Starts Bochs with COM1 on the given port; returns 0 once connected (fd 3), 1 if Bochs could not
# listen on the port, 2 if it failed otherwise.
start_bochs() {
    local port=$1
    cat > "$conf" <<EOF
$memory_line
romimage: file=$bios
vgaromimage: file=$vga_bios
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path=$disk, mode=flat
boot: disk
display_library: term
com1: enabled=1, mode=socket-server, dev=127.0.0.1:$port
port_e9_hack: enabled=1
log: $emu_log
panic: action=fatal
error: action=report
cpu: count=1, ips=50000000
clock: sync=none
EOF
    rm -f "$base.pid" "$disk.lock"
    # exec keeps the PID: the shell, Bochs's wrapper script and bochs-bin are one process.
    local cmd
    cmd=$(printf 'echo $$ > %q; exec %q -q -f %q -rc %q' "$base.pid" "$bochs" "$conf" "$rc")
    TERM=xterm script -qfec "$cmd" /dev/null < /dev/null > "$screen" 2>&1 &
    script_pid=$!
    for _ in $(seq 80); do
        [ -z "$bochs_pid" ] && [ -s "$base.pid" ] && bochs_pid=$(cat "$base.pid")
        # Only once this Bochs says it listens: the port is then surely its own.
        if [ -n "$bochs_pid" ] && grep -aq "waiting for client to connect.*port:$port)" "$screen" &&
            { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$script_pid" 2>/dev/null; then
            wait "$script_pid" 2>/dev/null
            script_pid='' bochs_pid=''
            grep -q 'bind() or listen() failed' "$screen" && return 1
            return 2
        fi
        sleep 0.25
    done
    return 2
}

connected=
for attempt in 0 1 2 3 4 5 6 7; do
    port=$((20000 + ($$ * 7 + attempt * 997) % 12000))
    # Any socket on the port (a listener, or a TIME-WAIT left by an earlier run) makes bind fail.
    [ -n "$(ss -Htan "sport = :$port" 2>/dev/null)" ] && continue
    start_bochs "$port"
    case $? in
    0) connected=1; break ;;
    1) continue ;;
    *) stop_bochs; break ;;
    esac
done
if [ -z "$connected" ]; then
    echo "bochs: Bochs did not start (no COM1 connection)"
    echo "its output ($screen):"
    tr -d '\r' < "$screen" | grep -a -v '^ALSA' | tail -n 15
    exit 125
fi

: > "$log"
cat <&3 > "$log" &
reader_pid=$!
start=$SECONDS
status='' offset=0 waiting=''
# Follows the script: waits for each expect text (after the previous one), sends each send text.
# False when the time is up or Bochs has stopped; sets status once the kernel has powered off.
running() {
    local n
    n=$(sed -n 's/.*kernel: power off (status \([0-9][0-9]*\)).*/\1/p' "$log" | head -n 1)
    [ -n "$n" ] && status=$(((n << 1) | 1)) && return 1
    [ $((SECONDS - start)) -lt "$timeout_s" ] || return 1
    kill -0 "$bochs_pid" 2>/dev/null
}
wait_for() { # TEXT: its first line (grep's unit) found after $offset (in the log without its
    # carriage returns, as run_scenario.sh reads it); moves $offset past it
    local want at
    want=$(printf '%b' "$1" | head -n 1)
    waiting=$want
    while running; do
        at=$(tr -d '\r' < "$log" | tail -c +$((offset + 1)) | grep -a -b -o -F -m 1 -- "$want" |
            head -n 1)
        if [ -n "$at" ]; then
            offset=$((offset + ${at%%:*} + ${#want})) waiting=
            return 0
        fi
        sleep 0.1
    done
    return 1
}
sed -n 's/^[[:space:]]*\(expect\|send\)[[:space:]]*"\(.*\)"[[:space:]]*$/\1 \2/p' "$scenario" \
    > "$base.steps"
while IFS= read -r step; do
    case $step in
    expect\ *) wait_for "${step#expect }" || break ;;
    send\ *) printf '%b' "${step#send }" >&3 ;;
    esac
done < "$base.steps"
while running; do sleep 0.2; done
if [ -z "$status" ] && ! kill -0 "$bochs_pid" 2>/dev/null; then
    sleep 0.5 # what the reader still had
    running
fi
if [ -z "$status" ] && ! kill -0 "$bochs_pid" 2>/dev/null; then
    echo "bochs: Bochs stopped before the guest powered off"
    echo "the end of its log ($emu_log):"
    grep -a -v 'i\[' "$emu_log" | tail -n 15
    exit 125
fi
sleep 0.2 # the rest of the line
stop_bochs
if [ -z "$status" ]; then
    echo "bochs: no 'kernel: power off' line within $timeout_s s${waiting:+" (waiting for \"$waiting\")"}"
    errors=$(grep -a -v 'i\[' "$emu_log" | tail -n 10)
    [ -n "$errors" ] && printf '%s\n' "Bochs's last errors ($emu_log):" "$errors"
    exit 124
fi
exit "$status"
