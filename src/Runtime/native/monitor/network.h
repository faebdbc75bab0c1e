/* The monitor's part of a container's bridge networking: it holds the published host ports
 * from before the container starts until it has ended (as conmon does for podman), so that no
 * other container or host process takes them meanwhile; then it tears the network down. */
#ifndef MONITOR_NETWORK_H
#define MONITOR_NETWORK_H

#include "options.h"

#include <stddef.h>

typedef struct held_ports
{
  int *fds;
  size_t count;
} held_ports;

/* Binds every port of the network request (none without --network, or when the engine wrote
 * no request). On failure, answer is the line for the engine: "port-in-use <port>" or
 * "error <why>". */
int network_hold_ports (const options *o, held_ports *held, char **answer);

/* Lets the ports go and runs the helper's teardown (which removes the request file). */
void network_release (const options *o, held_ports *held);

#endif
