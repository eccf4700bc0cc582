// Linux calls that Swift's Glibc module leaves out (it is built without _GNU_SOURCE).
#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H

#include <sys/types.h>

// fallocate(2): reserve a file's blocks now, so a full disk or a quota shows at once with its
// errno, not later as a short write. Declared here as glibc declares it under _GNU_SOURCE.
extern int fallocate(int fd, int mode, off_t offset, off_t len);

#endif
