#define _GNU_SOURCE
#include "spec.h"
#include "seccomp_filter.h"
#include "utils.h"

#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

/* ---- typed getters: absent is fine, wrong type is an error naming the field ---- */

static int
type_error (error *err, const char *path, const char *expected, const json_value *v)
{
  return fail (err, 0, "%s: expected %s, got %s", path, expected, json_type_name (v->type));
}

static const json_value *
member (const json_value *obj, const char *key, char *path, size_t pathlen, const char *parent)
{
  snprintf (path, pathlen, "%s%s%s", parent, parent[0] ? "." : "", key);
  const json_value *v = json_get (obj, key);
  return (v && v->type == JSON_NULL) ? NULL : v;
}

#define PATHBUF char path[512]
#define MEMBER(obj, key, parent) member ((obj), (key), path, sizeof path, (parent))

static int
as_string (const json_value *v, const char *path, char **out, error *err)
{
  if (v->type != JSON_STRING)
    return type_error (err, path, "a string", v);
  *out = v->string.chars;
  return 0;
}

static int
get_string (const json_value *obj, const char *key, const char *parent, char **out, error *err)
{
  PATHBUF;
  const json_value *v = MEMBER (obj, key, parent);
  if (v == NULL)
    return 0;
  return as_string (v, path, out, err);
}

static int
get_bool (const json_value *obj, const char *key, const char *parent, bool *out, bool *has, error *err)
{
  PATHBUF;
  const json_value *v = MEMBER (obj, key, parent);
  if (v == NULL)
    return 0;
  if (v->type != JSON_BOOL)
    return type_error (err, path, "a boolean", v);
  *out = v->boolean;
  if (has)
    *has = true;
  return 0;
}

static int
as_i64 (const json_value *v, const char *path, int64_t *out, error *err)
{
  if (v->type != JSON_NUMBER)
    return type_error (err, path, "an integer", v);
  if (!v->number.is_integer)
    return fail (err, 0, "%s: expected an integer, got %g", path, v->number.real);
  *out = v->number.integer;
  return 0;
}

static int
as_u64 (const json_value *v, const char *path, uint64_t *out, error *err)
{
  if (v->type != JSON_NUMBER)
    return type_error (err, path, "an unsigned integer", v);
  if (v->number.is_unsigned_overflow)
    {
      *out = v->number.uinteger;
      return 0;
    }
  if (!v->number.is_integer || v->number.integer < 0)
    return fail (err, 0, "%s: expected an unsigned integer, got %g", path, v->number.real);
  *out = (uint64_t) v->number.integer;
  return 0;
}

static int
get_i64 (const json_value *obj, const char *key, const char *parent, opt_i64 *out, error *err)
{
  PATHBUF;
  const json_value *v = MEMBER (obj, key, parent);
  if (v == NULL)
    return 0;
  out->has = true;
  return as_i64 (v, path, &out->value, err);
}

static int
get_u64 (const json_value *obj, const char *key, const char *parent, opt_u64 *out, error *err)
{
  PATHBUF;
  const json_value *v = MEMBER (obj, key, parent);
  if (v == NULL)
    return 0;
  out->has = true;
  return as_u64 (v, path, &out->value, err);
}

static int
get_u32 (const json_value *obj, const char *key, const char *parent, uint32_t *out, bool *has, error *err)
{
  opt_u64 v = { 0 };
  if (get_u64 (obj, key, parent, &v, err) < 0)
    return -1;
  if (!v.has)
    return 0;
  if (v.value > UINT32_MAX)
    return fail (err, 0, "%s%s%s: %llu is out of range", parent, parent[0] ? "." : "", key, (unsigned long long) v.value);
  *out = (uint32_t) v.value;
  if (has)
    *has = true;
  return 0;
}

static int
get_array (const json_value *obj, const char *key, const char *parent, const json_value **out, char *path, size_t pathlen, error *err)
{
  const json_value *v = member (obj, key, path, pathlen, parent);
  *out = NULL;
  if (v == NULL)
    return 0;
  if (v->type != JSON_ARRAY)
    return type_error (err, path, "an array", v);
  *out = v;
  return 0;
}

static int
get_object (const json_value *obj, const char *key, const char *parent, const json_value **out, char *path, size_t pathlen, error *err)
{
  const json_value *v = member (obj, key, path, pathlen, parent);
  *out = NULL;
  if (v == NULL)
    return 0;
  if (v->type != JSON_OBJECT)
    return type_error (err, path, "an object", v);
  *out = v;
  return 0;
}

static int
get_string_list (const json_value *obj, const char *key, const char *parent, string_list *out, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (obj, key, parent, &arr, path, sizeof path, err) < 0 || arr == NULL)
    return arr == NULL && err->message[0] == '\0' ? 0 : -1;
  out->items = xzalloc ((arr->array.count + 1) * sizeof (char *));
  out->count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[600];
      snprintf (ipath, sizeof ipath, "%s[%zu]", path, i);
      if (as_string (arr->array.items[i], ipath, &out->items[i], err) < 0)
        return -1;
    }
  return 0;
}

static int
get_string_map (const json_value *obj, const char *key, const char *parent, spec_key_value **out, size_t *count, error *err)
{
  PATHBUF;
  const json_value *map;
  if (get_object (obj, key, parent, &map, path, sizeof path, err) < 0)
    return -1;
  if (map == NULL)
    return 0;
  *out = xzalloc ((map->object.count + 1) * sizeof (spec_key_value));
  *count = map->object.count;
  for (size_t i = 0; i < map->object.count; i++)
    {
      char ipath[700];
      snprintf (ipath, sizeof ipath, "%s.%s", path, map->object.keys[i]);
      (*out)[i].key = map->object.keys[i];
      if (as_string (map->object.values[i], ipath, &(*out)[i].value, err) < 0)
        return -1;
    }
  return 0;
}

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
get_capability_set (const json_value *caps, const char *key, const char *parent, uint64_t *mask, error *err)
{
  string_list names = { 0 };
  int ret = get_string_list (caps, key, parent, &names, err);
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
parse_rlimits (const json_value *process, spec_process *out, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (process, "rlimits", "process", &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  out->rlimits = xzalloc ((arr->array.count + 1) * sizeof (spec_rlimit));
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[64];
      snprintf (ipath, sizeof ipath, "process.rlimits[%zu]", i);
      const json_value *item = arr->array.items[i];
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      char *type = NULL;
      opt_u64 soft = { 0 }, hard = { 0 };
      if (get_string (item, "type", ipath, &type, err) < 0 || get_u64 (item, "soft", ipath, &soft, err) < 0
          || get_u64 (item, "hard", ipath, &hard, err) < 0)
        return -1;
      if (type == NULL)
        return fail (err, 0, "%s.type: required", ipath);
      int resource = -1;
      for (size_t k = 0; k < sizeof rlimit_names / sizeof rlimit_names[0]; k++)
        if (strcmp (rlimit_names[k].name, type) == 0)
          resource = rlimit_names[k].resource;
      if (resource < 0)
        return fail (err, 0, "%s.type: unknown rlimit `%s`", ipath, type);
      for (size_t k = 0; k < out->rlimits_count; k++)
        if (out->rlimits[k].resource == resource)
          return fail (err, 0, "%s.type: duplicate rlimit `%s`", ipath, type);
      out->rlimits[out->rlimits_count++] = (spec_rlimit){ resource, soft.value, hard.value };
    }
  return 0;
}

/* ---- process ---- */

int
spec_check_id (uint64_t id, const char *what, error *err)
{
  if (id > SPEC_MAX_ID)
    return fail (err, EINVAL, "%s: %llu is out of range: uids and gids must be in range 0-%u", what, (unsigned long long) id,
                 SPEC_MAX_ID);
  return 0;
}

static int
parse_process (const json_value *p, spec_process *out, error *err)
{
  PATHBUF;
  const json_value *v;
  if (p->type != JSON_OBJECT)
    return type_error (err, "process", "an object", p);
  if (get_bool (p, "terminal", "process", &out->terminal, NULL, err) < 0)
    return -1;
  if (get_object (p, "consoleSize", "process", &v, path, sizeof path, err) < 0)
    return -1;
  if (v && (get_u32 (v, "height", "process.consoleSize", &out->console_height, NULL, err) < 0
            || get_u32 (v, "width", "process.consoleSize", &out->console_width, NULL, err) < 0))
    return -1;

  const json_value *user;
  if (get_object (p, "user", "process", &user, path, sizeof path, err) < 0)
    return -1;
  if (user)
    {
      uint32_t umask_value = 0;
      if (get_u32 (user, "uid", "process.user", &out->uid, NULL, err) < 0
          || get_u32 (user, "gid", "process.user", &out->gid, NULL, err) < 0
          || get_u32 (user, "umask", "process.user", &umask_value, &out->has_umask, err) < 0
          || spec_check_id (out->uid, "process.user.uid", err) < 0 || spec_check_id (out->gid, "process.user.gid", err) < 0)
        return -1;
      out->umask = umask_value;
      const json_value *gids;
      if (get_array (user, "additionalGids", "process.user", &gids, path, sizeof path, err) < 0)
        return -1;
      if (gids)
        {
          out->additional_gids = xzalloc ((gids->array.count + 1) * sizeof (gid_t));
          out->additional_gids_count = gids->array.count;
          for (size_t i = 0; i < gids->array.count; i++)
            {
              char ipath[64];
              uint64_t g = 0;
              snprintf (ipath, sizeof ipath, "process.user.additionalGids[%zu]", i);
              if (as_u64 (gids->array.items[i], ipath, &g, err) < 0)
                return -1;
              if (spec_check_id (g, ipath, err) < 0)
                return -1;
              out->additional_gids[i] = (gid_t) g;
            }
        }
    }
  if (get_string_list (p, "args", "process", &out->args, err) < 0 || get_string_list (p, "env", "process", &out->env, err) < 0
      || get_string (p, "cwd", "process", &out->cwd, err) < 0)
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

  const json_value *caps;
  if (get_object (p, "capabilities", "process", &caps, path, sizeof path, err) < 0)
    return -1;
  if (caps)
    {
      out->capabilities.present = true;
      if (get_capability_set (caps, "bounding", "process.capabilities", &out->capabilities.bounding, err) < 0
          || get_capability_set (caps, "effective", "process.capabilities", &out->capabilities.effective, err) < 0
          || get_capability_set (caps, "inheritable", "process.capabilities", &out->capabilities.inheritable, err) < 0
          || get_capability_set (caps, "permitted", "process.capabilities", &out->capabilities.permitted, err) < 0
          || get_capability_set (caps, "ambient", "process.capabilities", &out->capabilities.ambient, err) < 0)
        return -1;
    }
  if (parse_rlimits (p, out, err) < 0)
    return -1;
  if (get_bool (p, "noNewPrivileges", "process", &out->no_new_privileges, NULL, err) < 0)
    return -1;
  opt_i64 oom = { 0 };
  if (get_i64 (p, "oomScoreAdj", "process", &oom, err) < 0)
    return -1;
  if (oom.has)
    {
      if (oom.value < -1000 || oom.value > 1000)
        return fail (err, 0, "process.oomScoreAdj: %lld is outside -1000..1000", (long long) oom.value);
      out->has_oom_score_adj = true;
      out->oom_score_adj = (int) oom.value;
    }
  if (get_string (p, "apparmorProfile", "process", &out->apparmor_profile, err) < 0
      || get_string (p, "selinuxLabel", "process", &out->selinux_label, err) < 0)
    return -1;
  return 0;
}

/* ---- mounts ---- */

int
spec_parse_mount_options (spec_mount *m, error *err)
{
  static const struct
  {
    const char *name;
    bool clear;
    unsigned long flag;
  } flags[] = {
    { "defaults", false, 0 },         { "ro", false, MS_RDONLY },       { "rw", true, MS_RDONLY },
    { "nosuid", false, MS_NOSUID },   { "suid", true, MS_NOSUID },      { "nodev", false, MS_NODEV },
    { "dev", true, MS_NODEV },        { "noexec", false, MS_NOEXEC },   { "exec", true, MS_NOEXEC },
    { "sync", false, MS_SYNCHRONOUS }, { "async", true, MS_SYNCHRONOUS }, { "dirsync", false, MS_DIRSYNC },
    { "remount", false, MS_REMOUNT }, { "mand", false, MS_MANDLOCK },   { "nomand", true, MS_MANDLOCK },
    { "noatime", false, MS_NOATIME }, { "atime", true, MS_NOATIME },    { "nodiratime", false, MS_NODIRATIME },
    { "diratime", true, MS_NODIRATIME }, { "relatime", false, MS_RELATIME }, { "norelatime", true, MS_RELATIME },
    { "strictatime", false, MS_STRICTATIME }, { "nostrictatime", true, MS_STRICTATIME },
    { "lazytime", false, MS_LAZYTIME }, { "nolazytime", true, MS_LAZYTIME }, { "silent", false, MS_SILENT },
    { "loud", true, MS_SILENT },      { "iversion", false, MS_I_VERSION }, { "noiversion", true, MS_I_VERSION },
    { "bind", false, MS_BIND },       { "rbind", false, MS_BIND | MS_REC },
  };
  static const struct
  {
    const char *name;
    unsigned long flag;
  } propagations[] = {
    { "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC }, { "shared", MS_SHARED },
    { "rshared", MS_SHARED | MS_REC }, { "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
    { "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
  };
  strbuf data = { 0 };
  for (size_t i = 0; i < m->options.count; i++)
    {
      const char *o = m->options.items[i];
      bool known = false;
      for (size_t k = 0; k < sizeof flags / sizeof flags[0] && !known; k++)
        if (strcmp (o, flags[k].name) == 0)
          {
            known = true;
            if (flags[k].clear)
              {
                m->flags &= ~flags[k].flag;
                m->clear_flags |= flags[k].flag;
              }
            else
              {
                m->flags |= flags[k].flag;
                m->clear_flags &= ~flags[k].flag;
              }
          }
      for (size_t k = 0; k < sizeof propagations / sizeof propagations[0] && !known; k++)
        if (strcmp (o, propagations[k].name) == 0)
          {
            known = true;
            m->propagation = propagations[k].flag;
          }
      if (known)
        continue;
      if (strcmp (o, "rro") == 0)
        m->is_recursive_readonly = true;
      else if (strcmp (o, "tmpcopyup") == 0 || strcmp (o, "rrw") == 0 || strncmp (o, "x-", 2) == 0)
        ; /* runc extensions and userspace-only options: nothing for the kernel */
      else if (strcmp (o, "idmap") == 0 || strcmp (o, "ridmap") == 0)
        {
          free (data.data);
          return fail (err, 0, "mount `%s`: option `%s` is not supported", m->destination, o);
        }
      else
        {
          if (data.len)
            sb_append (&data, ",");
          sb_append (&data, o);
        }
    }
  m->is_bind = (m->flags & MS_BIND) != 0 || (m->type && strcmp (m->type, "bind") == 0);
  if (m->type && strcmp (m->type, "bind") == 0)
    m->flags |= MS_BIND;
  m->data = data.len ? data.data : NULL;
  if (!m->data)
    free (data.data);
  return 0;
}

static int
parse_mounts (const json_value *root, spec *s, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (root, "mounts", "", &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  s->mounts = xzalloc ((arr->array.count + 1) * sizeof (spec_mount));
  s->mounts_count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[64];
      snprintf (ipath, sizeof ipath, "mounts[%zu]", i);
      const json_value *item = arr->array.items[i];
      spec_mount *m = &s->mounts[i];
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      if (get_string (item, "destination", ipath, &m->destination, err) < 0 || get_string (item, "type", ipath, &m->type, err) < 0
          || get_string (item, "source", ipath, &m->source, err) < 0
          || get_string_list (item, "options", ipath, &m->options, err) < 0)
        return -1;
      if (m->destination == NULL || m->destination[0] == '\0')
        return fail (err, 0, "%s.destination: required", ipath);
      if (json_get (item, "uidMappings") || json_get (item, "gidMappings"))
        m->has_id_mapping = true;
      if (spec_parse_mount_options (m, err) < 0)
        return -1;
      if (m->type == NULL && !m->is_bind)
        return fail (err, 0, "%s.type: required for a mount that is not a bind mount", ipath);
      if (m->has_id_mapping)
        return fail (err, 0, "%s: idmapped mounts are not supported", ipath);
    }
  return 0;
}

/* ---- hooks ---- */

static int
parse_hook_list (const json_value *hooks, const char *key, spec_hook_list *out, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (hooks, key, "hooks", &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  out->items = xzalloc ((arr->array.count + 1) * sizeof (spec_hook));
  out->count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[96];
      snprintf (ipath, sizeof ipath, "hooks.%s[%zu]", key, i);
      const json_value *item = arr->array.items[i];
      spec_hook *h = &out->items[i];
      opt_i64 timeout = { 0 };
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      if (get_string (item, "path", ipath, &h->path, err) < 0 || get_string_list (item, "args", ipath, &h->args, err) < 0
          || get_string_list (item, "env", ipath, &h->env, err) < 0 || get_i64 (item, "timeout", ipath, &timeout, err) < 0)
        return -1;
      if (h->path == NULL || h->path[0] != '/')
        return fail (err, 0, "%s.path: an absolute path is required", ipath);
      if (timeout.has && timeout.value <= 0)
        return fail (err, 0, "%s.timeout: must be greater than zero", ipath);
      h->timeout = timeout.has ? (int) timeout.value : 0;
    }
  return 0;
}

static int
parse_hooks (const json_value *root, spec *s, error *err)
{
  PATHBUF;
  const json_value *hooks;
  if (get_object (root, "hooks", "", &hooks, path, sizeof path, err) < 0)
    return -1;
  if (hooks == NULL)
    return 0;
  if (parse_hook_list (hooks, "prestart", &s->hooks.prestart, err) < 0
      || parse_hook_list (hooks, "createRuntime", &s->hooks.create_runtime, err) < 0
      || parse_hook_list (hooks, "createContainer", &s->hooks.create_container, err) < 0
      || parse_hook_list (hooks, "startContainer", &s->hooks.start_container, err) < 0
      || parse_hook_list (hooks, "poststart", &s->hooks.poststart, err) < 0
      || parse_hook_list (hooks, "poststop", &s->hooks.poststop, err) < 0)
    return -1;
  return 0;
}

/* ---- linux ---- */

static const char *const namespace_names[NS_COUNT] = {
  [NS_PID] = "pid", [NS_NETWORK] = "network", [NS_MOUNT] = "mount", [NS_IPC] = "ipc",
  [NS_UTS] = "uts", [NS_USER] = "user",       [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

const char *
namespace_name (enum namespace_kind kind)
{
  return namespace_names[kind];
}

int
namespace_clone_flag (enum namespace_kind kind)
{
  switch (kind)
    {
    case NS_PID: return CLONE_NEWPID;
    case NS_NETWORK: return CLONE_NEWNET;
    case NS_MOUNT: return CLONE_NEWNS;
    case NS_IPC: return CLONE_NEWIPC;
    case NS_UTS: return CLONE_NEWUTS;
    case NS_USER: return CLONE_NEWUSER;
    case NS_CGROUP: return CLONE_NEWCGROUP;
    case NS_TIME: return 0x00000080; /* CLONE_NEWTIME */
    default: return 0;
    }
}

static int
parse_id_mappings (const json_value *linux_obj, const char *key, spec_id_mapping **out, size_t *count, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (linux_obj, key, "linux", &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  *out = xzalloc ((arr->array.count + 1) * sizeof (spec_id_mapping));
  *count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[64];
      snprintf (ipath, sizeof ipath, "linux.%s[%zu]", key, i);
      const json_value *item = arr->array.items[i];
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      bool has_c = false, has_h = false, has_s = false;
      if (get_u32 (item, "containerID", ipath, &(*out)[i].container_id, &has_c, err) < 0
          || get_u32 (item, "hostID", ipath, &(*out)[i].host_id, &has_h, err) < 0
          || get_u32 (item, "size", ipath, &(*out)[i].size, &has_s, err) < 0)
        return -1;
      if (!has_c || !has_h || !has_s)
        return fail (err, 0, "%s: containerID, hostID and size are required", ipath);
    }
  return 0;
}

static int
parse_namespaces (const json_value *linux_obj, spec *s, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (linux_obj, "namespaces", "linux", &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[64];
      snprintf (ipath, sizeof ipath, "linux.namespaces[%zu]", i);
      const json_value *item = arr->array.items[i];
      char *type = NULL, *nspath = NULL;
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      if (get_string (item, "type", ipath, &type, err) < 0 || get_string (item, "path", ipath, &nspath, err) < 0)
        return -1;
      if (type == NULL)
        return fail (err, 0, "%s.type: required", ipath);
      int kind = -1;
      for (int k = 0; k < NS_COUNT; k++)
        if (strcmp (namespace_names[k], type) == 0)
          kind = k;
      if (kind < 0)
        return fail (err, 0, "%s.type: unknown namespace type `%s`", ipath, type);
      if (s->namespaces[kind].requested)
        return fail (err, 0, "%s.type: namespace `%s` is listed twice", ipath, type);
      s->namespaces[kind].requested = true;
      s->namespaces[kind].path = (nspath && nspath[0]) ? nspath : NULL;
    }
  return 0;
}

static int
parse_devices (const json_value *linux_obj, spec *s, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (linux_obj, "devices", "linux", &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  s->devices = xzalloc ((arr->array.count + 1) * sizeof (spec_device));
  s->devices_count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[64];
      snprintf (ipath, sizeof ipath, "linux.devices[%zu]", i);
      const json_value *item = arr->array.items[i];
      spec_device *d = &s->devices[i];
      char *type = NULL;
      opt_i64 major = { 0 }, minor = { 0 };
      uint32_t mode = 0, uid = 0, gid = 0;
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      if (get_string (item, "path", ipath, &d->path, err) < 0 || get_string (item, "type", ipath, &type, err) < 0
          || get_i64 (item, "major", ipath, &major, err) < 0 || get_i64 (item, "minor", ipath, &minor, err) < 0
          || get_u32 (item, "fileMode", ipath, &mode, &d->has_mode, err) < 0
          || get_u32 (item, "uid", ipath, &uid, &d->has_uid, err) < 0 || get_u32 (item, "gid", ipath, &gid, &d->has_gid, err) < 0)
        return -1;
      if (d->path == NULL || d->path[0] != '/')
        return fail (err, 0, "%s.path: an absolute path is required", ipath);
      if (type == NULL || strlen (type) != 1 || strchr ("cbup", type[0]) == NULL)
        return fail (err, 0, "%s.type: must be one of c, b, u, p", ipath);
      d->type = type[0];
      if (d->type != 'p' && (!major.has || !minor.has))
        return fail (err, 0, "%s: major and minor are required for type %c", ipath, d->type);
      d->major = major.value;
      d->minor = minor.value;
      d->mode = mode;
      d->uid = uid;
      d->gid = gid;
    }
  return 0;
}

static int
parse_block_device_values (const json_value *blkio, const char *key, const char *parent, bool is_weight, spec_block_device_value **out,
                           size_t *count, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (blkio, key, parent, &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  *out = xzalloc ((arr->array.count + 1) * sizeof (spec_block_device_value));
  *count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[160];
      snprintf (ipath, sizeof ipath, "%s.%s[%zu]", parent, key, i);
      const json_value *item = arr->array.items[i];
      spec_block_device_value *b = &(*out)[i];
      opt_i64 major = { 0 }, minor = { 0 };
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      if (get_i64 (item, "major", ipath, &major, err) < 0 || get_i64 (item, "minor", ipath, &minor, err) < 0)
        return -1;
      if (!major.has || !minor.has)
        return fail (err, 0, "%s: major and minor are required", ipath);
      b->major = major.value;
      b->minor = minor.value;
      if (is_weight)
        {
          uint32_t w = 0, lw = 0;
          if (get_u32 (item, "weight", ipath, &w, NULL, err) < 0 || get_u32 (item, "leafWeight", ipath, &lw, NULL, err) < 0)
            return -1;
          b->weight = (int) w;
          b->leaf_weight = (int) lw;
        }
      else
        {
          opt_u64 rate = { 0 };
          if (get_u64 (item, "rate", ipath, &rate, err) < 0)
            return -1;
          if (!rate.has)
            return fail (err, 0, "%s.rate: required", ipath);
          b->rate = rate.value;
        }
    }
  return 0;
}

static int
parse_device_rules (const json_value *res, spec_resources *r, error *err)
{
  PATHBUF;
  const json_value *arr;
  if (get_array (res, "devices", "linux.resources", &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  r->devices = xzalloc ((arr->array.count + 1) * sizeof (spec_device_rule));
  r->devices_count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[64];
      snprintf (ipath, sizeof ipath, "linux.resources.devices[%zu]", i);
      const json_value *item = arr->array.items[i];
      spec_device_rule *d = &r->devices[i];
      char *type = NULL, *access = NULL;
      opt_i64 major = { 0 }, minor = { 0 };
      bool has_allow = false;
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      if (get_bool (item, "allow", ipath, &d->allow, &has_allow, err) < 0 || get_string (item, "type", ipath, &type, err) < 0
          || get_string (item, "access", ipath, &access, err) < 0 || get_i64 (item, "major", ipath, &major, err) < 0
          || get_i64 (item, "minor", ipath, &minor, err) < 0)
        return -1;
      if (!has_allow)
        return fail (err, 0, "%s.allow: required", ipath);
      d->type = type ? type[0] : 'a';
      if ((type && strlen (type) != 1) || strchr ("acb", d->type) == NULL)
        return fail (err, 0, "%s.type: must be one of a, c, b", ipath);
      d->major = major.has ? major.value : -1;
      d->minor = minor.has ? minor.value : -1;
      if (access == NULL || access[0] == '\0')
        access = "rwm";
      if (strlen (access) > 3 || strspn (access, "rwm") != strlen (access))
        return fail (err, 0, "%s.access: `%s` is not a combination of r, w, m", ipath, access);
      strcpy (d->access, access);
    }
  return 0;
}

static int
parse_resources (const json_value *res, spec_resources *r, error *err)
{
  PATHBUF;
  const json_value *v;
  const char *P = "linux.resources";
  r->present = true;
  if (res->type != JSON_OBJECT)
    return type_error (err, P, "an object", res);
  if (parse_device_rules (res, r, err) < 0)
    return -1;

  if (get_object (res, "memory", P, &v, path, sizeof path, err) < 0)
    return -1;
  if (v)
    {
      const char *M = "linux.resources.memory";
      if (get_i64 (v, "limit", M, &r->memory_limit, err) < 0 || get_i64 (v, "reservation", M, &r->memory_reservation, err) < 0
          || get_i64 (v, "swap", M, &r->memory_swap, err) < 0 || get_i64 (v, "kernel", M, &r->memory_kernel, err) < 0
          || get_i64 (v, "kernelTCP", M, &r->memory_kernel_tcp, err) < 0 || get_u64 (v, "swappiness", M, &r->memory_swappiness, err) < 0
          || get_bool (v, "disableOOMKiller", M, &r->disable_oom_killer, &r->has_disable_oom_killer, err) < 0
          || get_bool (v, "useHierarchy", M, &r->use_hierarchy, &r->has_use_hierarchy, err) < 0
          || get_bool (v, "checkBeforeUpdate", M, &r->check_before_update, &r->has_check_before_update, err) < 0)
        return -1;
      if (r->memory_swappiness.has && r->memory_swappiness.value > 100)
        return fail (err, 0, "%s.swappiness: %llu is above 100", M, (unsigned long long) r->memory_swappiness.value);
      if (r->memory_limit.has && r->memory_limit.value < -1)
        return fail (err, 0, "%s.limit: %lld is not a valid limit", M, (long long) r->memory_limit.value);
    }
  if (get_object (res, "cpu", P, &v, path, sizeof path, err) < 0)
    return -1;
  if (v)
    {
      const char *C = "linux.resources.cpu";
      if (get_u64 (v, "shares", C, &r->cpu_shares, err) < 0 || get_i64 (v, "quota", C, &r->cpu_quota, err) < 0
          || get_u64 (v, "period", C, &r->cpu_period, err) < 0 || get_i64 (v, "realtimeRuntime", C, &r->cpu_realtime_runtime, err) < 0
          || get_u64 (v, "realtimePeriod", C, &r->cpu_realtime_period, err) < 0 || get_i64 (v, "burst", C, &r->cpu_burst, err) < 0
          || get_i64 (v, "idle", C, &r->cpu_idle, err) < 0 || get_string (v, "cpus", C, &r->cpu_cpus, err) < 0
          || get_string (v, "mems", C, &r->cpu_mems, err) < 0)
        return -1;
    }
  if (get_object (res, "pids", P, &v, path, sizeof path, err) < 0)
    return -1;
  if (v && get_i64 (v, "limit", "linux.resources.pids", &r->pids_limit, err) < 0)
    return -1;
  if (get_object (res, "blockIO", P, &v, path, sizeof path, err) < 0)
    return -1;
  if (v)
    {
      const char *B = "linux.resources.blockIO";
      if (get_u64 (v, "weight", B, &r->blkio_weight, err) < 0 || get_u64 (v, "leafWeight", B, &r->blkio_leaf_weight, err) < 0
          || parse_block_device_values (v, "weightDevice", B, true, &r->blkio_weight_device, &r->blkio_weight_device_count, err) < 0
          || parse_block_device_values (v, "throttleReadBpsDevice", B, false, &r->throttle_read_bps, &r->throttle_read_bps_count, err) < 0
          || parse_block_device_values (v, "throttleWriteBpsDevice", B, false, &r->throttle_write_bps, &r->throttle_write_bps_count, err) < 0
          || parse_block_device_values (v, "throttleReadIOPSDevice", B, false, &r->throttle_read_iops, &r->throttle_read_iops_count, err) < 0
          || parse_block_device_values (v, "throttleWriteIOPSDevice", B, false, &r->throttle_write_iops, &r->throttle_write_iops_count, err) < 0)
        return -1;
      if (r->blkio_weight.has && r->blkio_weight.value != 0 && (r->blkio_weight.value < 10 || r->blkio_weight.value > 1000))
        return fail (err, 0, "%s.weight: %llu is outside 10..1000", B, (unsigned long long) r->blkio_weight.value);
    }
  const json_value *arr;
  if (get_array (res, "hugepageLimits", P, &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr)
    {
      r->hugepage_limits = xzalloc ((arr->array.count + 1) * sizeof (spec_hugepage_limit));
      r->hugepage_limits_count = arr->array.count;
      for (size_t i = 0; i < arr->array.count; i++)
        {
          char ipath[64];
          opt_u64 limit = { 0 };
          snprintf (ipath, sizeof ipath, "linux.resources.hugepageLimits[%zu]", i);
          if (arr->array.items[i]->type != JSON_OBJECT)
            return type_error (err, ipath, "an object", arr->array.items[i]);
          if (get_string (arr->array.items[i], "pageSize", ipath, &r->hugepage_limits[i].page_size, err) < 0
              || get_u64 (arr->array.items[i], "limit", ipath, &limit, err) < 0)
            return -1;
          if (r->hugepage_limits[i].page_size == NULL)
            return fail (err, 0, "%s.pageSize: required", ipath);
          r->hugepage_limits[i].limit = limit.value;
        }
    }
  if (get_object (res, "network", P, &v, path, sizeof path, err) < 0)
    return -1;
  if (v)
    {
      if (get_u64 (v, "classID", "linux.resources.network", &r->network_class_id, err) < 0)
        return -1;
      if (get_array (v, "priorities", "linux.resources.network", &arr, path, sizeof path, err) < 0)
        return -1;
      if (arr)
        {
          r->network_priorities = xzalloc ((arr->array.count + 1) * sizeof (spec_net_priority));
          r->network_priorities_count = arr->array.count;
          for (size_t i = 0; i < arr->array.count; i++)
            {
              char ipath[64];
              snprintf (ipath, sizeof ipath, "linux.resources.network.priorities[%zu]", i);
              if (arr->array.items[i]->type != JSON_OBJECT)
                return type_error (err, ipath, "an object", arr->array.items[i]);
              if (get_string (arr->array.items[i], "name", ipath, &r->network_priorities[i].name, err) < 0
                  || get_u32 (arr->array.items[i], "priority", ipath, &r->network_priorities[i].priority, NULL, err) < 0)
                return -1;
            }
        }
    }
  if (get_string_map (res, "unified", P, &r->unified, &r->unified_count, err) < 0)
    return -1;
  for (size_t i = 0; i < r->unified_count; i++)
    if (strchr (r->unified[i].key, '/') || strcmp (r->unified[i].key, "..") == 0 || strchr (r->unified[i].key, '.') == NULL)
      return fail (err, 0, "linux.resources.unified.%s: not a cgroup interface file name", r->unified[i].key);
  return 0;
}

static int
parse_seccomp (const json_value *sc, spec_seccomp *out, error *err)
{
  const char *S = "linux.seccomp";
  char *default_action = NULL;
  PATHBUF;
  if (sc->type != JSON_OBJECT)
    return type_error (err, S, "an object", sc);
  out->present = true;
  if (get_string (sc, "defaultAction", S, &default_action, err) < 0
      || get_u32 (sc, "defaultErrnoRet", S, &out->default_errno_ret, &out->has_default_errno_ret, err) < 0
      || get_string_list (sc, "architectures", S, &out->architectures, err) < 0 || get_string_list (sc, "flags", S, &out->flags, err) < 0
      || get_string (sc, "listenerPath", S, &out->listener_path, err) < 0)
    return -1;
  if (default_action == NULL)
    return fail (err, 0, "%s.defaultAction: required", S);
  if (seccomp_action_from_name (default_action, &out->default_action) < 0)
    return fail (err, 0, "%s.defaultAction: unknown action `%s`", S, default_action);
  const json_value *arr;
  if (get_array (sc, "syscalls", S, &arr, path, sizeof path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  out->syscalls = xzalloc ((arr->array.count + 1) * sizeof (spec_syscall));
  out->syscalls_count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char ipath[64];
      snprintf (ipath, sizeof ipath, "linux.seccomp.syscalls[%zu]", i);
      const json_value *item = arr->array.items[i];
      spec_syscall *call = &out->syscalls[i];
      char *action = NULL;
      if (item->type != JSON_OBJECT)
        return type_error (err, ipath, "an object", item);
      if (get_string_list (item, "names", ipath, &call->names, err) < 0 || get_string (item, "action", ipath, &action, err) < 0
          || get_u32 (item, "errnoRet", ipath, &call->errno_ret, &call->has_errno_ret, err) < 0)
        return -1;
      if (call->names.count == 0)
        return fail (err, 0, "%s.names: at least one name is required", ipath);
      if (action == NULL || seccomp_action_from_name (action, &call->action) < 0)
        return fail (err, 0, "%s.action: unknown action `%s`", ipath, action ? action : "");
      const json_value *args;
      char apath[128];
      if (get_array (item, "args", ipath, &args, apath, sizeof apath, err) < 0)
        return -1;
      if (args == NULL)
        continue;
      call->args = xzalloc ((args->array.count + 1) * sizeof (spec_syscall_arg));
      call->args_count = args->array.count;
      for (size_t k = 0; k < args->array.count; k++)
        {
          char kpath[160];
          snprintf (kpath, sizeof kpath, "%s.args[%zu]", ipath, k);
          const json_value *a = args->array.items[k];
          char *op = NULL;
          uint32_t index = 0;
          bool has_index = false;
          opt_u64 value = { 0 }, value_two = { 0 };
          if (a->type != JSON_OBJECT)
            return type_error (err, kpath, "an object", a);
          if (get_u32 (a, "index", kpath, &index, &has_index, err) < 0 || get_u64 (a, "value", kpath, &value, err) < 0
              || get_u64 (a, "valueTwo", kpath, &value_two, err) < 0 || get_string (a, "op", kpath, &op, err) < 0)
            return -1;
          if (!has_index || index > 5)
            return fail (err, 0, "%s.index: required, 0..5", kpath);
          if (op == NULL || (call->args[k].op = seccomp_operator_from_name (op)) < 0)
            return fail (err, 0, "%s.op: unknown operator `%s`", kpath, op ? op : "");
          call->args[k].index = index;
          call->args[k].value = value.value;
          call->args[k].value_two = value_two.value;
        }
    }
  return 0;
}

static int
parse_time_offsets (const json_value *linux_obj, spec *s, error *err)
{
  PATHBUF;
  const json_value *offsets;
  if (get_object (linux_obj, "timeOffsets", "linux", &offsets, path, sizeof path, err) < 0 || offsets == NULL)
    return offsets == NULL && err->message[0] == '\0' ? 0 : -1;
  const char *names[] = { "monotonic", "boottime" };
  spec_time_offset *targets[] = { &s->time_monotonic, &s->time_boottime };
  for (int i = 0; i < 2; i++)
    {
      const json_value *o;
      char opath[64];
      snprintf (opath, sizeof opath, "linux.timeOffsets");
      if (get_object (offsets, names[i], opath, &o, path, sizeof path, err) < 0)
        return -1;
      if (o == NULL)
        continue;
      opt_i64 secs = { 0 };
      snprintf (opath, sizeof opath, "linux.timeOffsets.%s", names[i]);
      if (get_i64 (o, "secs", opath, &secs, err) < 0 || get_u32 (o, "nanosecs", opath, &targets[i]->nanosecs, NULL, err) < 0)
        return -1;
      targets[i]->present = true;
      targets[i]->secs = secs.value;
    }
  return 0;
}

static int
parse_linux (const json_value *l, spec *s, error *err)
{
  PATHBUF;
  const json_value *v;
  if (l->type != JSON_OBJECT)
    return type_error (err, "linux", "an object", l);
  if (parse_namespaces (l, s, err) < 0 || parse_id_mappings (l, "uidMappings", &s->uid_mappings, &s->uid_mappings_count, err) < 0
      || parse_id_mappings (l, "gidMappings", &s->gid_mappings, &s->gid_mappings_count, err) < 0 || parse_devices (l, s, err) < 0
      || get_string (l, "cgroupsPath", "linux", &s->cgroups_path, err) < 0
      || get_string (l, "rootfsPropagation", "linux", &s->rootfs_propagation, err) < 0
      || get_string_list (l, "maskedPaths", "linux", &s->masked_paths, err) < 0
      || get_string_list (l, "readonlyPaths", "linux", &s->readonly_paths, err) < 0
      || get_string (l, "mountLabel", "linux", &s->mount_label, err) < 0
      || get_string_map (l, "sysctl", "linux", &s->sysctl, &s->sysctl_count, err) < 0 || parse_time_offsets (l, s, err) < 0)
    return -1;
  if (get_object (l, "resources", "linux", &v, path, sizeof path, err) < 0)
    return -1;
  if (v && parse_resources (v, &s->resources, err) < 0)
    return -1;
  if (get_object (l, "seccomp", "linux", &v, path, sizeof path, err) < 0)
    return -1;
  if (v && parse_seccomp (v, &s->seccomp, err) < 0)
    return -1;
  if (get_object (l, "personality", "linux", &v, path, sizeof path, err) < 0)
    return -1;
  if (v && get_string (v, "domain", "linux.personality", &s->personality_domain, err) < 0)
    return -1;
  if (s->personality_domain && strcmp (s->personality_domain, "LINUX") != 0 && strcmp (s->personality_domain, "LINUX32") != 0)
    return fail (err, 0, "linux.personality.domain: unknown domain `%s`", s->personality_domain);
  if (s->rootfs_propagation)
    {
      spec_mount probe = { .destination = "/" };
      char *opt[] = { s->rootfs_propagation, NULL };
      probe.options.items = opt;
      probe.options.count = 1;
      if (spec_parse_mount_options (&probe, err) < 0)
        return -1;
      free (probe.data);
      if (probe.propagation == 0)
        return fail (err, 0, "linux.rootfsPropagation: unknown propagation `%s`", s->rootfs_propagation);
      s->rootfs_propagation_flags = probe.propagation;
    }
  return 0;
}

/* ---- the document ---- */

static int
check_version (const char *version, error *err)
{
  if (version == NULL)
    return fail (err, 0, "ociVersion: required");
  int major, minor;
  if (sscanf (version, "%d.%d", &major, &minor) != 2 || major != 1 || minor < 0 || minor > 3)
    return fail (err, 0, "ociVersion: unsupported version `%s` (1.0.x to 1.3.x are supported)", version);
  return 0;
}

static int
validate (spec *s, error *err)
{
  if (s->root_path == NULL || s->root_path[0] == '\0')
    return fail (err, 0, "root.path: required");
  if (s->hostname && s->hostname[0] && !s->namespaces[NS_UTS].requested)
    return fail (err, 0, "hostname: setting a hostname needs a new uts namespace");
  if (s->domainname && s->domainname[0] && !s->namespaces[NS_UTS].requested)
    return fail (err, 0, "domainname: setting a domainname needs a new uts namespace");
  if (s->namespaces[NS_USER].requested && s->namespaces[NS_USER].path == NULL
      && (s->uid_mappings_count == 0 || s->gid_mappings_count == 0))
    return fail (err, 0, "linux.uidMappings: a new user namespace needs uidMappings and gidMappings");
  if (!s->namespaces[NS_USER].requested && (s->uid_mappings_count || s->gid_mappings_count))
    return fail (err, 0, "linux.uidMappings: mappings are given but no user namespace is requested");
  if ((s->time_monotonic.present || s->time_boottime.present) && !s->namespaces[NS_TIME].requested)
    return fail (err, 0, "linux.timeOffsets: offsets need a new time namespace");
  for (size_t i = 0; i < s->sysctl_count; i++)
    if (strstr (s->sysctl[i].key, "..") || strchr (s->sysctl[i].key, '/'))
      return fail (err, 0, "linux.sysctl.%s: not a sysctl name", s->sysctl[i].key);
  return 0;
}

spec *
spec_parse (const char *text, size_t length, error *err)
{
  _cleanup_spec_ spec *s = xzalloc (sizeof *s);
  s->doc = json_parse (text, length, err);
  if (s->doc == NULL)
    {
      error_wrap (err, "config.json");
      return NULL;
    }
  const json_value *root = json_root (s->doc);
  PATHBUF;
  const json_value *v;
  if (root->type != JSON_OBJECT)
    {
      type_error (err, "config.json", "an object", root);
      return NULL;
    }
  if (get_string (root, "ociVersion", "", &s->oci_version, err) < 0 || check_version (s->oci_version, err) < 0)
    return NULL;
  if (get_object (root, "root", "", &v, path, sizeof path, err) < 0)
    return NULL;
  if (v && (get_string (v, "path", "root", &s->root_path, err) < 0 || get_bool (v, "readonly", "root", &s->root_readonly, NULL, err) < 0))
    return NULL;
  if (get_string (root, "hostname", "", &s->hostname, err) < 0 || get_string (root, "domainname", "", &s->domainname, err) < 0)
    return NULL;
  v = json_get (root, "process");
  if (v && v->type != JSON_NULL)
    {
      s->has_process = true;
      if (parse_process (v, &s->process, err) < 0)
        return NULL;
    }
  if (parse_mounts (root, s, err) < 0 || parse_hooks (root, s, err) < 0
      || get_string_map (root, "annotations", "", &s->annotations, &s->annotations_count, err) < 0)
    return NULL;
  v = json_get (root, "linux");
  if (v && v->type != JSON_NULL && parse_linux (v, s, err) < 0)
    return NULL;
  if (validate (s, err) < 0)
    return NULL;
  return steal_pointer (&s);
}

spec *
spec_load (const char *bundle, error *err)
{
  _cleanup_free_ char *path = xasprintf ("%s/config.json", bundle);
  _cleanup_free_ char *text = NULL;
  size_t len;
  if (read_file (path, &text, &len, err) < 0)
    return NULL;
  return spec_parse (text, len, err);
}

int
spec_parse_process_json (const char *text, size_t length, spec_process *out, json_document **doc, error *err)
{
  *doc = json_parse (text, length, err);
  if (*doc == NULL)
    return error_wrap (err, "process.json");
  return parse_process (json_root (*doc), out, err);
}

int
spec_parse_resources_json (const char *text, size_t length, spec_resources *out, json_document **doc, error *err)
{
  *doc = json_parse (text, length, err);
  if (*doc == NULL)
    return error_wrap (err, "resources");
  return parse_resources (json_root (*doc), out, err);
}

void
spec_process_free (spec_process *p)
{
  free (p->args.items);
  free (p->env.items);
  free (p->additional_gids);
  free (p->rlimits);
}

void
spec_resources_free (spec_resources *r)
{
  free (r->devices);
  free (r->blkio_weight_device);
  free (r->throttle_read_bps);
  free (r->throttle_write_bps);
  free (r->throttle_read_iops);
  free (r->throttle_write_iops);
  free (r->hugepage_limits);
  free (r->network_priorities);
  free (r->unified);
}

static void
free_hooks (spec_hook_list *l)
{
  for (size_t i = 0; i < l->count; i++)
    {
      free (l->items[i].args.items);
      free (l->items[i].env.items);
    }
  free (l->items);
}

void
spec_free (spec *s)
{
  if (s == NULL)
    return;
  spec_process_free (&s->process);
  for (size_t i = 0; i < s->mounts_count; i++)
    {
      free (s->mounts[i].options.items);
      free (s->mounts[i].data);
    }
  free (s->mounts);
  free_hooks (&s->hooks.prestart);
  free_hooks (&s->hooks.create_runtime);
  free_hooks (&s->hooks.create_container);
  free_hooks (&s->hooks.start_container);
  free_hooks (&s->hooks.poststart);
  free_hooks (&s->hooks.poststop);
  free (s->annotations);
  free (s->uid_mappings);
  free (s->gid_mappings);
  free (s->devices);
  spec_resources_free (&s->resources);
  free (s->masked_paths.items);
  free (s->readonly_paths.items);
  free (s->sysctl);
  for (size_t i = 0; i < s->seccomp.syscalls_count; i++)
    {
      free (s->seccomp.syscalls[i].names.items);
      free (s->seccomp.syscalls[i].args);
    }
  free (s->seccomp.syscalls);
  free (s->seccomp.architectures.items);
  free (s->seccomp.flags.items);
  json_free (s->doc);
  free (s);
}

void
cleanup_spec (spec **s)
{
  spec_free (*s);
}
