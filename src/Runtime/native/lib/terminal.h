/* process.terminal: a pty made inside the container, whose master goes to the
 * caller over --console-socket (SCM_RIGHTS), as the OCI runtime spec describes. */
#ifndef CORE_TERMINAL_H
#define CORE_TERMINAL_H

#include "error.h"

/* Connects to the caller's unix socket; the fd is passed on to the child. */
int terminal_connect_socket (const char *path, error *err);

/* In the container: opens a pty, sends its master over socket_fd, makes the
 * slave the controlling terminal and stdio. Binds it on /dev/console when bind_console. */
int terminal_setup (int socket_fd, unsigned rows, unsigned cols, int bind_console, error *err);

/* Sends fd over a connected unix socket. */
int terminal_send_fd (int socket_fd, int fd, error *err);
/* Receives one fd from a unix socket. */
int terminal_receive_fd (int socket_fd, error *err);

#endif
