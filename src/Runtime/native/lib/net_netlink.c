#define _GNU_SOURCE
#include "net_netlink.h"
#include "utils.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One request being built: a netlink header, its family header, attributes, nests. */
typedef struct request
{
  union
  {
    struct nlmsghdr header;
    char bytes[4096];
  };
} request;

static void *
request_start (request *r, int type, int flags, size_t family_len)
{
  memset (r, 0, sizeof *r);
  r->header.nlmsg_type = type;
  r->header.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  r->header.nlmsg_len = NLMSG_LENGTH (family_len);
  return NLMSG_DATA (&r->header);
}

static struct rtattr *
attr_put (request *r, int type, const void *data, size_t len)
{
  struct rtattr *a = (struct rtattr *) ((char *) &r->header + NLMSG_ALIGN (r->header.nlmsg_len));
  a->rta_type = type;
  a->rta_len = RTA_LENGTH (len);
  if (len)
    memcpy (RTA_DATA (a), data, len);
  r->header.nlmsg_len = NLMSG_ALIGN (r->header.nlmsg_len) + RTA_ALIGN (a->rta_len);
  return a;
}

static void
attr_put_string (request *r, int type, const char *s)
{
  attr_put (r, type, s, strlen (s) + 1);
}

static void
attr_put_u32 (request *r, int type, uint32_t value)
{
  attr_put (r, type, &value, sizeof value);
}

static struct rtattr *
nest_start (request *r, int type)
{
  return attr_put (r, type, NULL, 0);
}

static void
nest_end (request *r, struct rtattr *nest)
{
  nest->rta_len = (char *) &r->header + r->header.nlmsg_len - (char *) nest;
}

/* Room for a family header inside a nest (the veth peer's ifinfomsg). */
static void *
put_struct (request *r, size_t len)
{
  void *p = (char *) &r->header + NLMSG_ALIGN (r->header.nlmsg_len);
  memset (p, 0, NLMSG_ALIGN (len));
  r->header.nlmsg_len = NLMSG_ALIGN (r->header.nlmsg_len) + NLMSG_ALIGN (len);
  return p;
}

static uint32_t sequence;

/* What a request's answers are handed to (a GET's links), or NULL for a plain acknowledgement. */
typedef void (*on_answer) (const struct nlmsghdr *h, void *data);

/* Sends the request and reads its answers to the end (the acknowledgement, an error, or a
 * dump's DONE). Returns 0, or the kernel's -errno with err saying what was tried. */
static int
roundtrip (int fd, request *r, on_answer each, void *data, const char *what, error *err)
{
  r->header.nlmsg_seq = ++sequence;
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  if (sendto (fd, &r->header, r->header.nlmsg_len, 0, (struct sockaddr *) &kernel, sizeof kernel) < 0)
    return fail_errno (err, "netlink: send the request to %s", what);
  _cleanup_free_ char *answer = xmalloc (32768);
  for (;;)
    {
      ssize_t n = recv (fd, answer, 32768, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return fail_errno (err, "netlink: read the answer to %s", what);
      for (struct nlmsghdr *h = (struct nlmsghdr *) answer; NLMSG_OK (h, (size_t) n); h = NLMSG_NEXT (h, n))
        {
          if (h->nlmsg_seq != r->header.nlmsg_seq)
            continue;
          if (h->nlmsg_type == NLMSG_DONE)
            return 0;
          if (h->nlmsg_type != NLMSG_ERROR)
            {
              if (each)
                each (h, data);
              /* a GET of one object is answered by it alone, without acknowledgement */
              if (!(h->nlmsg_flags & NLM_F_MULTI) && !(r->header.nlmsg_flags & NLM_F_ACK))
                return 0;
              continue;
            }
          int code = ((struct nlmsgerr *) NLMSG_DATA (h))->error;
          if (code == 0)
            return 0;
          fail (err, -code, "%s", what);
          return code;
        }
    }
}

int
netlink_open (int *fd, error *err)
{
  int s = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (s < 0)
    return fail_errno (err, "open a netlink socket");
  struct sockaddr_nl local = { .nl_family = AF_NETLINK };
  if (bind (s, (struct sockaddr *) &local, sizeof local) < 0)
    {
      int saved = errno;
      close (s);
      return fail (err, saved, "bind a netlink socket");
    }
  *fd = s;
  return 0;
}

int
net_address_parse (const char *text, net_address *out, error *err)
{
  char host[64];
  const char *slash = strchr (text, '/');
  size_t len = slash ? (size_t) (slash - text) : strlen (text);
  if (len == 0 || len >= sizeof host)
    return fail (err, 0, "`%s` is not an address", text);
  memcpy (host, text, len);
  host[len] = '\0';
  memset (out, 0, sizeof *out);
  out->family = strchr (host, ':') ? AF_INET6 : AF_INET;
  int max = out->family == AF_INET ? 32 : 128;
  if (inet_pton (out->family, host, out->bytes) != 1)
    return fail (err, 0, "`%s` is not an address", text);
  out->prefix = max;
  if (slash)
    {
      int64_t prefix;
      if (parse_int64 (slash + 1, &prefix) < 0 || prefix < 0 || prefix > max)
        return fail (err, 0, "`%s` has no valid prefix length", text);
      out->prefix = (int) prefix;
    }
  return 0;
}

static size_t
address_len (const net_address *a)
{
  return a->family == AF_INET ? 4 : 16;
}

static void
take_index (const struct nlmsghdr *h, void *index)
{
  if (h->nlmsg_type == RTM_NEWLINK)
    *(int *) index = ((struct ifinfomsg *) NLMSG_DATA (h))->ifi_index;
}

int
netlink_link_index (int fd, const char *name, int *index, error *err)
{
  request r;
  request_start (&r, RTM_GETLINK, 0, sizeof (struct ifinfomsg));
  r.header.nlmsg_flags = NLM_F_REQUEST;
  attr_put_string (&r, IFLA_IFNAME, name);
  attr_put_u32 (&r, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  *index = 0;
  _cleanup_free_ char *what = xasprintf ("look up link `%s`", name);
  error local = { 0 };
  int code = roundtrip (fd, &r, take_index, index, what, &local);
  if (code == 0 || code == -ENODEV)
    return 0;
  *err = local;
  return -1;
}

int
netlink_bridge_ensure (int fd, const char *name, int mtu, bool *created, error *err)
{
  request r;
  request_start (&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof (struct ifinfomsg));
  attr_put_string (&r, IFLA_IFNAME, name);
  if (mtu > 0)
    attr_put_u32 (&r, IFLA_MTU, mtu);
  struct rtattr *info = nest_start (&r, IFLA_LINKINFO);
  attr_put_string (&r, IFLA_INFO_KIND, "bridge");
  nest_end (&r, info);
  _cleanup_free_ char *what = xasprintf ("create bridge `%s`", name);
  error local = { 0 };
  int code = roundtrip (fd, &r, NULL, NULL, what, &local);
  *created = code == 0;
  if (code == 0 || code == -EEXIST)
    return 0;
  *err = local;
  return -1;
}

typedef struct port_count
{
  int bridge_index, ports;
} port_count;

static void
count_port (const struct nlmsghdr *h, void *data)
{
  port_count *count = data;
  if (h->nlmsg_type != RTM_NEWLINK)
    return;
  /* an older kernel ignores the filter: count only the bridge's */
  struct ifinfomsg *link = NLMSG_DATA (h);
  int len = IFLA_PAYLOAD (h);
  for (struct rtattr *a = IFLA_RTA (link); RTA_OK (a, len); a = RTA_NEXT (a, len))
    if (a->rta_type == IFLA_MASTER && *(uint32_t *) RTA_DATA (a) == (uint32_t) count->bridge_index)
      count->ports++;
}

int
netlink_bridge_ports (int fd, int bridge_index, int *ports, error *err)
{
  request r;
  request_start (&r, RTM_GETLINK, NLM_F_DUMP, sizeof (struct ifinfomsg));
  r.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  attr_put_u32 (&r, IFLA_MASTER, bridge_index); /* the kernel filters the dump by master */
  attr_put_u32 (&r, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  port_count count = { .bridge_index = bridge_index };
  if (roundtrip (fd, &r, count_port, &count, "list the ports of a bridge", err) < 0)
    return -1;
  *ports = count.ports;
  return 0;
}

int
netlink_veth_create (int fd, const char *host_name, int bridge_index, const char *peer_name, int netns_fd, int mtu, error *err)
{
  request r;
  struct ifinfomsg *link = request_start (&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof (struct ifinfomsg));
  link->ifi_flags = IFF_UP;
  link->ifi_change = IFF_UP;
  attr_put_string (&r, IFLA_IFNAME, host_name);
  if (mtu > 0)
    attr_put_u32 (&r, IFLA_MTU, mtu);
  /* one queue each way, as the veth driver makes of its default one per CPU anyway: told, it
   * skips that cut, which waits for an expedited RCU grace period per end (ms on a loaded host) */
  attr_put_u32 (&r, IFLA_NUM_TX_QUEUES, 1);
  attr_put_u32 (&r, IFLA_NUM_RX_QUEUES, 1);
  attr_put_u32 (&r, IFLA_MASTER, bridge_index);
  struct rtattr *info = nest_start (&r, IFLA_LINKINFO);
  attr_put_string (&r, IFLA_INFO_KIND, "veth");
  struct rtattr *data = nest_start (&r, IFLA_INFO_DATA);
  struct rtattr *peer = nest_start (&r, VETH_INFO_PEER);
  put_struct (&r, sizeof (struct ifinfomsg));
  attr_put_string (&r, IFLA_IFNAME, peer_name);
  attr_put_u32 (&r, IFLA_NET_NS_FD, netns_fd);
  if (mtu > 0)
    attr_put_u32 (&r, IFLA_MTU, mtu);
  attr_put_u32 (&r, IFLA_NUM_TX_QUEUES, 1);
  attr_put_u32 (&r, IFLA_NUM_RX_QUEUES, 1);
  nest_end (&r, peer);
  nest_end (&r, data);
  nest_end (&r, info);
  _cleanup_free_ char *what = xasprintf ("create veth `%s` (its peer `%s` in the container)", host_name, peer_name);
  return roundtrip (fd, &r, NULL, NULL, what, err) < 0 ? -1 : 0;
}

int
netlink_link_delete (int fd, const char *name, error *err)
{
  request r;
  request_start (&r, RTM_DELLINK, 0, sizeof (struct ifinfomsg));
  attr_put_string (&r, IFLA_IFNAME, name);
  _cleanup_free_ char *what = xasprintf ("delete link `%s`", name);
  error local = { 0 };
  int code = roundtrip (fd, &r, NULL, NULL, what, &local);
  if (code == 0 || code == -ENODEV)
    return 0;
  *err = local;
  return -1;
}

int
netlink_link_up (int fd, int index, error *err)
{
  request r;
  struct ifinfomsg *link = request_start (&r, RTM_NEWLINK, 0, sizeof (struct ifinfomsg));
  link->ifi_index = index;
  link->ifi_flags = IFF_UP;
  link->ifi_change = IFF_UP;
  _cleanup_free_ char *what = xasprintf ("bring link %d up", index);
  return roundtrip (fd, &r, NULL, NULL, what, err) < 0 ? -1 : 0;
}

int
netlink_address_add (int fd, int index, const net_address *address, error *err)
{
  request r;
  struct ifaddrmsg *a = request_start (&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof (struct ifaddrmsg));
  a->ifa_family = address->family;
  a->ifa_prefixlen = address->prefix;
  a->ifa_index = index;
  a->ifa_scope = RT_SCOPE_UNIVERSE;
  attr_put (&r, IFA_LOCAL, address->bytes, address_len (address));
  attr_put (&r, IFA_ADDRESS, address->bytes, address_len (address));
  if (address->family == AF_INET6)
    attr_put_u32 (&r, IFA_FLAGS, IFA_F_NODAD);
  char text[INET6_ADDRSTRLEN];
  inet_ntop (address->family, address->bytes, text, sizeof text);
  _cleanup_free_ char *what = xasprintf ("add address %s/%d to link %d", text, address->prefix, index);
  return roundtrip (fd, &r, NULL, NULL, what, err) < 0 ? -1 : 0;
}

int
netlink_default_route_add (int fd, int index, const net_address *gateway, error *err)
{
  request r;
  struct rtmsg *route = request_start (&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof (struct rtmsg));
  route->rtm_family = gateway->family;
  route->rtm_table = RT_TABLE_MAIN;
  route->rtm_protocol = RTPROT_BOOT;
  route->rtm_scope = RT_SCOPE_UNIVERSE;
  route->rtm_type = RTN_UNICAST;
  attr_put (&r, RTA_GATEWAY, gateway->bytes, address_len (gateway));
  attr_put_u32 (&r, RTA_OIF, index);
  char text[INET6_ADDRSTRLEN];
  inet_ntop (gateway->family, gateway->bytes, text, sizeof text);
  _cleanup_free_ char *what = xasprintf ("add the default route via %s", text);
  return roundtrip (fd, &r, NULL, NULL, what, err) < 0 ? -1 : 0;
}
