/*
 * ps: has the kernel print its process list (SYS_PS).
 */
#include "test.h"

int main(void) {
    if (ps() < 0) test_fail("ps", "SYS_PS returned an error");
    test_pass("ps");
}
