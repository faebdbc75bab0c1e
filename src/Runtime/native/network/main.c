/* container-network: the kernel side of one container's bridge networking, for the engine's
 * network driver and the monitor.
 *
 *   container-network setup <request>      make it all, or nothing (what a failure made is undone)
 *   container-network teardown <request>   undo it: idempotent, safe on what is half made or gone
 *   container-network attach <request>     add the request's networks to its namespace as it is
 *                                          (a running container's), all or nothing
 *   container-network detach <request>     take the request's networks out of it again
 *   container-network repair <request>     its firewall rules applied again (after a reload flushed them)
 *   container-network ruleset <request>    the host's nftables ruleset as JSON, on stdout
 *
 * <request> is the JSON file the engine writes ({"setup": NetworkSetup, "hostNamespace": path}),
 * or - for stdin; teardown removes a request file it was given. With hostNamespace, everything
 * happens in that network namespace (a test's stand-in for the host).
 *
 * setup: the published host ports checked free; then, holding the namespace directory's
 * network.lock (so that a bridge is never deleted by the last member's teardown while a new
 * member attaches to it): each network's bridge made if missing, with its gateway addresses,
 * up; the container's namespace bound at its path; a veth pair per network, the host end on the
 * bridge, the other in the namespace under its name; forwarding on; the firewall rules; its
 * entries in the resolver of networks with DNS (aardvark-dns, started or told to reload). Then
 * inside: lo up, addresses, the default routes (none on an internal network). All over
 * netlink and libnftables: nothing is spawned but the resolver.
 *
 * teardown: the namespace unmounted and removed, the container's rules and resolver entries
 * deleted (the resolver stopped with the last); then, by a child, the host's veth ends and,
 * under the lock, the bridges left without members and the directory's mount point once it
 * holds no namespace (teardown says why). Each such child holds background.lock (shared) until
 * it is done: whoever must see its work done takes that lock.
 * attach and detach (docker network connect, disconnect) do for the request's attachments what
 * setup and teardown do for each: the same per-network steps (attach_host_side,
 * configure_attachment; the rules tagged per network; the resolver's entries), without the
 * namespace's own making or removal and without a change to its default routes.
 * The kernel's waits for RCU grace periods (a link's deletion, the close of the nftables
 * socket after a commit) are made by children of ours, past the command's end.
 *
 * Exit status: 0 done, 1 failed (stderr says why), 3 a published host port is in use. */
#define _GNU_SOURCE
#include "../lib/net_netlink.h"
#include "../lib/net_request.h"
#include "../lib/utils.h"
#include "dns.h"
#include "firewall.h"
#include "netns.h"

#include <dirent.h>
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define EXIT_PORT_IN_USE 3

static int
write_sysctl (const char *path, const char *value, error *err)
{
  char current[16] = "";
  _cleanup_close_ int fd = open (path, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open `%s`", path);
  if (read (fd, current, sizeof current - 1) > 0 && strncmp (current, value, strlen (value)) == 0)
    return 0;
  if (pwrite (fd, value, strlen (value), 0) < 0)
    return fail_errno (err, "write `%s`", path);
  return 0;
}

/* A lock file of the namespace directory (name), held (operation: LOCK_EX or LOCK_SH) until the
 * process ends or the fd closes. */
static int
lock_in_namespace_dir (const char *namespace_path, const char *name, int operation, int *fd, error *err)
{
  _cleanup_free_ char *copy = xstrdup (namespace_path);
  const char *dir = dirname (copy);
  if (mkdir_p (dir, 0755, err) < 0)
    return -1;
  _cleanup_free_ char *path = xasprintf ("%s/%s", dir, name);
  int lock = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0)
    return fail_errno (err, "open `%s`", path);
  if (flock (lock, operation) < 0)
    {
      int saved = errno;
      close (lock);
      return fail (err, saved, "lock `%s`", path);
    }
  *fd = lock;
  return 0;
}

/* The namespace directory's network.lock: every change to the host's side is made under it. */
static int
lock_networks (const char *namespace_path, int *fd, error *err)
{
  return lock_in_namespace_dir (namespace_path, "network.lock", LOCK_EX, fd, err);
}

/* The gateway address with the subnet's prefix: the bridge's address. */
static int
gateway_address (const char *gateway, const char *subnet, net_address *out, error *err)
{
  net_address net;
  if (net_address_parse (subnet, &net, err) < 0 || net_address_parse (gateway, out, err) < 0)
    return -1;
  if (net.family != out->family)
    return fail (err, 0, "gateway %s is not of subnet %s's family", gateway, subnet);
  out->prefix = net.prefix;
  return 0;
}

static int
bridge_up (int nl, const net_attachment *a, int *index, error *err)
{
  bool created;
  if (netlink_bridge_ensure (nl, a->bridge, a->mtu, &created, err) < 0 || netlink_link_index (nl, a->bridge, index, err) < 0)
    return -1;
  if (*index == 0)
    return fail (err, ENODEV, "bridge `%s` is gone", a->bridge);
  net_address gateway;
  if (a->gateway
      && (gateway_address (a->gateway, a->subnet, &gateway, err) < 0 || netlink_address_add (nl, *index, &gateway, err) < 0))
    return -1;
  if (a->gateway6 && a->subnet6
      && (gateway_address (a->gateway6, a->subnet6, &gateway, err) < 0 || netlink_address_add (nl, *index, &gateway, err) < 0))
    return -1;
  /* the host's own 127.0.0.1 reaches a published port through the bridge (DNAT in output) */
  _cleanup_free_ char *localnet = xasprintf ("/proc/sys/net/ipv4/conf/%s/route_localnet", a->bridge);
  if (write_sysctl (localnet, "1", err) < 0)
    return -1;
  return netlink_link_up (nl, *index, err);
}

/* Which default routes the container's namespace has: the first network with a way out gives
 * them, as docker's first network's gateway does; one attached later changes none. */
typedef struct default_routes
{
  bool v4, v6;
} default_routes;

/* The container on one network, inside its namespace (nl is a socket opened there): the
 * interface's addresses, up, and the default routes it is the first to give. */
static int
configure_attachment (int nl, const net_attachment *a, default_routes *routes, error *err)
{
  int index;
  net_address address, gateway;
  if (netlink_link_index (nl, a->interface, &index, err) < 0)
    return -1;
  if (index == 0)
    return fail (err, ENODEV, "no `%s` in the container's namespace", a->interface);
  if (net_address_parse (a->address, &address, err) < 0 || netlink_address_add (nl, index, &address, err) < 0)
    return -1;
  if (a->address6 && (net_address_parse (a->address6, &address, err) < 0 || netlink_address_add (nl, index, &address, err) < 0))
    return -1;
  if (netlink_link_up (nl, index, err) < 0)
    return -1;
  if (a->internal)
    return 0;
  if (a->gateway && !routes->v4)
    {
      if (net_address_parse (a->gateway, &gateway, err) < 0 || netlink_default_route_add (nl, index, &gateway, err) < 0)
        return -1;
      routes->v4 = true;
    }
  if (a->gateway6 && !routes->v6)
    {
      if (net_address_parse (a->gateway6, &gateway, err) < 0 || netlink_default_route_add (nl, index, &gateway, err) < 0)
        return -1;
      routes->v6 = true;
    }
  return 0;
}

/* Inside the container's namespace: lo up, then each network's interface. */
static int
configure_inside (int nl, const net_request *r, default_routes *routes, error *err)
{
  if (netlink_link_up (nl, 1, err) < 0) /* lo is the first link of every namespace */
    return -1;
  for (size_t i = 0; i < r->attachment_count; i++)
    if (configure_attachment (nl, &r->attachments[i], routes, err) < 0)
      return -1;
  return 0;
}

/* A netlink socket in the namespace fd names; this process stays where it is. */
static int
netlink_open_in (int netns_fd, int *nl, error *err)
{
  _cleanup_close_ int own = open ("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (own < 0)
    return fail_errno (err, "open this process's network namespace");
  if (setns (netns_fd, CLONE_NEWNET) < 0)
    return fail_errno (err, "enter the container's network namespace");
  int opened = netlink_open (nl, err);
  if (setns (own, CLONE_NEWNET) < 0)
    {
      if (opened == 0)
        close (*nl);
      return fail_errno (err, "return to the host's network namespace");
    }
  return opened;
}

/* Before anything is made: a port something holds fails the setup (the monitor holds them
 * while the container runs). The busy one is printed on stdout, for the engine's error. */
static int
check_ports_free (const net_request *r, error *err)
{
  _cleanup_free_ int *fds = xzalloc (sizeof *fds * (r->port_count + 1));
  const net_port *busy = NULL;
  if (net_ports_hold (r, fds, &busy, err) < 0)
    {
      char port[96];
      if (busy && err->errnum == EADDRINUSE)
        {
          net_port_describe (busy, port, sizeof port);
          printf ("%s\n", port);
        }
      return -1;
    }
  for (size_t i = 0; i < r->port_count; i++)
    close (fds[i]);
  return 0;
}

/* The networks' bridges that no member uses any more: under the lock, so no setup is
 * attaching meanwhile. */
static void
drop_unused_bridges (const net_request *r, int nl)
{
  error ignored = { 0 };
  for (size_t i = 0; i < r->attachment_count; i++)
    {
      int index = 0, ports = 0;
      if (netlink_link_index (nl, r->attachments[i].bridge, &index, &ignored) == 0 && index > 0
          && netlink_bridge_ports (nl, index, &ports, &ignored) == 0 && ports == 0)
        netlink_link_delete (nl, r->attachments[i].bridge, &ignored);
    }
}

/* The namespace directory's own mount point, once it holds no namespace. */
static int
release_namespace_dir (const net_request *r, error *err)
{
  _cleanup_free_ char *copy = xstrdup (r->namespace_path);
  return netns_dir_release (dirname (copy), err);
}

/* The host's veth ends (the container's ends go with them). A veth end that will not go goes
 * with the container's namespace, freed once unmounted. */
static void
delete_veths (const net_request *r, int nl)
{
  error ignored = { 0 };
  for (size_t i = 0; i < r->attachment_count; i++)
    netlink_link_delete (nl, r->attachments[i].host_interface, &ignored);
}

static void
delete_links (const net_request *r, int nl)
{
  delete_veths (r, nl);
  drop_unused_bridges (r, nl);
}

/* Under the lock: the bridges left without members, and the namespace directory's mount point
 * if no namespace is left in it (its unmount waits for an RCU grace period too). */
static void
drop_unused (const net_request *r, int nl)
{
  drop_unused_bridges (r, nl);
  release_namespace_dir (r, &(error){ 0 });
}

/* The namespace and the rules now; the rest by a child, past the command's end: a link's
 * deletion and an unmount each wait for an RCU grace period (10-20 ms on a loaded host), which
 * the container's end need not. The child deletes the veths without the lock (their names are
 * the container's own; its next setup deletes one still there), so that a setup just after, on
 * a host that starts containers one after another, does not wait for them; then, under the
 * lock, the bridges and the mount point, should nothing use them by then. */
static int
teardown (const net_request *r, error *err)
{
  _cleanup_close_ int lock = -1;
  _cleanup_close_ int nl = -1;
  _cleanup_close_ int background = -1;
  if (lock_networks (r->namespace_path, &lock, err) < 0 || netlink_open (&nl, err) < 0
      || lock_in_namespace_dir (r->namespace_path, "background.lock", LOCK_SH, &background, err) < 0)
    return -1;
  /* each part tried, whatever another's outcome; err says the first failure */
  int status = netns_remove (r->namespace_path, err);
  if (firewall_remove (r, NULL, err) < 0)
    status = -1;
  if (dns_remove (r, err) < 0)
    status = -1;
  pid_t child = fork ();
  if (child == 0)
    {
      /* the shared background.lock stays with this child's copy of its descriptor */
      close (lock);
      int null = open ("/dev/null", O_RDWR | O_CLOEXEC);
      dup2 (null, 0);
      dup2 (null, 1);
      dup2 (null, 2);
      delete_veths (r, nl);
      int relocked = -1;
      if (lock_networks (r->namespace_path, &relocked, &(error){ 0 }) == 0)
        drop_unused (r, nl);
      _exit (0);
    }
  if (child < 0)
    {
      delete_veths (r, nl);
      drop_unused (r, nl);
    }
  return status;
}

/* What a setup made so far, for the undo of a failed one: nothing made by someone else. */
typedef struct made
{
  bool netns, firewall, dns;
  size_t veths;
} made;

static void
undo (const net_request *r, int nl, const made *m)
{
  error ignored = { 0 };
  for (size_t i = 0; i < m->veths; i++)
    netlink_link_delete (nl, r->attachments[i].host_interface, &ignored);
  if (m->dns)
    dns_remove (r, &ignored);
  if (m->firewall)
    for (size_t i = 0; i < r->attachment_count; i++)
      firewall_remove (r, &r->attachments[i], &ignored);
  if (m->netns)
    netns_remove (r->namespace_path, &ignored);
  drop_unused_bridges (r, nl);
  release_namespace_dir (r, &ignored);
}

/* Our table was gone at a setup (a firewall reload flushed it, as firewalld or a restart of
 * nftables do): the rules of the other containers whose namespaces are there come back from
 * their requests, beside this one's. Under the lock, so no teardown is halfway meanwhile. */
static void
reapply_others (const net_request *r)
{
  _cleanup_free_ char *copy = xstrdup (r->namespace_path);
  const char *dir = dirname (copy);
  DIR *d = opendir (dir);
  if (d == NULL)
    return;
  for (struct dirent *e; (e = readdir (d)) != NULL;)
    {
      size_t len = strlen (e->d_name);
      if (len <= 5 || strcmp (e->d_name + len - 5, ".json") != 0)
        continue;
      _cleanup_free_ char *path = xasprintf ("%s/%s", dir, e->d_name);
      error ignored = { 0 };
      _cleanup_net_request_ net_request other = { 0 };
      if (net_request_read (path, &other, &ignored) < 0 || strcmp (other.container_id, r->container_id) == 0
          || access (other.namespace_path, F_OK) < 0)
        continue;
      firewall_reapply (&other, &ignored);
    }
  closedir (d);
}

/* repair: the container's rules applied again (Repair-ContainerNetwork), under the lock. */
static int
repair (const net_request *r, error *err)
{
  _cleanup_close_ int lock = -1;
  if (lock_networks (r->namespace_path, &lock, err) < 0)
    return -1;
  if (access (r->namespace_path, F_OK) < 0)
    {
      /* the container ended meanwhile: nothing of it to apply */
      printf ("gone\n");
      return 0;
    }
  return firewall_reapply (r, err);
}

/* The host's side of the container on one network: the bridge made or kept, up; a veth pair,
 * its host end on the bridge, its other end in the namespace netns under the attachment's name. */
static int
attach_host_side (int nl, const net_attachment *a, int netns, error *err)
{
  int bridge;
  if (bridge_up (nl, a, &bridge, err) < 0)
    return -1;
  error exists = { 0 };
  if (netlink_veth_create (nl, a->host_interface, bridge, a->interface, netns, a->mtu, &exists) == 0)
    return 0;
  /* the host end's name is the container's own: one that exists is its last run's, which that
   * run's teardown child has yet to delete (it does so without the lock): deleted here first */
  if (exists.errnum != EEXIST || netlink_link_delete (nl, a->host_interface, err) < 0)
    {
      if (exists.errnum != EEXIST)
        *err = exists;
      return -1;
    }
  return netlink_veth_create (nl, a->host_interface, bridge, a->interface, netns, a->mtu, err);
}

/* Under the lock: each attachment's host side, forwarding on, the firewall rules. */
static int
attach_locked (const net_request *r, int nl, made *m, int netns, error *err)
{
  bool v6 = false;
  for (size_t i = 0; i < r->attachment_count; i++)
    {
      if (attach_host_side (nl, &r->attachments[i], netns, err) < 0)
        return -1;
      m->veths++;
      v6 = v6 || r->attachments[i].address6;
    }
  if (r->attachment_count == 0)
    return 0;
  bool table_was_missing = false;
  if (write_sysctl ("/proc/sys/net/ipv4/ip_forward", "1", err) < 0
      || (v6 && write_sysctl ("/proc/sys/net/ipv6/conf/all/forwarding", "1", err) < 0)
      || firewall_add (r, &table_was_missing, err) < 0)
    return -1;
  m->firewall = true;
  if (table_was_missing)
    reapply_others (r);
  /* after the bridges have their addresses: the resolver answers on them */
  m->dns = true;
  return dns_add (r, err);
}

/* The namespace made and attached as the request says (host side under the lock, then inside);
 * or, for attach, the request's attachments added to the namespace there is. A failure undoes
 * what was made. */
static int
make (const net_request *r, bool new_namespace, error *err)
{
  _cleanup_close_ int lock = -1;
  _cleanup_close_ int nl = -1;
  _cleanup_close_ int netns = -1;
  _cleanup_close_ int inside = -1;
  made m = { 0 };
  /* a namespace made earlier has its default routes, which an attachment leaves as they are */
  default_routes routes = { .v4 = !new_namespace, .v6 = !new_namespace };
  if (lock_networks (r->namespace_path, &lock, err) < 0 || netlink_open (&nl, err) < 0)
    return -1;
  int made_namespace = 0;
  if (new_namespace)
    {
      _cleanup_free_ char *copy = xstrdup (r->namespace_path);
      made_namespace = netns_dir_prepare (dirname (copy), err) < 0 ? -1 : netns_create (r->namespace_path, &netns, err);
      m.netns = made_namespace == 0;
    }
  else if ((netns = open (r->namespace_path, O_RDONLY | O_CLOEXEC)) < 0)
    made_namespace = fail_errno (err, "open the container's network namespace `%s`", r->namespace_path);
  if (made_namespace < 0 || attach_locked (r, nl, &m, netns, err) < 0)
    {
      undo (r, nl, &m);
      return -1;
    }
  close (steal_fd (&lock));
  if (netlink_open_in (netns, &inside, err) < 0 || configure_inside (inside, r, &routes, err) < 0)
    {
      lock_networks (r->namespace_path, &lock, &(error){ 0 });
      undo (r, nl, &m);
      return -1;
    }
  return 0;
}

/* The request's attachments taken out of the container's namespace: their rules, their host
 * veth ends (and with them the container's), a bridge left without members. At once, not in
 * the background: whoever detaches expects the interface gone when the command ends. */
static int
detach (const net_request *r, error *err)
{
  _cleanup_close_ int lock = -1;
  _cleanup_close_ int nl = -1;
  if (lock_networks (r->namespace_path, &lock, err) < 0 || netlink_open (&nl, err) < 0)
    return -1;
  int status = 0;
  for (size_t i = 0; i < r->attachment_count; i++)
    if (firewall_remove (r, &r->attachments[i], err) < 0)
      status = -1;
  if (dns_remove (r, err) < 0)
    status = -1;
  delete_links (r, nl);
  return status;
}

static int
setup (const net_request *r, error *err)
{
  return make (r, true, err);
}

static int
attach (const net_request *r, error *err)
{
  return make (r, false, err);
}

typedef struct command
{
  const char *name;
  int (*run) (const net_request *r, error *err);
  bool checks_ports;    /* the published ports checked free first */
  bool removes_request; /* the request file, once done */
} command;

static int
print_ruleset (const net_request *r, error *err)
{
  (void) r;
  return firewall_print_ruleset (err);
}

static const command commands[] = {
  { "setup", setup, true, false },
  { "teardown", teardown, false, true },
  { "attach", attach, false, false },
  { "detach", detach, false, false },
  { "repair", repair, false, false },
  { "ruleset", print_ruleset, false, false },
};

int
main (int argc, char **argv)
{
  const command *c = NULL;
  for (size_t i = 0; argc == 3 && i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      c = &commands[i];
  if (c == NULL)
    {
      fprintf (stderr, "usage: container-network setup|teardown|attach|detach|repair|ruleset <request file, or - for stdin>\n");
      return 2;
    }
  error err = { 0 };
  _cleanup_net_request_ net_request request = { 0 };
  if (net_request_read (argv[2], &request, &err) < 0)
    {
      error_report ("container-network", &err);
      return 1;
    }
  if (c->checks_ports && check_ports_free (&request, &err) < 0)
    {
      error_report ("container-network", &err);
      return err.errnum == EADDRINUSE ? EXIT_PORT_IN_USE : 1;
    }
  if (net_request_enter_host (&request, &err) < 0 || c->run (&request, &err) < 0)
    {
      error_report ("container-network", &err);
      return 1;
    }
  if (c->removes_request && strcmp (argv[2], "-") != 0)
    unlink (argv[2]);
  firewall_release_in_background ();
  return 0;
}
