#!/usr/bin/env bash
# run_boot_test.sh: boot one test image on an emulator and judge the result.
#
#   run_boot_test.sh --name NAME --image IMG [--image2 IMG2] [--input TEXT] [--expect-sector LBA:TEXT]...
#                    [--expect-zero-sector LBA]... [--expect-once TEXT]... [--grow-mib N] [--expect-reset]
#                    -- COMMAND...
#
# The image is copied first (the test may write to it); in COMMAND, @IMG@ stands for that copy,
# @IMG2@ for a copy of IMG2 (a second disk; default: IMG again) and @E9@ for a file that may receive the debug console (port 0xE9) output. TEXT given with
# --input is fed to the emulator's stdin (printf %b escapes, e.g. "line\n"), i.e. to COM1 when the
# emulator has its serial port on stdio. --grow-mib extends the copy (sparse, zeros) to N MiB,
# for tests of large-disk geometry without large files in the build tree.
#
# PASS when: the emulator exits with status 1 (the test wrote 0 to the debug-exit port 0xF4),
# the output (stdout, stderr and @E9@) has "PASS NAME" and no "FAIL " line, each
# --expect-sector LBA of the image copy begins with TEXT, each --expect-zero-sector is zero, and
# each --expect-once TEXT occurs exactly once in the output (not missing, not doubled).
# With --expect-reset the test must instead end in a machine reset: exit status 0 (QEMU with
# -no-reboot) and no "FAIL " line.
set -u
name="" image="" image2="" input="" grow_mib="" expect_reset="" expect_sectors=() zero_sectors=() once=()
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --image2) image2=$2; shift 2 ;;
    --grow-mib) grow_mib=$2; shift 2 ;;
    --expect-reset) expect_reset=1; shift ;;
    --input) input=$2; shift 2 ;;
    --expect-sector) expect_sectors+=("$2"); shift 2 ;;
    --expect-zero-sector) zero_sectors+=("$2"); shift 2 ;;
    --expect-once) once+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "run_boot_test.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$name" ] && [ -f "$image" ] && [ $# -gt 0 ] || { echo "usage: see the header of $0" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$image" "$work/disk.img"
cp "${image2:-$image}" "$work/disk2.img"
[ -n "$grow_mib" ] && truncate -s "${grow_mib}M" "$work/disk.img"
: > "$work/e9.log"
cmd=()
for arg in "$@"; do
  arg=${arg//@IMG@/$work/disk.img}
  arg=${arg//@IMG2@/$work/disk2.img}
  arg=${arg//@E9@/$work/e9.log}
  cmd+=("$arg")
done

if [ -n "$input" ]; then
  printf '%b' "$input" | timeout 90 "${cmd[@]}" > "$work/out.log" 2>&1
else
  timeout 90 "${cmd[@]}" < /dev/null > "$work/out.log" 2>&1
fi
status=$?
output=$(cat "$work/out.log" "$work/e9.log")

fail() {
  echo "FAIL: $*"
  echo "--- command: ${cmd[*]}"
  echo "--- output (stdout, stderr, debug console):"
  echo "$output"
  exit 1
}
if [ -n "$expect_reset" ]; then
  echo "$output" | grep -q "^FAIL " && fail "the test program reported a failure"
  [ "$status" -eq 0 ] || fail "exit status $status, expected 0 (a machine reset)"
  echo "PASS $name (machine reset)"
  exit 0
fi
[ "$status" -eq 1 ] || fail "exit status $status, expected 1 (test program wrote 0 to port 0xF4)"
echo "$output" | grep -q "^FAIL " && fail "the test program reported a failure"
echo "$output" | grep -q "PASS $name" || fail "no 'PASS $name' line"

for text in "${once[@]+"${once[@]}"}"; do
  count=$(printf '%s\n' "$output" | grep -cF -- "$text")
  [ "$count" -eq 1 ] || fail "'$text' appears $count times in the output, expected once"
done
for spec in "${expect_sectors[@]+"${expect_sectors[@]}"}"; do
  lba=${spec%%:*} text=${spec#*:}
  got=$(dd if="$work/disk.img" bs=512 skip="$lba" count=1 status=none | head -c ${#text})
  [ "$got" = "$text" ] || fail "sector $lba of the image starts with '$got', expected '$text'"
done
for lba in "${zero_sectors[@]+"${zero_sectors[@]}"}"; do
  nonzero=$(dd if="$work/disk.img" bs=512 skip="$lba" count=1 status=none | tr -d '\0' | wc -c)
  [ "$nonzero" -eq 0 ] || fail "sector $lba of the image changed, expected zeros"
done
cmp -s "$image" "$work/disk.img" && [ ${#expect_sectors[@]} -gt 0 ] && fail "the image did not change"
echo "PASS $name"
