#define _GNU_SOURCE
#include "commands.h"
#include "../lib/container.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
command_ps (const global_options *g, int argc, char **argv)
{
  static const struct option options[] = { { "format", required_argument, NULL, 'f' }, { NULL, 0, NULL, 0 } };
  const char *format = "table";
  int c;
  while ((c = getopt_long (argc, argv, "+f:", options, NULL)) != -1)
    if (c == 'f')
      format = optarg;
    else
      return command_usage ("ps [--format table|json] ID");
  if (argc - optind != 1)
    return command_usage ("ps [--format table|json] ID");
  error err = { 0 };
  pid_t *pids = NULL;
  size_t count = 0;
  if (container_pids (g->root, argv[optind], &pids, &count, &err) < 0)
    return command_failed (&err);
  if (strcmp (format, "json") == 0)
    {
      printf ("[");
      for (size_t i = 0; i < count; i++)
        printf ("%s%d", i ? "," : "", pids[i]);
      printf ("]\n");
    }
  else
    {
      printf ("PID\n");
      for (size_t i = 0; i < count; i++)
        printf ("%d\n", pids[i]);
    }
  free (pids);
  return 0;
}
