/* syscall-probe: makes each named system call and prints, one line each, "NAME ok" or
 * "NAME ERRNO" (the errno's name): what the kernel, or a seccomp filter before it, answered.
 * Built static by the tests (SyscallProbe.cs), so it runs in any container. The calls are
 * made with arguments that change nothing: invalid flags, empty ranges, a child that exits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
/* newer than the headers of some distributions; the same number on every architecture */
#define NR_FCHMODAT2 452
#define NR_MSEAL 462
#define NR_NONE 1023 /* no system call has it */

static long
child_exits (long pid)
{
  if (pid == 0)
    _exit (0);
  if (pid > 0)
    waitpid ((pid_t) pid, NULL, 0);
  return pid < 0 ? -1 : 0;
}

static long
call (const char *name)
{
  char buf[16];
  if (strcmp (name, "getrandom") == 0)
    return syscall (SYS_getrandom, buf, sizeof buf, 0) < 0 ? -1 : 0;
  if (strcmp (name, "arc4random") == 0) /* glibc aborts ("cannot get entropy") without getrandom */
    return arc4random (), 0;
  if (strcmp (name, "fchmodat2") == 0) /* invalid flags: EINVAL from a kernel that has it */
    return syscall (NR_FCHMODAT2, AT_FDCWD, "/", 0755, 0x7fffffff);
  if (strcmp (name, "mseal") == 0) /* an empty range: nothing to seal */
    return syscall (NR_MSEAL, 0, 0, 0);
  if (strcmp (name, "unknown") == 0)
    return syscall (NR_NONE, 0, 0, 0);
  if (strcmp (name, "io_uring_setup") == 0)
    {
      struct io_uring_params params;
      memset (&params, 0, sizeof params);
      long fd = syscall (SYS_io_uring_setup, 1, &params);
      if (fd >= 0)
        close ((int) fd);
      return fd < 0 ? -1 : 0;
    }
  if (strcmp (name, "kexec_load") == 0)
    return syscall (SYS_kexec_load, 0, 0, NULL, 0);
  if (strcmp (name, "unshare-user") == 0)
    return unshare (CLONE_NEWUSER);
  if (strcmp (name, "clone-user") == 0)
    return child_exits (syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
  if (strcmp (name, "fork") == 0)
    return child_exits (fork ());
  if (strcmp (name, "socket-unix") == 0 || strcmp (name, "socket-alg") == 0 || strcmp (name, "socket-vsock") == 0)
    {
      int family = name[7] == 'u' ? AF_UNIX : name[7] == 'a' ? AF_ALG : AF_VSOCK;
      int fd = socket (family, SOCK_SEQPACKET, 0);
      if (fd >= 0)
        close (fd);
      return fd < 0 ? -1 : 0;
    }
  fprintf (stderr, "syscall-probe: unknown call %s\n", name);
  exit (2);
}

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      errno = 0;
      long r = call (argv[i]);
      if (r < 0)
        printf ("%s %s\n", argv[i], strerrorname_np (errno));
      else
        printf ("%s ok\n", argv[i]);
    }
  return 0;
}
