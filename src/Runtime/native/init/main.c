/* container-init: pid 1 of a container run with -Init (docker run --init), as tini and
 * docker-init are. It runs the user's command as its child, passes every signal it gets on
 * to that child (pid 1's default is to ignore them: a `sleep` as pid 1 never dies of
 * SIGTERM), reaps every process orphaned to it (no zombies pile up), and exits as the child
 * did. The engine bind-mounts it, static and read-only, into the container.
 *
 *   container-init COMMAND [ARG...] */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* the exit codes of a command that cannot run, as a shell's */
#define CANNOT_INVOKE 126
#define NOT_FOUND 127

/* Signals that say this process itself faulted: never held, never passed on. */
static bool
is_synchronous (int sig)
{
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGABRT || sig == SIGSYS;
}

static void
run_child (char **argv, const sigset_t *original)
{
  /* a process group of its own, in the foreground of the terminal if there is one: Ctrl+C
   * typed there reaches the command once, not through us as well */
  setpgid (0, 0);
  if (isatty (STDIN_FILENO))
    tcsetpgrp (STDIN_FILENO, getpid ()); /* SIGTTOU is still held here */
  sigprocmask (SIG_SETMASK, original, NULL);
  execvp (argv[0], argv);
  int saved = errno;
  fprintf (stderr, "container-init: exec `%s`: %s\n", argv[0], strerror (saved));
  _exit (saved == ENOENT ? NOT_FOUND : CANNOT_INVOKE);
}

/* Reaps what has exited; returns true, with its exit code, once the child is among them. */
static bool
reap (pid_t child, int *exit_code)
{
  bool done = false;
  pid_t pid;
  int status;
  while ((pid = waitpid (-1, &status, WNOHANG)) > 0)
    if (pid == child)
      {
        *exit_code = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
        done = true;
      }
  return done;
}

int
main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: container-init COMMAND [ARG...]\n");
      return NOT_FOUND;
    }
  sigset_t held, original;
  sigfillset (&held);
  for (int sig = 1; sig < NSIG; sig++)
    if (is_synchronous (sig))
      sigdelset (&held, sig);
  sigprocmask (SIG_BLOCK, &held, &original);

  pid_t child = fork ();
  if (child < 0)
    {
      fprintf (stderr, "container-init: fork: %s\n", strerror (errno));
      return CANNOT_INVOKE;
    }
  if (child == 0)
    run_child (argv + 1, &original);

  for (;;)
    {
      siginfo_t info;
      int sig = sigwaitinfo (&held, &info);
      if (sig < 0)
        continue; /* EINTR */
      int exit_code;
      if (sig == SIGCHLD)
        {
          if (reap (child, &exit_code))
            return exit_code;
        }
      else if (sig != SIGTTIN && sig != SIGTTOU && kill (child, sig) < 0 && errno == ESRCH && reap (child, &exit_code))
        return exit_code;
    }
}
