#!/bin/sh
# Builds the mm test kernel (multiboot) and runs the shared mm tests on qemu-system-i386 with
# 8 and 4 MiB of RAM and a swap disk on the IDE primary master. Prints PASS mmtest on success.
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/mm_qemutest}
mkdir -p "$out"
cflags="-m32 -march=i386 -ffreestanding -fno-pic -fno-stack-protector -fno-builtin -nostdlib -O2 -g
        -Wall -Wextra -DMM_DEBUG -I$here/.."
objs=""
for src in "$here"/../*.c "$here"/../hosttest/mm_tests.c "$here"/qemu_main.c "$here"/boot.S; do
    obj="$out/$(basename "$src").o"
    gcc $cflags -c "$src" -o "$obj" || { echo "FAIL mmtest: build $src"; exit 1; }
    objs="$objs $obj"
done
ld -m elf_i386 --no-warn-rwx-segments -T "$here/link.ld" -o "$out/kernel.elf" $objs || { echo "FAIL mmtest: link"; exit 1; }
objcopy -O binary "$out/kernel.elf" "$out/kernel.bin"
# 8 MiB on QEMU's default CPU, then 4 MiB on a 486 (closest to pc386), each with swap = 2 x RAM.
for config in "8 qemu32" "4 486"; do
    set -- $config
    rm -f "$out/swap.img" && truncate -s $(($1 * 2))M "$out/swap.img"
    timeout 300 qemu-system-i386 -cpu $2 -m $1 -kernel "$out/kernel.bin" -display none -serial stdio \
        -drive file="$out/swap.img",format=raw,if=ide,index=0 -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 > "$out/log.$1" 2>&1
    status=$?
    echo "== $1 MiB, -cpu $2"
    grep -v '^PASS mmtest' "$out/log.$1"
    # isa-debug-exit: plat_exit(0) ends QEMU with status 1
    if [ $status -ne 1 ] || ! grep -q '^PASS mmtest' "$out/log.$1"; then
        echo "FAIL mmtest on QEMU with $1 MiB (status $status)"
        exit 1
    fi
done
echo "PASS mmtest"
