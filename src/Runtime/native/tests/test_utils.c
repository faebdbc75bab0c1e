#include "check.h"
#include "utils.h"

#include <fcntl.h>
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

int
main (void)
{
  error err = { 0 };
  /* descriptors handed to a process: 20..23, one of them to keep */
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
  return failures;
}
