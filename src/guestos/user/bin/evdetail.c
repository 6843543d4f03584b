/*
 * evdetail [on|off]: turns the kernel's allocator events (buddy split/merge, slab grow/shrink,
 * see abi/guest_events.h) for the emulator's event stream on or off; prints the state.
 */
#include "stdio.h"
#include "string.h"
#include "sys.h"

int main(int argc, char** argv) {
    int mode = 2; /* ask */
    if (argc > 1 && strcmp(argv[1], "on") == 0)
        mode = 1;
    else if (argc > 1 && strcmp(argv[1], "off") == 0)
        mode = 0;
    else if (argc > 1) {
        printf("usage: evdetail [on|off]\n");
        return 2;
    }
    int was = evdetail(mode);
    if (was < 0) {
        printf("evdetail: not supported by this kernel\n");
        return 1;
    }
    printf("allocator events: %s\n", (mode == 2 ? was : mode) ? "on" : "off");
    return 0;
}
