/* container-monitor: one per running container, the role conmon plays for Podman.
 *
 * Started by the engine with a pipe on stdout; it detaches (new session, its own
 * process tree), becomes a child subreaper, runs `<runtime> create` and `start`,
 * records the run in <state-dir>/run.json, then answers on stdout "ok <pid> <monitor pid>"
 * or "error <message>" and closes it. From then on
 * it owns the container's stdout and stderr, writes them to the log, waits for the
 * container's init, runs `<runtime> delete`, unmounts the rootfs, and last records
 * the exit in <state-dir>/exit.json (atomically). */
#define _GNU_SOURCE
#include "../lib/utils.h"
#include "log_writer.h"

#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct options
{
  const char *runtime, *runtime_root, *id, *bundle, *state_dir, *log_path, *unmount;
  off_t log_max_size;
} options;

static void
usage_exit (void)
{
  const char *text = "error usage: container-monitor --runtime PATH --runtime-root DIR --id ID --bundle DIR "
                     "--state-dir DIR --log FILE [--log-max-size BYTES] [--unmount PATH]\n";
  (void) !write (1, text, strlen (text));
  exit (2);
}

static void
parse_options (int argc, char **argv, options *o)
{
  static const struct option long_options[] = {
    { "runtime", required_argument, NULL, 'r' },   { "runtime-root", required_argument, NULL, 'R' },
    { "id", required_argument, NULL, 'i' },        { "bundle", required_argument, NULL, 'b' },
    { "state-dir", required_argument, NULL, 's' }, { "log", required_argument, NULL, 'l' },
    { "log-max-size", required_argument, NULL, 'm' }, { "unmount", required_argument, NULL, 'u' },
    { NULL, 0, NULL, 0 },
  };
  int c;
  int64_t n;
  while ((c = getopt_long (argc, argv, "", long_options, NULL)) != -1)
    switch (c)
      {
      case 'r': o->runtime = optarg; break;
      case 'R': o->runtime_root = optarg; break;
      case 'i': o->id = optarg; break;
      case 'b': o->bundle = optarg; break;
      case 's': o->state_dir = optarg; break;
      case 'l': o->log_path = optarg; break;
      case 'm':
        if (parse_int64 (optarg, &n) < 0 || n < 0)
          usage_exit ();
        o->log_max_size = n;
        break;
      case 'u': o->unmount = optarg; break;
      default: usage_exit ();
      }
  if (!o->runtime || !o->runtime_root || !o->id || !o->bundle || !o->state_dir || !o->log_path)
    usage_exit ();
}

/* A child must not inherit our handlers or mask: the container's processes start from defaults. */
static void
reset_signals (void)
{
  sigset_t all;
  sigemptyset (&all);
  sigprocmask (SIG_SETMASK, &all, NULL);
  for (int sig = 1; sig < NSIG; sig++)
    signal (sig, SIG_DFL);
}

/* Runs the runtime with stdio (in, out, err); returns its exit status, or -1. */
static int
run_runtime (const options *o, char *const args[], int in, int out, int err)
{
  pid_t pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      reset_signals ();
      dup2 (in, 0);
      dup2 (out, 1);
      dup2 (err, 2);
      execv (o->runtime, args);
      _exit (127);
    }
  int status;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* The runtime's last error line, from its --log file. */
static char *
runtime_error (const char *log_file, int status)
{
  _cleanup_free_ char *text = NULL;
  error ignored = { 0 };
  if (read_file (log_file, &text, NULL, &ignored) < 0 || text[0] == '\0')
    return xasprintf ("the runtime failed with exit code %d", status);
  size_t len = strlen (text);
  while (len && text[len - 1] == '\n')
    text[--len] = '\0';
  char *last = strrchr (text, '\n');
  return xstrdup (last ? last + 1 : text);
}

static void
answer (const char *line)
{
  (void) !write_all (1, line, strlen (line));
}

/* run.json: written before the answer, so a started container is recorded even if the
 * engine dies before it reads the answer. */
static void
record_run (const options *o, pid_t init)
{
  char stamp[64];
  format_now_rfc3339 (stamp, sizeof stamp);
  _cleanup_free_ char *json = xasprintf ("{\"pid\":%d,\"pidStartTime\":%llu,\"monitorPid\":%d,\"monitorStartTime\":%llu,"
                                         "\"startedAt\":\"%s\"}\n",
                                         init, process_start_time (init), getpid (), process_start_time (getpid ()), stamp);
  _cleanup_free_ char *path = xasprintf ("%s/run.json", o->state_dir);
  error err = { 0 };
  write_file_atomic (path, json, strlen (json), true, &err);
}

static void
record_exit (const options *o, int status, const char *finished_at)
{
  int exit_code = WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
  int signal_number = WIFSIGNALED (status) ? WTERMSIG (status) : 0;
  _cleanup_free_ char *json = xasprintf ("{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":\"%s\"}\n", exit_code, signal_number, finished_at);
  _cleanup_free_ char *path = xasprintf ("%s/exit.json", o->state_dir);
  error err = { 0 };
  write_file_atomic (path, json, strlen (json), true, &err);
}

/* Copies the container's output into the log until init exits and the pipes drain. */
static int
watch (const options *o, pid_t init, int out_fd, int err_fd, char *finished_at, size_t finished_at_len)
{
  log_writer w;
  log_stream streams[2] = { { .name = "stdout" }, { .name = "stderr" } };
  if (log_open (&w, o->log_path, o->log_max_size) < 0)
    w.fd = -1;
  sigset_t mask;
  sigemptyset (&mask);
  sigaddset (&mask, SIGCHLD);
  int sfd = signalfd (-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  int fds[2] = { out_fd, err_fd };
  int status = 0;
  bool exited = false;
  struct timespec exited_at = { 0 };
  for (;;)
    {
      struct pollfd p[3] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 }, { sfd, POLLIN, 0 } };
      int timeout = -1;
      if (exited)
        {
          /* after init, wait a little for the pipes to drain; a process that escaped the
           * pid namespace may hold them open forever */
          struct timespec now;
          clock_gettime (CLOCK_MONOTONIC, &now);
          long elapsed = (now.tv_sec - exited_at.tv_sec) * 1000 + (now.tv_nsec - exited_at.tv_nsec) / 1000000;
          if ((fds[0] < 0 && fds[1] < 0) || elapsed >= 2000)
            break;
          timeout = (int) (2000 - elapsed);
        }
      if (poll (p, 3, timeout) < 0 && errno != EINTR)
        break;
      for (int i = 0; i < 2; i++)
        if (fds[i] >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)))
          {
            char buf[8192];
            ssize_t n = read (fds[i], buf, sizeof buf);
            if (n > 0)
              log_feed (&w, &streams[i], buf, (size_t) n);
            else if (n == 0 || (errno != EINTR && errno != EAGAIN))
              {
                close (fds[i]);
                fds[i] = -1;
              }
          }
      if (p[2].revents & POLLIN)
        {
          struct signalfd_siginfo info;
          while (read (sfd, &info, sizeof info) == sizeof info)
            ;
          /* we are a subreaper: reap everything, remember init's status */
          pid_t pid;
          int s;
          while ((pid = waitpid (-1, &s, WNOHANG)) > 0)
            if (pid == init && !exited)
              {
                status = s;
                exited = true;
                format_now_rfc3339 (finished_at, finished_at_len);
                clock_gettime (CLOCK_MONOTONIC, &exited_at);
              }
        }
    }
  for (int i = 0; i < 2; i++)
    {
      log_flush (&w, &streams[i]);
      if (fds[i] >= 0)
        close (fds[i]);
    }
  log_close (&w);
  close (sfd);
  return status;
}

int
main (int argc, char **argv)
{
  options o = { 0 };
  parse_options (argc, argv, &o);

  /* detach: the engine's process must not be our parent, and its terminal must not reach us */
  pid_t first = fork ();
  if (first < 0)
    {
      answer ("error fork failed\n");
      return 1;
    }
  if (first > 0)
    return 0;
  setsid ();
  prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  /* SIGCHLD goes through a signalfd */
  sigset_t mask;
  sigemptyset (&mask);
  sigaddset (&mask, SIGCHLD);
  sigprocmask (SIG_BLOCK, &mask, NULL);
  signal (SIGPIPE, SIG_IGN);
  signal (SIGHUP, SIG_IGN);

  int null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC);
  int out_pipe[2], err_pipe[2];
  if (null_fd < 0 || pipe2 (out_pipe, O_CLOEXEC) < 0 || pipe2 (err_pipe, O_CLOEXEC) < 0)
    {
      answer ("error cannot create the container's pipes\n");
      return 1;
    }
  _cleanup_free_ char *pid_file = xasprintf ("%s/container.pid", o.state_dir);
  _cleanup_free_ char *runtime_log = xasprintf ("%s/runtime.log", o.state_dir);
  unlink (pid_file);
  unlink (runtime_log);

  char *create_args[] = { (char *) o.runtime, "--root", (char *) o.runtime_root, "--log", runtime_log, "--log-format", "json", "create", "--bundle",
                          (char *) o.bundle, "--pid-file", pid_file, (char *) o.id, NULL };
  char *start_args[] = { (char *) o.runtime, "--root", (char *) o.runtime_root, "--log", runtime_log, "--log-format", "json", "start", (char *) o.id, NULL };
  char *delete_args[] = { (char *) o.runtime, "--root", (char *) o.runtime_root, "--log", runtime_log, "--log-format", "json", "delete", "--force", (char *) o.id, NULL };

  int status = run_runtime (&o, create_args, null_fd, out_pipe[1], err_pipe[1]);
  close (out_pipe[1]);
  close (err_pipe[1]);
  if (status != 0)
    {
      _cleanup_free_ char *message = runtime_error (runtime_log, status);
      _cleanup_free_ char *line = xasprintf ("error %s\n", message);
      answer (line);
      return 1;
    }
  _cleanup_free_ char *pid_text = NULL;
  error err = { 0 };
  int64_t init = 0;
  if (read_file (pid_file, &pid_text, NULL, &err) < 0 || parse_int64 (pid_text, &init) < 0 || init <= 0)
    {
      answer ("error the runtime wrote no pid file\n");
      run_runtime (&o, delete_args, null_fd, null_fd, null_fd);
      return 1;
    }
  status = run_runtime (&o, start_args, null_fd, null_fd, null_fd);
  if (status != 0)
    {
      _cleanup_free_ char *message = runtime_error (runtime_log, status);
      _cleanup_free_ char *line = xasprintf ("error %s\n", message);
      run_runtime (&o, delete_args, null_fd, null_fd, null_fd);
      answer (line);
      return 1;
    }
  record_run (&o, (pid_t) init);
  _cleanup_free_ char *ok = xasprintf ("ok %lld %d\n", (long long) init, getpid ());
  answer (ok);
  /* the engine reads to EOF: close every copy of our stdio */
  dup2 (null_fd, 0);
  dup2 (null_fd, 1);
  dup2 (null_fd, 2);

  char finished_at[64] = "";
  int exit_status = watch (&o, (pid_t) init, out_pipe[0], err_pipe[0], finished_at, sizeof finished_at);
  /* clean up first: once exit.json exists, the engine may remove the container */
  run_runtime (&o, delete_args, null_fd, null_fd, null_fd);
  if (o.unmount)
    umount2 (o.unmount, MNT_DETACH);
  record_exit (&o, exit_status, finished_at);
  return 0;
}
