/* Making the container's processes: clone3 straight into their cgroup where the kernel can
 * (cgroup v2, Linux 5.7), else clone and a move into the cgroup after. */
#ifndef CORE_CLONE_H
#define CORE_CLONE_H

#include <stdbool.h>
#include <sys/types.h>

/* Like fork (the child returns 0 on a copy of this stack), in new namespaces
 * (CLONE_NEW* flags). With cgroup_fd >= 0, the child is born in that cgroup and
 * *in_cgroup says so: no migration, and none of the RCU grace period a write to
 * cgroup.procs waits for. Otherwise, or where clone3 refuses, *in_cgroup is false
 * and the caller moves the child itself. */
pid_t clone_process (unsigned long namespace_flags, int cgroup_fd, bool *in_cgroup);

#endif
