#define _GNU_SOURCE
#include "network.h"
#include "../lib/net_request.h"
#include "../lib/utils.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
network_hold_ports (const options *o, held_ports *held, char **answer)
{
  *held = (held_ports){ 0 };
  if (o->network == NULL || !file_exists (o->network))
    return 0;
  error err = { 0 };
  _cleanup_net_request_ net_request request = { 0 };
  if (net_request_read (o->network, &request, &err) < 0)
    {
      *answer = xasprintf ("error %s\n", err.message);
      return -1;
    }
  int *fds = xzalloc (sizeof *fds * (request.port_count + 1));
  const net_port *busy = NULL;
  if (net_ports_hold (&request, fds, &busy, &err) < 0)
    {
      free (fds);
      char port[96];
      if (busy && err.errnum == EADDRINUSE)
        {
          net_port_describe (busy, port, sizeof port);
          *answer = xasprintf ("port-in-use %s\n", port);
        }
      else
        *answer = xasprintf ("error %s: %s\n", err.message, strerror (err.errnum));
      return -1;
    }
  held->fds = fds;
  held->count = request.port_count;
  return 0;
}

pid_t
network_release_start (const options *o, held_ports *held)
{
  for (size_t i = 0; i < held->count; i++)
    close (held->fds[i]);
  free (held->fds);
  *held = (held_ports){ 0 };
  if (o->network == NULL || !file_exists (o->network))
    return 0;
  pid_t pid = fork ();
  if (pid == 0)
    {
      sigset_t none;
      sigemptyset (&none);
      sigprocmask (SIG_SETMASK, &none, NULL);
      execl (o->network_helper, o->network_helper, "teardown", o->network, (char *) NULL);
      _exit (127);
    }
  return pid > 0 ? pid : 0;
}

void
network_release_wait (pid_t teardown)
{
  while (teardown > 0 && waitpid (teardown, NULL, 0) < 0 && errno == EINTR)
    ;
}
