#define _GNU_SOURCE
#include "commands.h"
#include "../lib/container.h"
#include "../lib/utils.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define USAGE "update [--resources FILE|-] [--memory BYTES] [--memory-reservation BYTES] [--memory-swap BYTES] [--cpu-shares N] [--cpu-quota N] [--cpu-period N] [--cpuset-cpus LIST] [--cpuset-mems LIST] [--pids-limit N] [--blkio-weight N] ID"

/* "64m", "1g", "1024", "-1": bytes, as runc's update takes them */
static int
parse_size (const char *text, int64_t *out)
{
  char *end;
  errno = 0;
  long long v = strtoll (text, &end, 10);
  if (errno || end == text)
    return -1;
  long long unit = 1;
  switch (*end)
    {
    case '\0': break;
    case 'k': case 'K': unit = 1LL << 10; end++; break;
    case 'm': case 'M': unit = 1LL << 20; end++; break;
    case 'g': case 'G': unit = 1LL << 30; end++; break;
    default: return -1;
    }
  if (*end == 'b' || *end == 'B')
    end++;
  if (*end != '\0')
    return -1;
  *out = v * unit;
  return 0;
}

int
command_update (const global_options *g, int argc, char **argv)
{
  static const struct option options[] = {
    { "resources", required_argument, NULL, 'r' },        { "memory", required_argument, NULL, 'm' },
    { "memory-reservation", required_argument, NULL, 'R' }, { "memory-swap", required_argument, NULL, 's' },
    { "cpu-shares", required_argument, NULL, 'S' },       { "cpu-quota", required_argument, NULL, 'q' },
    { "cpu-period", required_argument, NULL, 'p' },       { "cpuset-cpus", required_argument, NULL, 'c' },
    { "cpuset-mems", required_argument, NULL, 'M' },      { "pids-limit", required_argument, NULL, 'P' },
    { "blkio-weight", required_argument, NULL, 'b' },     { NULL, 0, NULL, 0 },
  };
  const char *resources_file = NULL;
  spec_resources flags = { .present = true };
  int c;
  int64_t v;
  while ((c = getopt_long (argc, argv, "+r:", options, NULL)) != -1)
    {
      if (c == 'r')
        {
          resources_file = optarg;
          continue;
        }
      if (c == 'c' || c == 'M')
        {
          if (c == 'c')
            flags.cpu_cpus = optarg;
          else
            flags.cpu_mems = optarg;
          continue;
        }
      if (c == '?' || parse_size (optarg, &v) < 0)
        return command_usage (USAGE);
      switch (c)
        {
        case 'm': flags.memory_limit = (opt_i64){ true, v }; break;
        case 'R': flags.memory_reservation = (opt_i64){ true, v }; break;
        case 's': flags.memory_swap = (opt_i64){ true, v }; break;
        case 'S': flags.cpu_shares = (opt_u64){ true, (uint64_t) v }; break;
        case 'q': flags.cpu_quota = (opt_i64){ true, v }; break;
        case 'p': flags.cpu_period = (opt_u64){ true, (uint64_t) v }; break;
        case 'P': flags.pids_limit = (opt_i64){ true, v }; break;
        case 'b': flags.blkio_weight = (opt_u64){ true, (uint64_t) v }; break;
        default: return command_usage (USAGE);
        }
    }
  if (argc - optind != 1)
    return command_usage (USAGE);
  error err = { 0 };
  if (resources_file == NULL)
    return container_update (g->root, argv[optind], &flags, &err) < 0 ? command_failed (&err) : 0;

  _cleanup_free_ char *text = NULL;
  size_t len = 0;
  if (strcmp (resources_file, "-") == 0)
    {
      strbuf sb = { 0 };
      char buf[4096];
      ssize_t n;
      while ((n = read (0, buf, sizeof buf)) > 0)
        sb_appendn (&sb, buf, n);
      len = sb.len;
      text = sb_steal (&sb);
    }
  else if (read_file (resources_file, &text, &len, &err) < 0)
    return command_failed (&err);
  spec_resources resources = { 0 };
  json_document *doc = NULL;
  int ret = 0;
  if (spec_parse_resources_json (text, len, &resources, &doc, &err) < 0 || container_update (g->root, argv[optind], &resources, &err) < 0)
    ret = command_failed (&err);
  spec_resources_free (&resources);
  json_free (doc);
  return ret;
}
