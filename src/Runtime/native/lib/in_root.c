#define _GNU_SOURCE
#include "in_root.h"
#include "utils.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* links followed on the way to one path before ELOOP, as the kernel's limit */
#define MAX_LINKS 40
/* openat2's RESOLVE_IN_ROOT fails with EAGAIN when a rename races a ".." in the path */
#define MAX_ATTEMPTS 128

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

void
split_path (const char *path, char **parent, char **name)
{
  char *copy = path[0] == '/' ? xstrdup (path) : xasprintf ("/%s", path);
  size_t len = strlen (copy);
  while (len > 1 && copy[len - 1] == '/')
    copy[--len] = '\0';
  char *slash = strrchr (copy, '/');
  *name = xstrdup (slash + 1);
  *slash = '\0';
  *parent = copy;
}

int
fd_host_path (int fd, char *buf, size_t len)
{
  char proc_path[64];
  snprintf (proc_path, sizeof proc_path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink (proc_path, buf, len - 1);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return 0;
}

const char *
beneath_root (const char *root, const char *host_path)
{
  size_t root_len = strlen (root);
  while (root_len > 0 && root[root_len - 1] == '/')
    root_len--;
  if (strncmp (host_path, root, root_len) != 0 || (host_path[root_len] != '/' && host_path[root_len] != '\0'))
    return NULL;
  return host_path + root_len;
}

static int
openat2_in_root (int root_fd, const char *path)
{
  struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
  while (*path == '/')
    path++;
  if (*path == '\0')
    path = ".";
  int fd = -1;
  for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++)
    if ((fd = (int) syscall (SYS_openat2, root_fd, path, &how, sizeof how)) >= 0 || errno != EAGAIN)
      break;
  return fd;
}

/* Without openat2: the user-space walk, then the descriptor's real path checked to be in root
 * (EXDEV when it is not: a link swapped in after the walk). */
static int
walk_in_root (const char *root, const char *path)
{
  error walk = { 0 };
  _cleanup_free_ char *host = NULL;
  if (resolve_in_root (root, path, &host, &walk) < 0)
    {
      errno = walk.errnum;
      return -1;
    }
  int fd = open (host, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return -1;
  char real[PATH_MAX];
  if (fd_host_path (fd, real, sizeof real) < 0 || beneath_root (root, real) == NULL)
    {
      close (fd);
      errno = EXDEV;
      return -1;
    }
  return fd;
}

/* -1 with errno set, so that a caller can tell a missing path (ENOENT) from the rest */
static int
fd_in_root (int root_fd, const char *root, const char *path)
{
  static bool no_openat2;
  if (!no_openat2)
    {
      int fd = openat2_in_root (root_fd, path);
      if (fd >= 0 || errno != ENOSYS)
        return fd;
      no_openat2 = true;
    }
  return walk_in_root (root, path);
}

int
open_in_root (int root_fd, const char *root, const char *path, error *err)
{
  int fd = fd_in_root (root_fd, root, path);
  if (fd < 0)
    return fail_errno (err, "open `%s` in `%s`", path, root);
  return fd;
}

static int
make_following (int root_fd, const char *root, const char *path, bool is_file, int links, error *err)
{
  int fd = fd_in_root (root_fd, root, path);
  if (fd >= 0 || errno != ENOENT)
    return fd >= 0 ? fd : fail_errno (err, "open `%s` in `%s`", path, root);
  _cleanup_free_ char *parent = NULL, *name = NULL;
  split_path (path, &parent, &name);
  if (name[0] == '\0')
    return fail (err, ENOENT, "open `%s` in `%s`", path, root);
  _cleanup_close_ int parent_fd = make_following (root_fd, root, parent, false, links, err);
  if (parent_fd < 0)
    return -1;
  /* the kernel resolves dots inside the root; openat on the parent would not */
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return open_in_root (root_fd, root, path, err);
  int made = is_file ? openat (parent_fd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644) : mkdirat (parent_fd, name, 0755);
  if (made < 0 && errno != EEXIST)
    return fail_errno (err, "make `%s` in `%s`", path, root);
  if (is_file && made >= 0)
    close (made);
  /* a name in a directory already open: nothing on the way to swap */
  fd = openat (parent_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat (fd, &st) < 0)
    {
      fail_errno (err, "open `%s` in `%s`", path, root);
      if (fd >= 0)
        close (fd);
      return -1;
    }
  if (!S_ISLNK (st.st_mode))
    return fd;
  /* a link to what does not exist yet (EEXIST above): make what it names, inside the root;
   * read through the descriptor, the very link looked at (on the heap: this recurses once
   * per missing component) */
  _cleanup_free_ char *target = xmalloc (PATH_MAX);
  ssize_t n = readlinkat (fd, "", target, PATH_MAX - 1);
  int saved = errno;
  close (fd);
  if (n < 0)
    return fail (err, saved, "readlink `%s` in `%s`", path, root);
  target[n] = '\0';
  if (links >= MAX_LINKS)
    return fail (err, ELOOP, "make `%s` in `%s`", path, root);
  _cleanup_free_ char *followed = target[0] == '/' ? xstrdup (target) : xasprintf ("%s/%s", parent, target);
  return make_following (root_fd, root, followed, is_file, links + 1, err);
}

int
make_in_root (int root_fd, const char *root, const char *path, bool is_file, error *err)
{
  return make_following (root_fd, root, path, is_file, 0, err);
}

int
create_in_root (const char *root, const char *path, bool is_file, error *err)
{
  _cleanup_close_ int root_fd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0)
    return fail_errno (err, "open `%s`", root);
  _cleanup_close_ int fd = make_in_root (root_fd, root, path, is_file, err);
  return fd < 0 ? -1 : 0;
}
