/*
 * test.h: what the test programs share: the one-line verdict (`PASS name` / `FAIL name: why`)
 * with its exit status, meminfo snapshots, and running a function in a child process.
 */
#ifndef USER_TEST_H
#define USER_TEST_H

#include "sys.h"

/* Prints "PASS name" and exits 0. */
__attribute__((noreturn)) void test_pass(const char* name);
/* Prints "FAIL name: <formatted reason>" and exits 1. */
__attribute__((noreturn, format(printf, 2, 3))) void test_fail(const char* name, const char* fmt, ...);

/*
 * Fills *m from SYS_MEMINFO. The struct is written by the program first, so that a copy-on-write
 * fault on its page is taken before the snapshot rather than counted inside it.
 */
void meminfo_snapshot(struct guest_meminfo* m);

/*
 * Forks; the child calls fn(arg) and exits with its return value. The parent waits for that
 * child and returns its wait status, or -1 if fork failed.
 */
int run_in_child(int (*fn)(void* arg), void* arg);

/* Waits for the child `pid` (statuses of other children are dropped); returns its status or -1. */
int wait_for(int pid);

/* "exit 3", "killed by trap 14", "killed by the OOM killer": for messages. Returns buf. */
const char* describe_status(int status, char* buf, unsigned size);

#endif
