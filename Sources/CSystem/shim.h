// Linux calls that Swift's Glibc module leaves out (it is built without _GNU_SOURCE), declared as
// glibc declares them under _GNU_SOURCE.
#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H

#include <spawn.h>
#include <sys/types.h>

// fallocate(2): reserve a file's blocks now, so a full disk or a quota shows at once with its
// errno, not later as a short write.
extern int fallocate(int fd, int mode, off_t offset, off_t len);

// posix_spawn: close every descriptor from `from` up in the child (glibc 2.34), and start the
// child in a session of its own (glibc 2.26).
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *actions, int from);
static inline short csystem_posix_spawn_setsid(void) { return 0x80; }

#endif
