#include "commands.h"
#include "../lib/container.h"

int
command_start (const global_options *g, int argc, char **argv)
{
  if (argc != 2)
    return command_usage ("start ID");
  error err = { 0 };
  return container_start (g->root, argv[1], &err) < 0 ? command_failed (&err) : 0;
}
