#!/usr/bin/env bash
# memtest_floppy.sh pc386|qemu COMMAND...: a real diskette nobody here wrote. Builds a 1.44M FAT12
# image with Debian's tools (mkfs.fat -C, syslinux --install, mcopy) holding SYSLINUX 6.04 and
# memtest86+ 6.10 (/boot/memtest86+ia32.bin, or $MEMTEST) with a serial console, boots it from
# drive A: and passes when memtest86+, after an Enter on COM1 (its serial console shows the screen
# from then on), shows its first screen testing ("Memtest86+ v6", "Status: Testing"; on pc386 also
# its first test, "Address test, walking ones").
#
#   memtest_floppy.sh pc386 PC386 run [options]   (the image is added as --fda; COM1 on stdio)
#   memtest_floppy.sh qemu QEMU [options]         (the image is added as drive A:, -boot a)
#
# Exit status: 0 pass, 1 fail, 77 skipped (a tool or memtest86+ is not installed).
set -u
kind=$1
shift
memtest=${MEMTEST:-/boot/memtest86+ia32.bin}
for tool in mkfs.fat syslinux mcopy; do
  command -v "$tool" > /dev/null || { echo "SKIP: no $tool (apt-get install dosfstools syslinux mtools)"; exit 77; }
done
[ -f "$memtest" ] || { echo "SKIP: no $memtest (apt-get install memtest86+)"; exit 77; }

work=$(mktemp -d)
feeder='' emu=''
cleanup() {
  [ -n "$emu" ] && kill "$emu" 2> /dev/null
  [ -n "$feeder" ] && kill "$feeder" 2> /dev/null
  wait 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
img=$work/memtest.img
printf 'SERIAL 0 115200\nDEFAULT memtest\nPROMPT 0\nTIMEOUT 0\nLABEL memtest\n  LINUX memtest\n  APPEND console=ttyS0,115200\n' \
  > "$work/syslinux.cfg"
if ! { mkfs.fat -C "$img" 1440 > /dev/null && syslinux --install "$img" &&
  mcopy -i "$img" "$work/syslinux.cfg" ::syslinux.cfg && mcopy -i "$img" "$memtest" ::memtest; }; then
  echo "FAIL: could not build the diskette"
  exit 1
fi

fail() {
  echo "FAIL: $*"
  echo "--- output (escape sequences shown as ~):"
  tr '\033' '~' < "$work/out.log" | tail -c 3000
  echo
  exit 1
}

case $kind in
pc386)
  cat > "$work/memtest.script" << 'EOS'
timeout 10s
expect "Loading memtest... ok"
run 1s
send "\r"
expect "Memtest86+ v6"
expect "Status: Testing"
expect "Address test, walking ones"
EOS
  "$@" --fda "$img" --serial stdio --script "$work/memtest.script" < /dev/null > "$work/out.log" 2>&1
  status=$?
  [ "$status" -eq 0 ] || fail "exit status $status, expected 0 (the script's checks done)"
  grep -aq "script: 5 passed, 0 failed" "$work/out.log" || fail "the script's checks did not all pass"
  ;;
qemu)
  # QEMU has no script: Enter goes to COM1 once a second while the output is watched.
  mkfifo "$work/in"
  (for _ in $(seq 90); do sleep 1; printf '\r'; done) > "$work/in" &
  feeder=$!
  timeout 90 "$@" -drive "file=$img,format=raw,if=floppy" -boot a -display none -serial stdio -no-reboot \
    < "$work/in" > "$work/out.log" 2>&1 &
  emu=$!
  ok=''
  for _ in $(seq 90); do
    if grep -aq "Memtest86+ v6" "$work/out.log" && grep -aq "Status: Testing" "$work/out.log"; then
      ok=1
      break
    fi
    kill -0 "$emu" 2> /dev/null || break
    sleep 1
  done
  [ -n "$ok" ] || fail "no memtest86+ screen with 'Status: Testing' on COM1"
  ;;
*)
  echo "usage: see the header of $0" >&2
  exit 2
  ;;
esac
echo "PASS memtest86+ from a SYSLINUX floppy"
