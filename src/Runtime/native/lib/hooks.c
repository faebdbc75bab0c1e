#define _GNU_SOURCE
#include "hooks.h"
#include "utils.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int
run_one (const spec_hook *hook, const char *kind, size_t index, const char *state_json, error *err)
{
  int in[2], out[2];
  if (pipe2 (in, O_CLOEXEC) < 0)
    return fail_errno (err, "%s hook %zu: pipe", kind, index);
  if (pipe2 (out, O_CLOEXEC) < 0)
    {
      close (in[0]);
      close (in[1]);
      return fail_errno (err, "%s hook %zu: pipe", kind, index);
    }
  pid_t pid = fork ();
  if (pid < 0)
    {
      close (in[0]);
      close (in[1]);
      close (out[0]);
      close (out[1]);
      return fail_errno (err, "%s hook %zu: fork", kind, index);
    }
  if (pid == 0)
    {
      dup2 (in[0], 0);
      dup2 (out[1], 1);
      dup2 (out[1], 2);
      char *empty[] = { NULL };
      char *default_args[] = { hook->path, NULL };
      execve (hook->path, hook->args.count ? hook->args.items : default_args, hook->env.count ? hook->env.items : empty);
      _exit (127);
    }
  close (in[0]);
  close (out[1]);
  /* a hook that does not read stdin must not block us */
  signal (SIGPIPE, SIG_IGN);
  (void) !write_all (in[1], state_json, strlen (state_json));
  close (in[1]);

  char output[1024];
  size_t output_len = 0;
  long long deadline = hook->timeout > 0 ? now_ms () + hook->timeout * 1000LL : -1;
  int status = 0;
  bool timed_out = false;
  for (;;)
    {
      int wait_ms = deadline < 0 ? 100 : (int) (deadline - now_ms ());
      if (deadline >= 0 && wait_ms <= 0)
        {
          kill (pid, SIGKILL);
          timed_out = true;
          waitpid (pid, &status, 0);
          break;
        }
      struct pollfd pfd = { out[0], POLLIN, 0 };
      int r = poll (&pfd, 1, wait_ms > 100 || wait_ms < 0 ? 100 : wait_ms);
      if (r > 0)
        {
          char buf[512];
          ssize_t n = read (out[0], buf, sizeof buf);
          if (n > 0 && output_len < sizeof output - 1)
            {
              size_t take = (size_t) n < sizeof output - 1 - output_len ? (size_t) n : sizeof output - 1 - output_len;
              memcpy (output + output_len, buf, take);
              output_len += take;
            }
        }
      pid_t w = waitpid (pid, &status, WNOHANG);
      if (w == pid)
        break;
    }
  close (out[0]);
  output[output_len] = '\0';
  while (output_len && (output[output_len - 1] == '\n'))
    output[--output_len] = '\0';
  if (timed_out)
    return fail (err, ETIMEDOUT, "%s hook %zu (`%s`) did not finish within %d s", kind, index, hook->path, hook->timeout);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return fail (err, 0, "%s hook %zu (`%s`) failed with %s %d%s%s", kind, index, hook->path,
                 WIFEXITED (status) ? "exit code" : "signal", WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status),
                 output_len ? ": " : "", output);
  return 0;
}

int
hooks_run (const spec_hook_list *hooks, const char *kind, const char *state_json, error *err)
{
  for (size_t i = 0; i < hooks->count; i++)
    if (run_one (&hooks->items[i], kind, i, state_json, err) < 0)
      return -1;
  return 0;
}

void
hooks_run_warning (const spec_hook_list *hooks, const char *kind, const char *state_json)
{
  for (size_t i = 0; i < hooks->count; i++)
    {
      error err = { 0 };
      if (run_one (&hooks->items[i], kind, i, state_json, &err) < 0)
        warn ("%s", err.message);
    }
}
