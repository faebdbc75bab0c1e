/* container-monitor: one per running container, the role conmon plays for Podman.
 *
 * Started by the engine with a pipe on stdout; it detaches (new session, its own process
 * tree), becomes a child subreaper, runs `<runtime> run --detach` (attached or with a tty:
 * `create`, the attach, `start`), records the run in <state-dir>/run.json, then answers on
 * stdout "ok <pid> <monitor pid>" or "error <message>" and closes it. From then on it owns
 * the container's stdio (pipes, or the pty the runtime hands over the console socket),
 * writes it to the log, runs the healthcheck, and waits for the container's init. With
 * --attach-socket, the engine that runs the container attached (docker run -i, -it) gets its
 * input before it starts, and with a tty, its screen as it comes. When it exits: the OOM
 * count, `<runtime> delete` (done here for the core's own runtime; the runtime's state put
 * back first, should the run root have been deleted: runtime_state.h), then either a restart
 * (by the restart policy, with back-off, unless the engine asked for a stop) or the end:
 * unmount what the engine mounted for it (--unmount: its rootfs, its volumes' subpaths),
 * record the exit in exit.json (last, atomically), and with auto-remove, remove the
 * container. With --network, the published host ports are held from before the first run
 * until the end ("port-in-use <port>" answered when one is taken), and the container's
 * network is torn down before exit.json is written (network.h). */
#define _GNU_SOURCE
#include "../lib/cgroup.h"
#include "../lib/cloned_binary.h"
#include "../lib/container.h"
#include "../lib/terminal.h"
#include "../lib/utils.h"
#include "health.h"
#include "log_writer.h"
#include "network.h"
#include "options.h"
#include "records.h"
#include "runtime_state.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_BACKOFF_MS 60000
/* a container that ran this long resets the back-off, as docker does */
#define STABLE_RUN_MS 10000

static int null_fd = -1;
static int signal_fd = -1;
static int monitor_lock_fd = -1;
static bool stop_requested;

/* The engine's mounts, detached from the tree but each still held here by a descriptor, and
 * the mount points beneath them locked until they are let go (see unmount_engine_mounts). */
static int held_mounts[8];
static int held_mount_count;

static void
answer (const char *line)
{
  (void) !write_all (1, line, strlen (line));
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

/* Starts the runtime with stdio (in, out, err) and the arguments after its --root and --log,
 * from exe_fd when it is not -1 (a sealed copy); returns its pid, or -1. */
static pid_t
spawn_runtime (const options *o, const char *log, int exe_fd, int in, int out, int err, char *const args[])
{
  char *argv[32];
  int n = 0;
  argv[n++] = (char *) o->runtime;
  argv[n++] = "--root";
  argv[n++] = (char *) o->runtime_root;
  argv[n++] = "--log";
  argv[n++] = (char *) log;
  argv[n++] = "--log-format";
  argv[n++] = "json";
  for (int i = 0; args[i] && n < 31; i++)
    argv[n++] = args[i];
  argv[n] = NULL;
  pid_t pid = fork ();
  if (pid == 0)
    {
      reset_signals ();
      dup2 (in, 0);
      dup2 (out, 1);
      dup2 (err, 2);
      if (exe_fd >= 0)
        syscall (SYS_execveat, exe_fd, "", argv, environ, AT_EMPTY_PATH);
      execv (o->runtime, argv);
      _exit (127);
    }
  return pid;
}

/* The exit status of a runtime spawn_runtime started. */
static int
wait_runtime (pid_t pid)
{
  if (pid < 0)
    return -1;
  int status;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

static int
run_runtime (const options *o, const char *log, int in, int out, int err, char *const args[])
{
  return wait_runtime (spawn_runtime (o, log, -1, in, out, err, args));
}

/* Once, when the container will not run again. Each mount is detached from the tree at
 * once, but its last reference is kept (release_engine_mounts lets it go at the very end): an
 * overlay's last reference going syncs its upper layer's whole file system, every writer's
 * dirty pages on it, which on a busy disk takes milliseconds that a wait and a remove need not
 * wait for. A start must, before it mounts another overlay on the same upper layer: the mount
 * point beneath is locked (flock) until then, and the engine's start waits for that lock. */
static void
unmount_engine_mounts (options *o)
{
  for (int i = 0; i < o->unmount_count; i++)
    {
      int held = open (o->unmount[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (umount2 (o->unmount[i], MNT_DETACH) == 0 && held >= 0
          && held_mount_count + 2 <= (int) (sizeof held_mounts / sizeof held_mounts[0]))
        {
          int beneath = open (o->unmount[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
          if (beneath >= 0 && flock (beneath, LOCK_EX) == 0)
            {
              held_mounts[held_mount_count++] = held;
              held_mounts[held_mount_count++] = beneath;
              continue;
            }
          if (beneath >= 0)
            close (beneath);
        }
      /* not held (or not a mount): let go now, as before */
      if (held >= 0)
        close (held);
    }
  o->unmount_count = 0;
}

/* Last, once nothing waits on this monitor: the container's lock let go (the engine goes on
 * with a remove at once), then the detached mounts' last references, and their sync, each
 * before the lock on its mount point. */
static void
release_engine_mounts (void)
{
  if (monitor_lock_fd >= 0)
    close (monitor_lock_fd);
  monitor_lock_fd = -1;
  for (int i = 0; i < held_mount_count; i++)
    close (held_mounts[i]);
  held_mount_count = 0;
}

/* The runtime's delete of the ended container, and with unmount, the engine's mounts
 * unmounted. The core's own runtime's delete runs here: a spawn of the runtime costs more
 * than the delete does. Another runtime's runs beside the unmount (an RCU grace period, the upper layer's
 * sync): both mostly wait on the kernel. */
static int
delete_container (options *o, const char *log, int null_fd, char *const delete[], bool unmount)
{
  if (!o->core_runtime)
    {
      pid_t deleting = spawn_runtime (o, log, -1, null_fd, null_fd, null_fd, delete);
      if (unmount)
        unmount_engine_mounts (o);
      return wait_runtime (deleting);
    }
  if (unmount)
    unmount_engine_mounts (o);
  error err = { 0 };
  if (container_delete (o->runtime_root, o->id, true, &err) == 0)
    return 0;
  error_set_log (log, 1);
  error_report ("container-runtime", &err);
  return -1;
}

static bool
is_elf (const char *path)
{
  char magic[4];
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC);
  return fd >= 0 && read (fd, magic, sizeof magic) == sizeof magic && memcmp (magic, "\177ELF", 4) == 0;
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

/* Whether the kernel's OOM killer has killed in the container's cgroup; none seen when the
 * count cannot be read. */
static bool
was_oom_killed (const options *o)
{
  if (o->cgroup_path == NULL)
    return false;
  _cleanup_cgroup_ cgroup cg = { 0 };
  uint64_t kills = 0;
  error ignored = { 0 };
  return cgroup_open (&cg, o->cgroup_path, o->id, &ignored) == 0 && cg.driver->oom_kills (&cg, &kills, &ignored) == 0 && kills > 0;
}

/* Whether the child init has exited, left unreaped (watch reaps it). */
static bool
has_exited (pid_t init)
{
  siginfo_t info = { 0 };
  return waitid (P_PID, (id_t) init, &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == init;
}

/* run.json: written before the answer, so a started container is recorded even if the
 * engine dies before it reads the answer. */
static void
write_run_record (const options *o, pid_t init, int restarts)
{
  char started_at[64];
  format_now_rfc3339 (started_at, sizeof started_at);
  run_record run = {
    .boot_id = o->boot_id,
    .pid = init,
    .pid_start_time = process_start_time (init),
    .monitor_pid = getpid (),
    .monitor_start_time = process_start_time (getpid ()),
    .started_at = started_at,
    .restart_count = restarts,
  };
  error ignored = { 0 };
  record_run (o->state_dir, &run, &ignored);
}

static void
write_exit_record (const options *o, int status, bool oom, bool restarting, const char *finished_at)
{
  exit_record exit = exit_record_of (status, oom, restarting, finished_at);
  error ignored = { 0 };
  record_exit (o->state_dir, &exit, &ignored);
}

typedef struct running
{
  pid_t init;
  int out_fd, err_fd; /* stdout and stderr, or the pty master and -1 */
  int stdin_fd;       /* the write end the monitor holds for -Interactive, or -1 */
  int attach_fd;      /* the attached engine, sent the screen of a tty, or -1 */
} running;

static int
listen_console_socket (const char *path)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path)
    return -1;
  strcpy (addr.sun_path, path);
  unlink (path);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0 || listen (fd, 1) < 0)
    {
      if (fd >= 0)
        close (fd);
      return -1;
    }
  return fd;
}

/* The engine's attach: it is sent the container's input (the pty master, or the stdin pipe's
 * write end, whose copy here closes: the engine's close is the container's EOF), and with a
 * tty the connection stays, for the screen. */
static int
attach_engine (const options *o, running *r, int *stdin_write, char **message)
{
  error err = { 0 };
  int fd = terminal_connect_socket (o->attach_socket, &err);
  if (fd < 0 || terminal_send_fd (fd, o->tty ? r->out_fd : *stdin_write, &err) < 0)
    {
      if (fd >= 0)
        close (fd);
      *message = xasprintf ("cannot attach: %s", err.message);
      return -1;
    }
  if (o->tty)
    r->attach_fd = fd;
  else
    {
      close (fd);
      close (*stdin_write);
      *stdin_write = -1;
    }
  return 0;
}

/* The container made and started (run, or create and start with the attach or the terminal between them); on failure,
 * message says why and nothing is left with the runtime. */
static int
start_container (const options *o, running *r, bool attach, char **message)
{
  _cleanup_free_ char *pid_file = xasprintf ("%s/container.pid", o->state_dir);
  _cleanup_free_ char *log = xasprintf ("%s/runtime.log", o->state_dir);
  const char *console = o->console_socket;
  unlink (pid_file);
  unlink (log);
  *r = (running){ .out_fd = -1, .err_fd = -1, .stdin_fd = -1, .attach_fd = -1 };
  int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, in_pipe[2] = { -1, -1 };
  _cleanup_close_ int console_fd = -1;
  int in = null_fd, out = null_fd, err = null_fd;
  if (o->tty)
    {
      if ((console_fd = listen_console_socket (console)) < 0)
        {
          *message = xstrdup ("cannot listen on the console socket");
          return -1;
        }
    }
  else
    {
      if (pipe2 (out_pipe, O_CLOEXEC) < 0 || pipe2 (err_pipe, O_CLOEXEC) < 0)
        {
          *message = xstrdup ("cannot create the container's pipes");
          return -1;
        }
      out = out_pipe[1];
      err = err_pipe[1];
      /* Without -Interactive, an input that is at its end at once: a pipe whose writer is
       * closed, not /dev/null, which crun in a user namespace would chown to the container's
       * root (it gives a container's stdio to its user, and takes /dev/null for one). */
      if (pipe2 (in_pipe, O_CLOEXEC) == 0)
        {
          in = in_pipe[0];
          if (!o->interactive)
            {
              close (in_pipe[1]);
              in_pipe[1] = -1;
            }
        }
    }
  /* Attached, the engine must hold the container's input and screen before its program runs,
   * and a terminal's first output must find the monitor holding its master: create, attach or
   * take the terminal, start. Otherwise one runtime process does both (`run --detach`). */
  bool in_two_steps = attach || o->tty;
  char *launch[12];
  int n = 0;
  launch[n++] = in_two_steps ? "create" : "run";
  if (!in_two_steps)
    launch[n++] = "--detach";
  launch[n++] = "--bundle";
  launch[n++] = (char *) o->bundle;
  launch[n++] = "--pid-file";
  launch[n++] = pid_file;
  if (o->tty)
    {
      launch[n++] = "--console-socket";
      launch[n++] = (char *) console;
    }
  launch[n++] = (char *) o->id;
  launch[n] = NULL;
  /* The runtime that makes the container leaves a process of its own in it: ours, crun and
   * runc each run from a sealed copy of themselves then (CVE-2019-5736), and take one they are
   * started from as that copy. Made here, it spares the runtime's copy and re-exec. A script
   * (a test's wrapper) cannot run from a memfd: it runs by its path. */
  error no_copy = { 0 };
  _cleanup_close_ int sealed = is_elf (o->runtime) ? cloned_binary_copy (o->runtime, &no_copy) : -1;
  int status = wait_runtime (spawn_runtime (o, log, sealed, in, out, err, launch));
  if (out_pipe[1] >= 0)
    close (out_pipe[1]);
  if (err_pipe[1] >= 0)
    close (err_pipe[1]);
  if (in_pipe[0] >= 0)
    close (in_pipe[0]);
  char *delete[] = { "delete", "--force", (char *) o->id, NULL };
  _cleanup_free_ char *pid_text = NULL;
  error ignored = { 0 };
  int64_t init = 0;
  if (status != 0)
    *message = runtime_error (log, status);
  else if (read_file (pid_file, &pid_text, NULL, &ignored) < 0 || parse_int64 (pid_text, &init) < 0 || init <= 0)
    *message = xstrdup ("the runtime wrote no pid file");
  else if (o->tty && (r->out_fd = terminal_receive_fd (accept4 (console_fd, NULL, NULL, SOCK_CLOEXEC), &ignored)) < 0)
    *message = xstrdup ("the runtime sent no terminal");
  else if (in_two_steps && (!attach || attach_engine (o, r, &in_pipe[1], message) == 0))
    {
      char *start[] = { "start", (char *) o->id, NULL };
      if ((status = run_runtime (o, log, null_fd, null_fd, null_fd, start)) != 0)
        *message = runtime_error (log, status);
    }
  if (console)
    unlink (console);
  if (*message)
    {
      run_runtime (o, log, null_fd, null_fd, null_fd, delete);
      if (out_pipe[0] >= 0)
        close (out_pipe[0]);
      if (err_pipe[0] >= 0)
        close (err_pipe[0]);
      if (in_pipe[1] >= 0)
        close (in_pipe[1]);
      if (o->tty && r->out_fd >= 0)
        close (r->out_fd);
      if (r->attach_fd >= 0)
        close (r->attach_fd);
      return -1;
    }
  r->init = (pid_t) init;
  if (!o->tty)
    {
      r->out_fd = out_pipe[0];
      r->err_fd = err_pipe[0];
    }
  r->stdin_fd = in_pipe[1];
  return 0;
}

/* Copies the container's output into the log until init exits and the pipes drain, running
 * the healthcheck meanwhile. Returns init's wait status. */
static int
watch (const options *o, running *r, log_writer *w, health *h, char *finished_at, size_t finished_at_len)
{
  log_stream streams[2] = { { .name = "stdout" }, { .name = "stderr" } };
  int fds[2] = { r->out_fd, r->err_fd };
  int status = 0;
  bool exited = false;
  long long exited_at = 0;
  for (;;)
    {
      long long now = monotonic_ms ();
      int timeout = health_wait_ms (h, now);
      if (exited)
        {
          /* after init, a little while for the pipes to drain: a process that escaped the pid
           * namespace may hold them open for ever */
          if ((fds[0] < 0 && fds[1] < 0) || now - exited_at >= 2000)
            break;
          timeout = (int) (2000 - (now - exited_at));
        }
      struct pollfd p[4] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 }, { signal_fd, POLLIN, 0 }, { health_output_fd (h), POLLIN, 0 } };
      if (poll (p, 4, timeout) < 0 && errno != EINTR)
        break;
      for (int i = 0; i < 2; i++)
        if (fds[i] >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)))
          {
            char buf[8192];
            ssize_t n = read (fds[i], buf, sizeof buf);
            if (n > 0)
              {
                log_feed (w, &streams[i], buf, (size_t) n);
                /* the attached engine gone (EPIPE): the log goes on alone */
                if (r->attach_fd >= 0 && write_all (r->attach_fd, buf, (size_t) n) < 0)
                  {
                    close (r->attach_fd);
                    r->attach_fd = -1;
                  }
              }
            else if (n == 0 || (errno != EINTR && errno != EAGAIN))
              {
                /* a pty master reads EIO once the last slave closes: its end, and the attached screen's */
                close (fds[i]);
                fds[i] = -1;
                if (r->attach_fd >= 0)
                  {
                    close (r->attach_fd);
                    r->attach_fd = -1;
                  }
              }
          }
      if (p[3].fd >= 0 && (p[3].revents & (POLLIN | POLLHUP)))
        health_read_output (h);
      if (p[2].revents & POLLIN)
        {
          struct signalfd_siginfo info;
          while (read (signal_fd, &info, sizeof info) == sizeof info)
            if (info.ssi_signo == SIGTERM)
              stop_requested = true;
          /* a subreaper: reap everything; remember init's status, hand the probe its own */
          pid_t pid;
          int s;
          while ((pid = waitpid (-1, &s, WNOHANG)) > 0)
            {
              if (pid == r->init && !exited)
                {
                  status = s;
                  exited = true;
                  exited_at = monotonic_ms ();
                  format_now_rfc3339 (finished_at, finished_at_len);
                  health_container_stopped (h);
                }
              else
                health_reaped (h, pid, s, monotonic_ms ());
            }
        }
      if (!exited)
        health_tick (h, monotonic_ms ());
    }
  for (int i = 0; i < 2; i++)
    {
      log_flush (w, &streams[i]);
      if (fds[i] >= 0)
        close (fds[i]);
    }
  if (r->stdin_fd >= 0)
    close (r->stdin_fd);
  if (r->attach_fd >= 0)
    close (r->attach_fd);
  return status;
}

static bool
should_restart (const options *o, int status, int restarts)
{
  _cleanup_free_ char *stop_file = xasprintf ("%s/stop-requested", o->state_dir);
  if (stop_requested || file_exists (stop_file))
    return false;
  bool failed = !WIFEXITED (status) || WEXITSTATUS (status) != 0;
  switch (o->restart)
    {
    case RESTART_ALWAYS:
    case RESTART_UNLESS_STOPPED:
      return true;
    case RESTART_ON_FAILURE:
      return failed && (o->max_retries == 0 || restarts < o->max_retries);
    default:
      return false;
    }
}

/* Sleeps ms, or less if a stop is asked for meanwhile. Returns false when stopped. */
static bool
back_off (const options *o, long ms)
{
  _cleanup_free_ char *stop_file = xasprintf ("%s/stop-requested", o->state_dir);
  long long until = monotonic_ms () + ms;
  while (monotonic_ms () < until)
    {
      if (stop_requested || file_exists (stop_file))
        return false;
      struct pollfd p = { signal_fd, POLLIN, 0 };
      long long left = until - monotonic_ms ();
      if (poll (&p, 1, left > 50 ? 50 : (int) (left > 0 ? left : 0)) > 0)
        {
          struct signalfd_siginfo info;
          while (read (signal_fd, &info, sizeof info) == sizeof info)
            if (info.ssi_signo == SIGTERM)
              stop_requested = true;
          while (waitpid (-1, NULL, WNOHANG) > 0)
            ;
        }
    }
  return !(stop_requested || file_exists (stop_file));
}

/* Removes the container as the engine would, holding its lock: out of sight first (into
 * the staging path the engine gave, so a crash half-way is cleaned by a later command),
 * then its name if still ours, then the rest. Every path is the engine's (its StorePaths). */
static void
auto_remove (const options *o)
{
  if (o->remove_dir == NULL)
    return;
  _cleanup_close_ int lock = open (o->remove_lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock >= 0)
    flock (lock, LOCK_EX);
  if (rename (o->remove_dir, o->remove_staging) < 0)
    return; /* removed by the engine meanwhile */
  _cleanup_free_ char *holder = NULL;
  error ignored = { 0 };
  if (read_file (o->release_name, &holder, NULL, &ignored) == 0 && strncmp (holder, o->id, strlen (o->id)) == 0)
    unlink (o->release_name);
  unlink (o->remove_lock);
  remove_tree (o->remove_staging, &ignored);
}

/* monitor.lock, held for our whole life: the engine sees by it that this container is
 * ours even before run.json says so (our starter may have died before our answer), and
 * no second monitor can take the container. The engine only ever tests it for an instant. */
static int
own_container (const options *o)
{
  _cleanup_free_ char *path = xasprintf ("%s/monitor.lock", o->state_dir);
  int fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  for (int attempt = 0; attempt < 100; attempt++)
    {
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          monitor_lock_fd = fd; /* open, and the lock with it, until release_engine_mounts or our exit */
          return 0;
        }
      struct timespec ts = { 0, 10 * 1000 * 1000 };
      nanosleep (&ts, NULL);
    }
  close (fd);
  return -1;
}

int
main (int argc, char **argv)
{
  /* past stdio, what the engine's process was handed is not ours: a caller's pipe held here
   * would keep its reader waiting for as long as the container runs */
  error ignored = { 0 };
  close_fds_from (3, -1, false, &ignored);
  options o;
  options_parse (argc, argv, &o);

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
  sigset_t mask;
  sigemptyset (&mask);
  sigaddset (&mask, SIGCHLD);
  sigaddset (&mask, SIGTERM);
  sigprocmask (SIG_BLOCK, &mask, NULL);
  signal_fd = signalfd (-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  signal (SIGPIPE, SIG_IGN);
  signal (SIGHUP, SIG_IGN);
  null_fd = open ("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0 || signal_fd < 0)
    {
      answer ("error cannot set the monitor up\n");
      return 1;
    }
  if (own_container (&o) < 0)
    {
      answer ("error another monitor owns this container\n");
      return 1;
    }

  held_ports ports;
  _cleanup_free_ char *refused = NULL;
  if (network_hold_ports (&o, &ports, &refused) < 0)
    {
      answer (refused);
      unmount_engine_mounts (&o);
      release_engine_mounts ();
      return 1;
    }

  log_writer w;
  if (log_open (&w, o.log_path, o.log_max_size, o.tty) < 0)
    w.fd = -1;
  health h;
  health_init (&h, &o);
  _cleanup_free_ char *runtime_log = xasprintf ("%s/runtime.log", o.state_dir);
  char *delete[] = { "delete", "--force", (char *) o.id, NULL };
  int restarts = 0;
  long backoff = 100;
  bool answered = false;
  bool teardown_started = false;
  pid_t teardown = 0;
  int status = 0;
  bool oom = false;
  char finished_at[64] = "";
  for (;;)
    {
      running r;
      _cleanup_free_ char *message = NULL;
      bool restart;
      /* only the first run is attached: the engine waits for that one alone */
      if (start_container (&o, &r, o.attach_socket && !answered, &message) < 0)
        {
          if (!answered)
            {
              _cleanup_free_ char *line = xasprintf ("error %s\n", message);
              answer (line);
              unmount_engine_mounts (&o);
              release_engine_mounts ();
              return 1;
            }
          /* a restart that fails to start is a failed run: 127, as a missing command */
          status = 127 << 8;
          format_now_rfc3339 (finished_at, sizeof finished_at);
          restart = should_restart (&o, status, restarts);
        }
      else
        {
          /* An init that has ended already (a short command) is deleted by this monitor next,
           * so no command of the engine's will need its state: no copy to keep, and none of an
           * earlier run's either. */
          if (has_exited (r.init))
            runtime_state_drop (&o);
          else
            runtime_state_keep (&o);
          write_run_record (&o, r.init, restarts);
          if (!answered)
            {
              _cleanup_free_ char *ok = xasprintf ("ok %d %d\n", r.init, getpid ());
              answer (ok);
              /* the engine reads to EOF: close every copy of our stdio */
              dup2 (null_fd, 0);
              dup2 (null_fd, 1);
              dup2 (null_fd, 2);
              answered = true;
            }
          long long started = monotonic_ms ();
          health_container_started (&h, started);
          status = watch (&o, &r, &w, &h, finished_at, sizeof finished_at);
          oom = was_oom_killed (&o);
          runtime_state_put_back (&o);
          restart = should_restart (&o, status, restarts);
          /* the last run: its network's teardown beside the delete and the unmounts */
          if (!restart && !teardown_started)
            {
              teardown = network_release_start (&o, &ports);
              teardown_started = true;
            }
          if (delete_container (&o, runtime_log, null_fd, delete, !restart) == 0)
            runtime_state_drop (&o);
          if (monotonic_ms () - started >= STABLE_RUN_MS)
            backoff = 100;
        }
      if (!restart)
        break;
      write_exit_record (&o, status, oom, true, finished_at);
      if (!back_off (&o, backoff))
        break;
      restarts++;
      backoff = backoff * 2 > MAX_BACKOFF_MS ? MAX_BACKOFF_MS : backoff * 2;
    }
  log_close (&w);
  if (!teardown_started)
    teardown = network_release_start (&o, &ports);
  unmount_engine_mounts (&o);
  network_release_wait (teardown);
  /* last: once exit.json exists the engine may remove the container */
  write_exit_record (&o, status, oom, false, finished_at);
  auto_remove (&o);
  release_engine_mounts ();
  return 0;
}
