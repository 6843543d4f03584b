#!/usr/bin/env bash
# expect_exit.sh STATUS REGEX -- COMMAND...
# Runs COMMAND; passes when it exits with STATUS and its stderr+stdout matches REGEX (an extended
# regular expression, matched against the whole output so that it may span lines), and it printed no crash report (sanitizer, "terminate called", core dump).
# A REGEX that starts with '!' passes when the rest of it does NOT match.
set -u
want_status=$1; want_regex=$2; shift 2
[ "$1" = "--" ] && shift
out=$(timeout 120 "$@" 2>&1 </dev/null); status=$?
fail() { echo "FAIL: $*"; echo "--- command: $*"; echo "--- output:"; echo "$out"; exit 1; }
[ "$status" -eq "$want_status" ] || fail "exit status $status, expected $want_status"
if [ "${want_regex#!}" != "$want_regex" ]; then
  printf '%s' "$out" | grep -Ezq -- "${want_regex#!}" && fail "output matches /${want_regex#!}/"
else
  printf '%s' "$out" | grep -Ezq -- "$want_regex" || fail "output does not match /$want_regex/"
fi
echo "$out" | grep -Eq "AddressSanitizer|UndefinedBehaviorSanitizer|runtime error|terminate called|Segmentation fault|core dumped" \
  && fail "crash report in output"
echo "ok: exit $status"
