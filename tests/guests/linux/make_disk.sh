#!/usr/bin/env bash
# make_disk.sh KIND IMAGE GUEST_DIR: builds a bootable (or swap) disk image for the Linux guest
# tests, as a user would, from the files in GUEST_DIR (bzImage, initramfs.cpio), without loop
# devices or root:
#   syslinux  MBR (SYSLINUX's mbr.bin) + an active FAT partition at 1 MiB with SYSLINUX installed
#             (syslinux --install on the partition's image file) and syslinux.cfg, bzImage, initrd
#   grub      GRUB 2's boot.img in the MBR, core.img (grub-mkimage: biosdisk, part_msdos, fat,
#             linux, normal, serial) in the sectors after it, a FAT partition with grub.cfg
#   swap      an MBR with one Linux swap partition (type 82h, mkswap) of 32 MiB at 1 MiB
# The kernel command line puts the console on COM1; EXTRA_APPEND adds to it.
# Exit status: 0 made, 2 usage, 77 a tool is missing (the test is skipped), 1 a tool failed.
set -euo pipefail
kind=${1:-} image=${2:-} guest=${3:-}
[[ -n $kind && -n $image && -d $guest ]] || { echo "usage: make_disk.sh syslinux|grub|swap IMAGE GUEST_DIR" >&2; exit 2; }
append="console=ttyS0 ${EXTRA_APPEND:-}"
export PATH=$PATH:/usr/sbin:/sbin
need() { for t in "$@"; do command -v "$t" >/dev/null || { echo "make_disk.sh: $t is not installed" >&2; exit 77; }; done; }

readonly part_start=2048 # LBA of the first partition: 1 MiB, as fdisk puts it

# le32 VALUE: four little-endian bytes, as printf escapes.
le32() { printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# chs LBA: the three CHS bytes of a partition entry for a 16-head, 63-sector geometry.
chs() {
    local lba=$1 c h s
    if ((lba >= 1024 * 16 * 63)); then c=1023 h=15 s=63; else
        c=$((lba / (16 * 63))) h=$((lba / 63 % 16)) s=$((lba % 63 + 1))
    fi
    printf '\\x%02x\\x%02x\\x%02x' $h $((s | (c >> 2 & 0xC0))) $((c & 255))
}
# partition IMAGE TYPE START SECTORS: the first partition entry (active) and the 55AA signature.
partition() {
    local type=$2 start=$3 sectors=$4 entry
    entry="\\x80$(chs "$start")$(printf '\\x%02x' "$type")$(chs $((start + sectors - 1)))$(le32 "$start")$(le32 "$sectors")"
    printf "$entry" | dd of="$1" bs=1 seek=446 conv=notrunc status=none
    printf '\x55\xaa' | dd of="$1" bs=1 seek=510 conv=notrunc status=none
}
# fat_partition FILE MIB: a FAT16 file system image that knows it starts at part_start.
fat_partition() {
    rm -f "$1"
    mkfs.fat -C -F 16 -h $part_start -n PC386LINUX "$1" $(($2 * 1024)) >/dev/null
    mcopy -i "$1" "$guest/bzImage" ::/bzImage
    mcopy -i "$1" "$guest/initramfs.cpio" ::/initrd
}
# assemble IMAGE PARTITION TYPE: a disk of the MBR sector(s) already in IMAGE and the partition.
assemble() {
    local sectors=$(($(stat -c %s "$2") / 512))
    dd if="$2" of="$1" bs=512 seek=$part_start conv=notrunc,sparse status=none
    partition "$1" "$3" $part_start $sectors
    rm -f "$2"
}

rm -f "$image"
case $kind in
syslinux)
    need mkfs.fat mcopy syslinux
    mbr=/usr/lib/syslinux/mbr/mbr.bin
    [[ -f $mbr ]] || { echo "make_disk.sh: no $mbr (package syslinux-common)" >&2; exit 77; }
    fat_partition "$image.part" 16
    printf 'SERIAL 0 115200\nDEFAULT linux\nPROMPT 0\nLABEL linux\n  KERNEL /bzImage\n  INITRD /initrd\n  APPEND %s\n' \
        "$append" >"$image.cfg"
    mcopy -i "$image.part" "$image.cfg" ::/syslinux.cfg && rm -f "$image.cfg"
    syslinux --install "$image.part"
    dd if=$mbr of="$image" bs=440 count=1 conv=notrunc status=none
    assemble "$image" "$image.part" 0x06
    ;;
grub)
    need mkfs.fat mcopy grub-mkimage
    lib=/usr/lib/grub/i386-pc
    [[ -f $lib/boot.img ]] || { echo "make_disk.sh: no $lib/boot.img (package grub-pc-bin)" >&2; exit 77; }
    fat_partition "$image.part" 16
    printf 'serial --unit=0 --speed=115200\nterminal_input serial\nterminal_output serial\nset timeout=0\nmenuentry linux {\n  linux /bzImage %s\n  initrd /initrd\n}\n' \
        "$append" >"$image.cfg"
    mmd -i "$image.part" ::/boot ::/boot/grub
    mcopy -i "$image.part" "$image.cfg" ::/boot/grub/grub.cfg && rm -f "$image.cfg"
    grub-mkimage -O i386-pc -d $lib -o "$image.core" -p '(hd0,msdos1)/boot/grub' \
        biosdisk part_msdos fat linux normal serial terminal
    # boot.img loads the sector at LBA 1 (its default), diskboot.img (core.img's first sector) the
    # rest from LBA 2 on (its default blocklist): what grub-bios-setup does with an embedding area.
    (($(stat -c %s "$image.core") <= (part_start - 1) * 512)) || { echo "make_disk.sh: core.img too large" >&2; exit 1; }
    dd if=$lib/boot.img of="$image" bs=440 count=1 conv=notrunc status=none
    dd if="$image.core" of="$image" bs=512 seek=1 conv=notrunc status=none && rm -f "$image.core"
    assemble "$image" "$image.part" 0x06
    ;;
swap)
    need mkswap
    # No holes and owner-only access: mkswap warns about either.
    dd if=/dev/zero of="$image.part" bs=1M count=32 status=none && chmod 600 "$image.part"
    mkswap "$image.part" >/dev/null
    assemble "$image" "$image.part" 0x82
    ;;
*) echo "make_disk.sh: unknown kind '$kind' (syslinux, grub or swap)" >&2; exit 2 ;;
esac
