#!/usr/bin/env bash
# run_program.sh: run one system test program (a bare ROM image) on an emulator and judge it.
#
#   run_program.sh --name NAME -- COMMAND...
#
# PASS when the emulator exits with status 1 (the program wrote 0 to the debug-exit port 0xF4),
# its output (stdout, stderr: the debug console is on stdio) has "PASS NAME" and no "FAIL " line.
# The output is always shown, so a ctest log lists every check ("ok ..." lines).
set -u
name=""
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run_program.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$name" ] && [ $# -gt 0 ] || { echo "usage: run_program.sh --name NAME -- COMMAND..." >&2; exit 2; }

output=$(timeout 60 "$@" < /dev/null 2>&1)
status=$?
echo "$output"
if [ "$status" -ne 1 ]; then echo "run_program.sh: exit status $status, expected 1 (the program wrote 0 to port 0xF4)"; exit 1; fi
if echo "$output" | grep -q "^FAIL "; then echo "run_program.sh: the program reported a failure"; exit 1; fi
if ! echo "$output" | grep -q "^PASS $name\$"; then echo "run_program.sh: no 'PASS $name' line"; exit 1; fi
echo "run_program.sh: PASS $name"
