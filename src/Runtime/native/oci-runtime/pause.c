#include "commands.h"
#include "../lib/container.h"

int
command_pause (const global_options *g, int argc, char **argv)
{
  if (argc != 2)
    return command_usage ("pause ID");
  error err = { 0 };
  return container_pause (g->root, argv[1], true, &err) < 0 ? command_failed (&err) : 0;
}

int
command_resume (const global_options *g, int argc, char **argv)
{
  if (argc != 2)
    return command_usage ("resume ID");
  error err = { 0 };
  return container_pause (g->root, argv[1], false, &err) < 0 ? command_failed (&err) : 0;
}
