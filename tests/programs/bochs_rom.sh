#!/usr/bin/env bash
# bochs_rom.sh [--megs N] [--vga-bios FILE] ROM: run a bare ROM image (a system test program, a
# benchmark workload) as Bochs's BIOS, with no window and no prompt, until the program ends.
# Used by the program_bochs_* tests (tests/programs/CMakeLists.txt) and bench/compare.sh.
#
# How Bochs is run, and why:
# - Bochs has no debug-exit device: a program ends in a triple fault, which Bochs
#   (reset_on_triple_fault=0, panics fatal) reports and exits on; other messages are ignored.
# - The debug console (port 0xE9, port_e9_hack) comes out on Bochs's terminal: our stdout.
# - Debian's Bochs has its debugger built in and stops at a prompt before the first instruction:
#   an rc file tells it to continue.
# - No window and no listening socket: the term display library (package bochs-term) draws on a
#   terminal that `script` provides.
#
#   --megs N         RAM in MiB (default 4)
#   --vga-bios FILE  a VGA option ROM (default: Bochs's own)
#
# Exit status: Bochs's; 2 on bad usage.
set -u
megs=4 vga_bios="" rom=""
while [ $# -gt 0 ]; do
    case $1 in
    --megs | --vga-bios)
        [ $# -ge 2 ] || { echo "bochs_rom.sh: $1 wants a value" >&2; exit 2; }
        if [ "$1" = --megs ]; then megs=$2; else vga_bios=$2; fi
        shift 2 ;;
    -*) echo "bochs_rom.sh: unknown option $1" >&2; exit 2 ;;
    *) [ -z "$rom" ] || { echo "bochs_rom.sh: one ROM only" >&2; exit 2; }; rom=$1; shift ;;
    esac
done
[ -n "$rom" ] || { echo "usage: bochs_rom.sh [--megs N] [--vga-bios FILE] ROM" >&2; exit 2; }
[ -f "$rom" ] || { echo "bochs_rom.sh: $rom: no such file" >&2; exit 2; }
case $megs in '' | *[!0-9]*) echo "bochs_rom.sh: --megs wants a number of MiB, not '$megs'" >&2; exit 2 ;; esac

dir=$(mktemp -d) || exit 2
trap 'rm -rf "$dir"' EXIT
{
    echo "megs: $megs"
    echo "romimage: file=$rom"
    [ -z "$vga_bios" ] || echo "vgaromimage: file=$vga_bios"
    cat << 'CONF'
display_library: term
port_e9_hack: enabled=1
cpu: reset_on_triple_fault=0
log: -
panic: action=fatal
error: action=ignore
info: action=ignore
debug: action=ignore
CONF
} > "$dir/bochsrc"
printf 'c\n' > "$dir/continue.rc"
TERM=xterm script -qfec "$(printf 'bochs -q -f %q -rc %q' "$dir/bochsrc" "$dir/continue.rc")" /dev/null
