#define _GNU_SOURCE
#include "signals.h"
#include "utils.h"

#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

int
signal_from_name (const char *name, int *signal, error *err)
{
  static const struct
  {
    const char *name;
    int number;
  } names[] = {
    { "HUP", SIGHUP },     { "INT", SIGINT },       { "QUIT", SIGQUIT },   { "ILL", SIGILL },     { "TRAP", SIGTRAP },
    { "ABRT", SIGABRT },   { "IOT", SIGIOT },       { "BUS", SIGBUS },     { "FPE", SIGFPE },     { "KILL", SIGKILL },
    { "USR1", SIGUSR1 },   { "SEGV", SIGSEGV },     { "USR2", SIGUSR2 },   { "PIPE", SIGPIPE },   { "ALRM", SIGALRM },
    { "TERM", SIGTERM },   { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },   { "CONT", SIGCONT },   { "STOP", SIGSTOP },
    { "TSTP", SIGTSTP },   { "TTIN", SIGTTIN },     { "TTOU", SIGTTOU },   { "URG", SIGURG },     { "XCPU", SIGXCPU },
    { "XFSZ", SIGXFSZ },   { "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },   { "WINCH", SIGWINCH }, { "IO", SIGIO },
    { "POLL", SIGPOLL },   { "PWR", SIGPWR },       { "SYS", SIGSYS },
  };
  int64_t n;
  if (parse_int64 (name, &n) == 0)
    {
      if (n <= 0 || n > SIGRTMAX)
        return fail (err, EINVAL, "invalid signal `%s`", name);
      *signal = (int) n;
      return 0;
    }
  const char *bare = strncasecmp (name, "SIG", 3) == 0 ? name + 3 : name;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcasecmp (names[i].name, bare) == 0)
      {
        *signal = names[i].number;
        return 0;
      }
  if (strncasecmp (bare, "RTMIN+", 6) == 0 && parse_int64 (bare + 6, &n) == 0 && SIGRTMIN + n <= SIGRTMAX)
    {
      *signal = SIGRTMIN + (int) n;
      return 0;
    }
  return fail (err, EINVAL, "unknown signal `%s`", name);
}

static volatile pid_t forward_to;
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

static void
forwarded_set (sigset_t *set)
{
  sigemptyset (set);
  for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
    sigaddset (set, forwarded[i]);
}

void
signals_hold_forwarded (void)
{
  sigset_t set;
  forwarded_set (&set);
  sigprocmask (SIG_BLOCK, &set, NULL);
}

void
signals_release (void)
{
  sigset_t none;
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

static void
forward_signal (int sig)
{
  if (forward_to > 0)
    kill (forward_to, sig);
}

int
signals_wait_forwarding (pid_t pid, int *exit_status, error *err)
{
  forward_to = pid;
  struct sigaction sa = { .sa_handler = forward_signal };
  sigemptyset (&sa.sa_mask);
  for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++)
    sigaction (forwarded[i], &sa, NULL);
  /* what came while the process was being made is passed on now */
  signals_release ();
  int status = 0;
  int ret = 0;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      {
        ret = fail_errno (err, "wait for process %d", pid);
        break;
      }
  forward_to = 0;
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  return ret;
}
