#!/bin/sh
# swap_on_hdb.sh qemu|pc386 EMULATOR IMAGE WORKDIR: a second disk as swap. The guest image's own
# swap partition is turned off (its type byte cleared in a copy), a fresh disk with one swap
# partition (type 0x82) becomes the primary slave, and swap_on_hdb.script checks that the kernel
# swaps to drive 1 and that memhog's pages come back from it intact.
set -u
mode=$1 emulator=$2 image=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
hda="$work/swap_on_hdb.$mode.hda.img" hdb="$work/swap_on_hdb.$mode.hdb.img"
trap 'rm -f "$hda" "$hdb"' EXIT
cp --sparse=always "$image" "$hda" || { echo "FAIL swap_on_hdb ($mode): cannot copy $image"; exit 1; }
# Partition 2's type byte (MBR offset 446 + 16 + 4) = 0: no swap on drive 0.
printf '\000' | dd of="$hda" bs=1 seek=466 conv=notrunc status=none
# Drive 1: 24 MiB, one swap partition from LBA 2048 to the end (little-endian LBA and count).
truncate -s 24M "$hdb"
printf '\202' | dd of="$hdb" bs=1 seek=450 conv=notrunc status=none
printf '\000\010\000\000' | dd of="$hdb" bs=1 seek=454 conv=notrunc status=none        # LBA 2048
printf '\000\270\000\000' | dd of="$hdb" bs=1 seek=458 conv=notrunc status=none        # 47104 sectors
printf '\125\252' | dd of="$hdb" bs=1 seek=510 conv=notrunc status=none
HDB=$hdb sh "$here/run_scenario.sh" "$mode" "$emulator" "$hda" "$here/swap_on_hdb.script" "$work"
