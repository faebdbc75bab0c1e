/* config.json's process (and exec's process.json): the user's program, its user,
 * capabilities and rlimits. */
#define _GNU_SOURCE
#include "spec_fields.h"
#include "spec_sections.h"
#include "utils.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

/* ---- capabilities ---- */

static const char *const capability_names[] = {
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
  "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
  "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
  "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
  "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
  "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
  "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
  "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
  "CAP_CHECKPOINT_RESTORE",
};
#define KNOWN_CAPS ((int) (sizeof capability_names / sizeof capability_names[0]))

int
capability_from_name (const char *name)
{
  for (int i = 0; i < KNOWN_CAPS; i++)
    if (strcasecmp (capability_names[i], name) == 0)
      return i;
  return -1;
}

const char *
capability_name (int cap)
{
  return cap >= 0 && cap < KNOWN_CAPS ? capability_names[cap] : NULL;
}

int
capability_last (void)
{
  static int last = -1;
  if (last >= 0)
    return last;
  _cleanup_free_ char *buf = NULL;
  error err = { 0 };
  int64_t v;
  if (read_file ("/proc/sys/kernel/cap_last_cap", &buf, NULL, &err) == 0)
    {
      buf[strcspn (buf, "\n")] = '\0';
      if (parse_int64 (buf, &v) == 0)
        return last = (int) v;
    }
  return last = KNOWN_CAPS - 1;
}

static int
parse_capability_set (const json_value *caps, const char *parent, const char *key, uint64_t *mask, error *err)
{
  string_list names = { 0 };
  int ret = field_strings (caps, key, parent, &names, err);
  if (ret == 0)
    for (size_t i = 0; i < names.count; i++)
      {
        int cap = capability_from_name (names.items[i]);
        if (cap < 0 || cap > capability_last ())
          warn ("%s.%s: ignoring unknown or unavailable capability %s", parent, key, names.items[i]);
        else
          *mask |= 1ULL << cap;
      }
  free (names.items);
  return ret;
}

static int
parse_capabilities (const json_value *caps, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_capabilities *out = element;
  out->present = true;
  if (parse_capability_set (caps, path, "bounding", &out->bounding, err) < 0
      || parse_capability_set (caps, path, "effective", &out->effective, err) < 0
      || parse_capability_set (caps, path, "inheritable", &out->inheritable, err) < 0
      || parse_capability_set (caps, path, "permitted", &out->permitted, err) < 0
      || parse_capability_set (caps, path, "ambient", &out->ambient, err) < 0)
    return -1;
  return 0;
}

/* ---- rlimits ---- */

static const struct
{
  const char *name;
  int resource;
} rlimit_names[] = {
  { "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE }, { "RLIMIT_CPU", RLIMIT_CPU },
  { "RLIMIT_DATA", RLIMIT_DATA }, { "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
  { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
  { "RLIMIT_NOFILE", RLIMIT_NOFILE }, { "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
  { "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME }, { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
  { "RLIMIT_STACK", RLIMIT_STACK },
};

static int
parse_rlimit (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  const spec_process *process = context;
  spec_rlimit *out = element;
  char *type = NULL;
  opt_u64 soft = { 0 }, hard = { 0 };
  if (field_u64 (item, "soft", path, &soft, err) < 0 || field_u64 (item, "hard", path, &hard, err) < 0
      || field_required_string (item, "type", path, &type, err) < 0)
    return -1;
  int resource = -1;
  for (size_t k = 0; k < sizeof rlimit_names / sizeof rlimit_names[0]; k++)
    if (strcmp (rlimit_names[k].name, type) == 0)
      resource = rlimit_names[k].resource;
  if (resource < 0)
    return fail (err, 0, "%s.type: unknown rlimit `%s`", path, type);
  for (size_t k = 0; k < index; k++)
    if (process->rlimits[k].resource == resource)
      return fail (err, 0, "%s.type: duplicate rlimit `%s`", path, type);
  *out = (spec_rlimit){ resource, soft.value, hard.value };
  return 0;
}

/* The process is the context: the items before this one are there, for duplicates. */
static int
parse_rlimits (const json_value *p, spec_process *out, error *err)
{
  return FIELD_OBJECTS (p, "rlimits", "process", &out->rlimits, &out->rlimits_count, parse_rlimit, out, err);
}

/* ---- user ---- */

int
spec_check_id (uint64_t id, const char *what, error *err)
{
  if (id > SPEC_MAX_ID)
    return fail (err, EINVAL, "%s: %llu is out of range: uids and gids must be in range 0-%u", what, (unsigned long long) id,
                 SPEC_MAX_ID);
  return 0;
}

static int
parse_user (const json_value *user, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_process *out = element;
  uint32_t umask_value = 0;
  if (field_u32 (user, "uid", path, &out->uid, NULL, err) < 0 || field_u32 (user, "gid", path, &out->gid, NULL, err) < 0
      || field_u32 (user, "umask", path, &umask_value, &out->has_umask, err) < 0
      || spec_check_id (out->uid, "process.user.uid", err) < 0 || spec_check_id (out->gid, "process.user.gid", err) < 0)
    return -1;
  out->umask = umask_value;
  const json_value *gids;
  if (field_array (user, "additionalGids", path, &gids, err) < 0)
    return -1;
  if (gids == NULL)
    return 0;
  out->additional_gids = xzalloc ((gids->array.count + 1) * sizeof (gid_t));
  out->additional_gids_count = gids->array.count;
  for (size_t i = 0; i < gids->array.count; i++)
    {
      char item_path[FIELD_PATH_MAX];
      uint64_t g = 0;
      snprintf (item_path, sizeof item_path, "process.user.additionalGids[%zu]", i);
      if (field_as_u64 (gids->array.items[i], item_path, &g, err) < 0 || spec_check_id (g, item_path, err) < 0)
        return -1;
      out->additional_gids[i] = (gid_t) g;
    }
  return 0;
}

/* ---- process ---- */

static int
parse_console_size (const json_value *size, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_process *out = element;
  if (field_u32 (size, "height", path, &out->console_height, NULL, err) < 0
      || field_u32 (size, "width", path, &out->console_width, NULL, err) < 0)
    return -1;
  return 0;
}

int
spec_parse_process (const json_value *p, spec_process *out, error *err)
{
  const char *P = "process";
  if (p->type != JSON_OBJECT)
    return field_type_error (err, P, "an object", p);
  if (field_bool (p, "terminal", P, &out->terminal, NULL, err) < 0
      || field_with_object (p, "consoleSize", P, parse_console_size, out, err) < 0
      || field_with_object (p, "user", P, parse_user, out, err) < 0
      || field_strings (p, "args", P, &out->args, err) < 0 || field_strings (p, "env", P, &out->env, err) < 0
      || field_string (p, "cwd", P, &out->cwd, err) < 0)
    return -1;
  if (out->args.count == 0)
    return fail (err, 0, "process.args: at least one argument is required");
  if (out->cwd == NULL)
    return fail (err, 0, "process.cwd: required");
  if (out->cwd[0] != '/')
    return fail (err, 0, "process.cwd: `%s` is not an absolute path", out->cwd);
  for (size_t i = 0; i < out->env.count; i++)
    if (strchr (out->env.items[i], '=') == NULL)
      return fail (err, 0, "process.env[%zu]: `%s` is not of the form KEY=value", i, out->env.items[i]);
  opt_i64 oom = { 0 };
  if (field_with_object (p, "capabilities", P, parse_capabilities, &out->capabilities, err) < 0 || parse_rlimits (p, out, err) < 0
      || field_bool (p, "noNewPrivileges", P, &out->no_new_privileges, NULL, err) < 0
      || field_i64 (p, "oomScoreAdj", P, &oom, err) < 0)
    return -1;
  if (oom.has)
    {
      if (oom.value < -1000 || oom.value > 1000)
        return fail (err, 0, "process.oomScoreAdj: %lld is outside -1000..1000", (long long) oom.value);
      out->has_oom_score_adj = true;
      out->oom_score_adj = (int) oom.value;
    }
  if (field_string (p, "apparmorProfile", P, &out->apparmor_profile, err) < 0
      || field_string (p, "selinuxLabel", P, &out->selinux_label, err) < 0)
    return -1;
  return 0;
}

int
spec_parse_process_json (const char *text, size_t length, spec_process *out, json_document **doc, error *err)
{
  *doc = json_parse (text, length, err);
  if (*doc == NULL)
    return error_wrap (err, "process.json");
  return spec_parse_process (json_root (*doc), out, err);
}

void
spec_process_free (spec_process *p)
{
  free (p->args.items);
  free (p->env.items);
  free (p->additional_gids);
  free (p->rlimits);
}
