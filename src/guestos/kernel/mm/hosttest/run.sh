#!/bin/sh
# Builds and runs the host-side test of the guest memory manager (a 32-bit host program).
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/mm_hosttest}
gcc -O1 -g -Wall -Wextra -DMM_HOSTTEST -DMM_DEBUG -fno-builtin -I"$here/.." \
    "$here"/../*.c "$here"/mm_hosttest.c -o "$out"
"$out"
