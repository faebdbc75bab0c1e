#define _GNU_SOURCE
#include "health.h"
#include "../lib/utils.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

long long
monotonic_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void
health_init (health *h, const options *o)
{
  memset (h, 0, sizeof *h);
  h->o = o;
  h->enabled = o->health_argc > 0;
  h->output_fd = -1;
  h->status = "starting";
}

static void
write_state (health *h, int exit_code)
{
  char stamp[64];
  format_now_rfc3339 (stamp, sizeof stamp);
  h->output[h->output_len] = '\0';
  _cleanup_free_ char *output = json_escape_string (h->output);
  _cleanup_free_ char *json = xasprintf ("{\"status\":\"%s\",\"failingStreak\":%d,\"lastProbe\":\"%s\",\"lastExitCode\":%d,\"lastOutput\":%s}\n",
                                         h->status, h->failing_streak, stamp, exit_code, output);
  _cleanup_free_ char *path = xasprintf ("%s/health.json", h->o->state_dir);
  error err = { 0 };
  write_file_atomic (path, json, strlen (json), false, &err);
}

void
health_container_started (health *h, long long now)
{
  if (!h->enabled)
    return;
  h->started_at = now;
  h->failing_streak = 0;
  h->status = "starting";
  /* the first probe comes one interval after start, as docker does */
  h->next_probe = now + h->o->health_interval;
  h->output_len = 0;
  write_state (h, 0);
}

int
health_wait_ms (const health *h, long long now)
{
  if (!h->enabled || h->started_at == 0 || h->probe_kill_sent)
    return -1;
  if (h->probe_timed_out)
    return 50;
  long long next = h->probe ? h->deadline : h->next_probe;
  return next <= now ? 0 : (int) (next - now);
}

/* Kills the probe's process in the container, named by the pid file the runtime writes once
 * it runs. Killing only the runtime's exec before then would orphan that process, which
 * would hold the output pipe for ever: so wait a while for the pid file (a slow machine),
 * and kill the runtime only when it never comes. */
static void
kill_probe (health *h, bool waited_enough)
{
  _cleanup_free_ char *pid_file = xasprintf ("%s/probe.pid", h->o->state_dir);
  _cleanup_free_ char *text = NULL;
  error err = { 0 };
  int64_t pid;
  if (read_file (pid_file, &text, NULL, &err) == 0 && parse_int64 (text, &pid) == 0 && pid > 0)
    kill ((pid_t) pid, SIGKILL);
  else if (!waited_enough)
    return;
  kill (h->probe, SIGKILL);
  h->probe_kill_sent = true;
}

void
health_tick (health *h, long long now)
{
  if (!h->enabled || h->started_at == 0)
    return;
  if (h->probe && !h->probe_kill_sent && now >= h->deadline)
    {
      h->probe_timed_out = true;
      kill_probe (h, now - h->deadline >= 5000);
      return;
    }
  if (h->probe || now < h->next_probe)
    return;
  int out[2];
  /* non-blocking: a process the probe left behind must not stall the monitor */
  if (pipe2 (out, O_CLOEXEC | O_NONBLOCK) < 0)
    return;
  _cleanup_free_ char *pid_file = xasprintf ("%s/probe.pid", h->o->state_dir);
  unlink (pid_file);
  pid_t pid = fork ();
  if (pid == 0)
    {
      sigset_t all;
      sigemptyset (&all);
      sigprocmask (SIG_SETMASK, &all, NULL);
      int null_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      dup2 (null_fd, 0);
      dup2 (out[1], 1);
      dup2 (out[1], 2);
      char *argv[80];
      int n = 0;
      argv[n++] = (char *) h->o->runtime;
      argv[n++] = "--root";
      argv[n++] = (char *) h->o->runtime_root;
      argv[n++] = "exec";
      argv[n++] = "--pid-file";
      argv[n++] = pid_file;
      argv[n++] = (char *) h->o->id;
      for (int i = 0; i < h->o->health_argc; i++)
        argv[n++] = h->o->health_args[i];
      argv[n] = NULL;
      execv (h->o->runtime, argv);
      _exit (127);
    }
  close (out[1]);
  if (pid < 0)
    {
      close (out[0]);
      return;
    }
  h->probe = pid;
  h->probe_timed_out = h->probe_kill_sent = false;
  h->output_fd = out[0];
  h->output_len = 0;
  h->deadline = now + h->o->health_timeout;
}

int
health_output_fd (const health *h)
{
  return h->output_fd;
}

bool
health_read_output (health *h)
{
  char buf[1024];
  ssize_t n = read (h->output_fd, buf, sizeof buf);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return false;
  if (n <= 0)
    {
      close (h->output_fd);
      h->output_fd = -1;
      return false;
    }
  /* keep the last 4 kB, as docker keeps a bounded output */
  size_t room = sizeof h->output - 1 - h->output_len;
  if ((size_t) n > room)
    {
      size_t drop = (size_t) n - room;
      if (drop > h->output_len)
        drop = h->output_len;
      memmove (h->output, h->output + drop, h->output_len - drop);
      h->output_len -= drop;
      room += drop;
    }
  size_t take = (size_t) n < room ? (size_t) n : room;
  memcpy (h->output + h->output_len, buf, take);
  h->output_len += take;
  return true;
}

bool
health_reaped (health *h, pid_t pid, int status, long long now)
{
  if (!h->enabled || pid != h->probe)
    return false;
  if (h->output_fd >= 0)
    {
      /* what is buffered; a writer still holding the pipe gets no more of our time */
      while (health_read_output (h))
        ;
      if (h->output_fd >= 0)
        {
          close (h->output_fd);
          h->output_fd = -1;
        }
    }
  bool timed_out = h->probe_timed_out;
  int exit_code = timed_out ? -1 : WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  if (exit_code == 0)
    {
      h->failing_streak = 0;
      h->status = "healthy";
    }
  else if (now - h->started_at >= h->o->health_start_period || strcmp (h->status, "healthy") == 0)
    {
      /* failures in the start period do not count, unless it was healthy already */
      if (++h->failing_streak >= h->o->health_retries)
        h->status = "unhealthy";
    }
  if (timed_out)
    {
      const char *note = "(the probe timed out)";
      memcpy (h->output, note, strlen (note));
      h->output_len = strlen (note);
    }
  h->probe = 0;
  h->probe_timed_out = h->probe_kill_sent = false;
  h->next_probe = now + h->o->health_interval;
  write_state (h, exit_code);
  return true;
}

void
health_container_stopped (health *h)
{
  /* the probe's process in the container died with it */
  if (h->probe)
    kill_probe (h, true);
  h->started_at = 0;
}
