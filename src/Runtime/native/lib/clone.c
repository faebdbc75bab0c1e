#define _GNU_SOURCE
#include "clone.h"

#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* struct clone_args as of Linux 5.7, which added the cgroup field */
struct clone_args_v2
{
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

pid_t
clone_process (unsigned long namespace_flags, int cgroup_fd, bool *in_cgroup)
{
  *in_cgroup = false;
#ifdef SYS_clone3
  if (cgroup_fd >= 0)
    {
      struct clone_args_v2 args = {
        .flags = namespace_flags | CLONE_INTO_CGROUP,
        .exit_signal = SIGCHLD,
        .cgroup = (uint64_t) cgroup_fd,
      };
      pid_t pid = (pid_t) syscall (SYS_clone3, &args, sizeof args);
      if (pid >= 0)
        {
          *in_cgroup = true;
          return pid;
        }
      /* an older kernel, or a cgroup it will not clone into: the plain way below */
    }
#endif
  return (pid_t) syscall (SYS_clone, namespace_flags | SIGCHLD, NULL, NULL, NULL, 0);
}
