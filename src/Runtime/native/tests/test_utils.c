#define _GNU_SOURCE
#include "check.h"
#include "cloned_binary.h"
#include "utils.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static bool
is_open (int fd)
{
  return fcntl (fd, F_GETFD) >= 0;
}

static bool
is_cloexec (int fd)
{
  return (fcntl (fd, F_GETFD) & FD_CLOEXEC) != 0;
}

/* descriptors handed to a process: 20..23, one of them to keep */
static void
check_close_fds (void)
{
  error err = { 0 };
  int fd = open ("/dev/null", O_RDONLY);
  for (int i = 20; i < 24; i++)
    dup2 (fd, i);
  close (fd);

  CHECK (close_fds_from (21, 22, true, &err) == 0);
  CHECK (is_open (20) && !is_cloexec (20));
  CHECK (is_cloexec (21) && !is_cloexec (22) && is_cloexec (23));

  CHECK (close_fds_from (21, 22, false, &err) == 0);
  CHECK (is_open (20) && !is_open (21) && is_open (22) && !is_open (23));
  CHECK (close_fds_from (20, -1, false, &err) == 0);
  CHECK (!is_open (20) && !is_open (22));
}

/* As a kernel before 5.9 answers close_range: ENOSYS (a seccomp filter says so). */
static void
without_close_range (void)
{
  struct sock_filter filter[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, nr)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, __NR_close_range, 0, 1),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
    BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog program = { .len = sizeof filter / sizeof filter[0], .filter = filter };
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl (PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) < 0)
    _exit (100);
}

int
main (void)
{
  error err = { 0 };
  check_close_fds ();
  /* the fallback (the list of /proc/self/fd) in a child, whose exit code is its failures */
  pid_t child = fork ();
  if (child == 0)
    {
      without_close_range ();
      CHECK (syscall (__NR_close_range, 3U, 3U, 0U) < 0 && errno == ENOSYS);
      check_close_fds ();
      _exit (failures);
    }
  int status = -1;
  CHECK (waitpid (child, &status, 0) == child && WIFEXITED (status) && WEXITSTATUS (status) == 0);

  /* mkdir_p: every missing parent, an existing path, a trailing slash; a file in the way fails */
  char base[] = "/tmp/test-utils-XXXXXX";
  CHECK (mkdtemp (base) != NULL);
  _cleanup_free_ char *deep = xasprintf ("%s/a/b/c", base);
  _cleanup_free_ char *slashed = xasprintf ("%s/a/d/", base);
  _cleanup_free_ char *file = xasprintf ("%s/f", base);
  _cleanup_free_ char *under_file = xasprintf ("%s/f/g", base);
  CHECK (mkdir_p (deep, 0700, &err) == 0 && file_exists (deep));
  CHECK (mkdir_p (deep, 0700, &err) == 0);
  CHECK (mkdir_p (slashed, 0700, &err) == 0 && file_exists (slashed));
  CHECK (write_file (file, "x", 1, &err) == 0);
  CHECK (mkdir_p (under_file, 0700, &err) < 0 && err.errnum == ENOTDIR);
  CHECK_CONTAINS (err.message, under_file);
  CHECK (remove_tree (base, &err) == 0);

  /* the sealed copy a starter hands the runtime: the file's bytes, and nobody can change them */
  int sealed = cloned_binary_copy ("/bin/true", &err);
  CHECK (sealed >= 0);
  struct stat original, copy;
  CHECK (stat ("/bin/true", &original) == 0 && fstat (sealed, &copy) == 0 && copy.st_size == original.st_size);
  int seals = fcntl (sealed, F_GET_SEALS);
  CHECK (seals >= 0 && (seals & (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)) == (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE));
  CHECK (pwrite (sealed, "x", 1, 0) < 0 && errno == EPERM);
  CHECK (ftruncate (sealed, 0) < 0 && errno == EPERM);
  CHECK (fcntl (sealed, F_ADD_SEALS, 0) < 0 && errno == EPERM); /* nor its seals */
  close (sealed);
  err = (error){ 0 };
  CHECK (cloned_binary_copy ("/nonexistent", &err) < 0 && err.errnum == ENOENT);
  return failures;
}
