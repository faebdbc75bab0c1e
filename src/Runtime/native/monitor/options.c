#define _GNU_SOURCE
#include "options.h"
#include "../lib/utils.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
usage_exit (const char *why)
{
  _cleanup_free_ char *text = xasprintf ("error container-monitor: %s\n", why);
  (void) !write (1, text, strlen (text));
  exit (2);
}

static long
number (const char *text, const char *what)
{
  int64_t n;
  if (parse_int64 (text, &n) < 0 || n < 0)
    usage_exit (what);
  return (long) n;
}

void
options_parse (int argc, char **argv, options *o)
{
  static const struct option long_options[] = {
    { "runtime", required_argument, NULL, 'r' },       { "runtime-root", required_argument, NULL, 'R' },
    { "id", required_argument, NULL, 'i' },            { "bundle", required_argument, NULL, 'b' },
    { "state-dir", required_argument, NULL, 's' },     { "log", required_argument, NULL, 'l' },
    { "log-max-size", required_argument, NULL, 'm' },  { "unmount", required_argument, NULL, 'u' },
    { "cgroup-path", required_argument, NULL, 'c' },   { "tty", no_argument, NULL, 't' },
    { "interactive", no_argument, NULL, 'I' },         { "restart", required_argument, NULL, 'P' },
    { "console-socket", required_argument, NULL, 'C' }, { "attach-socket", required_argument, NULL, 'A' },
    { "health-arg", required_argument, NULL, 'a' },    { "health-interval", required_argument, NULL, 'n' },
    { "health-timeout", required_argument, NULL, 'T' }, { "health-retries", required_argument, NULL, 'y' },
    { "health-start-period", required_argument, NULL, 'S' }, { "release-name", required_argument, NULL, 'N' },
    { "remove-dir", required_argument, NULL, 'D' },    { "remove-staging", required_argument, NULL, 'G' },
    { "remove-lock", required_argument, NULL, 'L' },   { "boot-id", required_argument, NULL, 'B' },
    { "core-runtime", no_argument, NULL, 'K' },
    { "network", required_argument, NULL, 'W' },       { "network-helper", required_argument, NULL, 'H' },
    { NULL, 0, NULL, 0 },
  };
  memset (o, 0, sizeof *o);
  o->health_interval = 30000;
  o->health_timeout = 30000;
  o->health_retries = 3;
  int c;
  while ((c = getopt_long (argc, argv, "", long_options, NULL)) != -1)
    switch (c)
      {
      case 'r': o->runtime = optarg; break;
      case 'R': o->runtime_root = optarg; break;
      case 'K': o->core_runtime = true; break;
      case 'i': o->id = optarg; break;
      case 'b': o->bundle = optarg; break;
      case 's': o->state_dir = optarg; break;
      case 'l': o->log_path = optarg; break;
      case 'm': o->log_max_size = number (optarg, "--log-max-size takes bytes"); break;
      case 'u':
        if (o->unmount_count == (int) (sizeof o->unmount / sizeof o->unmount[0]))
          usage_exit ("too many --unmount");
        o->unmount[o->unmount_count++] = optarg;
        break;
      case 'c': o->cgroup_path = optarg; break;
      case 't': o->tty = true; break;
      case 'I': o->interactive = true; break;
      case 'C': o->console_socket = optarg; break;
      case 'A': o->attach_socket = optarg; break;
      case 'P':
        if (strcmp (optarg, "no") == 0)
          o->restart = RESTART_NO;
        else if (strcmp (optarg, "always") == 0)
          o->restart = RESTART_ALWAYS;
        else if (strcmp (optarg, "unless-stopped") == 0)
          o->restart = RESTART_UNLESS_STOPPED;
        else if (strncmp (optarg, "on-failure", 10) == 0)
          {
            o->restart = RESTART_ON_FAILURE;
            if (optarg[10] == ':')
              o->max_retries = (int) number (optarg + 11, "on-failure:N takes a number");
            else if (optarg[10] != '\0')
              usage_exit ("unknown restart policy");
          }
        else
          usage_exit ("unknown restart policy");
        break;
      case 'a':
        if (o->health_argc == (int) (sizeof o->health_args / sizeof o->health_args[0]) - 1)
          usage_exit ("too many --health-arg");
        o->health_args[o->health_argc++] = optarg;
        break;
      case 'n': o->health_interval = number (optarg, "--health-interval takes milliseconds"); break;
      case 'T': o->health_timeout = number (optarg, "--health-timeout takes milliseconds"); break;
      case 'y': o->health_retries = (int) number (optarg, "--health-retries takes a number"); break;
      case 'S': o->health_start_period = number (optarg, "--health-start-period takes milliseconds"); break;
      case 'N': o->release_name = optarg; break;
      case 'D': o->remove_dir = optarg; break;
      case 'G': o->remove_staging = optarg; break;
      case 'L': o->remove_lock = optarg; break;
      case 'B': o->boot_id = optarg; break;
      case 'W': o->network = optarg; break;
      case 'H': o->network_helper = optarg; break;
      default: usage_exit ("unknown option");
      }
  if (!o->runtime || !o->runtime_root || !o->id || !o->bundle || !o->state_dir || !o->log_path || !o->boot_id)
    usage_exit ("--runtime, --runtime-root, --id, --bundle, --state-dir, --log and --boot-id are required");
  int removal = !!o->remove_dir + !!o->remove_staging + !!o->remove_lock + !!o->release_name;
  if (removal != 0 && removal != 4)
    usage_exit ("--remove-dir, --remove-staging, --remove-lock and --release-name go together");
  if (!o->network != !o->network_helper)
    usage_exit ("--network and --network-helper go together");
  if (o->tty && !o->console_socket)
    usage_exit ("--tty needs --console-socket");
  if (o->attach_socket && !o->tty && !o->interactive)
    usage_exit ("--attach-socket needs --tty or --interactive");
}
