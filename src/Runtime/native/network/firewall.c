/* The container's firewall rules, in our own nftables table `inet container`, applied in
 * process with libnftables: a text ruleset, one transaction. Every rule of a container carries
 * as comment its id and the host veth of the network it is for (<id>-<veth>: a word that
 * iptables-save shows unquoted), so that teardown deletes exactly its rules, and a detach
 * those of one network. Where someone else's forward chain would drop them (iptables-nft's
 * `filter FORWARD`: docker's, a host firewall's; another table's with policy drop), the
 * container's traffic is accepted there too: a packet must pass every base chain of the hook,
 * and an accept in our table ends only our table's verdict. */
#define _GNU_SOURCE
#include "firewall.h"
#include "../lib/utils.h"

#include <fcntl.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One context for the process: its socket is the one the kernel knows our commits by. */
static struct nft_ctx *nft;

static struct nft_ctx *
nft_open (unsigned flags)
{
  if (nft == NULL && (nft = nft_ctx_new (NFT_CTX_DEFAULT)) != NULL)
    {
      nft_ctx_buffer_output (nft);
      nft_ctx_buffer_error (nft);
    }
  if (nft)
    nft_ctx_output_set_flags (nft, flags);
  return nft;
}

void
firewall_release_in_background (void)
{
  if (nft == NULL)
    return;
  int parent_alive[2];
  if (pipe2 (parent_alive, O_CLOEXEC) < 0)
    return;
  pid_t child = fork ();
  if (child == 0)
    {
      /* holds the socket (and nothing the caller reads to its end) until the parent is gone:
       * then its close is the last, and the wait is this process's */
      close (0);
      close (1);
      close (2);
      close (parent_alive[1]);
      char byte;
      while (read (parent_alive[0], &byte, 1) < 0 && errno == EINTR)
        ;
      _exit (0);
    }
  close (parent_alive[0]);
}

/* Runs commands; on failure err holds nftables' own message. */
static int
nft_run (struct nft_ctx *ctx, const char *commands, const char *what, error *err)
{
  if (nft_run_cmd_from_buffer (ctx, commands) == 0)
    return 0;
  _cleanup_free_ char *message = xstrdup (nft_ctx_get_error_buffer (ctx));
  size_t len = strlen (message);
  while (len && (message[len - 1] == '\n' || message[len - 1] == ' '))
    message[--len] = '\0';
  char *first = strchr (message, '\n');
  if (first)
    *first = '\0';
  return fail (err, 0, "nftables: %s: %s", what, message);
}

/* Someone else's forward chains that would drop the container's traffic: iptables-nft's
 * `filter FORWARD` (docker's, a host firewall's: policy drop, or rules dropping later), and
 * any other table's base chain on the forward hook with policy drop. A packet must pass every
 * base chain of the hook: what ours lets through goes at the head of each of theirs too. */
#define MAX_FOREIGN_CHAINS 16

typedef struct foreign_chain
{
  char family[8], table[64], chain[64];
} foreign_chain;

typedef struct foreign_chains
{
  foreign_chain chains[MAX_FOREIGN_CHAINS];
  size_t count;
  bool ours; /* our table is there (a firewall reload flushes it) */
} foreign_chains;

static void
find_foreign_chains (const char *listing, foreign_chains *found)
{
  char family[8] = "", table[64] = "", chain[64] = "";
  for (const char *line = listing; line && *line; line = strchr (line, '\n') ? strchr (line, '\n') + 1 : NULL)
    {
      while (*line == '\t' || *line == ' ')
        line++;
      if (sscanf (line, "table %7s %63[^ {]", family, table) == 2)
        {
          chain[0] = '\0';
          if (strcmp (family, "inet") == 0 && strcmp (table, "container") == 0)
            found->ours = true;
          continue;
        }
      if (sscanf (line, "chain %63[^ {]", chain) == 1 || chain[0] == '\0' || strncmp (line, "type ", 5) != 0)
        continue;
      bool ours = strcmp (family, "inet") == 0 && strcmp (table, "container") == 0;
      bool family_of_ip = strcmp (family, "ip") == 0 || strcmp (family, "ip6") == 0 || strcmp (family, "inet") == 0;
      bool iptables_forward = strcmp (table, "filter") == 0 && strcmp (chain, "FORWARD") == 0;
      bool dropping = strstr (line, "hook forward") != NULL && strstr (line, "policy drop") != NULL;
      if (!ours && family_of_ip && (iptables_forward || dropping) && found->count < MAX_FOREIGN_CHAINS)
        {
          foreign_chain *c = &found->chains[found->count++];
          snprintf (c->family, sizeof c->family, "%s", family);
          snprintf (c->table, sizeof c->table, "%s", table);
          snprintf (c->chain, sizeof c->chain, "%s", chain);
        }
      chain[0] = '\0';
    }
}

/* "10.88.0.5/16" as "10.88.0.5". */
static char *
host_of (const char *address)
{
  const char *slash = strchr (address, '/');
  return slash ? xstrndup (address, slash - address) : xstrdup (address);
}

/* The rules of one address family for the container on one network. */
static void
add_attachment_rules (strbuf *sb, const char *family, const char *address, const char *subnet, const net_attachment *a, const char *tag,
                      const foreign_chains *foreign)
{
  _cleanup_free_ char *host = host_of (address);
  const char *br = a->bridge;
  /* in: answers, and what a published port let in (DNAT); nothing else from outside the bridge */
  sb_printf (sb, "add rule inet container forward oifname \"%s\" %s daddr %s ct state established,related accept comment \"%s\"\n", br, family, host, tag);
  sb_printf (sb, "add rule inet container forward oifname \"%s\" %s daddr %s ct status dnat accept comment \"%s\"\n", br, family, host, tag);
  sb_printf (sb, "add rule inet container forward oifname \"%s\" %s daddr %s iifname != \"%s\" drop comment \"%s\"\n", br, family, host, br, tag);
  /* out: anywhere, or on an internal network only to the bridge's other members */
  if (a->internal)
    sb_printf (sb, "add rule inet container forward iifname \"%s\" %s saddr %s oifname != \"%s\" drop comment \"%s\"\n", br, family, host, br, tag);
  sb_printf (sb, "add rule inet container forward iifname \"%s\" %s saddr %s accept comment \"%s\"\n", br, family, host, tag);
  if (!a->internal)
    sb_printf (sb, "add rule inet container postrouting %s saddr %s %s daddr != %s masquerade comment \"%s\"\n", family, host, family, subnet, tag);
  for (size_t i = 0; i < foreign->count; i++)
    {
      const foreign_chain *c = &foreign->chains[i];
      if (strcmp (c->family, "inet") != 0 && strcmp (c->family, family) != 0)
        continue;
      /* what ours lets through, theirs must not drop: at the head of their chain, ours sorts it */
      sb_printf (sb, "insert rule %s %s %s oifname \"%s\" %s daddr %s accept comment \"%s\"\n", c->family, c->table, c->chain, br, family, host, tag);
      sb_printf (sb, "insert rule %s %s %s iifname \"%s\" %s saddr %s accept comment \"%s\"\n", c->family, c->table, c->chain, br, family, host, tag);
    }
}

/* DNAT of the published ports to the container's address, for packets to any local address
 * (or the one the port names): from other hosts and containers (prerouting), and from the host
 * itself (output). Traffic from the host's loopback and from the bridge's own members
 * (hairpin) is masqueraded, or the answer would not come back through the NAT. */
static void
add_port_rules (strbuf *sb, const char *family, const char *address, const char *subnet, const net_attachment *a, const net_request *r,
                const char *tag)
{
  _cleanup_free_ char *host = host_of (address);
  bool v6 = strcmp (family, "ip6") == 0;
  bool any = false;
  for (size_t i = 0; i < r->port_count; i++)
    {
      const net_port *p = &r->ports[i];
      if (p->host_ip[0] != '\0' && (strchr (p->host_ip, ':') != NULL) != v6)
        continue;
      _cleanup_free_ char *match
          = p->host_ip[0] ? xasprintf ("%s daddr %s", family, p->host_ip) : xasprintf ("meta nfproto %s", v6 ? "ipv6" : "ipv4");
      for (int hook = 0; hook < 2; hook++)
        sb_printf (sb, "add rule inet container %s %s fib daddr type local %s dport %d dnat %s to %s%s%s:%d comment \"%s\"\n",
                   hook == 0 ? "prerouting" : "output", match, p->protocol, p->host_port, family, v6 ? "[" : "", host, v6 ? "]" : "",
                   p->container_port, tag);
      any = true;
    }
  if (!any)
    return;
  if (!v6)
    sb_printf (sb, "add rule inet container postrouting oifname \"%s\" ip daddr %s ct status dnat ip saddr 127.0.0.0/8 masquerade comment \"%s\"\n",
               a->bridge, host, tag);
  sb_printf (sb, "add rule inet container postrouting oifname \"%s\" %s daddr %s ct status dnat %s saddr %s masquerade comment \"%s\"\n", a->bridge,
             family, host, family, subnet, tag);
}

/* The comment that tags the rules of the container on one network. */
static char *
tag_of (const net_request *r, const net_attachment *a)
{
  return xasprintf ("%s-%s", r->container_id, a->host_interface);
}

/* The commands that add the container's rules, given the chains the host has now. */
static char *
add_commands (const net_request *r, const foreign_chains *foreign)
{
  strbuf sb = { 0 };
  sb_append (&sb, "add table inet container\n"
                  "add chain inet container forward { type filter hook forward priority filter; policy accept; }\n"
                  "add chain inet container prerouting { type nat hook prerouting priority dstnat; policy accept; }\n"
                  "add chain inet container output { type nat hook output priority -100; policy accept; }\n"
                  "add chain inet container postrouting { type nat hook postrouting priority srcnat; policy accept; }\n");
  const net_attachment *published = NULL;
  for (size_t i = 0; i < r->attachment_count; i++)
    {
      const net_attachment *a = &r->attachments[i];
      _cleanup_free_ char *tag = tag_of (r, a);
      add_attachment_rules (&sb, "ip", a->address, a->subnet, a, tag, foreign);
      if (a->address6 && a->subnet6)
        add_attachment_rules (&sb, "ip6", a->address6, a->subnet6, a, tag, foreign);
      if (published == NULL && !a->internal)
        published = a;
    }
  /* as docker: the ports lead to the container's address on its first network with a way
   * out; tagged with that network, they go with it */
  if (published)
    {
      _cleanup_free_ char *tag = tag_of (r, published);
      add_port_rules (&sb, "ip", published->address, published->subnet, published, r, tag);
      if (published->address6 && published->subnet6)
        add_port_rules (&sb, "ip6", published->address6, published->subnet6, published, r, tag);
    }
  return sb_steal (&sb);
}

static int
list_chains (struct nft_ctx **ctx, foreign_chains *found, error *err)
{
  *ctx = nft_open (0);
  if (*ctx == NULL)
    return fail (err, 0, "nftables: cannot make a context");
  if (nft_run (*ctx, "list chains", "list the chains", err) < 0)
    return -1;
  find_foreign_chains (nft_ctx_get_output_buffer (*ctx), found);
  return 0;
}

int
firewall_add (const net_request *r, bool *table_was_missing, error *err)
{
  struct nft_ctx *ctx;
  foreign_chains foreign = { 0 };
  if (list_chains (&ctx, &foreign, err) < 0)
    return -1;
  if (table_was_missing)
    *table_was_missing = !foreign.ours;
  _cleanup_free_ char *rules = add_commands (r, &foreign);
  return nft_run (ctx, rules, "add the container's rules", err);
}

/* Whether the rule's line carries the comment: exactly, or (prefix) any tag of the container. */
static bool
is_tagged (const char *line, const char *comment, bool prefix)
{
  const char *found = strstr (line, comment);
  if (found == NULL)
    return false;
  char next = found[strlen (comment)];
  return prefix ? next == '"' || next == '-' : next == '"';
}

/* The deletes of every rule of the container (only: of the container on that network), in any
 * table; *others: our table holds other rules too. "" when there is none. */
static int
removal_commands (const net_request *r, const net_attachment *only, char **commands, bool *have_table, bool *others, error *err)
{
  struct nft_ctx *ctx = nft_open (NFT_CTX_OUTPUT_HANDLE);
  if (ctx == NULL)
    return fail (err, 0, "nftables: cannot make a context");
  if (nft_run (ctx, "list ruleset", "list the ruleset", err) < 0)
    return -1;
  _cleanup_free_ char *ruleset = xstrdup (nft_ctx_get_output_buffer (ctx));
  _cleanup_free_ char *tag = only ? tag_of (r, only) : xstrdup (r->container_id);
  _cleanup_free_ char *ours = xasprintf ("comment \"%s", tag);
  strbuf sb = { 0 };
  char table[128] = "", chain[128] = "";
  *have_table = *others = false;
  for (char *line = strtok (ruleset, "\n"); line; line = strtok (NULL, "\n"))
    {
      while (*line == '\t' || *line == ' ')
        line++;
      if (sscanf (line, "table %127[^{]{", table) == 1)
        {
          size_t len = strlen (table);
          while (len && table[len - 1] == ' ')
            table[--len] = '\0';
          if (strcmp (table, "inet container") == 0)
            *have_table = true;
          continue;
        }
      if (sscanf (line, "chain %127s {", chain) == 1)
        continue;
      const char *handle = strstr (line, "# handle ");
      if (handle == NULL || strncmp (line, "type ", 5) == 0)
        continue;
      if (!is_tagged (line, ours, only == NULL))
        {
          if (strcmp (table, "inet container") == 0 && strstr (line, "comment \"") != NULL)
            *others = true;
          continue;
        }
      sb_printf (&sb, "delete rule %s %s handle %s\n", table, chain, handle + 9);
    }
  *commands = sb_steal (&sb);
  return 0;
}

int
firewall_remove (const net_request *r, const net_attachment *only, error *err)
{
  _cleanup_free_ char *commands = NULL;
  bool have_table, others;
  if (removal_commands (r, only, &commands, &have_table, &others, err) < 0)
    return -1;
  if (commands[0] == '\0' && (!have_table || others))
    return 0;
  /* the last container's rules go with the table; our chains hold nothing else */
  if (have_table && !others)
    {
      _cleanup_free_ char *with_table = xasprintf ("%sdelete table inet container\n", commands);
      return nft_run (nft, with_table, "delete the container's rules", err);
    }
  return nft_run (nft, commands, "delete the container's rules", err);
}

int
firewall_reapply (const net_request *r, error *err)
{
  _cleanup_free_ char *removal = NULL;
  bool have_table, others;
  struct nft_ctx *ctx;
  foreign_chains foreign = { 0 };
  if (removal_commands (r, NULL, &removal, &have_table, &others, err) < 0 || list_chains (&ctx, &foreign, err) < 0)
    return -1;
  _cleanup_free_ char *rules = add_commands (r, &foreign);
  _cleanup_free_ char *commands = xasprintf ("%s%s", removal, rules);
  return nft_run (ctx, commands, "apply the container's rules again", err);
}

int
firewall_print_ruleset (error *err)
{
  struct nft_ctx *ctx = nft_open (NFT_CTX_OUTPUT_JSON);
  if (ctx == NULL)
    return fail (err, 0, "nftables: cannot make a context");
  if (nft_run (ctx, "list ruleset", "list the ruleset", err) < 0)
    return -1;
  fputs (nft_ctx_get_output_buffer (ctx), stdout);
  return 0;
}
