/*
 * orphantest: init must reap orphans. Each round forks a child that forks ORPHANS grandchildren
 * and exits at once, so the grandchildren finish as orphans handed to init. More orphans are made
 * over the rounds than the kernel has process slots: if init did not reap them, their zombies
 * would fill the table and a later fork would fail.
 */
#include "stdio.h"
#include "test.h"

#define NAME "orphantest"
#define ROUNDS 5
#define ORPHANS 20

/* The middle process: start the orphans-to-be, then leave without waiting for them. */
static int make_orphans(void* arg) {
    (void)arg;
    for (int i = 0; i < ORPHANS; i++) {
        int pid = fork();
        if (pid < 0) return 1;
        if (pid == 0) {
            sleep(20); /* outlive the parent */
            exit(7);
        }
    }
    return 0;
}

int main(void) {
    for (int round = 0; round < ROUNDS; round++) {
        int status = run_in_child(make_orphans, 0);
        char why[40];
        if (status != 0)
            test_fail(NAME, "round %d: %s (a fork failed after %d orphans: are they reaped?)", round,
                      describe_status(status, why, sizeof why), round * ORPHANS);
        int ignored;
        if (wait(&ignored) != -1) test_fail(NAME, "wait() returned an orphan that belongs to init now");
        sleep(200); /* the orphans exit and init reaps them */
    }
    printf("orphantest: %d orphans made and reaped\n", ROUNDS * ORPHANS);
    test_pass(NAME);
}
