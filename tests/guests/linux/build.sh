#!/usr/bin/env bash
# Rebuilds the committed Linux guest of tests/guests/linux from Debian 12 packages:
#   bzImage          Linux 6.1 (linux-source-6.1), tinyconfig + kernel.config-fragment, for a 486SX
#   System.map       its symbols (pc386 --guest-symbols reads mem_map from it)
#   kernel.config    the full .config it was built with
#   initramfs.cpio   /init (init.c, static, no libc) and the device nodes it needs
# Needs: apt-get install linux-source-6.1 build-essential gcc-multilib bc flex bison libelf-dev cpio lz4
# Usage: tests/guests/linux/build.sh [WORKDIR]   (WORKDIR default /tmp/pc386-linux; ~1 GB)
# Takes about 10 minutes on two cores. The CI uses the committed files and never runs this.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/pc386-linux}
src=$work/linux-source-6.1
obj=$work/obj
jobs=$(nproc)

mkdir -p "$work" "$obj"
if [[ ! -f $src/Makefile ]]; then
    tar -C "$work" -xf /usr/src/linux-source-6.1.tar.xz
fi

# The kernel: tinyconfig, our options on top, olddefconfig to settle dependencies, then a check
# that each option we asked for is really in the result (a dependency can silently drop one).
kmake() { make -C "$src" O="$obj" ARCH=i386 -j"$jobs" "$@"; }
kmake tinyconfig >/dev/null
args=()
while IFS='=' read -r name value; do
    [[ -z $name || $name == \#* ]] && continue
    case $value in
        y) args+=(--enable "$name") ;;
        n) args+=(--disable "$name") ;;
        *) args+=(--set-val "$name" "$value") ;;
    esac
done <"$here/kernel.config-fragment"
"$src/scripts/config" --file "$obj/.config" "${args[@]}"
kmake olddefconfig >/dev/null
while IFS='=' read -r name value; do
    [[ -z $name || $name == \#* ]] && continue
    if [[ $value == n ]]; then
        grep -q "^CONFIG_$name=" "$obj/.config" && { echo "build.sh: CONFIG_$name is still set" >&2; exit 1; }
    else
        grep -qx "CONFIG_$name=$value" "$obj/.config" || { echo "build.sh: CONFIG_$name=$value did not stick" >&2; exit 1; }
    fi
done <"$here/kernel.config-fragment"
kmake bzImage
cp "$obj/arch/x86/boot/bzImage" "$here/bzImage"
cp "$obj/System.map" "$here/System.map"
cp "$obj/.config" "$here/kernel.config"

# The init: one static ELF, no libc, system calls by int 0x80.
gcc -m32 -march=i486 -static -nostdlib -ffreestanding -fno-pie -no-pie -fno-stack-protector -Os \
    -fno-asynchronous-unwind-tables -Wall -Wextra -Werror -Wl,--build-id=none -s \
    -o "$work/init" "$here/init.c"
# gen_init_cpio makes device nodes without root; the timestamp is fixed so the archive is
# reproducible.
cat >"$work/initramfs.list" <<LIST
dir /dev 755 0 0
nod /dev/console 600 0 0 c 5 1
nod /dev/sda 600 0 0 b 8 0
nod /dev/sda1 600 0 0 b 8 1
dir /proc 755 0 0
file /init $work/init 755 0 0
LIST
"$obj/usr/gen_init_cpio" -t 0 "$work/initramfs.list" >"$here/initramfs.cpio"
ls -l "$here/bzImage" "$here/initramfs.cpio"
