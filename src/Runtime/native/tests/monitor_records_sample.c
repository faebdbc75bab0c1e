/* Writes the monitor's records and log with the monitor's own writers (records.c,
 * log_writer.c), from values on the command line, for the engine's contract test to read
 * back with its own types:
 *   run DIR BOOT_ID PID PID_START_TIME MONITOR_PID MONITOR_START_TIME STARTED_AT RESTART_COUNT
 *   exit DIR exited|signaled NUMBER OOM_KILLED RESTARTING FINISHED_AT   (booleans as 0 or 1)
 *   health DIR STATUS FAILING_STREAK [START END EXIT_CODE OUTPUT]...
 *   log FILE MAX_SIZE TTY [stdout|stderr DATA]...                       (as the container wrote it) */
#define _GNU_SOURCE
#include "../monitor/log_writer.h"
#include "../monitor/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static int
usage (void)
{
  fprintf (stderr, "usage: monitor_records_sample run|exit|health DIR ... | log FILE ... (see the source)\n");
  return 2;
}

static int
done (int ret, const error *err)
{
  if (ret < 0)
    fprintf (stderr, "monitor_records_sample: %s\n", err->message);
  return ret < 0 ? 1 : 0;
}

static int
sample_run (const char *dir, char **a)
{
  run_record run = { .boot_id = a[0], .pid = atoi (a[1]), .pid_start_time = strtoull (a[2], NULL, 10), .monitor_pid = atoi (a[3]),
                     .monitor_start_time = strtoull (a[4], NULL, 10), .started_at = a[5], .restart_count = atoi (a[6]) };
  error err = { 0 };
  return done (record_run (dir, &run, &err), &err);
}

static int
sample_exit (const char *dir, char **a)
{
  int number = atoi (a[1]);
  int status = strcmp (a[0], "signaled") == 0 ? W_EXITCODE (0, number) : W_EXITCODE (number, 0);
  exit_record exit = exit_record_of (status, atoi (a[2]) != 0, atoi (a[3]) != 0, a[4]);
  error err = { 0 };
  return done (record_exit (dir, &exit, &err), &err);
}

static int
sample_health (const char *dir, char **a, int count)
{
  health_result log[HEALTH_LOG_SIZE] = { 0 };
  int n = 0;
  for (int i = 2; i + 3 < count && n < HEALTH_LOG_SIZE; i += 4, n++)
    {
      snprintf (log[n].start, sizeof log[n].start, "%s", a[i]);
      snprintf (log[n].end, sizeof log[n].end, "%s", a[i + 1]);
      log[n].exit_code = atoi (a[i + 2]);
      snprintf (log[n].output, sizeof log[n].output, "%s", a[i + 3]);
    }
  health_record health = { .status = a[0], .failing_streak = atoi (a[1]), .log = log, .log_len = n };
  error err = { 0 };
  return done (record_health (dir, &health, &err), &err);
}

static int
sample_log (const char *file, char **a, int count)
{
  log_writer w;
  if (log_open (&w, file, atoll (a[0]), atoi (a[1]) != 0) < 0)
    {
      perror (file);
      return 1;
    }
  log_stream streams[2] = { { .name = "stdout" }, { .name = "stderr" } };
  for (int i = 2; i + 1 < count; i += 2)
    {
      log_stream *s = &streams[strcmp (a[i], "stderr") == 0];
      log_feed (&w, s, a[i + 1], strlen (a[i + 1]));
    }
  log_flush (&w, &streams[0]);
  log_flush (&w, &streams[1]);
  log_close (&w);
  return 0;
}

int
main (int argc, char **argv)
{
  if (argc < 3)
    return usage ();
  const char *kind = argv[1], *where = argv[2];
  char **a = argv + 3;
  int count = argc - 3;
  if (strcmp (kind, "run") == 0 && count == 7)
    return sample_run (where, a);
  if (strcmp (kind, "exit") == 0 && count == 5)
    return sample_exit (where, a);
  if (strcmp (kind, "health") == 0 && count >= 2)
    return sample_health (where, a, count);
  if (strcmp (kind, "log") == 0 && count >= 2)
    return sample_log (where, a, count);
  return usage ();
}
