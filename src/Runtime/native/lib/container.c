#define _GNU_SOURCE
#include "container.h"
#include "cgroup.h"
#include "hooks.h"
#include "rootfs.h"
#include "signals.h"
#include "state.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static spec *
load_saved_spec (const char *root, const char *id, error *err)
{
  _cleanup_free_ char *dir = state_dir (root, id);
  return spec_load (dir, err);
}

/* The init holds the fifo's read end, close-on-exec, until it execs the user's program (or
 * dies): no reader left is the writer's POLLERR. Before that exec a signal sent to the init
 * could be lost (one without a handler, to a pid namespace's init), so start returns after. */
static int
wait_for_exec (int fifo_fd, error *err)
{
  for (;;)
    {
      struct pollfd pfd = { fifo_fd, 0, 0 };
      if (poll (&pfd, 1, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          return fail_errno (err, "wait for the container's process to exec");
        }
      if (pfd.revents & (POLLERR | POLLHUP))
        return 0;
    }
}

int
container_start (const char *root, const char *id, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (root, id, &st, err) < 0)
    return -1;
  _cleanup_close_ int lock = state_lock (root, id, err);
  if (lock < 0)
    return -1;
  const char *status = state_status (root, &st);
  if (strcmp (status, "created") != 0)
    return fail (err, 0, "cannot start container `%s`: it is %s, not created", id, status);
  _cleanup_free_ char *dir = state_dir (root, id);
  _cleanup_free_ char *fifo = xasprintf ("%s/exec.fifo", dir);
  _cleanup_close_ int fd = open (fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return fail (err, errno == ENXIO ? ESRCH : errno, "cannot start container `%s`: its init process is gone", id);
  if (write (fd, "0", 1) != 1)
    return fail_errno (err, "write to `%s`", fifo);
  unlink (fifo);
  if (wait_for_exec (fd, err) < 0)
    return -1;
  error ignored = { 0 };
  _cleanup_spec_ spec *s = load_saved_spec (root, id, &ignored);
  if (s)
    {
      _cleanup_free_ char *json = state_to_json (&st, "running");
      hooks_run_warning (&s->hooks.poststart, "poststart", json);
    }
  return 0;
}

int
container_kill (const char *root, const char *id, int signal, bool all, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (root, id, &st, err) < 0)
    return -1;
  if (strcmp (state_status (root, &st), "stopped") == 0)
    return fail (err, ESRCH, "container `%s` is not running", id);
  if (all)
    {
      _cleanup_cgroup_ cgroup cg = { 0 };
      if (cgroup_open (&cg, st.cgroup_path, id, err) < 0)
        return -1;
      return cgroup_kill_all (&cg, signal, err);
    }
  if (kill (st.pid, signal) < 0)
    return fail_errno (err, "kill container `%s` (pid %d)", id, st.pid);
  return 0;
}

static void
wait_until_gone (pid_t pid, unsigned long long start_time)
{
  for (int i = 0; i < 10000 && process_alive (pid, start_time); i++)
    {
      /* our own child when called from run: reap it */
      waitpid (pid, NULL, WNOHANG);
      struct timespec ts = { 0, 1000000 };
      nanosleep (&ts, NULL);
    }
}

int
container_delete (const char *root, const char *id, bool force, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (root, id, &st, err) < 0)
    return -1;
  _cleanup_close_ int lock = state_lock (root, id, err);
  if (lock < 0)
    return -1;
  const char *status = state_status (root, &st);
  bool stopped = strcmp (status, "stopped") == 0;
  if (!stopped && !force)
    return fail (err, EBUSY, "cannot delete container `%s`: it is %s (use --force)", id, status);
  _cleanup_cgroup_ cgroup cg = { 0 };
  if (cgroup_open (&cg, st.cgroup_path, id, err) < 0)
    return -1;
  error ignored = { 0 };
  if (!stopped)
    kill (st.pid, SIGKILL);
  /* also when the init is gone: processes it left (without a pid namespace) may remain */
  cgroup_kill_all (&cg, SIGKILL, &ignored);
  if (!stopped)
    wait_until_gone (st.pid, st.start_time);
  _cleanup_spec_ spec *s = load_saved_spec (root, id, &ignored);
  if (s)
    {
      _cleanup_free_ char *json = state_to_json (&st, "stopped");
      hooks_run_warning (&s->hooks.poststop, "poststop", json);
    }
  if (st.rootfs_mount_id && rootfs_release (st.rootfs, st.rootfs_mount_id, s ? s->namespaces[NS_MOUNT].path : NULL, err) < 0)
    return -1;
  if (cg.driver->destroy (&cg, err) < 0)
    return -1;
  _cleanup_free_ char *dir = state_dir (root, id);
  return remove_tree (dir, err);
}

int
container_pause (const char *root, const char *id, bool pause, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (root, id, &st, err) < 0)
    return -1;
  const char *status = state_status (root, &st);
  if (strcmp (status, pause ? "running" : "paused") != 0)
    return fail (err, 0, "cannot %s container `%s`: it is %s", pause ? "pause" : "resume", id, status);
  _cleanup_cgroup_ cgroup cg = { 0 };
  if (cgroup_open (&cg, st.cgroup_path, id, err) < 0)
    return -1;
  return cg.driver->freeze (&cg, pause, err);
}

int
container_update (const char *root, const char *id, const spec_resources *resources, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (root, id, &st, err) < 0)
    return -1;
  if (strcmp (state_status (root, &st), "stopped") == 0)
    return fail (err, 0, "cannot update container `%s`: it is stopped", id);
  _cleanup_cgroup_ cgroup cg = { 0 };
  if (cgroup_open (&cg, st.cgroup_path, id, err) < 0)
    return -1;
  return cgroup_apply_with_default_devices (&cg, resources, err);
}

int
container_pids (const char *root, const char *id, pid_t **pids, size_t *count, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (root, id, &st, err) < 0)
    return -1;
  _cleanup_cgroup_ cgroup cg = { 0 };
  if (cgroup_open (&cg, st.cgroup_path, id, err) < 0)
    return -1;
  return cg.driver->pids (&cg, pids, count, err);
}

int
container_state_json (const char *root, const char *id, char **json, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (root, id, &st, err) < 0)
    return -1;
  *json = state_to_json (&st, state_status (root, &st));
  return 0;
}

int
container_run (const create_options *opts, bool detach, int *exit_status, error *err)
{
  pid_t pid;
  if (!detach)
    signals_hold_forwarded ();
  if (container_create (opts, &pid, err) < 0)
    return -1;
  if (container_start (opts->root, opts->id, err) < 0)
    {
      error ignored = { 0 };
      container_delete (opts->root, opts->id, true, &ignored);
      return -1;
    }
  *exit_status = 0;
  if (detach)
    return 0;
  int ret = signals_wait_forwarding (pid, exit_status, err);
  error delete_err = { 0 };
  if (container_delete (opts->root, opts->id, true, &delete_err) < 0)
    warn ("%s", delete_err.message);
  return ret;
}
