#!/usr/bin/env bash
# run_program.sh: run one system test program (a bare ROM image) on an emulator and judge it.
#
#   run_program.sh --name NAME [--any-status] [--stdin TEXT] -- COMMAND...
#
# PASS when the emulator exits with status 1 (the program wrote 0 to the debug-exit port 0xF4),
# its output (stdout, stderr: the debug console is on stdio) has "PASS NAME" and no "FAIL " line.
# --any-status: judge by the output alone (Bochs has no debug-exit device: the program then ends
# in a shutdown that Bochs reports). --stdin TEXT (printf %b escapes) is fed to the emulator (the
# debugger of a Bochs build). The output is always shown, so a ctest log lists every check ("ok ...").
set -u
name="" any_status="" stdin_text=""
while [ $# -gt 0 ]; do
  case "$1" in
    --name) name=$2; shift 2 ;;
    --any-status) any_status=1; shift ;;
    --stdin) stdin_text=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run_program.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$name" ] && [ $# -gt 0 ] || { echo "usage: run_program.sh --name NAME -- COMMAND..." >&2; exit 2; }

# Carriage returns are dropped: a run under a pseudo-terminal (Bochs's term display) ends its lines
# with CR LF.
if [ -n "$stdin_text" ]; then
  output=$(printf '%b' "$stdin_text" | timeout 60 "$@" 2>&1)
else
  output=$(timeout 60 "$@" < /dev/null 2>&1)
fi
status=$?
output=$(printf '%s\n' "$output" | tr -d '\r')
echo "$output"
if [ -z "$any_status" ] && [ "$status" -ne 1 ]; then echo "run_program.sh: exit status $status, expected 1 (the program wrote 0 to port 0xF4)"; exit 1; fi
if echo "$output" | grep -q "^FAIL "; then echo "run_program.sh: the program reported a failure"; exit 1; fi
if ! echo "$output" | grep -q "^PASS $name\$"; then echo "run_program.sh: no 'PASS $name' line"; exit 1; fi
echo "run_program.sh: PASS $name"
