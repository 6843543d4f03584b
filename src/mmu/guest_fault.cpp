#include "mmu/guest_fault.h"

#include <cstdio>
#include <cstdlib>

namespace pc386 {

void FaultUnwinder::no_catch_point() const {
    std::fprintf(stderr,
                 "pc386: internal error: guest fault (vector %u, error %#x) raised outside an instruction\n",
                 unsigned{fault_.vector}, fault_.error);
    std::abort();
}

}  // namespace pc386
