#define _GNU_SOURCE
#include "dns.h"
#include "../lib/utils.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PID_FILE "aardvark.pid" /* aardvark's own, in the config directory */
#define RESOLVER_PORT "53"
#define STOP_TIMEOUT_MS 5000

static bool
has_dns (const net_attachment *a)
{
  return a->dns_names && a->dns_name_count > 0 && (a->gateway || a->gateway6);
}

/* An address without its prefix: 10.89.0.2/24 is 10.89.0.2. */
static void
sb_address (strbuf *sb, const char *address)
{
  const char *slash = strchr (address, '/');
  sb_appendn (sb, address, slash ? (size_t) (slash - address) : strlen (address));
}

static void
sb_list (strbuf *sb, const char **items, size_t count)
{
  for (size_t i = 0; i < count; i++)
    {
      if (i > 0)
        sb_append (sb, ",");
      sb_append (sb, items[i]);
    }
}

/* The member's line: id, its IPv4 and IPv6 addresses, its names, its upstream servers. */
static void
sb_entry (strbuf *sb, const net_request *r, const net_attachment *a)
{
  sb_printf (sb, "%s ", r->container_id);
  sb_address (sb, a->address);
  sb_append (sb, " ");
  if (a->address6)
    sb_address (sb, a->address6);
  sb_append (sb, " ");
  sb_list (sb, a->dns_names, a->dns_name_count);
  if (r->dns_server_count > 0)
    {
      sb_append (sb, " ");
      sb_list (sb, r->dns_servers, r->dns_server_count);
    }
  sb_append (sb, "\n");
}

/* The network's file made anew: its addresses, the other members' lines, the container's when
 * adding; removed once no member is left (an empty network would keep the resolver up).
 * *had says whether the container had a line. Written beside the directory and renamed into
 * it: the resolver reads every file there, and a half-written one would stop it. */
static int
rewrite_network (const net_request *r, const net_attachment *a, bool add, bool *had, error *err)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", r->dns_directory, a->network);
  _cleanup_free_ char *text = NULL;
  size_t len = 0;
  *had = false;
  if (read_file (path, &text, &len, err) < 0)
    {
      if (err->errnum != ENOENT)
        return -1;
      *err = (error){ 0 };
    }
  strbuf sb = { 0 };
  _cleanup_free_ char *data = NULL;
  sb_append (&sb, a->gateway ? a->gateway : a->gateway6);
  if (a->gateway && a->gateway6)
    sb_printf (&sb, ",%s", a->gateway6);
  sb_append (&sb, "\n");
  _cleanup_free_ char *own = xasprintf ("%s ", r->container_id);
  size_t members = 0;
  char *line = text ? strchr (text, '\n') : NULL; /* past the first line, the addresses */
  while (line && *++line)
    {
      char *end = strchrnul (line, '\n');
      if (strncmp (line, own, strlen (own)) == 0)
        *had = true;
      else if (end > line)
        {
          sb_appendn (&sb, line, (size_t) (end - line));
          sb_append (&sb, "\n");
          members++;
        }
      line = *end ? end : NULL;
    }
  if (add)
    {
      sb_entry (&sb, r, a);
      members++;
    }
  data = sb_steal (&sb);
  if (members == 0)
    return unlink (path) < 0 && errno != ENOENT ? fail_errno (err, "remove `%s`", path) : 0;
  _cleanup_free_ char *staged = xasprintf ("%s.%s.new", r->dns_directory, a->network);
  if (write_file_atomic (staged, data, strlen (data), false, err) < 0)
    return -1;
  if (rename (staged, path) < 0)
    {
      int saved = errno;
      unlink (staged);
      return fail (err, saved, "rename `%s` to `%s`", staged, path);
    }
  return 0;
}

/* The resolver serving the directory: the pid its pid file names, if that process is the
 * resolver started with this directory (not a pid reused since); 0 when none runs. */
static pid_t
resolver_pid (const char *dir)
{
  _cleanup_free_ char *pid_file = xasprintf ("%s/" PID_FILE, dir);
  _cleanup_free_ char *text = NULL;
  size_t len = 0;
  error ignored = { 0 };
  int64_t pid;
  if (read_file (pid_file, &text, &len, &ignored) < 0 || parse_int64 (text, &pid) < 0 || pid <= 0)
    return 0;
  _cleanup_free_ char *cmdline_path = xasprintf ("/proc/%lld/cmdline", (long long) pid);
  _cleanup_free_ char *cmdline = NULL;
  if (read_file (cmdline_path, &cmdline, &len, &ignored) < 0)
    return 0;
  for (size_t at = 0; at < len; at += strlen (cmdline + at) + 1)
    if (strcmp (cmdline + at, "--config") == 0 && at + 9 < len && strcmp (cmdline + at + 9, dir) == 0)
      return (pid_t) pid;
  return 0;
}

/* aardvark-dns runs itself in the background, in a session of its own (it outlives us and the
 * engine that ran us), and returns once its pid file is written. SIGHUP is ignored until it
 * sets its handler: a reload asked for meanwhile would otherwise kill it, and is not lost, as
 * it reads its config after setting the handler. */
static int
start_resolver (const net_request *r, error *err)
{
  pid_t child = fork ();
  if (child < 0)
    return fail_errno (err, "fork to start `%s`", r->dns_resolver);
  if (child == 0)
    {
      sigset_t none;
      sigemptyset (&none);
      sigprocmask (SIG_SETMASK, &none, NULL);
      signal (SIGHUP, SIG_IGN);
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      dup2 (null, 0);
      dup2 (null, 1);
      dup2 (null, 2);
      close_fds_from (3, -1, false, &(error){ 0 });
      /* pins no directory of the caller's */
      if (chdir ("/") < 0)
        _exit (127);
      execl (r->dns_resolver, r->dns_resolver, "--config", r->dns_directory, "-p", RESOLVER_PORT, "run", (char *) NULL);
      _exit (127);
    }
  int status;
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      return fail_errno (err, "wait for `%s`", r->dns_resolver);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return fail (err, 0, "`%s` failed to start (status %d)", r->dns_resolver, WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  return 0;
}

/* Whether a signal's end of the process is seen within the timeout. */
static bool
wait_gone (int pidfd, int timeout_ms)
{
  struct pollfd p = { .fd = pidfd, .events = POLLIN };
  int n;
  while ((n = poll (&p, 1, timeout_ms)) < 0 && errno == EINTR)
    ;
  return n != 0;
}

/* Stopped, not left to exit on a reload that finds no network: then it is gone when the lock
 * is released, and a next setup starts a resolver of its own rather than signal a dying one. */
static int
stop_resolver (const char *dir, pid_t pid, error *err)
{
  _cleanup_close_ int pidfd = (int) syscall (SYS_pidfd_open, pid, 0);
  if (pidfd < 0)
    return errno == ESRCH ? 0 : fail_errno (err, "open the resolver's pid %d", pid);
  if (syscall (SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) < 0 && errno != ESRCH)
    return fail_errno (err, "stop the resolver (pid %d)", pid);
  if (!wait_gone (pidfd, STOP_TIMEOUT_MS))
    {
      syscall (SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
      if (!wait_gone (pidfd, STOP_TIMEOUT_MS))
        return fail (err, ETIMEDOUT, "the resolver (pid %d) of `%s` does not stop", pid, dir);
    }
  return 0;
}

/* How many networks the directory has a file of. */
static size_t
network_files (const char *dir)
{
  DIR *d = opendir (dir);
  if (d == NULL)
    return 0;
  size_t count = 0;
  struct dirent *de;
  while ((de = readdir (d)))
    if (strcmp (de->d_name, ".") != 0 && strcmp (de->d_name, "..") != 0 && strcmp (de->d_name, PID_FILE) != 0)
      count++;
  closedir (d);
  return count;
}

int
dns_add (const net_request *r, error *err)
{
  if (r->dns_directory == NULL)
    return 0;
  if (mkdir_p (r->dns_directory, 0755, err) < 0)
    return -1;
  bool had;
  for (size_t i = 0; i < r->attachment_count; i++)
    if (has_dns (&r->attachments[i]) && rewrite_network (r, &r->attachments[i], true, &had, err) < 0)
      return -1;
  pid_t pid = resolver_pid (r->dns_directory);
  if (pid > 0 && kill (pid, SIGHUP) == 0)
    return 0;
  return start_resolver (r, err);
}

int
dns_remove (const net_request *r, error *err)
{
  if (r->dns_directory == NULL || !file_exists (r->dns_directory))
    return 0;
  /* each network tried, whatever another's outcome; err says the first failure */
  int status = 0;
  bool changed = false, had;
  for (size_t i = 0; i < r->attachment_count; i++)
    if (has_dns (&r->attachments[i]))
      {
        if (rewrite_network (r, &r->attachments[i], false, &had, status < 0 ? &(error){ 0 } : err) < 0)
          status = -1;
        changed = changed || had;
      }
  pid_t pid = resolver_pid (r->dns_directory);
  if (network_files (r->dns_directory) > 0)
    {
      if (changed && pid > 0)
        kill (pid, SIGHUP);
      return status;
    }
  if (pid > 0 && stop_resolver (r->dns_directory, pid, status < 0 ? &(error){ 0 } : err) < 0)
    return -1;
  _cleanup_free_ char *pid_file = xasprintf ("%s/" PID_FILE, r->dns_directory);
  unlink (pid_file);
  rmdir (r->dns_directory);
  return status;
}
