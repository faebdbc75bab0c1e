/* The network helper's request: one container's network setup (the engine's NetworkSetup)
 * and the host network namespace it is made in, read from the JSON file the engine writes.
 * The helper sets the network up and tears it down by it; the monitor holds its published
 * ports by it and tears it down at the container's end. */
#ifndef CORE_NET_REQUEST_H
#define CORE_NET_REQUEST_H

#include "error.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct net_attachment
{
  const char *network, *bridge, *interface, *host_interface;
  const char *subnet, *address, *gateway; /* gateway: NULL or "" on a network without one */
  const char *subnet6, *address6, *gateway6; /* NULL without IPv6 */
  int mtu;                                  /* 0: the kernel's default */
  bool internal;
  const char **dns_names; /* what the network's resolver answers with the address; NULL: no DNS */
  size_t dns_name_count;
} net_attachment;

typedef struct net_port
{
  const char *host_ip; /* "" for every address */
  int host_port, container_port;
  const char *protocol; /* tcp or udp */
} net_port;

typedef struct net_request
{
  json_document *doc; /* the strings above point into it */
  const char *container_id, *namespace_path;
  const char *host_namespace; /* NULL: the caller's own */
  net_attachment *attachments;
  size_t attachment_count;
  net_port *ports;
  size_t port_count;
  /* the resolver (aardvark-dns) of its networks with DNS; dns_directory NULL when none has */
  const char *dns_directory, *dns_resolver;
  const char **dns_servers; /* where it forwards the container's other queries */
  size_t dns_server_count;
} net_request;

/* Reads the request from path, or from stdin when path is "-". */
int net_request_read (const char *path, net_request *out, error *err);
void net_request_free (net_request *r);
#define _cleanup_net_request_ __attribute__ ((cleanup (net_request_free)))

/* Moves this process into the request's host network namespace (if it names one): what it
 * makes, binds and reads from then on is that namespace's. Single-threaded callers only. */
int net_request_enter_host (const net_request *r, error *err);

/* "0.0.0.0:8080/tcp", as the engine shows a published port. */
void net_port_describe (const net_port *p, char *buf, size_t len);

/* Binds (and for tcp, listens on) every published host port in the request's host namespace
 * (the caller stays in its own), so nothing else on the host can take them while the container
 * runs: fds gets port_count descriptors. On failure none is held, err->errnum is EADDRINUSE
 * when something holds a port, and *busy is the one. */
int net_ports_hold (const net_request *r, int *fds, const net_port **busy, error *err);

#endif
