#define _GNU_SOURCE
#include "cloned_binary.h"
#include "utils.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

bool
cloned_binary_in_use (void)
{
  _cleanup_close_ int fd = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  int seals = fcntl (fd, F_GET_SEALS);
  return seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS;
}

int
cloned_binary_copy (const char *path, error *err)
{
  _cleanup_close_ int source = open (path, O_RDONLY | O_CLOEXEC);
  if (source < 0)
    return fail_errno (err, "open `%s`", path);
  struct stat st;
  if (fstat (source, &st) < 0)
    return fail_errno (err, "stat `%s`", path);
  _cleanup_close_ int copy = memfd_create ("container-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (copy < 0)
    return fail_errno (err, "memfd_create");
  for (off_t left = st.st_size; left > 0;)
    {
      ssize_t n = sendfile (copy, source, NULL, left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return fail_errno (err, "copy `%s`", path);
      left -= n;
    }
  if (fcntl (copy, F_ADD_SEALS, REQUIRED_SEALS) < 0)
    return fail_errno (err, "seal the copy of `%s`", path);
  return steal_fd (&copy);
}

int
cloned_binary_reexec (char **argv, error *err)
{
  _cleanup_close_ int copy = cloned_binary_copy ("/proc/self/exe", err);
  if (copy < 0)
    return -1;
  syscall (SYS_execveat, copy, "", argv, environ, AT_EMPTY_PATH);
  return fail_errno (err, "execute the runtime binary's copy");
}
