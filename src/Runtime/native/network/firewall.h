/* The container's nftables rules (firewall.c says how). */
#ifndef NETWORK_FIREWALL_H
#define NETWORK_FIREWALL_H

#include "../lib/net_request.h"

/* Forwarding, masquerade and the published ports' DNAT of the container, one transaction. */
int firewall_add (const net_request *r, error *err);
/* Every rule tagged with the container's id, and our table with the last of them; none is no error. */
int firewall_remove (const net_request *r, error *err);

#endif
