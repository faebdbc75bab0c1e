#include "create_options.h"

#include <stdlib.h>

int
command_create (const global_options *g, int argc, char **argv)
{
  create_options o;
  bool detach;
  char *bundle = NULL;
  int usage = parse_create_options (g, argc, argv, false, &o, &detach, &bundle);
  if (usage)
    return usage;
  error err = { 0 };
  pid_t pid;
  int ret = container_create (&o, &pid, &err) < 0 ? command_failed (&err) : 0;
  free (bundle);
  return ret;
}
