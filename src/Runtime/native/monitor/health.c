#define _GNU_SOURCE
#include "health.h"
#include "../lib/utils.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
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
write_state (health *h)
{
  health_record record = { .status = h->status, .failing_streak = h->failing_streak, .log = h->log, .log_len = h->log_len };
  error err = { 0 };
  record_health (h->o->state_dir, &record, &err);
}

/* Length of the valid UTF-8 sequence at p (at most len bytes), 0 when it is not one: the
 * engine's JSON reader refuses invalid UTF-8, and a probe may write anything. */
static size_t
utf8_sequence (const unsigned char *p, size_t len)
{
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (p[0] < 0x80)
    return p[0] ? 1 : 0;
  else if (p[0] >= 0xC2 && p[0] <= 0xDF)
    n = 2;
  else if (p[0] >= 0xE0 && p[0] <= 0xEF)
    {
      n = 3;
      if (p[0] == 0xE0)
        lo = 0xA0; /* no overlong forms */
      else if (p[0] == 0xED)
        hi = 0x9F; /* no surrogates */
    }
  else if (p[0] >= 0xF0 && p[0] <= 0xF4)
    {
      n = 4;
      if (p[0] == 0xF0)
        lo = 0x90;
      else if (p[0] == 0xF4)
        hi = 0x8F; /* nothing past U+10FFFF */
    }
  else
    return 0;
  if (n > len || p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  return n;
}

/* The probe's result joins the log, the oldest going when it is full. */
static void
log_result (health *h, int exit_code, bool timed_out)
{
  if (h->log_len == HEALTH_LOG_SIZE)
    {
      memmove (&h->log[0], &h->log[1], (HEALTH_LOG_SIZE - 1) * sizeof h->log[0]);
      h->log_len--;
    }
  health_result *r = &h->log[h->log_len++];
  memcpy (r->start, h->probe_started, sizeof r->start);
  format_now_rfc3339 (r->end, sizeof r->end);
  r->exit_code = exit_code;
  if (timed_out)
    {
      snprintf (r->output, sizeof r->output, "Health check exceeded timeout (%ldms)", h->o->health_timeout);
      return;
    }
  /* what is not valid UTF-8 becomes '?'; a sequence cut at the end of what was kept too */
  const unsigned char *in = (const unsigned char *) h->output;
  size_t out = 0;
  for (size_t at = 0; at < h->output_len;)
    {
      size_t n = utf8_sequence (in + at, h->output_len - at);
      if (n == 0)
        {
          r->output[out++] = '?';
          at++;
          continue;
        }
      memcpy (r->output + out, in + at, n);
      out += n;
      at += n;
    }
  if (h->output_truncated)
    {
      memcpy (r->output + out, "...", 3);
      out += 3;
    }
  r->output[out] = '\0';
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
  write_state (h);
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
  h->output_truncated = false;
  format_now_rfc3339 (h->probe_started, sizeof h->probe_started);
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
  /* the first HEALTH_OUTPUT_MAX bytes, as docker keeps them; the rest is read and dropped */
  size_t take = sizeof h->output - h->output_len;
  if ((size_t) n < take)
    take = (size_t) n;
  memcpy (h->output + h->output_len, buf, take);
  h->output_len += take;
  if (take < (size_t) n)
    h->output_truncated = true;
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
  log_result (h, exit_code, timed_out);
  h->probe = 0;
  h->probe_timed_out = h->probe_kill_sent = false;
  h->next_probe = now + h->o->health_interval;
  write_state (h);
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
