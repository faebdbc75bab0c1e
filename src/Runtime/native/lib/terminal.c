#define _GNU_SOURCE
#include "terminal.h"
#include "utils.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int
terminal_connect_socket (const char *path, error *err)
{
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  if (strlen (path) >= sizeof addr.sun_path)
    return fail (err, ENAMETOOLONG, "console socket path `%s`", path);
  strcpy (addr.sun_path, path);
  int fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return fail_errno (err, "socket");
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    {
      int saved = errno;
      close (fd);
      return fail (err, saved, "connect to console socket `%s`", path);
    }
  return fd;
}

int
terminal_send_fd (int socket_fd, int fd, error *err)
{
  char byte = '0';
  struct iovec iov = { &byte, 1 };
  char control[CMSG_SPACE (sizeof (int))];
  memset (control, 0, sizeof control);
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
  struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN (sizeof (int));
  memcpy (CMSG_DATA (cmsg), &fd, sizeof (int));
  if (sendmsg (socket_fd, &msg, 0) < 0)
    return fail_errno (err, "send the terminal over the console socket");
  return 0;
}

int
terminal_receive_fd (int socket_fd, error *err)
{
  char byte;
  struct iovec iov = { &byte, 1 };
  char control[CMSG_SPACE (sizeof (int))];
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
  if (recvmsg (socket_fd, &msg, MSG_CMSG_CLOEXEC) <= 0)
    return fail_errno (err, "receive the terminal");
  struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg);
  if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS)
    return fail (err, EPROTO, "no terminal in the message");
  int fd;
  memcpy (&fd, CMSG_DATA (cmsg), sizeof (int));
  return fd;
}

int
terminal_setup (int socket_fd, unsigned rows, unsigned cols, int bind_console, error *err)
{
  _cleanup_close_ int master = open ("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0)
    return fail_errno (err, "open /dev/ptmx");
  if (unlockpt (master) < 0)
    return fail_errno (err, "unlockpt");
  char slave_path[64];
  if (ptsname_r (master, slave_path, sizeof slave_path) != 0)
    return fail_errno (err, "ptsname");
  if (rows || cols)
    {
      struct winsize ws = { .ws_row = rows, .ws_col = cols };
      ioctl (master, TIOCSWINSZ, &ws);
    }
  _cleanup_close_ int slave = open (slave_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    return fail_errno (err, "open `%s`", slave_path);
  if (bind_console)
    {
      int fd = open ("/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd >= 0)
        close (fd);
      if (mount (slave_path, "/dev/console", NULL, MS_BIND, NULL) < 0)
        return fail_errno (err, "bind `%s` on /dev/console", slave_path);
    }
  if (terminal_send_fd (socket_fd, master, err) < 0)
    return -1;
  if (setsid () < 0 && errno != EPERM)
    return fail_errno (err, "setsid");
  if (ioctl (slave, TIOCSCTTY, 0) < 0)
    return fail_errno (err, "make `%s` the controlling terminal", slave_path);
  for (int i = 0; i < 3; i++)
    if (dup2 (slave, i) < 0)
      return fail_errno (err, "dup2 the terminal to %d", i);
  return 0;
}
