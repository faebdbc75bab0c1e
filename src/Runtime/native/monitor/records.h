/* The records the monitor keeps in the container's directory for the engine to read
 * (its RunRecord, ExitRecord and HealthRecord): run.json once a run has started, exit.json
 * when it ends, health.json after each probe. Each is written whole (temp + rename) but not
 * synced: they describe this boot only, and a host crash ends the container anyway.
 * tests/monitor_records_sample.c writes them for the engine's contract test. */
#ifndef MONITOR_RECORDS_H
#define MONITOR_RECORDS_H

#include "../lib/error.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct run_record
{
  const char *boot_id; /* a run from another boot has ended, whatever its pids say now */
  pid_t pid;           /* the container's init, named with its start time */
  unsigned long long pid_start_time;
  pid_t monitor_pid;
  unsigned long long monitor_start_time;
  const char *started_at; /* RFC 3339 */
  int restart_count;
} run_record;

typedef struct exit_record
{
  int exit_code; /* as a shell reports it: 128 + the signal that ended it */
  int signal;    /* 0 when it exited */
  bool oom_killed;
  bool restarting; /* the monitor starts it again after a back-off */
  const char *finished_at;
} exit_record;

/* docker's numbers: the last five results, each with the first 4 KiB of its output */
#define HEALTH_LOG_SIZE 5
#define HEALTH_OUTPUT_MAX 4096

typedef struct health_result
{
  char start[40], end[40];
  int exit_code;
  /* valid UTF-8, "..." after it when the probe wrote more */
  char output[HEALTH_OUTPUT_MAX + 4];
} health_result;

typedef struct health_record
{
  const char *status; /* starting, healthy, unhealthy */
  int failing_streak;
  const health_result *log; /* oldest first */
  int log_len;
} health_record;

/* How a wait status ended: exit code and signal. */
exit_record exit_record_of (int wait_status, bool oom_killed, bool restarting, const char *finished_at);

int record_run (const char *state_dir, const run_record *r, error *err);
int record_exit (const char *state_dir, const exit_record *r, error *err);
int record_health (const char *state_dir, const health_record *r, error *err);

#endif
