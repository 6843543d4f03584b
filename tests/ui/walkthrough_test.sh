#!/usr/bin/env bash
# Runs tests/ui/walkthrough.script on the built-in guest at --mem 8, headless (the pictures are drawn
# off screen), then walkthrough_check looks at the PNGs and their text.
#   walkthrough_test.sh PC386 WALKTHROUGH_CHECK
set -u
PC386=$1 CHECK=$2
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/pc386-walkthrough.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
"$PC386" run --headless --mem 8 --serial none --script "$HERE/walkthrough.script" >run.log 2>&1
status=$?
if [ "$status" != 0 ]; then
    echo "FAIL: the script ended with status $status"
    cat run.log
    exit 1
fi
"$CHECK" "$WORK"
