#define _GNU_SOURCE
#include "utils.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void
cleanup_freep (void *p)
{
  free (*(void **) p);
}

void
cleanup_closep (int *fd)
{
  if (*fd >= 0)
    close (*fd);
}

void
cleanup_fclosep (FILE **f)
{
  if (*f)
    fclose (*f);
}

void *
xmalloc (size_t size)
{
  void *p = malloc (size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

void *
xzalloc (size_t size)
{
  void *p = calloc (1, size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

void *
xrealloc (void *p, size_t size)
{
  p = realloc (p, size ? size : 1);
  if (p == NULL)
    abort ();
  return p;
}

char *
xstrdup (const char *s)
{
  char *r = strdup (s);
  if (r == NULL)
    abort ();
  return r;
}

char *
xstrndup (const char *s, size_t n)
{
  char *r = strndup (s, n);
  if (r == NULL)
    abort ();
  return r;
}

char *
xasprintf (const char *fmt, ...)
{
  char *r;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&r, fmt, ap) < 0)
    abort ();
  va_end (ap);
  return r;
}

int
read_file_at (int dirfd, const char *path, char **out, size_t *len, error *err)
{
  _cleanup_close_ int fd = openat (dirfd, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open `%s`", path);
  return read_fd (fd, path, out, len, err);
}

int
read_fd (int fd, const char *path, char **out, size_t *len, error *err)
{
  size_t cap = 4096, n = 0;
  _cleanup_free_ char *buf = xmalloc (cap);
  for (;;)
    {
      if (n + 1 >= cap)
        buf = xrealloc (buf, cap *= 2);
      ssize_t r = read (fd, buf + n, cap - n - 1);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return fail_errno (err, "read `%s`", path);
      if (r == 0)
        break;
      n += r;
    }
  buf[n] = '\0';
  if (len)
    *len = n;
  *out = steal_pointer (&buf);
  return 0;
}

int
read_file (const char *path, char **out, size_t *len, error *err)
{
  return read_file_at (AT_FDCWD, path, out, len, err);
}

int
write_all (int fd, const void *data, size_t len)
{
  const char *p = data;
  while (len > 0)
    {
      ssize_t w = write (fd, p, len);
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return -1;
      p += w;
      len -= w;
    }
  return 0;
}

ssize_t
read_all (int fd, void *buf, size_t len)
{
  size_t n = 0;
  while (n < len)
    {
      ssize_t r = read (fd, (char *) buf + n, len - n);
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return -1;
      if (r == 0)
        break;
      n += r;
    }
  return n;
}

int
write_file (const char *path, const void *data, size_t len, error *err)
{
  _cleanup_close_ int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail_errno (err, "open `%s` for writing", path);
  if (write_all (fd, data, len) < 0)
    return fail_errno (err, "write `%s`", path);
  return 0;
}

int
write_file_atomic (const char *path, const void *data, size_t len, bool durable, error *err)
{
  _cleanup_free_ char *tmp = xasprintf ("%s.tmp.%d", path, getpid ());
  _cleanup_close_ int fd = open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail_errno (err, "open `%s` for writing", tmp);
  if (write_all (fd, data, len) < 0 || (durable && fsync (fd) < 0))
    {
      int saved = errno;
      unlink (tmp);
      return fail (err, saved, "write `%s`", tmp);
    }
  if (rename (tmp, path) < 0)
    {
      int saved = errno;
      unlink (tmp);
      return fail (err, saved, "rename `%s` to `%s`", tmp, path);
    }
  return 0;
}

int
mkdir_p (const char *path, mode_t mode, error *err)
{
  /* the parents are there, mostly: one mkdir, not one per component from the root */
  if (mkdir (path, mode) == 0 || errno == EEXIST)
    return 0;
  if (errno != ENOENT)
    return fail_errno (err, "mkdir `%s`", path);
  _cleanup_free_ char *parent = xstrdup (path);
  char *slash = strrchr (parent, '/');
  while (slash && slash > parent && slash[1] == '\0')
    {
      *slash = '\0'; /* a trailing slash names no parent */
      slash = strrchr (parent, '/');
    }
  if (slash == NULL || slash == parent)
    return fail_errno (err, "mkdir `%s`", path);
  *slash = '\0';
  if (mkdir_p (parent, mode, err) < 0)
    return -1;
  if (mkdir (path, mode) < 0 && errno != EEXIST)
    return fail_errno (err, "mkdir `%s`", path);
  return 0;
}

static int
remove_tree_at (int parent_fd, const char *name, dev_t dev, error *err)
{
  struct stat st;
  if (fstatat (parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return errno == ENOENT ? 0 : fail_errno (err, "stat `%s`", name);
  if (!S_ISDIR (st.st_mode))
    {
      if (unlinkat (parent_fd, name, 0) < 0 && errno != ENOENT)
        return fail_errno (err, "unlink `%s`", name);
      return 0;
    }
  if (st.st_dev != dev)
    return fail (err, EBUSY, "`%s` is a mount point", name);
  int fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open `%s`", name);
  DIR *d = fdopendir (fd);
  if (d == NULL)
    {
      close (fd);
      return fail_errno (err, "opendir `%s`", name);
    }
  struct dirent *de;
  int ret = 0;
  while ((de = readdir (d)) != NULL)
    {
      if (strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      if (remove_tree_at (dirfd (d), de->d_name, dev, err) < 0)
        {
          ret = -1;
          break;
        }
    }
  closedir (d);
  if (ret == 0 && unlinkat (parent_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
    return fail_errno (err, "rmdir `%s`", name);
  return ret;
}

int
remove_tree (const char *path, error *err)
{
  struct stat st;
  if (lstat (path, &st) < 0)
    return errno == ENOENT ? 0 : fail_errno (err, "stat `%s`", path);
  return remove_tree_at (AT_FDCWD, path, st.st_dev, err);
}

static int
copy_file_at (int from_dir, int to_dir, const char *name, mode_t mode, error *err)
{
  _cleanup_free_ char *data = NULL;
  size_t len = 0;
  if (read_file_at (from_dir, name, &data, &len, err) < 0)
    return -1;
  _cleanup_close_ int fd = openat (to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
  if (fd < 0 || write_all (fd, data, len) < 0)
    return fail_errno (err, "write `%s`", name);
  return 0;
}

int
copy_dir_files (const char *from, const char *to, error *err)
{
  _cleanup_free_ char *tmp = xasprintf ("%s.tmp.%d", to, getpid ());
  error ignored = { 0 };
  remove_tree (tmp, &ignored); /* what a crash of an earlier process with our pid left */
  if (mkdir (tmp, 0700) < 0)
    return fail_errno (err, "mkdir `%s`", tmp);
  DIR *d = opendir (from);
  _cleanup_close_ int to_fd = open (tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int ret = d && to_fd >= 0 ? 0 : fail_errno (err, "open `%s`", d ? tmp : from);
  struct dirent *de;
  while (ret == 0 && (de = readdir (d)) != NULL)
    {
      struct stat st;
      if (fstatat (dirfd (d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG (st.st_mode))
        ret = copy_file_at (dirfd (d), to_fd, de->d_name, st.st_mode, err);
    }
  if (d)
    closedir (d);
  if (ret == 0 && rename (tmp, to) < 0)
    ret = fail (err, errno == ENOTEMPTY ? EEXIST : errno, "rename `%s` to `%s`", tmp, to);
  if (ret < 0)
    remove_tree (tmp, &ignored);
  return ret;
}

bool
file_exists (const char *path)
{
  return access (path, F_OK) == 0;
}

int
set_cloexec (int fd, bool on)
{
  int flags = fcntl (fd, F_GETFD);
  if (flags < 0)
    return -1;
  flags = on ? flags | FD_CLOEXEC : flags & ~FD_CLOEXEC;
  return fcntl (fd, F_SETFD, flags);
}

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int
close_range_of (unsigned first, unsigned last, unsigned flags)
{
#ifdef SYS_close_range
  return (int) syscall (SYS_close_range, first, last, flags);
#else
  errno = ENOSYS;
  return -1;
#endif
}

int
close_fds_from (int first, int keep, bool only_cloexec, error *err)
{
  unsigned flags = only_cloexec ? CLOSE_RANGE_CLOEXEC : 0;
  int r = 0;
  if (keep > first)
    r = close_range_of ((unsigned) first, (unsigned) keep - 1, flags);
  if (r == 0)
    r = close_range_of ((unsigned) (keep >= first ? keep + 1 : first), ~0U, flags);
  if (r == 0)
    return 0;
  /* no close_range (before 5.9), or no CLOSE_RANGE_CLOEXEC (before 5.11): the list first, as closing changes it */
  DIR *d = opendir ("/proc/self/fd");
  if (d == NULL)
    return fail_errno (err, "open /proc/self/fd");
  int self = dirfd (d);
  size_t count = 0, cap = 16;
  _cleanup_free_ int *fds = xmalloc (cap * sizeof (int));
  struct dirent *de;
  while ((de = readdir (d)))
    {
      int fd = atoi (de->d_name);
      if (de->d_name[0] == '.' || fd < first || fd == keep || fd == self)
        continue;
      if (count == cap)
        fds = xrealloc (fds, (cap *= 2) * sizeof (int));
      fds[count++] = fd;
    }
  closedir (d);
  for (size_t i = 0; i < count; i++)
    if (only_cloexec)
      set_cloexec (fds[i], true);
    else
      close (fds[i]);
  return 0;
}

void
sb_appendn (strbuf *sb, const char *s, size_t n)
{
  if (sb->len + n + 1 > sb->cap)
    {
      size_t cap = sb->cap ? sb->cap : 256;
      while (cap < sb->len + n + 1)
        cap *= 2;
      sb->data = xrealloc (sb->data, cap);
      sb->cap = cap;
    }
  memcpy (sb->data + sb->len, s, n);
  sb->len += n;
  sb->data[sb->len] = '\0';
}

void
sb_append (strbuf *sb, const char *s)
{
  sb_appendn (sb, s, strlen (s));
}

void
sb_printf (strbuf *sb, const char *fmt, ...)
{
  _cleanup_free_ char *s = NULL;
  va_list ap;
  va_start (ap, fmt);
  if (vasprintf (&s, fmt, ap) < 0)
    abort ();
  va_end (ap);
  sb_append (sb, s);
}

void
sb_json_string (strbuf *sb, const char *s)
{
  sb_append (sb, "\"");
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"': sb_append (sb, "\\\""); break;
        case '\\': sb_append (sb, "\\\\"); break;
        case '\n': sb_append (sb, "\\n"); break;
        case '\r': sb_append (sb, "\\r"); break;
        case '\t': sb_append (sb, "\\t"); break;
        default:
          if (*p < 0x20)
            sb_printf (sb, "\\u%04x", *p);
          else
            sb_appendn (sb, (const char *) p, 1);
        }
    }
  sb_append (sb, "\"");
}

char *
sb_steal (strbuf *sb)
{
  if (sb->data == NULL)
    return xstrdup ("");
  char *r = sb->data;
  sb->data = NULL;
  sb->len = sb->cap = 0;
  return r;
}

char *
json_escape_string (const char *s)
{
  strbuf sb = { 0 };
  sb_json_string (&sb, s);
  return sb_steal (&sb);
}

int
parse_int64 (const char *s, int64_t *out)
{
  if (s == NULL || *s == '\0')
    return -1;
  char *end;
  errno = 0;
  long long v = strtoll (s, &end, 10);
  if (errno != 0 || *end != '\0')
    return -1;
  *out = v;
  return 0;
}

unsigned long long
process_start_time (pid_t pid)
{
  char path[64];
  snprintf (path, sizeof path, "/proc/%d/stat", pid);
  _cleanup_free_ char *buf = NULL;
  error err = { 0 };
  if (read_file (path, &buf, NULL, &err) < 0)
    return 0;
  /* comm may hold spaces and parentheses: fields restart after the last ')'. */
  char *p = strrchr (buf, ')');
  if (p == NULL)
    return 0;
  p += 2; /* field 3 */
  for (int field = 3; field < 22 && p; field++)
    {
      p = strchr (p, ' ');
      if (p)
        p++;
    }
  if (p == NULL)
    return 0;
  /* a zombie has exited: it counts as gone */
  char state = *(strrchr (buf, ')') + 2);
  if (state == 'Z' || state == 'X')
    return 0;
  return strtoull (p, NULL, 10);
}

bool
process_alive (pid_t pid, unsigned long long start_time)
{
  if (pid <= 0)
    return false;
  unsigned long long now = process_start_time (pid);
  return now != 0 && (start_time == 0 || now == start_time);
}

void
format_now_rfc3339 (char *buf, size_t len)
{
  struct timespec ts;
  clock_gettime (CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r (&ts.tv_sec, &tm);
  /* not strftime: it calls tzset, which reads /etc/localtime on every run */
  snprintf (buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
            tm.tm_sec, ts.tv_nsec);
}
