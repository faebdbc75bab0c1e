#define _GNU_SOURCE
#include "check.h"
#include "in_root.h"
#include "utils.h"

#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The host path an O_PATH descriptor names (then closed), or NULL. */
static char *
real_path (int fd)
{
  char real[PATH_MAX];
  bool found = fd >= 0 && fd_host_path (fd, real, sizeof real) == 0;
  if (fd >= 0)
    close (fd);
  return found ? xstrdup (real) : NULL;
}

/* make_in_root's result, as a host path */
static char *
made (int root_fd, const char *root, const char *path, bool is_file)
{
  error err = { 0 };
  return real_path (make_in_root (root_fd, root, path, is_file, &err));
}

/* Checks open_in_root and make_in_root in a root of their own, with links in it that lead
 * out (absolute, climbing, to a host directory), a loop and a dangling link. */
static void
check_in_root (void)
{
  char root[] = "/tmp/rootfs-test-XXXXXX", host[] = "/tmp/rootfs-test-host-XXXXXX";
  CHECK (mkdtemp (root) != NULL && mkdtemp (host) != NULL);
  error err = { 0 };
  char *p = NULL;
  char *sub = xasprintf ("%s/etc", root), *passwd = xasprintf ("%s/etc/passwd", root);
  mkdir (sub, 0755);
  close (open (passwd, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
  char *abs_link = xasprintf ("%s/abs", root), *rel_link = xasprintf ("%s/etc/up", root), *loop = xasprintf ("%s/loop", root);
  char *dangling = xasprintf ("%s/dangling", root), *to_host = xasprintf ("%s/host", root);
  CHECK (symlink ("/etc", abs_link) == 0);          /* absolute: must stay in root */
  CHECK (symlink ("../../../../", rel_link) == 0);  /* climbing: stops at root */
  CHECK (symlink ("loop", loop) == 0);
  CHECK (symlink ("/made/by/link", dangling) == 0); /* names what does not exist yet */
  CHECK (symlink (host, to_host) == 0);             /* the host's directory, by its host path */

  /* the user-space walk */
  CHECK (resolve_in_root (root, "/abs/passwd", &p, &err) == 0);
  CHECK_STR (p, passwd);
  free (p);
  CHECK (resolve_in_root (root, "/../../etc/passwd", &p, &err) == 0);
  CHECK_STR (p, passwd);
  free (p);
  char *want_root_x = xasprintf ("%s/x", root);
  CHECK (resolve_in_root (root, "/etc/up/x", &p, &err) == 0);
  CHECK_STR (p, want_root_x);
  free (p);
  CHECK (resolve_in_root (root, "/loop/x", &p, &err) < 0);
  CHECK (err.errnum == ELOOP);
  CHECK_STR (beneath_root (root, passwd), "/etc/passwd");
  CHECK_STR (beneath_root (root, root), "");
  char *sibling = xasprintf ("%s-other/etc", root);
  CHECK (beneath_root (root, sibling) == NULL);
  CHECK (beneath_root (root, "/etc") == NULL);
  free (sibling);

  /* by descriptor: the same places */
  int root_fd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  CHECK (root_fd >= 0);
  err = (error){ 0 };
  p = real_path (open_in_root (root_fd, root, "/abs/passwd", &err));
  CHECK_STR (p, passwd);
  free (p);
  p = real_path (open_in_root (root_fd, root, "/../../etc/up/etc/passwd", &err));
  CHECK_STR (p, passwd);
  free (p);
  CHECK (open_in_root (root_fd, root, "/loop/x", &err) < 0 && err.errnum == ELOOP);

  /* creation follows links inside the root only */
  char *want_dir = xasprintf ("%s/etc/new/dir", root);
  p = made (root_fd, root, "/abs/new/dir", false);
  CHECK_STR (p, want_dir);
  free (p);
  struct stat st;
  CHECK (stat (want_dir, &st) == 0 && S_ISDIR (st.st_mode));
  char *want_file = xasprintf ("%s/file", root);
  p = made (root_fd, root, "/etc/up/file", true);
  CHECK_STR (p, want_file);
  free (p);
  CHECK (stat (want_file, &st) == 0 && S_ISREG (st.st_mode));
  char *want_tmp = xasprintf ("%s/tmp/x", root);
  p = made (root_fd, root, "/../../../tmp/x", false);
  CHECK_STR (p, want_tmp);
  free (p);
  /* a dangling link: what it names is made, in the root */
  char *want_linked = xasprintf ("%s/made/by/link/x", root);
  p = made (root_fd, root, "/dangling/x", false);
  CHECK_STR (p, want_linked);
  free (p);
  /* a link to the host's directory leads to the root's directory of that name */
  char *want_host = xasprintf ("%s%s/x", root, host), *host_x = xasprintf ("%s/x", host);
  p = made (root_fd, root, "/host/x", true);
  CHECK_STR (p, want_host);
  free (p);
  CHECK (access (host_x, F_OK) < 0 && errno == ENOENT);
  /* a parent that is a file, and a loop, are errors */
  err = (error){ 0 };
  CHECK (make_in_root (root_fd, root, "/etc/passwd/x", false, &err) < 0 && err.errnum == ENOTDIR);
  CHECK_CONTAINS (err.message, "/etc/passwd/x");
  err = (error){ 0 };
  CHECK (make_in_root (root_fd, root, "/loop/x", false, &err) < 0 && err.errnum == ELOOP);
  close (root_fd);

  remove_tree (root, &err);
  remove_tree (host, &err);
  free (sub); free (passwd); free (abs_link); free (rel_link); free (loop); free (dangling); free (to_host);
  free (want_root_x); free (want_dir); free (want_file); free (want_tmp); free (want_linked); free (want_host); free (host_x);
}

/* The same checks where the kernel has no openat2 (before 5.6): a seccomp filter says ENOSYS
 * to it, in a child, which returns its failures. */
static int
check_without_openat2 (void)
{
  pid_t pid = fork ();
  if (pid == 0)
    {
      scmp_filter_ctx filter = seccomp_init (SCMP_ACT_ALLOW);
      if (filter == NULL || seccomp_rule_add (filter, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (openat2), 0) < 0 || seccomp_load (filter) < 0)
        _exit (100);
      check_in_root ();
      _exit (failures);
    }
  int status;
  if (pid < 0 || waitpid (pid, &status, 0) < 0 || !WIFEXITED (status))
    return 1;
  return WEXITSTATUS (status);
}

int
main (void)
{
  check_in_root ();
  int without = check_without_openat2 ();
  if (without)
    fprintf (stderr, "without openat2: %d failures\n", without);
  return failures + without;
}
