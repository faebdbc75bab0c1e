/* exec: a new process in a running container. Joining a pid namespace only
 * affects children, so: the runtime forks a joiner, which enters the container's
 * namespaces and forks the process itself. The runtime is a child subreaper, so
 * that process becomes its child to wait for.
 *
 *   runtime            joiner                      process
 *   fork ------------> (v1: into the cgroup)      (in the pid namespace; born in the
 *                      setns x N, clone --------> cgroup, whose namespace it joins)
 *        <------------ PID(pid), exit
 *   cgroup (v2 without clone3: move it in), oom
 *   GO -------------------------------------------> terminal, rlimits, finalize, exec
 *        <------------------------------------------ EOF (exec done) or ERROR
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "clone.h"
#include "container.h"
#include "process.h"
#include "signals.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Namespaces in the order they must be joined: user first (it grants the rest), mount last
 * (it hides the host's /proc). */
static const enum namespace_kind join_order[] = { NS_USER, NS_IPC, NS_UTS, NS_NETWORK, NS_PID, NS_CGROUP, NS_TIME, NS_MOUNT };
static const char *const proc_names[NS_COUNT] = {
  [NS_PID] = "pid", [NS_NETWORK] = "net", [NS_MOUNT] = "mnt", [NS_IPC] = "ipc",
  [NS_UTS] = "uts", [NS_USER] = "user",  [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

/* What the joiner says with the pid when the process was born in the container's cgroup. */
#define IN_CGROUP "in-cgroup"

static bool
same_namespace (pid_t pid, enum namespace_kind kind)
{
  char mine[64], theirs[64];
  struct stat a, b;
  snprintf (mine, sizeof mine, "/proc/self/ns/%s", proc_names[kind]);
  snprintf (theirs, sizeof theirs, "/proc/%d/ns/%s", pid, proc_names[kind]);
  if (stat (mine, &a) < 0 || stat (theirs, &b) < 0)
    return true; /* the kernel has no such namespace type */
  return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

static void
exec_process (int sync_fd, const exec_options *o, const seccomp_program *seccomp, bool joined_user, int cgroupns_fd, int console_fd)
{
  error err = { 0 };
  _cleanup_free_ char *exe = NULL;
  signals_release ();
  if (sync_expect (sync_fd, SYNC_GO, NULL, NULL, &err) < 0)
    sync_fail_and_exit (sync_fd, &err);
  if (cgroupns_fd >= 0 && setns (cgroupns_fd, CLONE_NEWCGROUP) < 0)
    {
      fail_errno (&err, "join the cgroup namespace");
      sync_fail_and_exit (sync_fd, &err);
    }
  if (joined_user && (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0))
    {
      fail_errno (&err, "become root in the user namespace");
      sync_fail_and_exit (sync_fd, &err);
    }
  if (o->process->terminal && terminal_setup (console_fd, o->process->console_height, o->process->console_width, 0, &err) < 0)
    sync_fail_and_exit (sync_fd, &err);
  if (console_fd >= 0)
    close (console_fd);
  if (process_apply_limits (o->process, &err) < 0 || chdir (o->process->cwd) < 0)
    {
      if (err.message[0] == '\0')
        fail_errno (&err, "chdir to cwd `%s`", o->process->cwd);
      sync_fail_and_exit (sync_fd, &err);
    }
  if (process_find_executable (o->process, &exe, &err) < 0 || process_close_fds_from (3 + o->preserve_fds, &err) < 0
      || process_finalize (o->process, seccomp, &err) < 0)
    sync_fail_and_exit (sync_fd, &err);
  process_exec (o->process, exe, &err);
  sync_fail_and_exit (sync_fd, &err);
}

static void
joiner (int sync_fd, const exec_options *o, const seccomp_program *seccomp, pid_t target, cgroup *cg, int cgroup_fd, int console_fd)
{
  error err = { 0 };
  int fds[NS_COUNT];
  bool joined_user = false;
  /* v1: in the container's cgroup before any namespace (the host's cgroupfs is out of reach
   * after the mount namespace), so that the process is born there. The joiner never goes back:
   * it exits once the process is made. */
  cgroup_origin origin = { 0 };
  if (cg->driver->enter_self && cg->driver->enter_self (cg, false, &origin, &err) < 0)
    sync_fail_and_exit (sync_fd, &err);
  for (int k = 0; k < NS_COUNT; k++)
    fds[k] = -1;
  /* open every namespace and the init's root first: after the mount namespace, the host's /proc is out of reach */
  char root_path[64];
  snprintf (root_path, sizeof root_path, "/proc/%d/root", target);
  int root_fd = open (root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    {
      fail_errno (&err, "open `%s`", root_path);
      sync_fail_and_exit (sync_fd, &err);
    }
  for (size_t i = 0; i < sizeof join_order / sizeof join_order[0]; i++)
    {
      enum namespace_kind k = join_order[i];
      if (same_namespace (target, k))
        continue;
      char path[64];
      snprintf (path, sizeof path, "/proc/%d/ns/%s", target, proc_names[k]);
      if ((fds[k] = open (path, O_RDONLY | O_CLOEXEC)) < 0)
        {
          fail_errno (&err, "open `%s`", path);
          sync_fail_and_exit (sync_fd, &err);
        }
    }
  for (size_t i = 0; i < sizeof join_order / sizeof join_order[0]; i++)
    {
      enum namespace_kind k = join_order[i];
      /* the kernel clones into a cgroup only from outside its cgroup namespace: the process joins that itself */
      if (fds[k] < 0 || (k == NS_CGROUP && cgroup_fd >= 0))
        continue;
      if (setns (fds[k], namespace_clone_flag (k)) < 0)
        {
          fail_errno (&err, "join the %s namespace of pid %d", namespace_name (k), target);
          sync_fail_and_exit (sync_fd, &err);
        }
      close (fds[k]);
      joined_user |= k == NS_USER;
    }
  /* the init's root: its mount namespace's own after pivot_root, a chroot in a shared one */
  if (fchdir (root_fd) < 0 || chroot (".") < 0)
    {
      fail_errno (&err, "enter the root of pid %d", target);
      sync_fail_and_exit (sync_fd, &err);
    }
  close (root_fd);
  bool in_cgroup;
  pid_t pid = clone_process (0, cgroup_fd, &in_cgroup);
  if (pid < 0)
    {
      fail_errno (&err, "fork");
      sync_fail_and_exit (sync_fd, &err);
    }
  if (pid == 0)
    exec_process (sync_fd, o, seccomp, joined_user, cgroup_fd >= 0 ? fds[NS_CGROUP] : -1, console_fd);
  sync_send (sync_fd, SYNC_PID, pid, in_cgroup || origin.count > 0 ? IN_CGROUP : NULL);
  _exit (0);
}

int
container_exec (const exec_options *o, int *exit_status, error *err)
{
  _cleanup_state_ container_state st = { 0 };
  if (state_read (o->root, o->id, &st, err) < 0)
    return -1;
  const char *status = state_status (o->root, &st);
  if (strcmp (status, "running") != 0)
    return fail (err, 0, "cannot exec in container `%s`: it is %s", o->id, status);
  if (o->process->terminal && o->console_socket == NULL)
    return fail (err, 0, "process.terminal: needs --console-socket");
  if (process_check_capabilities (&o->process->capabilities, err) < 0)
    return -1;
  if (!o->detach)
    signals_hold_forwarded ();
  _cleanup_free_ char *dir = state_dir (o->root, o->id);
  _cleanup_spec_ spec *s = spec_load (dir, err);
  if (s == NULL)
    return -1;
  _cleanup_cgroup_ cgroup cg = { 0 };
  if (cgroup_open (&cg, st.cgroup_path, o->id, err) < 0)
    return -1;
  _cleanup_close_ int cgroup_fd = -1;
  if (cg.driver->open_for_clone && (cgroup_fd = cg.driver->open_for_clone (&cg, false, err)) < 0)
    return -1;
  _cleanup_free_ char *cache = seccomp_cache_dir (o->root);
  _cleanup_seccomp_program_ seccomp_program seccomp = { 0 };
  if (seccomp_program_get (&s->seccomp, cache, &seccomp, err) < 0)
    return -1;
  _cleanup_close_ int console_fd = -1;
  _cleanup_free_ char *text = NULL;
  if (o->process->terminal && (console_fd = terminal_connect_socket (o->console_socket, err)) < 0)
    return -1;
  int fds[2];
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return fail_errno (err, "socketpair");
  _cleanup_close_ int parent_fd = fds[0];
  if (prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
    {
      close (fds[1]);
      return fail_errno (err, "become a child subreaper");
    }
  pid_t joiner_pid = fork ();
  if (joiner_pid < 0)
    {
      close (fds[1]);
      return fail_errno (err, "fork");
    }
  if (joiner_pid == 0)
    {
      close (fds[0]);
      joiner (fds[1], o, &seccomp, st.pid, &cg, cgroup_fd, console_fd);
    }
  close (fds[1]);
  int pid = 0;
  _cleanup_free_ char *placed = NULL;
  int ret = sync_expect (parent_fd, SYNC_PID, &pid, &placed, err);
  waitpid (joiner_pid, NULL, 0);
  if (ret < 0)
    return -1;
  if (!(placed && strcmp (placed, IN_CGROUP) == 0) && cg.driver->enter (&cg, pid, err) < 0)
    goto kill_process;
  if (o->process->has_oom_score_adj)
    {
      char path[64], value[16];
      snprintf (path, sizeof path, "/proc/%d/oom_score_adj", pid);
      snprintf (value, sizeof value, "%d", o->process->oom_score_adj);
      if (write_file (path, value, strlen (value), err) < 0)
        goto kill_process;
    }
  if (sync_send (parent_fd, SYNC_GO, pid, NULL) < 0)
    {
      fail_errno (err, "signal the exec process");
      goto kill_process;
    }
  /* the socket closes on a successful exec (close-on-exec); a message means it failed */
  enum sync_type type;
  int value;
  error eof = { 0 };
  if (sync_receive (parent_fd, &type, &value, &text, &eof) == 0 && type == SYNC_ERROR)
    {
      fail (err, value, "%s", text);
      /* as a shell reports a program it cannot run, so callers can tell it from the runtime failing */
      *exit_status = value == ENOENT ? 127 : 126;
      waitpid (pid, NULL, 0);
      return -1;
    }
  if (o->pid_file)
    {
      char buf[32];
      snprintf (buf, sizeof buf, "%d", pid);
      if (write_file_atomic (o->pid_file, buf, strlen (buf), false, err) < 0)
        return -1;
    }
  *exit_status = 0;
  if (o->detach)
    return 0;
  return signals_wait_forwarding (pid, exit_status, err);

kill_process:
  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  return -1;
}
