#!/usr/bin/env bash
# try_emulator.sh BUILD_DIR [VGA_BIOS]: run every boot test image on pc386 with our BIOS and with
# the Bochs BIOS, and print the PC386_BOOT_EMULATOR_PASSING value that registers the passing runs.
# Not a test itself: a helper for deciding which emulator runs enter ctest.
set -u
build=${1:?usage: try_emulator.sh BUILD_DIR [VGA_BIOS]}
vga=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
pc386=$build/pc386
[ -x "$pc386" ] || { echo "no $pc386" >&2; exit 2; }
declare -A extra_args=(
  [disk_rw]='--expect-sector 1500:CHS\ DATA --expect-sector 1600:EXT\ DATA --expect-sector 1601:EXT\ DATA'
  [serial_input]='--input pc386\ serial\\n'
  [large_disk]='--grow-mib 600'
  [floppy]='--expect-sector 1462:FLOPPY\ DATA')
passing=()
for img in "$build"/tests/boot/*.img; do
  t=$(basename "$img" .img)
  [ "$t" = ctrl_alt_del ] && continue          # ends in a reset: QEMU only
  for bios in pc386bios bochsbios; do
    [ "$bios" = bochsbios ] && [ "$t" = serial_input ] && continue
    args=(run --headless --mem 32 --debugcon stdio --serial stdio)
    if [ "$t" = floppy ]; then args+=(--fda @IMG@ --boot a); else args+=(--hda @IMG@); fi
    [ "$t" = two_disks ] && args+=(--hdb @IMG2@)
    if [ "$bios" = pc386bios ]; then args+=(--bios "$build/bios.bin")
    else args+=(--bios /usr/share/bochs/BIOS-bochs-legacy); [ -n "$vga" ] && args+=(--vga-bios "$vga"); fi
    eval "driver_args=(${extra_args[$t]:-})"
    if "$here/run_boot_test.sh" --name "$t" --image "$img" "${driver_args[@]}" -- "$pc386" "${args[@]}" \
         > "/tmp/try_emulator_${t}_${bios}.log" 2>&1; then
      echo "pass $t:$bios"; passing+=("$t:$bios")
    else
      echo "FAIL $t:$bios (see /tmp/try_emulator_${t}_${bios}.log)"
    fi
  done
done
(IFS=';'; echo "-DPC386_BOOT_EMULATOR_PASSING=\"${passing[*]}\"")
