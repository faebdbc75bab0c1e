/* rtnetlink, spoken directly on a NETLINK_ROUTE socket: the links, addresses and routes a
 * container's network needs, without spawning ip. A socket acts in the network namespace it
 * was opened in, whatever namespace the process moves to afterwards. */
#ifndef CORE_NET_NETLINK_H
#define CORE_NET_NETLINK_H

#include "error.h"

#include <stdbool.h>

/* An address as the network setup writes it: 10.88.0.5/16, fd00::5/64, or 10.88.0.1 (a
 * host address: prefix 32 or 128). */
typedef struct net_address
{
  int family; /* AF_INET or AF_INET6 */
  unsigned char bytes[16];
  int prefix;
} net_address;

int net_address_parse (const char *text, net_address *out, error *err);

/* A NETLINK_ROUTE socket in the current network namespace. */
int netlink_open (int *fd, error *err);

/* The link's index; 0 (and no error) when there is none of that name. */
int netlink_link_index (int fd, const char *name, int *index, error *err);
/* A bridge made if there is none of that name (*created says which), mtu unless 0. */
int netlink_bridge_ensure (int fd, const char *name, int mtu, bool *created, error *err);
/* How many links have the bridge for master. */
int netlink_bridge_ports (int fd, int bridge_index, int *ports, error *err);
/* A veth pair: host_name here, on the bridge and up; peer_name in the namespace netns_fd. */
int netlink_veth_create (int fd, const char *host_name, int bridge_index, const char *peer_name, int netns_fd, int mtu, error *err);
/* Deletes the link; one that is not there is no error. */
int netlink_link_delete (int fd, const char *name, error *err);
int netlink_link_up (int fd, int index, error *err);
/* Adds (or keeps) the address on the link; IPv6 without duplicate address detection, so it
 * is usable at once. */
int netlink_address_add (int fd, int index, const net_address *address, error *err);
/* The default route of the address's family through gateway, out of the link. */
int netlink_default_route_add (int fd, int index, const net_address *gateway, error *err);

#endif
