#!/bin/sh
# Builds and runs the host-side test of the guest memory manager, with 8 MiB of fake RAM (all in
# the DMA zone) and with 24 MiB (both zones). Prints PASS mmtest when both pass.
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/mm_hosttest}
for mib in 8 24; do
    gcc -O1 -g -Wall -Wextra -DMM_HOSTTEST -DMM_DEBUG -DRAM_MIB=$mib -fno-builtin -I"$here/.." \
        "$here"/../*.c "$here"/mm_tests.c "$here"/host_main.c -o "$out.$mib" || { echo "FAIL hosttest: build"; exit 1; }
    "$out.$mib" > "$out.$mib.log" 2>&1
    status=$?
    grep -v '^PASS mmtest$' "$out.$mib.log"
    if [ $status -ne 0 ] || ! grep -q '^PASS mmtest$' "$out.$mib.log"; then
        echo "FAIL hosttest with $mib MiB"
        exit 1
    fi
done
# The checker must not be silent about a broken invariant.
for what in refcount lost kmap lru; do
    if ! "$out.8" $what 2>&1 | grep -q "PANIC: mm invariant broken"; then
        echo "FAIL hosttest: invariant checker missed a corrupted frame ($what)"
        exit 1
    fi
done
echo "PASS mmtest"
