#include "commands.h"
#include "../lib/container.h"

#include <stdio.h>
#include <stdlib.h>

int
command_state (const global_options *g, int argc, char **argv)
{
  if (argc != 2)
    return command_usage ("state ID");
  error err = { 0 };
  char *json = NULL;
  if (container_state_json (g->root, argv[1], &json, &err) < 0)
    return command_failed (&err);
  printf ("%s\n", json);
  free (json);
  return 0;
}
