/*
 * test.c: verdicts, meminfo snapshots and child processes for the test programs (test.h).
 */
#include "test.h"

#include "stdio.h"
#include "string.h"

void test_pass(const char* name) {
    printf("PASS %s\n", name);
    exit(0);
}

void test_fail(const char* name, const char* fmt, ...) {
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    printf("FAIL %s: %s\n", name, why);
    exit(1);
}

void meminfo_snapshot(struct guest_meminfo* m) {
    memset(m, 0, sizeof *m);
    if (meminfo(m) < 0) printf("meminfo: SYS_MEMINFO failed\n");
}

int wait_for(int pid) {
    int status;
    for (;;) {
        int got = wait(&status);
        if (got < 0) return -1;
        if (got == pid) return status;
    }
}

int run_in_child(int (*fn)(void* arg), void* arg) {
    int pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) exit(fn(arg));
    return wait_for(pid);
}

const char* describe_status(int status, char* buf, unsigned size) {
    if (status < 0)
        snprintf(buf, size, "no child");
    else if (!WAIT_IS_KILLED(status))
        snprintf(buf, size, "exit %d", status);
    else if (WAIT_REASON(status) == WAIT_KILLED_OOM)
        snprintf(buf, size, "killed by the OOM killer");
    else
        snprintf(buf, size, "killed by trap %d", WAIT_REASON(status));
    return buf;
}
