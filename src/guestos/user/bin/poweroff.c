/*
 * poweroff [STATUS]: leaves the machine through SYS_POWEROFF (port 0xF4) with STATUS (default 0).
 */
#include "stdio.h"
#include "string.h"
#include "sys.h"

int main(int argc, char** argv) {
    poweroff(argc > 1 ? atoi(argv[1]) : 0);
    printf("FAIL poweroff: the machine is still running\n");
    return 1;
}
