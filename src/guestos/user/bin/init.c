/*
 * init: process 1. Prints the banner, then keeps a shell running: fork + exec("sh") + wait,
 * starting a new shell whenever the last one exits. Every other child that wait() returns is an
 * orphan the kernel handed over to init: it is reaped and forgotten.
 */
#include "stdio.h"
#include "sys.h"

/* Starts a shell; returns its pid, or -1 if fork failed. */
static int spawn_shell(void) {
    int pid = fork();
    if (pid == 0) {
        char* argv[] = {"sh", 0};
        exec("sh", argv);
        printf("init: cannot exec sh\n");
        exit(127);
    }
    return pid;
}

int main(void) {
    printf("\npc386 guest OS: init (pid %d)\n", getpid());
    for (;;) {
        int shell = spawn_shell();
        if (shell < 0) {
            printf("init: fork failed, retrying\n");
            sleep(1000);
            continue;
        }
        for (;;) {
            int status;
            int pid = wait(&status);
            if (pid == shell) {
                printf("init: sh exited (status 0x%x), starting a new one\n", status);
                if (status == 127) sleep(1000); /* exec failed: do not spin */
                break;
            }
            if (pid < 0) { /* no child at all: the shell is gone without a status */
                sleep(100);
                break;
            }
        }
    }
    return 0;
}
