#define _GNU_SOURCE
#include "cgroup.h"
#include "utils.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

const char *
cgroup_root (void)
{
  const char *root = getenv ("CONTAINER_CGROUP_ROOT");
  return root && root[0] ? root : "/sys/fs/cgroup";
}

int
cgroup_detect_mode (enum cgroup_mode *mode, error *err)
{
  struct statfs st;
  const char *root = cgroup_root ();
  if (statfs (root, &st) < 0)
    return fail_errno (err, "statfs `%s`", root);
  if (st.f_type == CGROUP2_SUPER_MAGIC)
    {
      *mode = CGROUP_MODE_UNIFIED;
      return 0;
    }
  _cleanup_free_ char *unified = xasprintf ("%s/unified", root);
  if (statfs (unified, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
    *mode = CGROUP_MODE_HYBRID;
  else
    *mode = CGROUP_MODE_LEGACY;
  return 0;
}

static bool
valid_cgroup_path (const char *p)
{
  /* no component may climb out of the hierarchy */
  for (const char *c = p; c && *c;)
    {
      while (*c == '/')
        c++;
      size_t n = strcspn (c, "/");
      if ((n == 2 && strncmp (c, "..", 2) == 0))
        return false;
      c += n;
    }
  return true;
}

int
cgroup_open (cgroup *cg, const char *cgroups_path, const char *id, error *err)
{
  memset (cg, 0, sizeof *cg);
  if (cgroup_detect_mode (&cg->mode, err) < 0)
    return -1;
  cg->driver = cg->mode == CGROUP_MODE_UNIFIED ? &cgroup_driver_v2 : &cgroup_driver_v1;
  if (cgroups_path == NULL || cgroups_path[0] == '\0')
    cg->path = xasprintf ("/%s", id);
  else if (strchr (cgroups_path, ':') != NULL && cgroups_path[0] != '/')
    return fail (err, 0, "linux.cgroupsPath: `%s` is a systemd slice path; only cgroupfs paths are supported", cgroups_path);
  else
    /* A relative path is placed under the hierarchy root, a runtime-determined location the spec allows. */
    cg->path = cgroups_path[0] == '/' ? xstrdup (cgroups_path) : xasprintf ("/%s", cgroups_path);
  if (!valid_cgroup_path (cg->path))
    {
      free (cg->path);
      cg->path = NULL;
      return fail (err, 0, "linux.cgroupsPath: `%s` leaves the cgroup hierarchy", cgroups_path);
    }
  /* strip trailing slashes */
  size_t n = strlen (cg->path);
  while (n > 1 && cg->path[n - 1] == '/')
    cg->path[--n] = '\0';
  return 0;
}

void
cgroup_close (cgroup *cg)
{
  free (cg->path);
  cg->path = NULL;
}

int
cgroup_origin_return (cgroup_origin *origin, error *err)
{
  int ret = 0;
  /* every hierarchy, even past a failure: the thread is then in as few foreign cgroups as can be */
  for (size_t i = 0; i < origin->count; i++)
    {
      error one = { 0 };
      if (write_file (origin->tasks[i], "0", 1, &one) < 0 && ret == 0)
        {
          *err = one;
          ret = -1;
        }
      free (origin->tasks[i]);
    }
  origin->count = 0;
  return ret;
}

void
cgroup_origin_release (cgroup_origin *origin)
{
  error ignored = { 0 };
  cgroup_origin_return (origin, &ignored);
}

int
cgroup_kill_all (cgroup *cg, int signal, error *err)
{
  /* Nobody to kill is the common case (init gone, in its pid namespace): no freezing then */
  {
    _cleanup_free_ pid_t *pids = NULL;
    size_t count = 0;
    if (cg->driver->pids (cg, &pids, &count, err) < 0)
      return -1;
    if (count == 0)
      return 0;
  }
  /* Freeze first so no process can fork while we collect them. */
  bool frozen = cg->driver->freeze (cg, true, err) == 0;
  if (!frozen)
    *err = (error){ 0 };
  for (int round = 0; round < 1000; round++)
    {
      _cleanup_free_ pid_t *pids = NULL;
      size_t count = 0;
      if (cg->driver->pids (cg, &pids, &count, err) < 0)
        return -1;
      if (count == 0)
        break;
      for (size_t i = 0; i < count; i++)
        kill (pids[i], signal);
      if (frozen)
        {
          cg->driver->freeze (cg, false, err);
          frozen = false;
        }
      if (signal != SIGKILL)
        break;
      struct timespec ts = { 0, 1000000 };
      nanosleep (&ts, NULL);
    }
  if (frozen)
    cg->driver->freeze (cg, false, err);
  return 0;
}

/* What runc and crun allow after the configured rules, so a deny-all config still
 * leaves the devices every container needs: mknod of any node, the standard devices,
 * ptys and tun. */
static const spec_device_rule default_device_rules[] = {
  { true, 'c', -1, -1, "m" },   { true, 'b', -1, -1, "m" },   { true, 'c', 1, 3, "rwm" },   { true, 'c', 1, 5, "rwm" },
  { true, 'c', 1, 7, "rwm" },   { true, 'c', 1, 8, "rwm" },   { true, 'c', 1, 9, "rwm" },   { true, 'c', 5, 0, "rwm" },
  { true, 'c', 5, 1, "rwm" },   { true, 'c', 5, 2, "rwm" },   { true, 'c', 136, -1, "rwm" }, { true, 'c', 10, 200, "rwm" },
};

/* Whether rules allow exactly rule after their last deny: allowing it again changes nothing. */
static bool
allowed_after_last_deny (const spec_device_rule *rules, size_t count, const spec_device_rule *rule)
{
  for (size_t i = count; i-- > 0;)
    {
      if (!rules[i].allow)
        return false;
      if (rules[i].type == rule->type && rules[i].major == rule->major && rules[i].minor == rule->minor
          && strcmp (rules[i].access, rule->access) == 0)
        return true;
    }
  return false;
}

spec_device_rule *
cgroup_device_rules_with_defaults (const spec_device_rule *rules, size_t count, size_t *out_count)
{
  size_t defaults = sizeof default_device_rules / sizeof default_device_rules[0];
  spec_device_rule *all = xmalloc ((count + defaults) * sizeof *all);
  memcpy (all, rules, count * sizeof *all);
  size_t n = count;
  /* The engine's configs allow the standard devices themselves (as docker's do): each default
   * they allow already is left out, sparing a write to devices.allow (cgroup v1) and the
   * filter's instructions (v2). */
  for (size_t i = 0; i < defaults; i++)
    if (!allowed_after_last_deny (rules, count, &default_device_rules[i]))
      all[n++] = default_device_rules[i];
  *out_count = n;
  return all;
}

int
cgroup_apply_with_default_devices (cgroup *cg, const spec_resources *resources, error *err)
{
  if (resources == NULL || !resources->present || resources->devices_count == 0)
    return cg->driver->apply (cg, resources, err);
  spec_resources with_defaults = *resources;
  _cleanup_free_ spec_device_rule *rules
      = cgroup_device_rules_with_defaults (resources->devices, resources->devices_count, &with_defaults.devices_count);
  with_defaults.devices = rules;
  return cg->driver->apply (cg, &with_defaults, err);
}

uint64_t
cgroup_shares_to_weight (uint64_t shares)
{
  /* crun's documented conversion: shares 2..262144 onto weight 1..10000 */
  if (shares == 0)
    return 0;
  if (shares < 2)
    shares = 2;
  if (shares > 262144)
    shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t
cgroup_blkio_weight_to_io_weight (uint64_t weight)
{
  /* blkio 10..1000 onto io.weight 1..10000, as crun does */
  if (weight == 0)
    return 0;
  if (weight < 10)
    weight = 10;
  if (weight > 1000)
    weight = 1000;
  return 1 + (weight - 10) * 9999 / 990;
}

int64_t
cgroup_swap_v2 (int64_t memory_plus_swap, int64_t memory_limit)
{
  if (memory_plus_swap < 0)
    return -1; /* unlimited */
  if (memory_limit <= 0)
    return memory_plus_swap;
  return memory_plus_swap > memory_limit ? memory_plus_swap - memory_limit : 0;
}

int
cgroup_write (const char *dir, const char *file, const char *value, error *err)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", dir, file);
  _cleanup_close_ int fd = open (path, O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open `%s`", path);
  if (write (fd, value, strlen (value)) < 0)
    return fail_errno (err, "write `%s` to `%s`", value, path);
  return 0;
}

int
cgroup_write_u64 (const char *dir, const char *file, uint64_t value, error *err)
{
  char buf[32];
  snprintf (buf, sizeof buf, "%" PRIu64, value);
  return cgroup_write (dir, file, buf, err);
}

int
cgroup_write_i64 (const char *dir, const char *file, int64_t value, error *err)
{
  char buf[32];
  snprintf (buf, sizeof buf, "%" PRId64, value);
  return cgroup_write (dir, file, buf, err);
}

int
cgroup_write_max (const char *dir, const char *file, int64_t value, error *err)
{
  return value < 0 ? cgroup_write (dir, file, "max", err) : cgroup_write_i64 (dir, file, value, err);
}

int
cgroup_write_cpuset (const char *dir, const spec_resources *r, error *err)
{
  if (r->cpu_cpus && r->cpu_cpus[0] && cgroup_write (dir, "cpuset.cpus", r->cpu_cpus, err) < 0)
    return -1;
  if (r->cpu_mems && r->cpu_mems[0] && cgroup_write (dir, "cpuset.mems", r->cpu_mems, err) < 0)
    return -1;
  return 0;
}

int
cgroup_write_pids_limit (const char *dir, const spec_resources *r, error *err)
{
  /* 0 and -1 both mean no limit */
  return cgroup_write_max (dir, "pids.max", r->pids_limit.value > 0 ? r->pids_limit.value : -1, err);
}

int
cgroup_write_hugepage_limits (const char *dir, const spec_resources *r, const char *suffix, error *err)
{
  for (size_t i = 0; i < r->hugepage_limits_count; i++)
    {
      _cleanup_free_ char *file = xasprintf ("hugetlb.%s.%s", r->hugepage_limits[i].page_size, suffix);
      if (cgroup_write_u64 (dir, file, r->hugepage_limits[i].limit, err) < 0)
        return -1;
    }
  return 0;
}

int
cgroup_read (const char *dir, const char *file, char **value, error *err)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", dir, file);
  return read_file (path, value, NULL, err);
}

int
cgroup_read_keyed (const char *dir, const char *file, const char *key, uint64_t *value, error *err)
{
  _cleanup_free_ char *text = NULL;
  if (cgroup_read (dir, file, &text, err) < 0)
    return -1;
  size_t key_len = strlen (key);
  for (char *save = NULL, *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    if (strncmp (line, key, key_len) == 0 && line[key_len] == ' ')
      {
        char *end;
        errno = 0;
        *value = strtoull (line + key_len + 1, &end, 10);
        if (errno || end == line + key_len + 1)
          return fail (err, EINVAL, "`%s/%s`: `%s` is not a number", dir, file, line);
        return 0;
      }
  return fail (err, ENOENT, "`%s/%s` has no `%s`", dir, file, key);
}

int
cgroup_read_pids (const char *path, pid_t **pids, size_t *count, error *err)
{
  _cleanup_free_ char *buf = NULL;
  if (read_file (path, &buf, NULL, err) < 0)
    return -1;
  size_t cap = 16, n = 0;
  pid_t *out = xmalloc (cap * sizeof (pid_t));
  for (char *save = NULL, *line = strtok_r (buf, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      if (n == cap)
        out = xrealloc (out, (cap *= 2) * sizeof (pid_t));
      out[n++] = (pid_t) atoi (line);
    }
  *pids = out;
  *count = n;
  return 0;
}

/* Collects cgroup.procs of dir and every child cgroup below it. */
int
cgroup_collect_pids (const char *dir, pid_t **pids, size_t *count, error *err)
{
  _cleanup_free_ char *procs = xasprintf ("%s/cgroup.procs", dir);
  pid_t *mine = NULL;
  size_t n = 0;
  if (cgroup_read_pids (procs, &mine, &n, err) < 0)
    return -1;
  *pids = xrealloc (*pids, (*count + n + 1) * sizeof (pid_t));
  memcpy (*pids + *count, mine, n * sizeof (pid_t));
  *count += n;
  free (mine);
  DIR *d = opendir (dir);
  if (d == NULL)
    return 0;
  struct dirent *de;
  int ret = 0;
  while ((de = readdir (d)) && ret == 0)
    if (de->d_type == DT_DIR && strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      {
        _cleanup_free_ char *child = xasprintf ("%s/%s", dir, de->d_name);
        ret = cgroup_collect_pids (child, pids, count, err);
      }
  closedir (d);
  return ret;
}

/* rmdir children first; a cgroup whose last task is still exiting answers EBUSY for a moment. */
int
cgroup_remove_dir (const char *dir, error *err)
{
  /* a container's cgroup has no child cgroups, mostly: a scan only when rmdir says it is busy */
  if (rmdir (dir) == 0 || errno == ENOENT)
    return 0;
  if (errno != EBUSY)
    return fail_errno (err, "remove cgroup `%s`", dir);
  DIR *d = opendir (dir);
  if (d == NULL)
    return errno == ENOENT ? 0 : fail_errno (err, "open `%s`", dir);
  struct dirent *de;
  while ((de = readdir (d)))
    if (de->d_type == DT_DIR && strcmp (de->d_name, ".") && strcmp (de->d_name, ".."))
      {
        _cleanup_free_ char *child = xasprintf ("%s/%s", dir, de->d_name);
        if (cgroup_remove_dir (child, err) < 0)
          {
            closedir (d);
            return -1;
          }
      }
  closedir (d);
  for (int i = 0; i < 2000; i++)
    {
      if (rmdir (dir) == 0 || errno == ENOENT)
        return 0;
      if (errno != EBUSY)
        break;
      struct timespec ts = { 0, 1000000 };
      nanosleep (&ts, NULL);
    }
  return fail_errno (err, "remove cgroup `%s`", dir);
}

