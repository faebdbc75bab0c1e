#define _GNU_SOURCE
#include "create_options.h"
#include "../lib/utils.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

int
parse_create_options (const global_options *g, int argc, char **argv, bool allow_detach, create_options *o, bool *detach,
                      char **bundle)
{
  static const struct option options[] = {
    { "bundle", required_argument, NULL, 'b' },        { "pid-file", required_argument, NULL, 'p' },
    { "console-socket", required_argument, NULL, 'c' }, { "no-pivot", no_argument, NULL, 'n' },
    { "no-new-keyring", no_argument, NULL, 'k' },      { "preserve-fds", required_argument, NULL, 'f' },
    { "detach", no_argument, NULL, 'd' },              { "keep", no_argument, NULL, 'K' },
    { NULL, 0, NULL, 0 },
  };
  const char *usage = allow_detach ? "run [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] [--detach] ID"
                                   : "create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] ID";
  const char *bundle_arg = NULL;
  memset (o, 0, sizeof *o);
  *detach = false;
  int c;
  while ((c = getopt_long (argc, argv, allow_detach ? "+b:d" : "+b:", options, NULL)) != -1)
    switch (c)
      {
      case 'b': bundle_arg = optarg; break;
      case 'p': o->pid_file = optarg; break;
      case 'c': o->console_socket = optarg; break;
      case 'n': o->no_pivot = true; break;
      case 'k': break;
      case 'K': break;
      case 'f':
        {
          int64_t n;
          if (parse_int64 (optarg, &n) < 0 || n < 0 || n > 1024)
            return command_usage (usage);
          o->preserve_fds = (int) n;
          break;
        }
      case 'd':
        if (!allow_detach)
          return command_usage (usage);
        *detach = true;
        break;
      default: return command_usage (usage);
      }
  if (optind != argc - 1)
    return command_usage (usage);
  /* what the caller handed us past stdio and the preserved fds would reach the container's
   * process (a clone of ours until its exec): close it now, as runc's init never gets it */
  error err = { 0 };
  if (close_fds_from (3 + o->preserve_fds, error_log_fd (), false, &err) < 0)
    return command_failed (&err);
  o->id = argv[optind];
  o->root = g->root;
  *bundle = command_bundle_path (bundle_arg);
  o->bundle = *bundle;
  return 0;
}
