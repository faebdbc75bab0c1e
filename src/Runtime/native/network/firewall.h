/* The container's nftables rules (firewall.c says how). */
#ifndef NETWORK_FIREWALL_H
#define NETWORK_FIREWALL_H

#include "../lib/net_request.h"

#include <stdbool.h>

/* Forwarding, masquerade and the published ports' DNAT of the container, one transaction;
 * *table_was_missing (if given): our table was not there before (none yet, or a firewall
 * reload flushed it). */
int firewall_add (const net_request *r, bool *table_was_missing, error *err);
/* Every rule of the container (only: of the container on that network), and our table with
 * the last of them; none is no error. */
int firewall_remove (const net_request *r, const net_attachment *only, error *err);

/* The container's rules deleted and added again, one transaction: after a firewall reload
 * flushed them, or someone else's forward chain came (repair). */
int firewall_reapply (const net_request *r, error *err);
/* The host's whole ruleset as nftables JSON, on stdout (what Test-ContainerPort reads). */
int firewall_print_ruleset (error *err);

/* Lets the process end without waiting for the kernel: the close of the nftables socket after
 * a commit waits for an RCU grace period (the kernel frees the transaction then; 10-20 ms on a
 * loaded host), which a child of ours, holding the socket past our exit, waits for instead. */
void firewall_release_in_background (void);

#endif
