/* Container lifecycle as the OCI runtime spec defines it: create (create.h: everything
 * up to the user process, which waits), start, kill, delete, and the operations on a
 * live container. */
#ifndef CORE_CONTAINER_H
#define CORE_CONTAINER_H

#include "create.h"
#include "error.h"
#include "spec.h"
#include "utils.h"

#include <stdbool.h>
#include <sys/types.h>

int container_start (const char *root, const char *id, error *err);
int container_kill (const char *root, const char *id, int signal, bool all, error *err);
int container_delete (const char *root, const char *id, bool force, error *err);
int container_pause (const char *root, const char *id, bool pause, error *err);
int container_update (const char *root, const char *id, const spec_resources *resources, error *err);
int container_pids (const char *root, const char *id, pid_t **pids, size_t *count, error *err);
/* state JSON of one container */
int container_state_json (const char *root, const char *id, char **json, error *err);

/* create + start; in the foreground waits and returns the exit status as a shell would (128+signal). */
int container_run (const create_options *opts, bool detach, int *exit_status, error *err);

typedef struct exec_options
{
  const char *root;
  const char *id;
  spec_process *process;
  const char *pid_file;
  const char *console_socket;
  int preserve_fds;
  bool detach;
} exec_options;

/* Runs one more process in a running container's namespaces and cgroup. */
int container_exec (const exec_options *opts, int *exit_status, error *err);

#endif
