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
cloned_binary_reexec (char **argv, error *err)
{
  _cleanup_close_ int self = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0)
    return fail_errno (err, "open /proc/self/exe");
  struct stat st;
  if (fstat (self, &st) < 0)
    return fail_errno (err, "stat /proc/self/exe");
  _cleanup_close_ int copy = memfd_create ("container-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (copy < 0)
    return fail_errno (err, "memfd_create");
  for (off_t left = st.st_size; left > 0;)
    {
      ssize_t n = sendfile (copy, self, NULL, left);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return fail_errno (err, "copy the runtime binary");
      left -= n;
    }
  if (fcntl (copy, F_ADD_SEALS, REQUIRED_SEALS) < 0)
    return fail_errno (err, "seal the runtime binary's copy");
  syscall (SYS_execveat, copy, "", argv, environ, AT_EMPTY_PATH);
  return fail_errno (err, "execute the runtime binary's copy");
}
