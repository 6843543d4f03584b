#!/bin/sh
# mkimage.sh IMAGE MBR SYSTEM P1_START P1_SIZE TOTAL_SECTORS
# Builds the (sparse) disk image: the MBR in sector 0, the loader + kernel at the start of
# partition 1; the rest (partition 1's tail, the swap partition) reads as zeros.
set -e
img=$1 mbr=$2 system=$3 p1_start=$4 p1_size=$5 total=$6
size=$(wc -c < "$system")
if [ "$size" -gt $((p1_size * 512)) ]; then
    echo "mkimage: $system ($size bytes) does not fit partition 1 ($p1_size sectors)" >&2
    exit 1
fi
rm -f "$img.tmp"
truncate -s $((total * 512)) "$img.tmp"
dd if="$mbr" of="$img.tmp" conv=notrunc status=none
dd if="$system" of="$img.tmp" bs=512 seek="$p1_start" conv=notrunc status=none
mv "$img.tmp" "$img"
