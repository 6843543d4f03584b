#!/usr/bin/env bash
# run_linux.sh ROUTE EMULATOR GUEST_DIR WORK_DIR [EMULATOR ARGS...]
#
# Boots the Linux test guest (GUEST_DIR: bzImage, initramfs.cpio) by ROUTE on EMULATOR and checks
# that its /init ran every check ("init: all checks passed") and left through port 0xF4 with
# status 0, which the emulator turns into exit status 1:
#   kernel    --kernel/--initrd/--append (QEMU: -kernel/-initrd/-append)
#   syslinux  a disk image with SYSLINUX (make_disk.sh syslinux)
#   grub      a disk image with GRUB 2 (make_disk.sh grub)
#   swap      --kernel with initmode=swap and a swap partition on the primary IDE disk: the init
#             turns swap on and runs a memory hog bigger than RAM
# EMULATOR is pc386 (run with --cpu 486 --mem 16) or qemu-system-i386 (-cpu 486 -m 16, with the
# isa-debug-exit device); EMULATOR ARGS go after ours (e.g. --bios and --vga-bios).
# Exit status: 0 pass, 1 fail (the console's end is printed), 77 skipped (no QEMU, or a disk tool
# is missing).
set -u
route=$1 emulator=$2 guest=$3 work=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
command -v "$emulator" >/dev/null || { echo "run_linux.sh: no $emulator: skipped"; exit 77; }
mkdir -p "$work"
name=$route-$(basename "$emulator")-$$
disk=$work/$name.img console=$work/$name.console
trap 'rm -f "$disk"' EXIT

append="console=ttyS0"
case $route in
kernel) ;;
syslinux | grub) "$here/make_disk.sh" "$route" "$disk" "$guest" || exit $? ;;
swap) "$here/make_disk.sh" swap "$disk" "$guest" || exit $?; append+=" initmode=swap" ;;
*) echo "run_linux.sh: unknown route '$route'" >&2; exit 2 ;;
esac

if [[ $(basename "$emulator") == qemu* ]]; then
    args=(-cpu 486 -m 16 -display none -no-reboot -serial "file:$console"
        -device isa-debug-exit,iobase=0xf4,iosize=0x04)
    [[ $route == kernel || $route == swap ]] &&
        args+=(-kernel "$guest/bzImage" -initrd "$guest/initramfs.cpio" -append "$append")
    [[ -f $disk ]] && args+=(-drive "file=$disk,format=raw,if=ide")
else
    # --max-insns: a guest that hangs (a kernel panic) ends the run rather than the test's timeout.
    args=(run --cpu 486 --mem 16 --headless --serial "file:$console" --max-insns 4000000000)
    [[ $route == kernel || $route == swap ]] &&
        args+=(--kernel "$guest/bzImage" --initrd "$guest/initramfs.cpio" --append "$append")
    [[ -f $disk ]] && args+=(--hda "$disk")
fi
start=$EPOCHREALTIME
timeout 300 "$emulator" "${args[@]}" "$@"
status=$?
seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
if [[ $status -eq 1 ]] && grep -q "^init: all checks passed" "$console"; then
    grep -a "^init: \|^Swap\|^MemFree" "$console"
    echo "run_linux.sh: $route on $(basename "$emulator"): passed in $seconds s"
    rm -f "$console"
    exit 0
fi
echo "run_linux.sh: $route on $(basename "$emulator"): exit status $status after $seconds s; the console's end ($console):"
tail -n 30 "$console"
exit 1
