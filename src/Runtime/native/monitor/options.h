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
  const char *runtime, *runtime_root, *id, *bundle, *state_dir, *log_path, *unmount;
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
  /* auto-remove: the name claim file to drop (if still ours) and the directory to delete */
  const char *release_name, *remove_dir;
} options;

void options_parse (int argc, char **argv, options *o);

#endif
