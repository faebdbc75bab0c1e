#define _GNU_SOURCE
#include "rootfs.h"
#include "in_root.h"
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
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR__ATIME 0x00000070
#define MOUNT_ATTR_RELATIME 0x00000000
#define MOUNT_ATTR_NOATIME 0x00000010
#define MOUNT_ATTR_STRICTATIME 0x00000020
#define MOUNT_ATTR_NODIRATIME 0x00000080
#endif

struct mount_attr_arg
{
  uint64_t attr_set, attr_clr, propagation, userns_fd;
};

/* The magic link through which a mount reaches what fd names, and nothing else. */
static void
fd_path (int fd, char *buf, size_t len)
{
  snprintf (buf, len, "/proc/self/fd/%d", fd);
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

/* mount(2)'s per-mount flags as mount_setattr's attributes */
static struct mount_attr_arg
mount_attr_of (unsigned long flags)
{
  struct mount_attr_arg attr = { 0 };
  const struct
  {
    unsigned long flag;
    uint64_t attr;
  } map[] = { { MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID }, { MS_NODEV, MOUNT_ATTR_NODEV },
              { MS_NOEXEC, MOUNT_ATTR_NOEXEC }, { MS_NODIRATIME, MOUNT_ATTR_NODIRATIME } };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (flags & map[i].flag)
      attr.attr_set |= map[i].attr;
  if (flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME))
    {
      attr.attr_clr = MOUNT_ATTR__ATIME;
      attr.attr_set |= flags & MS_NOATIME ? MOUNT_ATTR_NOATIME : flags & MS_STRICTATIME ? MOUNT_ATTR_STRICTATIME : MOUNT_ATTR_RELATIME;
    }
  return attr;
}

/* A bind made detached (open_tree), given its flags and propagation while nothing can reach
 * it, then attached onto what fd names in one step (move_mount): once mounted, nothing is
 * left to do, so nothing has to find the mount again. Returns 1, having done nothing, where
 * the kernel lacks these calls (before 5.12): the caller binds with mount(2). */
static int
attach_bind (const spec_mount *m, int fd, unsigned long flags, error *err)
{
  unsigned int recursive = m->flags & MS_REC ? AT_RECURSIVE : 0;
  _cleanup_close_ int tree = (int) syscall (SYS_open_tree, AT_FDCWD, m->source, OPEN_TREE_CLONE | O_CLOEXEC | recursive);
  if (tree < 0)
    return errno == ENOSYS ? 1 : fail_errno (err, "bind `%s` on `%s`", m->source, m->destination);
  struct mount_attr_arg attr = mount_attr_of (flags);
  if ((attr.attr_set || attr.attr_clr) && syscall (SYS_mount_setattr, tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
    return errno == ENOSYS ? 1 : fail_errno (err, "set the flags of `%s`", m->destination);
  struct mount_attr_arg readonly = { .attr_set = MOUNT_ATTR_RDONLY };
  if (m->is_recursive_readonly && syscall (SYS_mount_setattr, tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &readonly, sizeof readonly) < 0)
    return fail_errno (err, "make `%s` recursively read-only", m->destination);
  struct mount_attr_arg propagation = { .propagation = m->propagation & ~MS_REC };
  if (m->propagation
      && syscall (SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (m->propagation & MS_REC ? AT_RECURSIVE : 0), &propagation, sizeof propagation) < 0)
    return fail_errno (err, "set propagation of `%s`", m->destination);
  if (syscall (SYS_move_mount, tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return fail_errno (err, "bind `%s` on `%s`", m->source, m->destination);
  return 0;
}

/* The mount just made on what fd names: looked up by name in the directory that holds it, not
 * by the destination again (a link swapped in since would lead elsewhere), and checked to be
 * the root of a mount above fd's. */
static int
open_mounted (const rootfs_context *ctx, int root_fd, int fd, const char *destination, error *err)
{
  char real[PATH_MAX];
  if (fd_host_path (fd, real, sizeof real) < 0)
    return fail_errno (err, "find `%s` once mounted on", destination);
  const char *in_root = beneath_root (ctx->rootfs, real);
  if (in_root == NULL || in_root[0] != '/')
    return fail (err, EXDEV, "`%s` is at `%s`, not beneath the rootfs", destination, real);
  _cleanup_free_ char *parent = NULL, *name = NULL;
  split_path (in_root, &parent, &name);
  _cleanup_close_ int parent_fd = open_in_root (root_fd, ctx->rootfs, parent, err);
  if (parent_fd < 0)
    return -1;
  _cleanup_close_ int mounted = openat (parent_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  struct statx under, over;
  if (mounted < 0 || statx (fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &under) < 0
      || statx (mounted, "", AT_EMPTY_PATH, STATX_MNT_ID, &over) < 0)
    return fail_errno (err, "open `%s` once mounted", destination);
  if (!(over.stx_attributes & STATX_ATTR_MOUNT_ROOT) || over.stx_mnt_id == under.stx_mnt_id)
    return fail (err, EAGAIN, "`%s` was moved while it was mounted on", destination);
  return steal_fd (&mounted);
}

static int
mount_one (const rootfs_context *ctx, int root_fd, const spec_mount *m, error *err)
{
  bool is_file = false;
  if (m->is_bind)
    {
      struct stat st;
      if (m->source == NULL || stat (m->source, &st) < 0)
        return fail_errno (err, "mount `%s`: bind source `%s`", m->destination, m->source ? m->source : "");
      is_file = !S_ISDIR (st.st_mode);
    }
  /* mounted on by descriptor: what the destination resolved to is what is mounted on */
  _cleanup_close_ int fd = make_in_root (root_fd, ctx->rootfs, m->destination, is_file, err);
  if (fd < 0)
    return error_wrap (err, "mount `%s`", m->destination);
  struct stat at;
  if (m->is_bind && fstat (fd, &at) == 0 && S_ISDIR (at.st_mode) == is_file)
    return fail (err, is_file ? EISDIR : ENOTDIR, "mount `%s`: bind source `%s` is %s, the destination is not", m->destination,
                 m->source, is_file ? "a file" : "a directory");
  char target[64];
  fd_path (fd, target, sizeof target);

  bool is_cgroup = m->type && (strcmp (m->type, "cgroup") == 0 || strcmp (m->type, "cgroup2") == 0);
  /* flags a cgroup bind, or a bind without attach_bind, only takes on a remount */
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
      remount_flags = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
      int attached = attach_bind (m, fd, remount_flags, err);
      if (attached <= 0)
        return attached;
      if (mount (m->source, target, NULL, MS_BIND | (m->flags & MS_REC), NULL) < 0)
        return fail_errno (err, "bind `%s` on `%s`", m->source, m->destination);
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

  bool cgroup_v1 = is_cgroup && ctx->cgroup->mode != CGROUP_MODE_UNIFIED;
  if (!cgroup_v1 && !remount_flags && !m->is_recursive_readonly && !m->propagation)
    return 0;
  /* fd names what is under the new mount: what follows acts on the mount itself */
  int mounted = open_mounted (ctx, root_fd, fd, m->destination, err);
  if (mounted < 0)
    return error_wrap (err, "mount `%s`", m->destination);
  close (fd);
  fd = mounted;
  fd_path (fd, target, sizeof target);
  if (cgroup_v1 && fill_cgroup_v1_tmpfs (ctx, target, err) < 0)
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
create_device (const rootfs_context *ctx, int root_fd, const char *path, char type, int64_t major, int64_t minor, mode_t mode,
               uid_t uid, gid_t gid, error *err)
{
  _cleanup_free_ char *parent = NULL, *name = NULL;
  split_path (path, &parent, &name);
  _cleanup_close_ int parent_fd = make_in_root (root_fd, ctx->rootfs, parent, false, err);
  if (parent_fd < 0)
    return -1;
  /* what the image has there, a link included, is replaced (never followed) */
  unlinkat (parent_fd, name, 0);
  if (ctx->in_user_namespace)
    {
      /* no mknod in a user namespace: bind the host's node onto an empty file */
      _cleanup_close_ int fd = make_in_root (root_fd, ctx->rootfs, path, true, err);
      if (fd < 0)
        return -1;
      char target[64];
      fd_path (fd, target, sizeof target);
      if (mount (path, target, NULL, MS_BIND, NULL) < 0)
        return fail_errno (err, "bind device `%s`", path);
      return 0;
    }
  mode_t kind = type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
  if (mknodat (parent_fd, name, kind | (mode & 07777), makedev (major, minor)) < 0)
    return fail_errno (err, "mknod `%s`", path);
  if (fchownat (parent_fd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
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
setup_dev (const rootfs_context *ctx, int root_fd, error *err)
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
        ret = create_device (ctx, root_fd, default_devices[i].path, 'c', default_devices[i].major, default_devices[i].minor, 0666, 0, 0, err);
    }
  for (size_t k = 0; k < s->devices_count && ret == 0; k++)
    {
      const spec_device *d = &s->devices[k];
      ret = create_device (ctx, root_fd, d->path, d->type == 'u' ? 'c' : d->type, d->major, d->minor, d->has_mode ? d->mode : 0666,
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
      _cleanup_free_ char *parent = NULL, *name = NULL;
      split_path (links[i][1], &parent, &name);
      _cleanup_close_ int parent_fd = open_in_root (root_fd, ctx->rootfs, parent, err);
      if (parent_fd < 0)
        return -1;
      if (strcmp (links[i][1], "/dev/ptmx") == 0)
        unlinkat (parent_fd, name, 0); /* a ptmx node from the image would bypass the container's devpts */
      if (strcmp (links[i][1], "/dev/core") == 0 && !file_exists ("/proc/kcore"))
        continue;
      if (symlinkat (links[i][0], parent_fd, name) < 0 && errno != EEXIST)
        return fail_errno (err, "symlink `%s`", links[i][1]);
    }
  if (ctx->console_path)
    {
      _cleanup_close_ int fd = make_in_root (root_fd, ctx->rootfs, "/dev/console", true, err);
      if (fd < 0)
        return -1;
      char target[64];
      fd_path (fd, target, sizeof target);
      if (mount (ctx->console_path, target, NULL, MS_BIND, NULL) < 0)
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
  /* on the bind: what is mounted through it is beneath it */
  _cleanup_close_ int root_fd = open (ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return fail_errno (err, "open the rootfs `%s`", ctx->rootfs);
  for (size_t i = 0; i < s->mounts_count; i++)
    if (mount_one (ctx, root_fd, &s->mounts[i], err) < 0)
      return -1;
  if (!dev_is_bind_mounted (s) && setup_dev (ctx, root_fd, err) < 0)
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
