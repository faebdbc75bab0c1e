/* The container's entries in its networks' resolver, aardvark-dns (podman's), kept as netavark
 * keeps them: a config directory with a file per network that has DNS (its first line the
 * addresses to answer on, its gateways; then a line per member: id, addresses, names, the
 * servers its other queries are forwarded to), and one resolver process for the directory,
 * told of a change by SIGHUP. Called with the networks' lock held, in the host's namespace. */
#ifndef NETWORK_DNS_H
#define NETWORK_DNS_H

#include "../lib/error.h"
#include "../lib/net_request.h"

/* Adds the container's entry on each of its networks with DNS, then starts the resolver or
 * has it reload. Nothing when the request names no resolver. */
int dns_add (const net_request *r, error *err);

/* Removes the container's entries (idempotent: none is fine), the files of networks left
 * without members; stops the resolver once no network has any, else has it reload. */
int dns_remove (const net_request *r, error *err);

#endif
