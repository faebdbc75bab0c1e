/* The healthcheck: a probe (`<runtime> exec <id> <command>`) every interval, killed past its
 * timeout; retries failures in a row make the container unhealthy, except during its start
 * period. The state, with the last HEALTH_LOG_SIZE results (as docker keeps them), goes to
 * <state-dir>/health.json after each probe. */
#ifndef MONITOR_HEALTH_H
#define MONITOR_HEALTH_H

#include "options.h"
#include "records.h"

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

typedef struct health
{
  const options *o;
  bool enabled;
  long long started_at, next_probe, deadline;
  pid_t probe;
  bool probe_timed_out;
  bool probe_kill_sent;
  int output_fd;
  /* the probe of the moment: when it started, the first HEALTH_OUTPUT_MAX bytes it wrote */
  char probe_started[40];
  char output[HEALTH_OUTPUT_MAX];
  size_t output_len;
  bool output_truncated;
  int failing_streak;
  const char *status;
  /* oldest first; kept across restarts, as docker keeps them */
  health_result log[HEALTH_LOG_SIZE];
  int log_len;
} health;

void health_init (health *h, const options *o);
/* The container (re)started: the start period begins. */
void health_container_started (health *h, long long now);
/* Milliseconds until the prober has something to do (-1: nothing). */
int health_wait_ms (const health *h, long long now);
/* Starts a due probe, kills an overdue one. */
void health_tick (health *h, long long now);
/* The probe's output fd, or -1. */
int health_output_fd (const health *h);
/* Reads what the probe wrote: false when nothing was there (or the pipe closed). */
bool health_read_output (health *h);
/* A child was reaped: true when it was the probe (and its result is recorded). */
bool health_reaped (health *h, pid_t pid, int status, long long now);
/* The container stopped: an unfinished probe is abandoned. */
void health_container_stopped (health *h);

long long monotonic_ms (void);

#endif
