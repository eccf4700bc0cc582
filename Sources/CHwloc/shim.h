// hwloc for Swift: the header, plus getters for what hwloc defines as macros or enums.
#ifndef CHWLOC_SHIM_H
#define CHWLOC_SHIM_H

#include <hwloc.h>
#include <stdlib.h>

static inline int chwloc_cpubind_process(void) { return HWLOC_CPUBIND_PROCESS; }
static inline int chwloc_cpubind_thread(void) { return HWLOC_CPUBIND_THREAD; }

#endif
