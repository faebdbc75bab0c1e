#define _GNU_SOURCE
#include "commands.h"
#include "../lib/cloned_binary.h"
#include "../lib/utils.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct
{
  const char *name;
  command_fn run;
  const char *summary;
} commands[] = {
  { "create", command_create, "create a container from a bundle; its process waits for start" },
  { "start", command_start, "start the process of a created container" },
  { "state", command_state, "print the state of a container as JSON" },
  { "kill", command_kill, "send a signal to the container's init (or all its processes)" },
  { "delete", command_delete, "delete a stopped container (--force: any container)" },
  { "run", command_run, "create and start a container, and wait for it unless --detach" },
  { "exec", command_exec, "run a new process in a running container" },
  { "pause", command_pause, "freeze every process of a container" },
  { "resume", command_resume, "thaw a paused container" },
  { "update", command_update, "change the resource limits of a running container" },
  { "ps", command_ps, "list the processes of a container" },
  { "list", command_list, "list the containers under the root" },
  { "spec", command_spec, "write a default config.json" },
  { "features", command_features, "print what this runtime supports, as JSON" },
};

int
command_failed (const error *err)
{
  error_report (PROGRAM, err);
  return 1;
}

int
command_usage (const char *usage)
{
  fprintf (stderr, "usage: " PROGRAM " %s\n", usage);
  return 2;
}

char *
command_bundle_path (const char *bundle)
{
  char resolved[PATH_MAX];
  if (realpath (bundle ? bundle : ".", resolved) == NULL)
    return xstrdup (bundle ? bundle : ".");
  return xstrdup (resolved);
}

static void
print_help (void)
{
  printf ("usage: " PROGRAM " [--root DIR] [--log FILE] [--log-format text|json] COMMAND [OPTIONS] ...\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    printf ("  %-9s %s\n", commands[i].name, commands[i].summary);
}

int
main (int argc, char **argv)
{
  global_options g = { .root = DEFAULT_ROOT };
  const char *log_path = NULL;
  int log_json = 0;
  static const struct option options[] = {
    { "root", required_argument, NULL, 'r' },   { "log", required_argument, NULL, 'l' },
    { "log-format", required_argument, NULL, 'f' }, { "debug", no_argument, NULL, 'd' },
    { "systemd-cgroup", no_argument, NULL, 's' }, { "rootless", required_argument, NULL, 'R' },
    { "help", no_argument, NULL, 'h' },          { "version", no_argument, NULL, 'v' },
    { NULL, 0, NULL, 0 },
  };
  int c;
  while ((c = getopt_long (argc, argv, "+h", options, NULL)) != -1)
    switch (c)
      {
      case 'r': g.root = optarg; break;
      case 'l': log_path = optarg; break;
      case 'f': log_json = strcmp (optarg, "json") == 0; break;
      case 'd': break;
      case 's':
        fprintf (stderr, PROGRAM ": --systemd-cgroup is not supported; cgroupfs is used\n");
        return 1;
      case 'R': break;
      case 'h': print_help (); return 0;
      case 'v': printf (PROGRAM " version " CONTAINER_VERSION "\nspec: " "1.2.0\n"); return 0;
      default: return 2;
      }
  error_set_log (log_path, log_json);
  if (optind >= argc)
    {
      print_help ();
      return 2;
    }
  const char *name = argv[optind];
  /* commands that leave a process of ours in the container run from a sealed copy */
  if ((strcmp (name, "create") == 0 || strcmp (name, "run") == 0 || strcmp (name, "exec") == 0) && !cloned_binary_in_use ())
    {
      error err = { 0 };
      cloned_binary_reexec (argv, &err);
      return command_failed (&err);
    }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp (commands[i].name, name) == 0)
      {
        int sub_argc = argc - optind;
        char **sub_argv = argv + optind;
        optind = 0; /* let the command's getopt start afresh */
        return commands[i].run (&g, sub_argc, sub_argv);
      }
  fprintf (stderr, PROGRAM ": unknown command `%s`\n", name);
  return 2;
}
