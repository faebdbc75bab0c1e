#define _GNU_SOURCE
#include "net_request.h"
#include "utils.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
member_string (const json_value *obj, const char *key, bool required, const char **out, error *err)
{
  const json_value *v = json_get (obj, key);
  *out = NULL;
  if (v == NULL || v->type == JSON_NULL)
    return required ? fail (err, 0, "the network request has no `%s`", key) : 0;
  if (v->type != JSON_STRING)
    return fail (err, 0, "the network request's `%s` is not a string", key);
  *out = v->string.chars;
  return 0;
}

static int
member_int (const json_value *obj, const char *key, int *out, error *err)
{
  const json_value *v = json_get (obj, key);
  *out = 0;
  if (v == NULL)
    return 0;
  if (v->type != JSON_NUMBER || !v->number.is_integer || v->number.integer < 0 || v->number.integer > 65535)
    return fail (err, 0, "the network request's `%s` is not a number from 0 to 65535", key);
  *out = (int) v->number.integer;
  return 0;
}

static const json_value *
member_array (const json_value *obj, const char *key)
{
  const json_value *v = json_get (obj, key);
  return v && v->type == JSON_ARRAY ? v : NULL;
}

/* An array of strings; absent or null is none. */
static int
member_strings (const json_value *obj, const char *key, const char ***out, size_t *count, error *err)
{
  const json_value *v = member_array (obj, key);
  *out = NULL;
  *count = 0;
  if (v == NULL)
    return 0;
  *out = xzalloc (sizeof **out * (v->array.count + 1));
  for (; *count < v->array.count; (*count)++)
    {
      if (v->array.items[*count]->type != JSON_STRING)
        {
          free (*out);
          *out = NULL;
          return fail (err, 0, "the network request's `%s` holds a value that is not a string", key);
        }
      (*out)[*count] = v->array.items[*count]->string.chars;
    }
  return 0;
}

static int
read_dns (const json_value *setup, net_request *r, error *err)
{
  const json_value *dns = json_get (setup, "dns");
  if (dns == NULL || dns->type == JSON_NULL)
    return 0;
  return member_string (dns, "directory", true, &r->dns_directory, err) < 0
                 || member_string (dns, "resolver", true, &r->dns_resolver, err) < 0
                 || member_strings (dns, "servers", &r->dns_servers, &r->dns_server_count, err) < 0
             ? -1
             : 0;
}

static int
read_attachment (const json_value *v, net_attachment *a, error *err)
{
  const json_value *internal = json_get (v, "internal");
  a->internal = internal && internal->type == JSON_BOOL && internal->boolean;
  if (member_string (v, "network", true, &a->network, err) < 0 || member_string (v, "bridge", true, &a->bridge, err) < 0
      || member_string (v, "interface", true, &a->interface, err) < 0 || member_string (v, "hostInterface", true, &a->host_interface, err) < 0
      || member_string (v, "subnet", true, &a->subnet, err) < 0 || member_string (v, "address", true, &a->address, err) < 0
      || member_string (v, "gateway", false, &a->gateway, err) < 0 || member_string (v, "subnet6", false, &a->subnet6, err) < 0
      || member_string (v, "address6", false, &a->address6, err) < 0 || member_string (v, "gateway6", false, &a->gateway6, err) < 0
      || member_int (v, "mtu", &a->mtu, err) < 0 || member_strings (v, "dnsNames", &a->dns_names, &a->dns_name_count, err) < 0)
    return -1;
  if (a->gateway && a->gateway[0] == '\0')
    a->gateway = NULL;
  if (a->gateway6 && a->gateway6[0] == '\0')
    a->gateway6 = NULL;
  if (strlen (a->bridge) >= 16 || strlen (a->interface) >= 16 || strlen (a->host_interface) >= 16)
    return fail (err, 0, "an interface name of network `%s` is longer than 15 characters", a->network);
  return 0;
}

static int
read_port (const json_value *v, net_port *p, error *err)
{
  if (member_string (v, "hostIp", false, &p->host_ip, err) < 0 || member_string (v, "protocol", true, &p->protocol, err) < 0
      || member_int (v, "hostPort", &p->host_port, err) < 0 || member_int (v, "containerPort", &p->container_port, err) < 0)
    return -1;
  if (p->host_ip == NULL)
    p->host_ip = "";
  if (strcmp (p->protocol, "tcp") != 0 && strcmp (p->protocol, "udp") != 0)
    return fail (err, 0, "published port %d: unknown protocol `%s`", p->host_port, p->protocol);
  if (p->host_port == 0 || p->container_port == 0)
    return fail (err, 0, "a published port has no host or container port");
  return 0;
}

int
net_request_read (const char *path, net_request *out, error *err)
{
  memset (out, 0, sizeof *out);
  _cleanup_free_ char *text = NULL;
  size_t len = 0;
  /* stdin by its descriptor: a minimal /dev has no /dev/stdin */
  if ((strcmp (path, "-") == 0 ? read_fd (0, "stdin", &text, &len, err) : read_file (path, &text, &len, err)) < 0)
    return -1;
  out->doc = json_parse (text, len, err);
  if (out->doc == NULL)
    return error_wrap (err, "read the network request `%s`", path);
  const json_value *root = json_root (out->doc);
  const json_value *setup = json_get (root, "setup");
  if (setup == NULL || setup->type != JSON_OBJECT)
    return fail (err, 0, "the network request `%s` has no setup", path);
  if (member_string (root, "hostNamespace", false, &out->host_namespace, err) < 0
      || member_string (setup, "containerId", true, &out->container_id, err) < 0
      || member_string (setup, "namespacePath", true, &out->namespace_path, err) < 0)
    return -1;
  if (out->host_namespace && out->host_namespace[0] == '\0')
    out->host_namespace = NULL;
  if (read_dns (setup, out, err) < 0)
    return -1;
  const json_value *attachments = member_array (setup, "attachments");
  const json_value *ports = member_array (setup, "ports");
  if (attachments)
    {
      out->attachments = xzalloc (sizeof *out->attachments * attachments->array.count);
      for (; out->attachment_count < attachments->array.count; out->attachment_count++)
        if (read_attachment (attachments->array.items[out->attachment_count], &out->attachments[out->attachment_count], err) < 0)
          return -1;
    }
  if (ports)
    {
      out->ports = xzalloc (sizeof *out->ports * ports->array.count);
      for (; out->port_count < ports->array.count; out->port_count++)
        if (read_port (ports->array.items[out->port_count], &out->ports[out->port_count], err) < 0)
          return -1;
    }
  return 0;
}

void
net_request_free (net_request *r)
{
  for (size_t i = 0; i < r->attachment_count; i++)
    free (r->attachments[i].dns_names);
  free (r->attachments);
  free (r->ports);
  free (r->dns_servers);
  if (r->doc)
    json_free (r->doc);
  memset (r, 0, sizeof *r);
}

int
net_request_enter_host (const net_request *r, error *err)
{
  if (r->host_namespace == NULL)
    return 0;
  _cleanup_close_ int fd = open (r->host_namespace, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open the host network namespace `%s`", r->host_namespace);
  if (setns (fd, CLONE_NEWNET) < 0)
    return fail_errno (err, "enter the host network namespace `%s`", r->host_namespace);
  return 0;
}

void
net_port_describe (const net_port *p, char *buf, size_t len)
{
  bool v6 = strchr (p->host_ip, ':') != NULL;
  snprintf (buf, len, "%s%s%s:%d/%s", v6 ? "[" : "", p->host_ip[0] ? p->host_ip : "0.0.0.0", v6 ? "]" : "", p->host_port, p->protocol);
}

static int
net_port_hold (const net_port *p, int *fd, error *err)
{
  char what[96];
  net_port_describe (p, what, sizeof what);
  bool tcp = strcmp (p->protocol, "tcp") == 0;
  struct sockaddr_storage address = { 0 };
  socklen_t address_len;
  int family = strchr (p->host_ip, ':') ? AF_INET6 : AF_INET;
  if (family == AF_INET6)
    {
      struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) &address;
      in6->sin6_family = AF_INET6;
      in6->sin6_port = htons (p->host_port);
      if (inet_pton (AF_INET6, p->host_ip, &in6->sin6_addr) != 1)
        return fail (err, 0, "published port %s: `%s` is not an address", what, p->host_ip);
      address_len = sizeof *in6;
    }
  else
    {
      struct sockaddr_in *in = (struct sockaddr_in *) &address;
      in->sin_family = AF_INET;
      in->sin_port = htons (p->host_port);
      if (p->host_ip[0] && inet_pton (AF_INET, p->host_ip, &in->sin_addr) != 1)
        return fail (err, 0, "published port %s: `%s` is not an address", what, p->host_ip);
      address_len = sizeof *in;
    }
  _cleanup_close_ int s = socket (family, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
  if (s < 0)
    return fail_errno (err, "open a socket to hold port %s", what);
  /* tcp: a restart must not wait for the last run's connections in TIME_WAIT, and a listener
   * still keeps every other socket off the port (udp's would share it: not there) */
  int on = 1;
  if (tcp)
    setsockopt (s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (bind (s, (struct sockaddr *) &address, address_len) < 0)
    return fail_errno (err, "hold port %s", what);
  /* its queue takes what reaches the port while no rule forwards it (a flushed ruleset): room
   * for a few, so that a probe after them still finds the host's socket, not a lost SYN */
  if (tcp && listen (s, 16) < 0)
    return fail_errno (err, "hold port %s", what);
  *fd = steal_fd (&s);
  return 0;
}

int
net_ports_hold (const net_request *r, int *fds, const net_port **busy, error *err)
{
  _cleanup_close_ int own = -1;
  if (r->host_namespace && (own = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
    return fail_errno (err, "open this process's network namespace");
  if (net_request_enter_host (r, err) < 0)
    return -1;
  int status = 0;
  size_t held = 0;
  for (; held < r->port_count; held++)
    if (net_port_hold (&r->ports[held], &fds[held], err) < 0)
      {
        *busy = &r->ports[held];
        status = -1;
        break;
      }
  if (own >= 0 && setns (own, CLONE_NEWNET) < 0 && status == 0)
    status = fail_errno (err, "return to this process's network namespace");
  if (status < 0)
    while (held > 0)
      close (fds[--held]);
  return status;
}
