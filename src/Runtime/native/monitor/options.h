/* The monitor's command line. */
#ifndef MONITOR_OPTIONS_H
#define MONITOR_OPTIONS_H

#include <stdbool.h>
#include <sys/types.h>

enum restart_mode
{
  RESTART_NO,
  RESTART_ON_FAILURE,
  RESTART_ALWAYS,
  RESTART_UNLESS_STOPPED,
};

typedef struct options
{
  const char *runtime, *runtime_root, *id, *bundle, *state_dir, *log_path;
  /* what the engine mounted for the container (its rootfs, its volumes' subpaths), unmounted
   * once it will not run again */
  const char *unmount[4];
  int unmount_count;
  const char *boot_id; /* the engine's, recorded with each run */
  bool core_runtime;   /* the runtime is the core's own: the monitor deletes its containers itself */
  off_t log_max_size;
  const char *cgroup_path; /* for the OOM count */
  bool tty, interactive;
  const char *console_socket; /* where to listen for the pty: a short path (sun_path holds 108 bytes) */
  const char *attach_socket;  /* where the engine waits to attach to the first run (docker run -i / -it) */
  enum restart_mode restart;
  int max_retries; /* on-failure:N, 0 = unbounded */
  /* healthcheck: argv, and times in milliseconds */
  char *health_args[64];
  int health_argc;
  long health_interval, health_timeout, health_start_period;
  int health_retries;
  /* auto-remove, all or none: the directory to delete, the staging path it moves to first,
   * the container's lock, the name claim file to drop (if still ours) */
  const char *remove_dir, *remove_staging, *remove_lock, *release_name;
  /* bridge networking: the engine's network request (its published ports are held while the
   * container runs) and the helper that tears the network down at the end */
  const char *network, *network_helper;
} options;

void options_parse (int argc, char **argv, options *o);

#endif
