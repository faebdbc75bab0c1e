/* Container lifecycle as the OCI runtime spec defines it: create (everything
 * up to the user process, which waits), start, kill, delete, and the
 * operations on a live container. */
#ifndef CORE_CONTAINER_H
#define CORE_CONTAINER_H

#include "error.h"
#include "spec.h"
#include "utils.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct create_options
{
  const char *root;   /* state root (--root) */
  const char *id;
  const char *bundle; /* absolute */
  const char *pid_file;
  const char *console_socket;
  int preserve_fds;
  bool no_pivot;
} create_options;

/* Creates the container; its init waits for start. Errors leave nothing behind. */
int container_create (const create_options *opts, pid_t *pid, error *err);
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

/* Blocks the signals a terminal sends until container_wait_forwarding_signals can pass
 * them on: a SIGTERM that comes while the process is being made neither kills the runtime
 * (leaving the process behind) nor is lost. */
void container_hold_forwarded_signals (void);
/* An empty signal mask: the first step of a process the runtime makes for the container. */
void container_release_signals (void);
/* Waits for a child, passing on the signals a terminal sends (and those held until now);
 * exit status as a shell reports it. */
int container_wait_forwarding_signals (pid_t pid, int *exit_status, error *err);

/* Parses "KILL", "SIGKILL" or "9". */
int signal_from_name (const char *name, int *signal, error *err);

#endif
