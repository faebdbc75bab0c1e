/* The monitor's part of a container's bridge networking: it holds the published host ports
 * from before the container starts until it has ended (as conmon does for podman), so that no
 * other container or host process takes them meanwhile; then it tears the network down. */
#ifndef MONITOR_NETWORK_H
#define MONITOR_NETWORK_H

#include "options.h"

#include <stddef.h>
#include <sys/types.h>

typedef struct held_ports
{
  int *fds;
  size_t count;
} held_ports;

/* Binds every port of the network request (none without --network, or when the engine wrote
 * no request). On failure, answer is the line for the engine: "port-in-use <port>" or
 * "error <why>". */
int network_hold_ports (const options *o, held_ports *held, char **answer);

/* Lets the ports go and starts the helper's teardown (which removes the request file): its
 * pid, for network_release_wait, or 0 when there is nothing to tear down. It runs beside the
 * monitor's own last steps (the runtime's delete, the unmounts), which mostly wait on the
 * kernel as it does. */
pid_t network_release_start (const options *o, held_ports *held);

/* Waits for the teardown network_release_start started, if any. */
void network_release_wait (pid_t teardown);

#endif
