#define _GNU_SOURCE
#include "commands.h"
#include "../lib/container.h"
#include "../lib/state.h"
#include "../lib/utils.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "exec [--process FILE | [--tty] [--cwd DIR] [--env K=V]... [--user UID[:GID]] [--cap CAP]...] [--detach] [--pid-file FILE] [--console-socket SOCKET] ID [COMMAND [ARG...]]"

typedef struct overrides
{
  const char *process_file, *cwd, *user, *apparmor, *label;
  char *env[256];
  size_t env_count;
  char *caps[64];
  size_t caps_count;
  bool tty, no_new_privs;
} overrides;

/* The process runs as the container's does, with what the command line changes. */
static int
apply_overrides (spec_process *p, const overrides *ov, int argc, char **argv, char ***env_storage, error *err)
{
  if (argc == 0)
    return fail (err, EINVAL, "exec: a command is required (or --process)");
  p->args.items = argv;
  p->args.count = (size_t) argc;
  p->terminal = ov->tty;
  if (ov->cwd)
    p->cwd = (char *) ov->cwd;
  if (ov->env_count)
    {
      char **env = xzalloc ((p->env.count + ov->env_count + 1) * sizeof (char *));
      memcpy (env, p->env.items, p->env.count * sizeof (char *));
      memcpy (env + p->env.count, ov->env, ov->env_count * sizeof (char *));
      p->env.items = env;
      p->env.count += ov->env_count;
      *env_storage = env;
    }
  if (ov->user)
    {
      _cleanup_free_ char *uid_text = xstrdup (ov->user);
      char *gid_text = strchr (uid_text, ':');
      if (gid_text)
        *gid_text++ = '\0';
      int64_t uid, gid = 0;
      if (parse_int64 (uid_text, &uid) < 0 || uid < 0 || (gid_text && (parse_int64 (gid_text, &gid) < 0 || gid < 0)))
        return fail (err, EINVAL, "exec: --user `%s` is not UID[:GID]", ov->user);
      if (spec_check_id ((uint64_t) uid, "exec: --user", err) < 0 || spec_check_id ((uint64_t) gid, "exec: --user", err) < 0)
        return -1;
      p->uid = (uid_t) uid;
      p->gid = (gid_t) gid;
      p->additional_gids_count = 0;
    }
  for (size_t i = 0; i < ov->caps_count; i++)
    {
      int cap = capability_from_name (ov->caps[i]);
      if (cap < 0)
        return fail (err, EINVAL, "exec: unknown capability `%s`", ov->caps[i]);
      uint64_t bit = 1ULL << cap;
      p->capabilities.present = true;
      p->capabilities.bounding |= bit;
      p->capabilities.effective |= bit;
      p->capabilities.permitted |= bit;
    }
  if (ov->no_new_privs)
    p->no_new_privileges = true;
  if (ov->apparmor)
    p->apparmor_profile = (char *) ov->apparmor;
  if (ov->label)
    p->selinux_label = (char *) ov->label;
  return 0;
}

int
command_exec (const global_options *g, int argc, char **argv)
{
  static const struct option options[] = {
    { "process", required_argument, NULL, 'p' }, { "tty", no_argument, NULL, 't' },
    { "cwd", required_argument, NULL, 'w' },     { "env", required_argument, NULL, 'e' },
    { "user", required_argument, NULL, 'u' },    { "cap", required_argument, NULL, 'c' },
    { "detach", no_argument, NULL, 'd' },        { "pid-file", required_argument, NULL, 'P' },
    { "console-socket", required_argument, NULL, 'S' }, { "preserve-fds", required_argument, NULL, 'F' },
    { "no-new-privs", no_argument, NULL, 'N' },  { "apparmor", required_argument, NULL, 'a' },
    { "process-label", required_argument, NULL, 'l' }, { NULL, 0, NULL, 0 },
  };
  overrides ov = { 0 };
  exec_options o = { .root = g->root };
  int c;
  while ((c = getopt_long (argc, argv, "+p:tw:e:u:c:d", options, NULL)) != -1)
    switch (c)
      {
      case 'p': ov.process_file = optarg; break;
      case 't': ov.tty = true; break;
      case 'w': ov.cwd = optarg; break;
      case 'e':
        if (ov.env_count == sizeof ov.env / sizeof ov.env[0] || strchr (optarg, '=') == NULL)
          return command_usage (USAGE);
        ov.env[ov.env_count++] = optarg;
        break;
      case 'u': ov.user = optarg; break;
      case 'c':
        if (ov.caps_count == sizeof ov.caps / sizeof ov.caps[0])
          return command_usage (USAGE);
        ov.caps[ov.caps_count++] = optarg;
        break;
      case 'd': o.detach = true; break;
      case 'P': o.pid_file = optarg; break;
      case 'S': o.console_socket = optarg; break;
      case 'F':
        {
          int64_t n;
          if (parse_int64 (optarg, &n) < 0 || n < 0 || n > 1024)
            return command_usage (USAGE);
          o.preserve_fds = (int) n;
          break;
        }
      case 'N': ov.no_new_privs = true; break;
      case 'a': ov.apparmor = optarg; break;
      case 'l': ov.label = optarg; break;
      default: return command_usage (USAGE);
      }
  if (optind >= argc)
    return command_usage (USAGE);
  o.id = argv[optind];
  error err = { 0 };
  /* as create: nothing the caller handed us past stdio and the preserved fds goes in */
  if (state_check_id (o.id, &err) < 0 || close_fds_from (3 + o.preserve_fds, error_log_fd (), false, &err) < 0)
    return command_failed (&err);

  spec_process process = { 0 };
  _cleanup_free_ char **env_storage = NULL;
  _cleanup_spec_ spec *saved = NULL;
  json_document *process_doc = NULL;
  if (ov.process_file)
    {
      _cleanup_free_ char *text = NULL;
      size_t len;
      if (read_file (ov.process_file, &text, &len, &err) < 0
          || spec_parse_process_json (text, len, &process, &process_doc, &err) < 0)
        {
          json_free (process_doc);
          return command_failed (&err);
        }
    }
  else
    {
      _cleanup_free_ char *dir = state_dir (g->root, o.id);
      saved = spec_load (dir, &err);
      if (saved == NULL)
        return command_failed (&err);
      process = saved->process;
      if (apply_overrides (&process, &ov, argc - optind - 1, argv + optind + 1, &env_storage, &err) < 0)
        return command_failed (&err);
    }
  o.process = &process;
  int status = 0;
  int ret;
  if (container_exec (&o, &status, &err) == 0)
    ret = status;
  else
    {
      /* 127 and 126 say the program could not be run; anything else the runtime failed */
      ret = command_failed (&err);
      if (status == 127 || status == 126)
        ret = status;
    }
  if (process_doc)
    {
      spec_process_free (&process);
      json_free (process_doc);
    }
  return ret;
}
