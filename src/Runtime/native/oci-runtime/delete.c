#define _GNU_SOURCE
#include "commands.h"
#include "../lib/container.h"

#include <getopt.h>

int
command_delete (const global_options *g, int argc, char **argv)
{
  static const struct option options[] = { { "force", no_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
  bool force = false;
  int c;
  while ((c = getopt_long (argc, argv, "+f", options, NULL)) != -1)
    if (c == 'f')
      force = true;
    else
      return command_usage ("delete [--force] ID");
  if (argc - optind != 1)
    return command_usage ("delete [--force] ID");
  error err = { 0 };
  return container_delete (g->root, argv[optind], force, &err) < 0 ? command_failed (&err) : 0;
}
