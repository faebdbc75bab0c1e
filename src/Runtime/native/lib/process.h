/* The last steps before exec, shared by the container's init and by exec:
 * LSM labels, rlimits, user and groups, capabilities, no_new_privs, seccomp. */
#ifndef CORE_PROCESS_H
#define CORE_PROCESS_H

#include "error.h"
#include "seccomp_filter.h"
#include "spec.h"

/* Finds args[0] in the PATH of env (or the default PATH), as execvp would.
 * Fails with a message like runc's when nothing executable is found. */
int process_find_executable (const spec_process *p, char **path, error *err);

/* Fails, naming it, for a capability the process would hold (effective, permitted,
 * inheritable) that is outside this runtime's bounding set, as runc and crun refuse it;
 * warns for one only in the bounding or ambient set. Checked before anything is made. */
int process_check_capabilities (const spec_capabilities *caps, error *err);

/* rlimits and oom_score_adj: while still privileged. */
int process_apply_limits (const spec_process *p, error *err);

/* Everything from LSM labels to seccomp (compiled beforehand), in the order the kernel
 * needs. After this only exec is left. */
int process_finalize (const spec_process *p, const seccomp_program *seccomp, error *err);

/* Marks every fd from first on close-on-exec. */
int process_close_fds_from (int first, error *err);

/* exec; returns only on failure. */
int process_exec (const spec_process *p, const char *path, error *err);

#endif
