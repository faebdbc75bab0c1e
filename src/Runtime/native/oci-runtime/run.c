#include "create_options.h"

#include <stdlib.h>

int
command_run (const global_options *g, int argc, char **argv)
{
  create_options o;
  bool detach;
  char *bundle = NULL;
  int usage = parse_create_options (g, argc, argv, true, &o, &detach, &bundle);
  if (usage)
    return usage;
  error err = { 0 };
  int status = 0;
  int ret = container_run (&o, detach, &status, &err) < 0 ? command_failed (&err) : status;
  free (bundle);
  return ret;
}
