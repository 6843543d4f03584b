#!/usr/bin/env bash
# compare.sh [BUILD_DIR] [WORKLOAD...]: pc386 against QEMU (TCG, -cpu 486) and Bochs on the same
# protected-mode images (bench/images/workload.asm), in one run. Assembles the images, runs each
# on each machine ROUNDS times (default 2, best time kept), checks that every machine printed the
# same checksum on port 0xE9, subtracts the boot cost (the same image with no passes) and prints,
# per workload, guest instructions (counted by pc386), host CPU seconds (user + system, every
# thread: robust on a shared machine where wall time is not), millions of guest instructions per
# CPU second, the time ratios to pc386 and each machine's peak host RSS. Then the built-in guest's
# memhog and forkstorm scenarios at --mem 8 (CPU time including boot; instructions from pc386).
# Then Linux (tests/guests/linux: the committed 6.1 kernel and initramfs, loaded as QEMU's
# -kernel/-initrd) booted to its init, whose checks must pass before it exits through port 0xF4:
# pc386 --cpu 486 and QEMU -cpu 486 at 16 MiB, CPU time of the whole run (Bochs has neither
# -kernel nor the exit port: it is left out of this row).
#
#   WORKLOAD   alu | wset | cr3 | np64 | faults | memhog | forkstorm | linux   (default: all)
#   SCALE=F    multiplies the passes of every workload (default 1; 0.1 for a smoke run)
#   ROUNDS=N   runs per machine and workload
#   MACHINES="pc386 qemu bochs"   which machines (a missing one is left out with a note)
#
# A benchmark, never a timed test: run it on an idle machine and read the ratios, which are
# measured side by side. Exit status 0, or 1 when the checksums disagree (or a run failed), 2 on
# bad usage or a missing build.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
[ $# -gt 0 ] && shift
[ -x "$build/pc386" ] || { echo "compare.sh: $build/pc386 not found (build first, or name the build directory)" >&2; exit 2; }
build=$(cd "$build" && pwd)
scale=${SCALE:-1}
rounds=${ROUNDS:-2}
machines=${MACHINES:-pc386 qemu bochs}
[ $# -gt 0 ] || set -- alu wset cr3 np64 faults memhog forkstorm linux
for w in "$@"; do
    case $w in alu | wset | cr3 | np64 | faults | memhog | forkstorm | linux) ;;
    *) echo "compare.sh: unknown workload '$w' (alu wset cr3 np64 faults memhog forkstorm linux)" >&2; exit 2 ;;
    esac
done
command -v nasm > /dev/null || { echo "compare.sh: nasm not found" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# workload -> WORKLOAD number, passes at SCALE 1 (about 40-90 M guest instructions each)
declare -A number=([alu]=1 [wset]=2 [cr3]=3 [np64]=4 [faults]=5)
declare -A passes=([alu]=60000 [wset]=20000 [cr3]=20000 [np64]=20000 [faults]=2000)

declare -A have=()
for m in $machines; do
    case $m in
    pc386) have[pc386]=1 ;;
    qemu) if command -v qemu-system-i386 > /dev/null; then have[qemu]=1; else echo "note: qemu-system-i386 not installed: left out"; fi ;;
    bochs) if command -v bochs > /dev/null && command -v script > /dev/null; then have[bochs]=1; else echo "note: bochs (or script) not installed: left out"; fi ;;
    esac
done

# assemble NAME WORKLOAD PASSES -> $work/NAME.rom
assemble() {
    nasm -f bin -w+all -DWORKLOAD="$2" -DPASSES="$3" -o "$work/$1.rom" "$here/bench/images/workload.asm"
}

# cpu_time TIME_FILE -> "seconds rss_kib": user + system CPU time of the run and its children (all
# of QEMU's threads, Bochs under `script`), and peak RSS, from /usr/bin/time's last line.
cpu_time() { tail -n 1 "$1" | awk '{ printf "%.2f %d\n", $1 + $2, $3 }'; }
# faster FIRST SECOND: true when the run "seconds ..." FIRST took less time than SECOND (or SECOND is empty)
faster() { [ -z "$2" ] || awk -v a="${1%% *}" -v b="${2%% *}" 'BEGIN { exit !(a < b) }'; }
# keep_faster TIME_FILE: the run /usr/bin/time wrote to TIME_FILE becomes $best when it was faster
keep_faster() {
    local r
    r=$(cpu_time "$1")
    if faster "$r" "$best"; then best=$r; fi
}
# record_best MACHINE: $best's CPU seconds and peak RSS (MiB) into t[MACHINE] and rss[MACHINE];
# false when no run counted
record_best() {
    [ -n "$best" ] || return 1
    t[$1]=${best%% *}
    rss[$1]=$((${best##* } / 1024))
}

# run_rom MACHINE ROM -> "seconds rss_kib checksum" (checksum "-" if none was printed)
run_rom() {
    local m=$1 rom=$2 out="$work/out.txt" tm="$work/time.txt"
    case $m in
    pc386)
        /usr/bin/time -o "$tm" -f '%U %S %M' "$build/pc386" run "$rom" --snapshot --bios "$rom" --mem 8 \
            --headless --debugcon stdio --serial none > "$out" 2>&1 ;;
    qemu)
        /usr/bin/time -o "$tm" -f '%U %S %M' timeout 600 qemu-system-i386 -cpu 486 -m 8 -bios "$rom" \
            -display none -no-reboot -debugcon stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
            < /dev/null > "$out" 2>&1 ;;
    bochs)
        /usr/bin/time -o "$tm" -f '%U %S %M' timeout 600 "$here/tests/programs/bochs_rom.sh" --megs 8 "$rom" \
            < /dev/null > "$out" 2>&1 ;;
    esac
    local sum
    sum=$(tr -d '\r' < "$out" | sed -n 's/.*CHECKSUM \([0-9A-F]\{8\}\).*/\1/p' | head -n 1)
    # `time` writes "Command exited with non-zero status N" first when the status is not 0.
    echo "$(cpu_time "$tm") ${sum:--}"
}

# best_rom MACHINE ROM -> "seconds rss checksum" of the fastest of `rounds` runs
best_rom() {
    local best="" r
    for _ in $(seq "$rounds"); do
        r=$(run_rom "$1" "$2")
        if faster "$r" "$best"; then best=$r; fi
    done
    echo "$best"
}

# pc386's instruction count for a ROM (its --stats line).
count_rom() {
    "$build/pc386" run "$1" --snapshot --bios "$1" --mem 8 --headless --debugcon none --serial none --stats 2>&1 |
        sed -n 's/^instructions: \([0-9]*\).*/\1/p'
}

status=0
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t <= 0) print "-"; else printf "%.1f", n / t / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b <= 0) print "-"; else printf "%.2f", a / b }'; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; printf "%.2f", d < 0.01 ? 0.01 : d }'; }

roms=()
for w in "$@"; do [ -n "${number[$w]:-}" ] && roms+=("$w"); done
if [ ${#roms[@]} -gt 0 ]; then
    assemble boot 1 0 || exit 2
    boot_insns=$(count_rom "$work/boot.rom")
    declare -A boot_time=()
    for m in pc386 qemu bochs; do
        [ -n "${have[$m]:-}" ] || continue
        r=$(best_rom "$m" "$work/boot.rom")
        boot_time[$m]=${r%% *}
    done
    echo "times: host CPU seconds (user + system), less the boot cost: ${boot_insns} instructions; pc386 ${boot_time[pc386]:--} s, qemu ${boot_time[qemu]:--} s, bochs ${boot_time[bochs]:--} s"
    printf '%-8s %9s | %7s %7s %7s | %7s %7s %7s | %10s %11s | %7s %7s %7s | %s\n' workload "M insns" \
        "pc386 s" "qemu s" "bochs s" "pc MIPS" "qe MIPS" "bo MIPS" "pc386/qemu" "pc386/bochs" \
        "pc MiB" "qe MiB" "bo MiB" checksum
    for w in "${roms[@]}"; do
        p=$(awk -v p="${passes[$w]}" -v s="$scale" 'BEGIN { n = int(p * s); print n < 1 ? 1 : n }')
        assemble "$w" "${number[$w]}" "$p" || exit 2
        insns=$(($(count_rom "$work/$w.rom") - boot_insns))
        declare -A t=() rss=() sum=()
        for m in pc386 qemu bochs; do
            t[$m]=- rss[$m]=- sum[$m]=-
            [ -n "${have[$m]:-}" ] || continue
            read -r secs kib chk <<< "$(best_rom "$m" "$work/$w.rom")"
            t[$m]=$(sub "$secs" "${boot_time[$m]}")
            rss[$m]=$((kib / 1024))
            sum[$m]=$chk
        done
        agree=${sum[pc386]}
        for m in qemu bochs; do
            if [ "${sum[$m]}" != "-" ] && [ "${sum[$m]}" != "${sum[pc386]}" ]; then agree="DISAGREE (pc386 ${sum[pc386]}, $m ${sum[$m]})"; status=1; fi
        done
        [ "${sum[pc386]}" = "-" ] && { agree="pc386 printed no checksum"; status=1; }
        printf '%-8s %9.1f | %7s %7s %7s | %7s %7s %7s | %10s %11s | %7s %7s %7s | %s\n' "$w" \
            "$(awk -v n="$insns" 'BEGIN { print n / 1e6 }')" "${t[pc386]}" "${t[qemu]}" "${t[bochs]}" \
            "$(rate "$insns" "${t[pc386]}")" "$([ "${t[qemu]}" = - ] && echo - || rate "$insns" "${t[qemu]}")" \
            "$([ "${t[bochs]}" = - ] && echo - || rate "$insns" "${t[bochs]}")" \
            "$(ratio "${t[pc386]}" "${t[qemu]}")" "$(ratio "${t[pc386]}" "${t[bochs]}")" \
            "${rss[pc386]}" "${rss[qemu]}" "${rss[bochs]}" "$agree"
    done
fi

# The built-in guest: wall time of the whole scenario (boot included) on each machine; pc386's
# instruction count from a separate --stats run.
guest=()
for w in "$@"; do case $w in memhog | forkstorm) guest+=("$w") ;; esac; done
if [ ${#guest[@]} -gt 0 ]; then
    image=$build/guestos.img
    runner=$here/tests/scenarios/run_scenario.sh
    echo
    printf '%-10s %9s | %7s %7s %7s | %7s | %10s %11s | %7s %7s %7s\n' scenario "M insns" "pc386 s" "qemu s" \
        "bochs s" "pc MIPS" "pc386/qemu" "pc386/bochs" "pc MiB" "qe MiB" "bo MiB"
    for s in "${guest[@]}"; do
        script=$here/tests/scenarios/$s.script
        insns=$("$build/pc386" run "$image" --headless --mem 8 --snapshot --serial none --script "$script" --stats 2>&1 |
            sed -n 's/^instructions: \([0-9]*\).*/\1/p')
        declare -A t=() rss=()
        for m in pc386 qemu bochs; do
            t[$m]=- rss[$m]=-
            [ -n "${have[$m]:-}" ] || continue
            emu=$build/pc386
            [ "$m" = qemu ] && emu=$(command -v qemu-system-i386)
            [ "$m" = bochs ] && emu=$(command -v bochs)
            best=""
            for _ in $(seq "$rounds"); do
                if ! /usr/bin/time -o "$work/time.txt" -f '%U %S %M' sh "$runner" "$m" "$emu" "$image" "$script" \
                    "$work/$m" > "$work/scenario.log" 2>&1; then
                    echo "note: $s failed on $m: $(tail -n 1 "$work/scenario.log")"; status=1; best=""; break
                fi
                keep_faster "$work/time.txt"
            done
            record_best "$m" || continue
        done
        printf '%-10s %9.1f | %7s %7s %7s | %7s | %10s %11s | %7s %7s %7s\n' "$s" \
            "$(awk -v n="${insns:-0}" 'BEGIN { print n / 1e6 }')" "${t[pc386]}" "${t[qemu]}" "${t[bochs]}" \
            "$(rate "${insns:-0}" "${t[pc386]}")" "$(ratio "${t[pc386]}" "${t[qemu]}")" \
            "$(ratio "${t[pc386]}" "${t[bochs]}")" "${rss[pc386]}" "${rss[qemu]}" "${rss[bochs]}"
    done
fi
# Linux: the init prints "init: all checks passed" on COM1 and writes 0 to port 0xF4, which both
# machines turn into exit status 1. A run counts only when both are seen.
for w in "$@"; do
    [ "$w" = linux ] || continue
    guest=$here/tests/guests/linux
    # linux_args MACHINE CONSOLE -> the command line (split on spaces: no path here may hold one)
    linux_args() {
        case $1 in
        pc386) echo "$build/pc386 run --cpu 486 --mem 16 --headless --serial file:$2 --max-insns 4000000000" \
            "--kernel $guest/bzImage --initrd $guest/initramfs.cpio --append console=ttyS0" ;;
        qemu) echo "timeout 600 qemu-system-i386 -cpu 486 -m 16 -display none -no-reboot -serial file:$2" \
            "-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel $guest/bzImage" \
            "-initrd $guest/initramfs.cpio -append console=ttyS0" ;;
        esac
    }
    # shellcheck disable=SC2046
    insns=$($(linux_args pc386 "$work/count.console") --stats 2>&1 < /dev/null | sed -n 's/^instructions: \([0-9]*\).*/\1/p')
    echo
    printf '%-10s %9s | %7s %7s | %7s | %10s | %7s %7s\n' guest "M insns" "pc386 s" "qemu s" "pc MIPS" \
        "pc386/qemu" "pc MiB" "qe MiB"
    declare -A t=() rss=()
    for m in pc386 qemu; do
        t[$m]=- rss[$m]=-
        [ -n "${have[$m]:-}" ] || continue
        best=""
        for _ in $(seq "$rounds"); do
            rm -f "$work/linux.console"
            # shellcheck disable=SC2046
            /usr/bin/time -o "$work/time.txt" -f '%U %S %M' $(linux_args "$m" "$work/linux.console") \
                < /dev/null > "$work/linux.log" 2>&1
            if ! grep -q "non-zero status 1$" "$work/time.txt" || ! grep -q "^init: all checks passed" "$work/linux.console"; then
                echo "note: linux failed on $m ($(head -n 1 "$work/time.txt")); the console's end:"
                tail -n 5 "$work/linux.console" 2> /dev/null
                status=1 best=""
                break
            fi
            keep_faster "$work/time.txt"
        done
        record_best "$m" || continue
    done
    printf '%-10s %9.1f | %7s %7s | %7s | %10s | %7s %7s\n' linux "$(awk -v n="${insns:-0}" 'BEGIN { print n / 1e6 }')" \
        "${t[pc386]}" "${t[qemu]}" "$(rate "${insns:-0}" "${t[pc386]}")" "$(ratio "${t[pc386]}" "${t[qemu]}")" \
        "${rss[pc386]}" "${rss[qemu]}"
done
exit $status
