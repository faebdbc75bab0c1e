/* create: the runtime (parent) and the container's init (child) prepare the
 * container together, over a socketpair:
 *
 *   parent                                   child (new namespaces)
 *   clone into the cgroup -----------------> wait GO
 *     (v2: clone3; v1: from inside it, the runtime's thread moved in and back out)
 *   cgroup (v2 without clone3: move the child in), uid/gid maps, oom_score_adj
 *   GO(pid) -------------------------------> become root in the user ns, join/unshare
 *                                            namespaces, hostname, mounts, /dev
 *           <------------------------------- ROOTFS_READY
 *   prestart + createRuntime hooks
 *   GO(state) -----------------------------> createContainer hooks, pivot_root, sysctl,
 *                                            terminal, masked paths, rlimits, find exe
 *           <------------------------------- READY
 *   cgroup limits, state.json, pid file;     wait on exec.fifo for start, then
 *   exit
 *                                            startContainer hooks, drop privileges, exec
 *                                            (start returns once exec closes exec.fifo)
 */
#define _GNU_SOURCE
#include "cgroup.h"
#include "clone.h"
#include "create.h"
#include "hooks.h"
#include "in_root.h"
#include "network.h"
#include "process.h"
#include "rootfs.h"
#include "signals.h"
#include "state.h"
#include "sync.h"
#include "terminal.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct init_context
{
  const spec *spec;
  const create_options *opts;
  const char *rootfs;
  cgroup *cgroup;
  const seccomp_program *seccomp; /* compiled by the parent: the child only loads it */
  int sync_fd;
  int fifo_fd;
  int console_fd;
  int cgroup_fd; /* the parent's, for clone3: a host directory the child closes at once */
  bool network_inherited; /* joined by the parent before the clone: see network_for_new_user_namespace */
} init_context;

static int
write_id_map (pid_t pid, const char *file, const spec_id_mapping *maps, size_t count, error *err)
{
  strbuf sb = { 0 };
  for (size_t i = 0; i < count; i++)
    sb_printf (&sb, "%u %u %u\n", maps[i].container_id, maps[i].host_id, maps[i].size);
  _cleanup_free_ char *path = xasprintf ("/proc/%d/%s", pid, file);
  int ret = write_file (path, sb.data, sb.len, err);
  free (sb.data);
  return ret;
}

/* Without one (the host's mount namespace, or one joined by path) the mounts are made in a
 * namespace others use too: see rootfs.h. */
static bool
has_own_mount_namespace (const spec *s)
{
  return s->namespaces[NS_MOUNT].requested && s->namespaces[NS_MOUNT].path == NULL;
}

static int
join_namespace (const char *path, int type, error *err)
{
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open namespace `%s`", path);
  if (setns (fd, type) < 0)
    return fail_errno (err, "join namespace `%s`", path);
  return 0;
}

/* A child cloned into a new user namespace cannot join a network namespace that the host's
 * user namespace owns (setns needs CAP_SYS_ADMIN over its owner): the parent joins it for the
 * child to inherit, as runc joins before it unshares the user namespace. Fills *own with the
 * parent's own namespace, to go back to once the child is cloned; -1 when there is none to join. */
static int
network_for_new_user_namespace (const spec *s, int *own, error *err)
{
  *own = -1;
  if (!s->namespaces[NS_USER].requested || s->namespaces[NS_USER].path || !s->namespaces[NS_NETWORK].path)
    return 0;
  if ((*own = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
    return fail_errno (err, "open the runtime's network namespace");
  return join_namespace (s->namespaces[NS_NETWORK].path, CLONE_NEWNET, err);
}

static int
enter_time_namespace (const spec *s, error *err)
{
  /* a new time namespace applies to children only: set its offsets, then move into it */
  if (unshare (0x00000080 /* CLONE_NEWTIME */) < 0)
    return fail_errno (err, "unshare the time namespace");
  strbuf sb = { 0 };
  if (s->time_monotonic.present)
    sb_printf (&sb, "monotonic %lld %u\n", (long long) s->time_monotonic.secs, s->time_monotonic.nanosecs);
  if (s->time_boottime.present)
    sb_printf (&sb, "boottime %lld %u\n", (long long) s->time_boottime.secs, s->time_boottime.nanosecs);
  if (sb.len)
    {
      /* one line per write: the kernel parses one clock a write */
      for (char *save = NULL, *line = strtok_r (sb.data, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
        if (write_file ("/proc/self/timens_offsets", line, strlen (line), err) < 0)
          {
            free (sb.data);
            return -1;
          }
    }
  free (sb.data);
  return join_namespace ("/proc/self/ns/time_for_children", 0x00000080, err);
}

static int
apply_sysctl (const spec *s, error *err)
{
  for (size_t i = 0; i < s->sysctl_count; i++)
    {
      _cleanup_free_ char *path = xasprintf ("/proc/sys/%s", s->sysctl[i].key);
      for (char *p = path + strlen ("/proc/sys/"); *p; p++)
        if (*p == '.')
          *p = '/';
      if (write_file (path, s->sysctl[i].value, strlen (s->sysctl[i].value), err) < 0)
        return error_wrap (err, "linux.sysctl.%s", s->sysctl[i].key);
    }
  return 0;
}

/* Waits until `start` writes to exec.fifo. */
static int
wait_for_start (int fifo_fd, error *err)
{
  for (;;)
    {
      struct pollfd pfd = { fifo_fd, POLLIN, 0 };
      int r = poll (&pfd, 1, -1);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return fail_errno (err, "wait for start");
      char byte;
      ssize_t n = read (fifo_fd, &byte, 1);
      if (n == 1)
        return 0;
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      return fail (err, EPIPE, "exec.fifo closed before start");
    }
}

/* Runs in the child, in the new namespaces. Returns only on failure before READY. */
static int
init_prepare (init_context *c, char **state_json, char **exe, error *err)
{
  const spec *s = c->spec;
  int host_pid = 0;
  if (sync_expect (c->sync_fd, SYNC_GO, &host_pid, NULL, err) < 0)
    return -1;

  if (s->namespaces[NS_USER].path && join_namespace (s->namespaces[NS_USER].path, CLONE_NEWUSER, err) < 0)
    return -1;
  if (s->namespaces[NS_USER].requested)
    {
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        return fail_errno (err, "become root in the user namespace");
    }
  for (int k = 0; k < NS_COUNT; k++)
    if (k != NS_USER && k != NS_PID && !(k == NS_NETWORK && c->network_inherited) && s->namespaces[k].path
        && join_namespace (s->namespaces[k].path, namespace_clone_flag (k), err) < 0)
      return -1;
  /* after the parent has moved us into our cgroup, so that it becomes the namespace's root */
  if (s->namespaces[NS_CGROUP].requested && !s->namespaces[NS_CGROUP].path && unshare (CLONE_NEWCGROUP) < 0)
    return fail_errno (err, "unshare the cgroup namespace");
  if (s->namespaces[NS_TIME].requested && !s->namespaces[NS_TIME].path && enter_time_namespace (s, err) < 0)
    return -1;
  if (s->namespaces[NS_NETWORK].requested && !s->namespaces[NS_NETWORK].path && network_loopback_up (err) < 0)
    return -1;
  if (s->hostname && s->hostname[0] && sethostname (s->hostname, strlen (s->hostname)) < 0)
    return fail_errno (err, "sethostname `%s`", s->hostname);
  if (s->domainname && s->domainname[0] && setdomainname (s->domainname, strlen (s->domainname)) < 0)
    return fail_errno (err, "setdomainname `%s`", s->domainname);

  int shared_mount_id = 0;
  rootfs_context rc = {
    .spec = s,
    .rootfs = c->rootfs,
    .cgroup = c->cgroup,
    .in_user_namespace = s->namespaces[NS_USER].requested,
    .new_cgroup_namespace = s->namespaces[NS_CGROUP].requested,
    .shared_mount_id = has_own_mount_namespace (s) ? NULL : &shared_mount_id,
  };
  int ret = rootfs_prepare (&rc, err);
  if (ret == 0 && (ret = create_in_root (c->rootfs, s->process.cwd, false, err)) < 0)
    error_wrap (err, "process.cwd");
  if (ret == 0 && (ret = sync_send (c->sync_fd, SYNC_ROOTFS_READY, shared_mount_id, NULL)) < 0)
    fail_errno (err, "report the rootfs ready");
  if (ret < 0)
    {
      /* mounts in a shared namespace outlive us: until the parent learns of them with
       * ROOTFS_READY, they are ours to take away */
      error ignored = { 0 };
      if (shared_mount_id)
        rootfs_release (c->rootfs, shared_mount_id, NULL, &ignored);
      return -1;
    }
  if (sync_expect (c->sync_fd, SYNC_GO, NULL, state_json, err) < 0)
    return -1;
  if (hooks_run (&s->hooks.create_container, "createContainer", *state_json, err) < 0)
    return -1;

  if ((shared_mount_id ? rootfs_chroot (c->rootfs, err) : rootfs_pivot (c->rootfs, c->opts->no_pivot, err)) < 0 || apply_sysctl (s, err) < 0)
    return -1;
  if (s->process.terminal)
    {
      if (terminal_setup (c->console_fd, s->process.console_height, s->process.console_width, 1, err) < 0)
        return -1;
    }
  else if (setsid () < 0)
    return fail_errno (err, "setsid");
  /* a missing cwd is made, as runc and crun make it (docker run -w, a build's WORKDIR): before
     the rootfs may turn read-only, inside it (after the pivot, a link cannot lead out) */
  struct stat cwd_st;
  if (stat (s->process.cwd, &cwd_st) < 0 && errno == ENOENT && mkdir_p (s->process.cwd, 0755, err) < 0)
    return -1;
  if (rootfs_finalize (s, err) < 0 || process_apply_limits (&s->process, err) < 0)
    return -1;
  if (s->personality_domain && personality (strcmp (s->personality_domain, "LINUX32") == 0 ? PER_LINUX32 : PER_LINUX) < 0)
    return fail_errno (err, "personality %s", s->personality_domain);
  /* fail create, not start, when the program is missing: as runc does */
  if (chdir (s->process.cwd) < 0)
    return fail_errno (err, "chdir to cwd `%s`", s->process.cwd);
  if (process_find_executable (&s->process, exe, err) < 0)
    return -1;
  return 0;
}

/* In the init, once the container is made: waits for start, then becomes the user's program.
 * Returns only on failure. */
static void
init_become_program (const init_context *c, const char *state_json, const char *exe, error *err)
{
  /* fifo_fd stays open (close-on-exec) until the exec: start waits for that */
  if (wait_for_start (c->fifo_fd, err) < 0 || hooks_run (&c->spec->hooks.start_container, "startContainer", state_json, err) < 0
      || process_close_fds_from (3 + c->opts->preserve_fds, err) < 0 || process_finalize (&c->spec->process, c->seccomp, err) < 0)
    return;
  process_exec (&c->spec->process, exe, err);
}

static int
init_main (void *arg)
{
  init_context *c = arg;
  error err = { 0 };
  signals_release ();
  if (c->cgroup_fd >= 0)
    close (c->cgroup_fd);
  _cleanup_free_ char *state_json = NULL, *exe = NULL;
  if (init_prepare (c, &state_json, &exe, &err) < 0)
    sync_fail_and_exit (c->sync_fd, &err);
  if (sync_send (c->sync_fd, SYNC_READY, 0, NULL) < 0)
    _exit (1);
  close (c->sync_fd);
  if (c->console_fd >= 0)
    close (c->console_fd);

  /* From here the runtime is gone: errors can only go to the container's stderr. */
  init_become_program (c, state_json, exe, &err);
  error_report ("container-runtime", &err);
  _exit (err.errnum == ENOENT ? 127 : 126);
}

static char *
annotations_json (const spec *s)
{
  strbuf sb = { 0 };
  sb_append (&sb, "{");
  for (size_t i = 0; i < s->annotations_count; i++)
    {
      if (i)
        sb_append (&sb, ",");
      sb_json_string (&sb, s->annotations[i].key);
      sb_append (&sb, ":");
      sb_json_string (&sb, s->annotations[i].value);
    }
  sb_append (&sb, "}");
  return sb_steal (&sb);
}

static int
check_spec_for_create (const spec *s, const create_options *o, error *err)
{
  if (!s->has_process)
    return fail (err, 0, "process: required to create a container");
  if (s->process.terminal && o->console_socket == NULL)
    return fail (err, 0, "process.terminal: needs --console-socket");
  return process_check_capabilities (&s->process.capabilities, err);
}

/* Parent side: everything that must happen with host privileges, in the host's namespaces. */
static int
parent_setup (const spec *s, pid_t pid, bool in_cgroup, int sync_fd, cgroup *cg, container_state *st, error *err)
{
  if (!in_cgroup && cg->driver->create (cg, pid, err) < 0)
    return -1;
  if (s->namespaces[NS_USER].requested && !s->namespaces[NS_USER].path)
    {
      if (write_id_map (pid, "uid_map", s->uid_mappings, s->uid_mappings_count, err) < 0
          || write_id_map (pid, "gid_map", s->gid_mappings, s->gid_mappings_count, err) < 0)
        return -1;
    }
  if (s->process.has_oom_score_adj)
    {
      char path[64], value[16];
      snprintf (path, sizeof path, "/proc/%d/oom_score_adj", pid);
      snprintf (value, sizeof value, "%d", s->process.oom_score_adj);
      if (write_file (path, value, strlen (value), err) < 0)
        return error_wrap (err, "process.oomScoreAdj");
    }
  if (sync_send (sync_fd, SYNC_GO, pid, NULL) < 0)
    return fail_errno (err, "signal the container process");
  if (sync_expect (sync_fd, SYNC_ROOTFS_READY, &st->rootfs_mount_id, NULL, err) < 0)
    return -1;
  /* "created", as crun says and the conformance suite checks: the environment is made */
  _cleanup_free_ char *created = state_to_json (st, "created");
  if (hooks_run (&s->hooks.prestart, "prestart", created, err) < 0
      || hooks_run (&s->hooks.create_runtime, "createRuntime", created, err) < 0)
    return -1;
  if (sync_send (sync_fd, SYNC_GO, pid, created) < 0)
    return fail_errno (err, "signal the container process");
  if (sync_expect (sync_fd, SYNC_READY, NULL, NULL, err) < 0)
    return -1;
  /* limits last, as runc does: the device rules would forbid the mknod of /dev */
  return cgroup_apply_with_default_devices (cg, &s->resources, err);
}

/* What a create that fails takes away, so that it is as if create was never tried: armed
 * once the state directory is made, disarmed (dir NULL) once the container is whole. */
typedef struct create_undo
{
  const char *dir;
  const spec *spec;
  const container_state *state; /* the init once cloned; the rootfs bind of a shared mount namespace */
  cgroup *cgroup;               /* once opened */
} create_undo;

static void
undo_create (create_undo *u)
{
  if (u->dir == NULL)
    return;
  error ignored = { 0 };
  if (u->state->pid > 0)
    {
      kill (u->state->pid, SIGKILL);
      waitpid (u->state->pid, NULL, 0);
    }
  if (u->cgroup->path)
    {
      cgroup_kill_all (u->cgroup, SIGKILL, &ignored);
      u->cgroup->driver->destroy (u->cgroup, &ignored);
    }
  if (u->state->rootfs_mount_id)
    rootfs_release (u->state->rootfs, u->state->rootfs_mount_id, u->spec->namespaces[NS_MOUNT].path, &ignored);
  remove_tree (u->dir, &ignored);
}

#define _cleanup_undo_create_ __attribute__ ((cleanup (undo_create)))

/* The runtime keeps config.json as it was at create: start, exec and delete read it there. */
static int
copy_config (const char *bundle, const char *dir, error *err)
{
  _cleanup_free_ char *source = xasprintf ("%s/config.json", bundle);
  _cleanup_free_ char *copy = xasprintf ("%s/config.json", dir);
  _cleanup_free_ char *text = NULL;
  size_t len = 0;
  if (read_file (source, &text, &len, err) < 0)
    return -1;
  return write_file (copy, text, len, err);
}

/* Makes the container's init and prepares the container with it (parent_setup), up to where
 * the init waits for start; st->pid names it from the moment it exists. The descriptors the
 * parent needs on the way are closed on return: the init has its own. */
static int
spawn_init (const spec *s, const create_options *o, const char *rootfs, const char *dir, cgroup *cg, container_state *st,
            error *err)
{
  _cleanup_free_ char *fifo = xasprintf ("%s/exec.fifo", dir);
  if (mkfifo (fifo, 0600) < 0)
    return fail_errno (err, "mkfifo `%s`", fifo);
  /* The child keeps this end open; start writes into it. A read end with no writer
   * yet does not report HUP, so the child simply waits. */
  _cleanup_close_ int fifo_fd = open (fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fifo_fd < 0)
    return fail_errno (err, "open `%s`", fifo);
  _cleanup_close_ int console_fd = -1;
  if (o->console_socket && s->process.terminal && (console_fd = terminal_connect_socket (o->console_socket, err)) < 0)
    return -1;
  int pair[2];
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
    return fail_errno (err, "socketpair");
  _cleanup_close_ int sync_fd = pair[0];
  _cleanup_close_ int child_sync_fd = pair[1];
  _cleanup_free_ char *cache = seccomp_cache_dir (o->root);
  _cleanup_seccomp_program_ seccomp_program seccomp = { 0 };
  if (seccomp_program_get (&s->seccomp, cache, &seccomp, err) < 0 || cgroup_open (cg, s->cgroups_path, o->id, err) < 0)
    return -1;
  st->cgroup_path = cg->path;
  if (s->namespaces[NS_PID].path && join_namespace (s->namespaces[NS_PID].path, CLONE_NEWPID, err) < 0)
    return -1;

  unsigned long flags = 0;
  for (int k = 0; k < NS_COUNT; k++)
    if (s->namespaces[k].requested && !s->namespaces[k].path && k != NS_CGROUP && k != NS_TIME)
      flags |= namespace_clone_flag (k);
  _cleanup_close_ int cgroup_fd = -1;
  if (cg->driver->open_for_clone && (cgroup_fd = cg->driver->open_for_clone (cg, true, err)) < 0)
    return -1;
  _cleanup_close_ int own_network = -1;
  if (network_for_new_user_namespace (s, &own_network, err) < 0)
    return -1;
  init_context ctx = { .spec = s, .opts = o, .rootfs = rootfs, .cgroup = cg, .seccomp = &seccomp, .sync_fd = child_sync_fd,
                       .fifo_fd = fifo_fd, .console_fd = console_fd, .cgroup_fd = cgroup_fd, .network_inherited = own_network >= 0 };
  _cleanup_cgroup_origin_ cgroup_origin origin = { 0 };
  if (cg->driver->enter_self && cg->driver->enter_self (cg, true, &origin, err) < 0)
    return -1;
  bool in_cgroup;
  pid_t pid = clone_process (flags, cgroup_fd, &in_cgroup);
  if (pid == 0)
    {
      close (sync_fd);
      _exit (init_main (&ctx));
    }
  int clone_errno = errno;
  if (pid > 0)
    st->pid = pid;
  /* back at once: the hooks and whatever else the runtime starts stay out of the container's cgroup */
  if (cgroup_origin_return (&origin, err) < 0)
    return -1;
  /* and to the runtime's network namespace: the hooks run in its namespaces */
  if (own_network >= 0 && setns (own_network, CLONE_NEWNET) < 0)
    return fail_errno (err, "go back to the runtime's network namespace");
  if (pid < 0)
    return fail (err, clone_errno, "clone the container process");
  in_cgroup = in_cgroup || cg->driver->enter_self != NULL;
  /* the init's end: closed here, so that its death is the end of what it says */
  close (steal_fd (&child_sync_fd));
  return parent_setup (s, pid, in_cgroup, sync_fd, cg, st, err);
}

static int
write_pid_file (const char *path, pid_t pid, error *err)
{
  char value[32];
  snprintf (value, sizeof value, "%d", pid);
  return write_file_atomic (path, value, strlen (value), false, err);
}

int
container_create (const create_options *o, pid_t *out_pid, error *err)
{
  if (state_check_id (o->id, err) < 0)
    return -1;
  _cleanup_spec_ spec *s = spec_load (o->bundle, err);
  if (s == NULL || check_spec_for_create (s, o, err) < 0)
    return -1;
  /* relative paths in config.json (root, bind sources) are relative to the bundle */
  if (chdir (o->bundle) < 0)
    return fail_errno (err, "chdir to the bundle `%s`", o->bundle);
  char rootfs[PATH_MAX];
  if (realpath (s->root_path, rootfs) == NULL)
    return fail_errno (err, "root.path `%s`", s->root_path);

  if (mkdir_p (o->root, 0700, err) < 0)
    return -1;
  _cleanup_free_ char *dir = state_dir (o->root, o->id);
  if (mkdir (dir, 0700) < 0)
    return errno == EEXIST ? fail (err, EEXIST, "container `%s` already exists", o->id) : fail_errno (err, "mkdir `%s`", dir);

  char created[64];
  format_now_rfc3339 (created, sizeof created);
  _cleanup_free_ char *annotations = annotations_json (s);
  container_state st = { .id = (char *) o->id, .bundle = (char *) o->bundle, .rootfs = rootfs, .created = created,
                         .annotations_json = annotations };
  _cleanup_cgroup_ cgroup cg = { 0 };
  /* declared after all it uses, so that it runs before they go */
  _cleanup_undo_create_ create_undo undo = { .dir = dir, .spec = s, .state = &st, .cgroup = &cg };
  if (copy_config (o->bundle, dir, err) < 0 || spawn_init (s, o, rootfs, dir, &cg, &st, err) < 0)
    return -1;
  st.start_time = process_start_time (st.pid);
  if (state_write (o->root, &st, err) < 0 || (o->pid_file && write_pid_file (o->pid_file, st.pid, err) < 0))
    return -1;
  undo.dir = NULL;
  *out_pid = st.pid;
  return 0;
}
