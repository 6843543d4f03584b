#!/usr/bin/env bash
# Installs every Debian package the project needs (host build, guest toolchain, reference machines).
# Idempotent: does nothing when all packages are present. Run as root (or with sudo available).
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config clang-format
  libsdl2-dev libsdl2-ttf-dev libpng-dev fonts-dejavu-core libcapstone-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev nlohmann-json3-dev zlib1g-dev
  nasm gcc-multilib g++-multilib binutils
  qemu-system-x86 bochs bochsbios vgabios bochs-term
  memtest86+ syslinux syslinux-common syslinux-utils grub-pc-bin mtools dosfstools
  gdb
  xvfb xdotool
  clang libclang-rt-14-dev
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
