#define _GNU_SOURCE
#include "netns.h"
#include "../lib/utils.h"

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
is_mount_root (int dirfd, const char *path)
{
  struct statx stx;
  return statx (dirfd, path, AT_SYMLINK_NOFOLLOW, 0, &stx) == 0 && (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
         && (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

int
netns_dir_prepare (const char *dir, error *err)
{
  if (mkdir_p (dir, 0755, err) < 0)
    return -1;
  if (is_mount_root (AT_FDCWD, dir))
    return 0;
  if (mount (dir, dir, NULL, MS_BIND | MS_REC, NULL) < 0)
    return fail_errno (err, "bind `%s` on itself", dir);
  if (mount (NULL, dir, NULL, MS_SHARED | MS_REC, NULL) < 0)
    {
      int saved = errno;
      umount2 (dir, MNT_DETACH);
      return fail (err, saved, "make `%s` a shared mount point", dir);
    }
  return 0;
}

int
netns_dir_release (const char *dir, error *err)
{
  _cleanup_close_ int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return errno == ENOENT ? 0 : fail_errno (err, "open `%s`", dir);
  DIR *d = fdopendir (dup (fd));
  if (d == NULL)
    return fail_errno (err, "read `%s`", dir);
  bool in_use = false;
  for (struct dirent *e; !in_use && (e = readdir (d));)
    in_use = e->d_name[0] != '.' && is_mount_root (fd, e->d_name);
  closedir (d);
  if (in_use || !is_mount_root (AT_FDCWD, dir))
    return 0;
  if (umount2 (dir, MNT_DETACH) < 0 && errno != EINVAL)
    return fail_errno (err, "unmount `%s`", dir);
  return 0;
}

int
netns_create (const char *path, int *fd, error *err)
{
  _cleanup_close_ int own = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (own < 0)
    return fail_errno (err, "open this process's network namespace");
  _cleanup_close_ int file = open (path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
  if (file < 0)
    return fail_errno (err, "create `%s`", path);
  if (unshare (CLONE_NEWNET) < 0)
    {
      int saved = errno;
      unlink (path);
      return fail (err, saved, "make a network namespace");
    }
  int made = -1;
  if (mount ("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0)
    fail_errno (err, "bind the new network namespace at `%s`", path);
  else if ((made = open (path, O_RDONLY | O_CLOEXEC)) < 0)
    fail_errno (err, "open `%s`", path);
  /* back home whatever happened: the caller goes on in its own namespace */
  if (setns (own, CLONE_NEWNET) < 0)
    {
      if (made >= 0)
        close (made);
      made = -1;
      fail_errno (err, "return to the host's network namespace");
    }
  if (made < 0)
    {
      umount2 (path, MNT_DETACH);
      unlink (path);
      return -1;
    }
  *fd = made;
  return 0;
}

int
netns_remove (const char *path, error *err)
{
  if (umount2 (path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
    return fail_errno (err, "unmount `%s`", path);
  if (unlink (path) < 0 && errno != ENOENT)
    return fail_errno (err, "remove `%s`", path);
  return 0;
}
