#define _GNU_SOURCE
#include "commands.h"
#include "../lib/container.h"
#include "../lib/signals.h"

#include <getopt.h>
#include <signal.h>

int
command_kill (const global_options *g, int argc, char **argv)
{
  static const struct option options[] = { { "all", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 } };
  const char *usage = "kill [--all] ID [SIGNAL]";
  bool all = false;
  int c;
  while ((c = getopt_long (argc, argv, "+a", options, NULL)) != -1)
    if (c == 'a')
      all = true;
    else
      return command_usage (usage);
  if (argc - optind < 1 || argc - optind > 2)
    return command_usage (usage);
  error err = { 0 };
  int signal = SIGTERM;
  if (argc - optind == 2 && signal_from_name (argv[optind + 1], &signal, &err) < 0)
    return command_failed (&err);
  return container_kill (g->root, argv[optind], signal, all, &err) < 0 ? command_failed (&err) : 0;
}
