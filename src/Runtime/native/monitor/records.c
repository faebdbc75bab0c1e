#define _GNU_SOURCE
#include "records.h"
#include "../lib/utils.h"

#include <string.h>
#include <sys/wait.h>

static int
write_record (const char *state_dir, const char *file, strbuf *json, error *err)
{
  sb_append (json, "\n");
  _cleanup_free_ char *text = sb_steal (json);
  _cleanup_free_ char *path = xasprintf ("%s/%s", state_dir, file);
  return write_file_atomic (path, text, strlen (text), false, err);
}

int
record_run (const char *state_dir, const run_record *r, error *err)
{
  strbuf sb = { 0 };
  sb_append (&sb, "{\"bootId\":");
  sb_json_string (&sb, r->boot_id);
  sb_printf (&sb, ",\"pid\":%d,\"pidStartTime\":%llu,\"monitorPid\":%d,\"monitorStartTime\":%llu,\"startedAt\":", r->pid,
             r->pid_start_time, r->monitor_pid, r->monitor_start_time);
  sb_json_string (&sb, r->started_at);
  sb_printf (&sb, ",\"restartCount\":%d}", r->restart_count);
  return write_record (state_dir, "run.json", &sb, err);
}

exit_record
exit_record_of (int wait_status, bool oom_killed, bool restarting, const char *finished_at)
{
  return (exit_record){
    .exit_code = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status),
    .signal = WIFSIGNALED (wait_status) ? WTERMSIG (wait_status) : 0,
    .oom_killed = oom_killed,
    .restarting = restarting,
    .finished_at = finished_at,
  };
}

int
record_exit (const char *state_dir, const exit_record *r, error *err)
{
  strbuf sb = { 0 };
  sb_printf (&sb, "{\"exitCode\":%d,\"signal\":%d,\"oomKilled\":%s,\"restarting\":%s,\"finishedAt\":", r->exit_code, r->signal,
             r->oom_killed ? "true" : "false", r->restarting ? "true" : "false");
  sb_json_string (&sb, r->finished_at);
  sb_append (&sb, "}");
  return write_record (state_dir, "exit.json", &sb, err);
}

int
record_health (const char *state_dir, const health_record *r, error *err)
{
  strbuf sb = { 0 };
  sb_append (&sb, "{\"status\":");
  sb_json_string (&sb, r->status);
  sb_printf (&sb, ",\"failingStreak\":%d,\"log\":[", r->failing_streak);
  for (int i = 0; i < r->log_len; i++)
    {
      const health_result *result = &r->log[i];
      sb_append (&sb, i ? ",{\"start\":" : "{\"start\":");
      sb_json_string (&sb, result->start);
      sb_append (&sb, ",\"end\":");
      sb_json_string (&sb, result->end);
      sb_printf (&sb, ",\"exitCode\":%d,\"output\":", result->exit_code);
      sb_json_string (&sb, result->output);
      sb_append (&sb, "}");
    }
  sb_append (&sb, "]}");
  return write_record (state_dir, "health.json", &sb, err);
}
