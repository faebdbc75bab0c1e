#define _GNU_SOURCE
#include "rootfs.h"
#include "utils.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY 0x00000001
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

struct mount_attr_arg
{
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* ---- path confinement ---- */

int
resolve_in_root (const char *root, const char *path, char **out, error *err)
{
  strbuf current = { 0 }; /* resolved part, relative to root, "" or "/a/b" */
  _cleanup_free_ char *rest = xstrdup (path);
  int links = 0;
  sb_append (&current, "");
  while (rest[0] != '\0')
    {
      char *slash = rest;
      while (*slash == '/')
        slash++;
      size_t n = strcspn (slash, "/");
      _cleanup_free_ char *component = xstrndup (slash, n);
      char *remaining = xstrdup (slash + n);
      free (rest);
      rest = remaining;
      if (component[0] == '\0' || strcmp (component, ".") == 0)
        continue;
      if (strcmp (component, "..") == 0)
        {
          char *last = strrchr (current.data, '/');
          if (last)
            {
              *last = '\0';
              current.len = last - current.data;
            }
          continue;
        }
      size_t saved_len = current.len;
      sb_append (&current, "/");
      sb_append (&current, component);
      _cleanup_free_ char *host = xasprintf ("%s%s", root, current.data);
      struct stat st;
      if (lstat (host, &st) < 0 || !S_ISLNK (st.st_mode))
        continue;
      if (++links > 255)
        {
          free (current.data);
          return fail (err, ELOOP, "resolve `%s` in `%s`", path, root);
        }
      char target[PATH_MAX];
      ssize_t len = readlink (host, target, sizeof target - 1);
      if (len < 0)
        {
          free (current.data);
          return fail_errno (err, "readlink `%s`", host);
        }
      target[len] = '\0';
      /* drop the link itself; an absolute target restarts at the root */
      current.len = target[0] == '/' ? 0 : saved_len;
      current.data[current.len] = '\0';
      char *joined = xasprintf ("%s/%s", target, rest);
      free (rest);
      rest = joined;
    }
  *out = xasprintf ("%s%s", root, current.data);
  free (current.data);
  return 0;
}

int
create_in_root (const char *root, const char *path, bool is_file, char **out, error *err)
{
  _cleanup_free_ char *resolved = NULL;
  if (resolve_in_root (root, path, &resolved, err) < 0)
    return -1;
  struct stat st;
  if (lstat (resolved, &st) == 0)
    {
      *out = steal_pointer (&resolved);
      return 0;
    }
  /* the missing tail holds no links (resolve stopped following at the first missing component) */
  size_t root_len = strlen (root);
  for (char *p = resolved + root_len + 1; *p; p++)
    {
      if (*p != '/')
        continue;
      *p = '\0';
      if (mkdir (resolved, 0755) < 0 && errno != EEXIST)
        {
          int saved = errno;
          *p = '/';
          return fail (err, saved, "mkdir `%s`", resolved);
        }
      *p = '/';
    }
  if (is_file)
    {
      int fd = open (resolved, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
      if (fd < 0 && errno != EEXIST)
        return fail_errno (err, "create `%s`", resolved);
      if (fd >= 0)
        close (fd);
    }
  else if (mkdir (resolved, 0755) < 0 && errno != EEXIST)
    return fail_errno (err, "mkdir `%s`", resolved);
  *out = steal_pointer (&resolved);
  return 0;
}

/* Opens target with O_PATH and checks, through /proc/self/fd, that it is still inside
 * root: mounting on "/proc/self/fd/N" then cannot be redirected by a link swapped in. */
static int
open_mount_target (const char *root, const char *target, char *proc_path, size_t len, error *err)
{
  int fd = open (target, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open mount target `%s`", target);
  snprintf (proc_path, len, "/proc/self/fd/%d", fd);
  char real[PATH_MAX];
  ssize_t n = readlink (proc_path, real, sizeof real - 1);
  if (n < 0)
    {
      close (fd);
      return fail_errno (err, "readlink `%s`", proc_path);
    }
  real[n] = '\0';
  size_t root_len = strlen (root);
  if (strncmp (real, root, root_len) != 0 || (real[root_len] != '/' && real[root_len] != '\0'))
    {
      close (fd);
      return fail (err, EPERM, "mount target `%s` resolves to `%s`, outside the rootfs", target, real);
    }
  return fd;
}

/* Flags a bind remount must keep, or the kernel refuses it in a user namespace. */
static unsigned long
locked_flags (const char *path)
{
  struct statvfs st;
  if (statvfs (path, &st) < 0)
    return 0;
  unsigned long flags = 0;
  if (st.f_flag & ST_NOSUID)
    flags |= MS_NOSUID;
  if (st.f_flag & ST_NODEV)
    flags |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC)
    flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME)
    flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME)
    flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME)
    flags |= MS_RELATIME;
  return flags;
}

static int
bind_remount (const char *target, unsigned long flags, error *err)
{
  unsigned long keep = locked_flags (target);
  if (mount (NULL, target, NULL, MS_BIND | MS_REMOUNT | keep | flags, NULL) < 0)
    return fail_errno (err, "remount `%s`", target);
  return 0;
}

static bool
selinux_enabled (void)
{
  return file_exists ("/sys/fs/selinux/enforce");
}

/* ---- mounts ---- */

/* v1: a tmpfs holding, per hierarchy, a read-only bind of the container's own cgroup.
 * top names the tmpfs (already mounted). */
static int
fill_cgroup_v1_tmpfs (const rootfs_context *ctx, const char *top, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (cgroup_v1_hierarchies (&h, err) < 0)
    return -1;
  for (size_t i = 0; i < h.count; i++)
    {
      const char *mount_point = h.items[i].mount_point;
      /* skip mounts inside the new rootfs (mountinfo lists them too) */
      if (strncmp (mount_point, ctx->rootfs, strlen (ctx->rootfs)) == 0)
        continue;
      const char *name = strrchr (mount_point, '/') + 1;
      _cleanup_free_ char *source = xasprintf ("%s%s", mount_point, ctx->cgroup->path);
      _cleanup_free_ char *dest = xasprintf ("%s/%s", top, name);
      if (mkdir (dest, 0755) < 0 && errno != EEXIST)
        return fail_errno (err, "mkdir `%s`", dest);
      if (!file_exists (source))
        continue;
      if (mount (source, dest, NULL, MS_BIND | MS_REC, NULL) < 0)
        return fail_errno (err, "bind `%s` on `%s`", source, dest);
      if (bind_remount (dest, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, err) < 0)
        return -1;
    }
  /* symlinks such as cpu -> cpu,cpuacct, as on the host */
  const char *pairs[][2] = { { "cpu", "cpu,cpuacct" }, { "cpuacct", "cpu,cpuacct" }, { "net_cls", "net_cls,net_prio" },
                             { "net_prio", "net_cls,net_prio" } };
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
    {
      _cleanup_free_ char *combined = xasprintf ("%s/%s", top, pairs[i][1]);
      _cleanup_free_ char *link = xasprintf ("%s/%s", top, pairs[i][0]);
      if (file_exists (combined) && !file_exists (link) && symlink (pairs[i][1], link) < 0)
        return fail_errno (err, "symlink `%s`", link);
    }
  return 0;
}

/* The first mount on target for a cgroup entry; read-only is applied by the caller. */
static int
mount_cgroup (const rootfs_context *ctx, const spec_mount *m, const char *target, unsigned long flags, error *err)
{
  if (ctx->cgroup == NULL)
    return fail (err, EINVAL, "mount `%s`: no cgroup to show", m->destination);
  if (ctx->cgroup->mode != CGROUP_MODE_UNIFIED)
    {
      if (mount ("tmpfs", target, "tmpfs", flags, "mode=755") < 0)
        return fail_errno (err, "mount tmpfs on `%s`", m->destination);
      return 0;
    }
  if (ctx->new_cgroup_namespace)
    {
      if (mount ("cgroup2", target, "cgroup2", flags, NULL) < 0)
        return fail_errno (err, "mount cgroup2 on `%s`", m->destination);
      return 0;
    }
  /* without a cgroup namespace, show the container's own cgroup as the root (runc and crun
   * mount the whole hierarchy there: this shows the container less of the host) */
  _cleanup_free_ char *source = xasprintf ("%s%s", cgroup_root (), ctx->cgroup->path);
  if (mount (source, target, NULL, MS_BIND | MS_REC, NULL) < 0)
    return fail_errno (err, "bind `%s` on `%s`", source, m->destination);
  return 0;
}

static int
mount_one (const rootfs_context *ctx, const spec_mount *m, error *err)
{
  bool is_file = false;
  if (m->is_bind)
    {
      struct stat st;
      if (m->source == NULL || stat (m->source, &st) < 0)
        return fail_errno (err, "mount `%s`: bind source `%s`", m->destination, m->source ? m->source : "");
      is_file = !S_ISDIR (st.st_mode);
    }
  _cleanup_free_ char *host_target = NULL;
  if (create_in_root (ctx->rootfs, m->destination, is_file, &host_target, err) < 0)
    return error_wrap (err, "mount `%s`", m->destination);
  char target[64];
  _cleanup_close_ int fd = open_mount_target (ctx->rootfs, host_target, target, sizeof target, err);
  if (fd < 0)
    return -1;

  bool is_cgroup = m->type && (strcmp (m->type, "cgroup") == 0 || strcmp (m->type, "cgroup2") == 0);
  /* flags a bind or a cgroup bind only takes on a remount */
  unsigned long remount_flags = 0;
  if (is_cgroup)
    {
      unsigned long flags = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT | MS_RDONLY);
      if (mount_cgroup (ctx, m, target, flags, err) < 0)
        return -1;
      remount_flags = m->flags & MS_RDONLY ? MS_RDONLY | flags : 0;
    }
  else if (m->is_bind)
    {
      if (mount (m->source, target, NULL, MS_BIND | (m->flags & MS_REC), NULL) < 0)
        return fail_errno (err, "bind `%s` on `%s`", m->source, m->destination);
      remount_flags = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
    }
  else
    {
      _cleanup_free_ char *data = m->data ? xstrdup (m->data) : NULL;
      if (ctx->spec->mount_label && selinux_enabled () && strcmp (m->type, "proc") && strcmp (m->type, "sysfs"))
        {
          char *with_label = data ? xasprintf ("%s,context=\"%s\"", data, ctx->spec->mount_label)
                                  : xasprintf ("context=\"%s\"", ctx->spec->mount_label);
          free (data);
          data = with_label;
        }
      unsigned long flags = m->flags & ~(MS_BIND | MS_REC);
      if (mount (m->source ? m->source : m->type, target, m->type, flags, data) < 0)
        {
          int saved = errno;
          /* sysfs needs a network namespace the user namespace owns; fall back to the host's /sys */
          if (!(saved == EPERM && strcmp (m->type, "sysfs") == 0 && ctx->in_user_namespace))
            return fail (err, saved, "mount %s on `%s`", m->type, m->destination);
          if (mount ("/sys", target, NULL, MS_BIND | MS_REC, NULL) < 0)
            return fail_errno (err, "bind /sys on `%s`", m->destination);
          remount_flags = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
        }
    }

  /* the fd names the directory under the new mount: reopen on top of it for what follows */
  close (steal_fd (&fd));
  fd = open_mount_target (ctx->rootfs, host_target, target, sizeof target, err);
  if (fd < 0)
    return -1;
  if (is_cgroup && ctx->cgroup->mode != CGROUP_MODE_UNIFIED && fill_cgroup_v1_tmpfs (ctx, target, err) < 0)
    return -1;
  if (remount_flags && bind_remount (target, remount_flags, err) < 0)
    return error_wrap (err, "mount `%s`", m->destination);
  if (m->is_recursive_readonly)
    {
      struct mount_attr_arg attr = { .attr_set = MOUNT_ATTR_RDONLY };
      if (syscall (SYS_mount_setattr, fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
        return fail_errno (err, "make `%s` recursively read-only", m->destination);
    }
  if (m->propagation && mount (NULL, target, NULL, m->propagation, NULL) < 0)
    return fail_errno (err, "set propagation of `%s`", m->destination);
  return 0;
}

/* ---- /dev ---- */

typedef struct default_device
{
  const char *path;
  int major, minor;
} default_device;

static const default_device default_devices[] = {
  { "/dev/null", 1, 3 }, { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
  { "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
};

static int
create_device (const rootfs_context *ctx, const char *path, char type, int64_t major, int64_t minor, mode_t mode, uid_t uid,
               gid_t gid, error *err)
{
  _cleanup_free_ char *host = NULL;
  if (resolve_in_root (ctx->rootfs, path, &host, err) < 0)
    return -1;
  /* parents, confined */
  _cleanup_free_ char *parent_path = xstrdup (path);
  char *slash = strrchr (parent_path, '/');
  if (slash && slash != parent_path)
    {
      *slash = '\0';
      _cleanup_free_ char *ignored = NULL;
      if (create_in_root (ctx->rootfs, parent_path, false, &ignored, err) < 0)
        return -1;
    }
  unlink (host);
  if (ctx->in_user_namespace)
    {
      /* no mknod in a user namespace: bind the host's node onto an empty file */
      _cleanup_free_ char *target = NULL;
      if (create_in_root (ctx->rootfs, path, true, &target, err) < 0)
        return -1;
      char proc_path[64];
      _cleanup_close_ int fd = open_mount_target (ctx->rootfs, target, proc_path, sizeof proc_path, err);
      if (fd < 0)
        return -1;
      if (mount (path, proc_path, NULL, MS_BIND, NULL) < 0)
        return fail_errno (err, "bind device `%s`", path);
      return 0;
    }
  mode_t kind = type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
  if (mknod (host, kind | (mode & 07777), makedev (major, minor)) < 0)
    return fail_errno (err, "mknod `%s`", path);
  if (chown (host, uid, gid) < 0)
    return fail_errno (err, "chown `%s`", path);
  return 0;
}

static bool
dev_is_bind_mounted (const spec *s)
{
  for (size_t i = 0; i < s->mounts_count; i++)
    if (strcmp (s->mounts[i].destination, "/dev") == 0 && s->mounts[i].is_bind)
      return true;
  return false;
}

static int
setup_dev (const rootfs_context *ctx, error *err)
{
  const spec *s = ctx->spec;
  mode_t old_umask = umask (0);
  int ret = 0;
  for (size_t i = 0; i < sizeof default_devices / sizeof default_devices[0] && ret == 0; i++)
    {
      bool overridden = false;
      for (size_t k = 0; k < s->devices_count; k++)
        if (strcmp (s->devices[k].path, default_devices[i].path) == 0)
          overridden = true;
      if (!overridden)
        ret = create_device (ctx, default_devices[i].path, 'c', default_devices[i].major, default_devices[i].minor, 0666, 0, 0, err);
    }
  for (size_t k = 0; k < s->devices_count && ret == 0; k++)
    {
      const spec_device *d = &s->devices[k];
      ret = create_device (ctx, d->path, d->type == 'u' ? 'c' : d->type, d->major, d->minor, d->has_mode ? d->mode : 0666,
                           d->has_uid ? d->uid : 0, d->has_gid ? d->gid : 0, err);
    }
  umask (old_umask);
  if (ret < 0)
    return -1;

  const char *links[][2] = { { "/proc/self/fd", "/dev/fd" },     { "/proc/self/fd/0", "/dev/stdin" },
                             { "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
                             { "pts/ptmx", "/dev/ptmx" },         { "/proc/kcore", "/dev/core" } };
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
    {
      _cleanup_free_ char *host = NULL;
      if (resolve_in_root (ctx->rootfs, links[i][1], &host, err) < 0)
        return -1;
      if (strcmp (links[i][1], "/dev/ptmx") == 0)
        unlink (host); /* a ptmx node from the image would bypass the container's devpts */
      if (strcmp (links[i][1], "/dev/core") == 0 && !file_exists ("/proc/kcore"))
        continue;
      if (symlink (links[i][0], host) < 0 && errno != EEXIST)
        return fail_errno (err, "symlink `%s`", links[i][1]);
    }
  if (ctx->console_path)
    {
      _cleanup_free_ char *target = NULL;
      if (create_in_root (ctx->rootfs, "/dev/console", true, &target, err) < 0)
        return -1;
      char proc_path[64];
      _cleanup_close_ int fd = open_mount_target (ctx->rootfs, target, proc_path, sizeof proc_path, err);
      if (fd < 0)
        return -1;
      if (mount (ctx->console_path, proc_path, NULL, MS_BIND, NULL) < 0)
        return fail_errno (err, "bind `%s` on /dev/console", ctx->console_path);
    }
  return 0;
}

static int
mount_id_of (const char *path, int *id, error *err)
{
  struct statx stx;
  if (statx (AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
    return fail_errno (err, "statx `%s`", path);
  if (!(stx.stx_mask & STATX_MNT_ID))
    return fail (err, ENOSYS, "statx `%s`: the kernel gives no mount id", path);
  *id = (int) stx.stx_mnt_id;
  return 0;
}

/* In a shared mount namespace only this bind reaches the namespace's peers: private at once,
 * nothing mounted beneath it does, and one unmount of it takes everything away. */
static int
bind_private (const char *rootfs, int *mount_id, error *err)
{
  if (mount (rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
    return fail_errno (err, "bind the rootfs `%s` on itself", rootfs);
  if (mount (NULL, rootfs, NULL, MS_PRIVATE | MS_REC, NULL) < 0 || mount_id_of (rootfs, mount_id, err) < 0)
    {
      if (err->message[0] == '\0')
        fail_errno (err, "make the rootfs bind `%s` private", rootfs);
      umount2 (rootfs, MNT_DETACH);
      return -1;
    }
  return 0;
}

int
rootfs_prepare (const rootfs_context *ctx, error *err)
{
  const spec *s = ctx->spec;
  if (ctx->shared_mount_id)
    {
      /* not our namespace: its propagation stays as it is */
      if (bind_private (ctx->rootfs, ctx->shared_mount_id, err) < 0)
        return -1;
    }
  else
    {
      /* Nothing mounted from here on may reach the host, while the host's new mounts may still
       * reach a bind mount that asks for them (rslave), as with runc. rootfsPropagation is
       * applied after pivot_root. */
      if (mount (NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
        return fail_errno (err, "make / a slave of the host");
      if (mount (ctx->rootfs, ctx->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        return fail_errno (err, "bind the rootfs `%s` on itself", ctx->rootfs);
    }
  for (size_t i = 0; i < s->mounts_count; i++)
    if (mount_one (ctx, &s->mounts[i], err) < 0)
      return -1;
  if (!dev_is_bind_mounted (s) && setup_dev (ctx, err) < 0)
    return -1;
  return 0;
}

static int
move_root (const char *rootfs, error *err)
{
  /* ramfs cannot be pivoted away from: move the rootfs onto / and chroot into it */
  if (chdir (rootfs) < 0)
    return fail_errno (err, "chdir `%s`", rootfs);
  if (mount (rootfs, "/", NULL, MS_MOVE, NULL) < 0)
    return fail_errno (err, "move `%s` onto /", rootfs);
  if (chroot (".") < 0)
    return fail_errno (err, "chroot `%s`", rootfs);
  if (chdir ("/") < 0)
    return fail_errno (err, "chdir /");
  return 0;
}

int
rootfs_pivot (const char *rootfs, bool no_pivot, error *err)
{
  if (no_pivot)
    return move_root (rootfs, err);
  _cleanup_close_ int old_root = open ("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  _cleanup_close_ int new_root = open (rootfs, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
  if (old_root < 0 || new_root < 0)
    return fail_errno (err, "open the old or new root");
  if (fchdir (new_root) < 0)
    return fail_errno (err, "chdir `%s`", rootfs);
  /* pivot_root(".", ".") stacks the old root under the new one; no directory for it needed */
  if (syscall (SYS_pivot_root, ".", ".") < 0)
    {
      if (errno == EINVAL)
        return move_root (rootfs, err);
      return fail_errno (err, "pivot_root to `%s`", rootfs);
    }
  if (fchdir (old_root) < 0)
    return fail_errno (err, "chdir to the old root");
  /* the unmount of the old root must not reach the host */
  if (mount (NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
    return fail_errno (err, "make the old root a slave");
  if (umount2 (".", MNT_DETACH) < 0)
    return fail_errno (err, "unmount the old root");
  if (chdir ("/") < 0)
    return fail_errno (err, "chdir /");
  return 0;
}

int
rootfs_chroot (const char *rootfs, error *err)
{
  if (chroot (rootfs) < 0)
    return fail_errno (err, "chroot `%s`", rootfs);
  if (chdir ("/") < 0)
    return fail_errno (err, "chdir /");
  return 0;
}

static int
release_here (const char *rootfs, int mount_id, error *err)
{
  int now = 0;
  error gone = { 0 };
  /* a rootfs gone, or another mount on top of it now: ours is not there to take away */
  if (mount_id_of (rootfs, &now, &gone) < 0 || now != mount_id)
    return 0;
  if (umount2 (rootfs, MNT_DETACH) < 0)
    return fail_errno (err, "unmount the rootfs bind `%s`", rootfs);
  return 0;
}

int
rootfs_release (const char *rootfs, int mount_id, const char *mount_ns_path, error *err)
{
  if (mount_ns_path == NULL)
    return release_here (rootfs, mount_id, err);
  /* in a child: this process stays in its own mount namespace */
  pid_t pid = fork ();
  if (pid < 0)
    return fail_errno (err, "fork");
  if (pid == 0)
    {
      error ignored = { 0 };
      int ns = open (mount_ns_path, O_RDONLY | O_CLOEXEC);
      if (ns < 0)
        _exit (errno == ENOENT ? 0 : 1); /* the namespace, and the bind with it, is gone */
      _exit (setns (ns, CLONE_NEWNS) == 0 && release_here (rootfs, mount_id, &ignored) == 0 ? 0 : 1);
    }
  int status;
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return fail_errno (err, "wait for process %d", pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return fail (err, 0, "unmount the rootfs bind `%s` in the mount namespace `%s`", rootfs, mount_ns_path);
  return 0;
}

static int
mask_path (const char *path, error *err)
{
  struct stat st;
  if (lstat (path, &st) < 0)
    return errno == ENOENT ? 0 : fail_errno (err, "stat masked path `%s`", path);
  if (S_ISDIR (st.st_mode))
    {
      if (mount ("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k") < 0)
        return fail_errno (err, "mask `%s`", path);
    }
  else if (mount ("/dev/null", path, NULL, MS_BIND, NULL) < 0)
    return errno == ENOENT ? 0 : fail_errno (err, "mask `%s`", path);
  return 0;
}

static int
readonly_path (const char *path, error *err)
{
  if (mount (path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
    return errno == ENOENT ? 0 : fail_errno (err, "bind read-only path `%s`", path);
  return bind_remount (path, MS_RDONLY, err);
}

int
rootfs_finalize (const spec *s, error *err)
{
  /* read-only paths first, as runc orders them */
  for (size_t i = 0; i < s->readonly_paths.count; i++)
    if (readonly_path (s->readonly_paths.items[i], err) < 0)
      return -1;
  for (size_t i = 0; i < s->masked_paths.count; i++)
    if (mask_path (s->masked_paths.items[i], err) < 0)
      return -1;
  if (s->root_readonly && bind_remount ("/", MS_RDONLY, err) < 0)
    return -1;
  if (s->rootfs_propagation_flags && mount (NULL, "/", NULL, s->rootfs_propagation_flags, NULL) < 0)
    return fail_errno (err, "set rootfsPropagation `%s`", s->rootfs_propagation);
  return 0;
}
