/*
 * sh: the shell. Prints the prompt "$ ", reads a line from the console (fd 0), splits it into
 * words and runs the built-in program named by the first word with all the words as argv
 * (fork + exec + wait). Built-in commands: help, exit [STATUS]. A child the kernel killed is
 * reported as "[killed: reason N]" (N: the trap number, 255 for the OOM killer).
 * Input is read through a line buffer, so commands typed or piped ahead are kept in order.
 */
#include "program_names.h"
#include "stdio.h"
#include "string.h"
#include "sys.h"
#include "test.h"

#define MAX_ARGS 16
#define LINE_MAX 256

/* Splits line in place at spaces and tabs; fills argv (NULL-terminated), returns the word count. */
static int split_words(char* line, char** argv, int max) {
    int argc = 0;
    char* p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t') *p++ = 0;
        if (!*p) break;
        if (argc == max) {
            printf("sh: too many arguments (at most %d)\n", max);
            break;
        }
        argv[argc++] = p;
        while (*p && *p != ' ' && *p != '\t') p++;
    }
    argv[argc] = 0;
    return argc;
}

/* Runs the program argv[0] in a child and waits for it. */
static void run_program(char** argv) {
    int pid = fork();
    if (pid < 0) {
        printf("sh: fork failed\n");
        return;
    }
    if (pid == 0) {
        exec(argv[0], argv);
        printf("sh: %s: not found\n", argv[0]);
        exit(127);
    }
    int status = wait_for(pid);
    if (status >= 0 && WAIT_IS_KILLED(status)) printf("[killed: reason %d]\n", WAIT_REASON(status));
}

int main(void) {
    static struct line_reader in;
    static char line[LINE_MAX];
    line_reader_init(&in, 0, 0); /* the kernel echoes what is typed */
    for (;;) {
        printf("$ ");
        if (read_line(&in, line, sizeof line) < 0) return 0; /* end of input */
        char* argv[MAX_ARGS + 1];
        int argc = split_words(line, argv, MAX_ARGS);
        if (argc == 0) continue;
        if (strcmp(argv[0], "exit") == 0) return argc > 1 ? atoi(argv[1]) : 0;
        if (strcmp(argv[0], "help") == 0) {
            printf("built-in commands: help, exit [STATUS]\nprograms: %s\n", PROGRAM_NAMES);
            continue;
        }
        run_program(argv);
    }
}
