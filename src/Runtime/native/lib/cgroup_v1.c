/* cgroup v1 driver: one directory per hierarchy (cpu,cpuacct / memory / ...),
 * found where systemd mounts them, else in /proc/self/mountinfo. Also serves hybrid
 * hosts, whose cgroup2 mount holds no controller we use. */
#define _GNU_SOURCE
#include "cgroup.h"
#include "utils.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

void
cgroup_hierarchies_free (cgroup_hierarchies *h)
{
  for (size_t i = 0; i < h->count; i++)
    {
      free (h->items[i].mount_point);
      free (h->items[i].controllers);
    }
  h->count = 0;
}

#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

static bool
is_cgroup_v1 (const char *path)
{
  struct statfs st;
  return statfs (path, &st) == 0 && st.f_type == CGROUP_SUPER_MAGIC;
}

/* The hierarchies as systemd (and every distribution) mounts them: each one /proc/self/cgroup
 * lists, at <root>/<its controllers> (name=systemd at <root>/systemd), under a root that is no
 * hierarchy itself. No mountinfo read: on a host running hundreds of containers it is hundreds
 * of long overlay lines, which the kernel formats at each read. False for another layout. */
static bool
read_default_hierarchies (cgroup_hierarchies *out)
{
  _cleanup_free_ char *text = NULL;
  error ignored = { 0 };
  const char *root = cgroup_root ();
  if (is_cgroup_v1 (root) || read_file ("/proc/self/cgroup", &text, NULL, &ignored) < 0)
    return false;
  out->count = 0;
  for (char *save = NULL, *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      /* id:controllers:path, the unified hierarchy's controllers empty */
      char *controllers = strchr (line, ':');
      char *path = controllers ? strchr (controllers + 1, ':') : NULL;
      if (path == NULL || path == controllers + 1)
        continue;
      *path = '\0';
      controllers++;
      const char *name = strncmp (controllers, "name=", 5) == 0 ? controllers + 5 : controllers;
      _cleanup_free_ char *mount_point = xasprintf ("%s/%s", root, name);
      if (out->count == sizeof out->items / sizeof out->items[0] || !is_cgroup_v1 (mount_point))
        {
          cgroup_hierarchies_free (out);
          return false;
        }
      out->items[out->count].mount_point = steal_pointer (&mount_point);
      out->items[out->count].controllers = xasprintf (",%s,", controllers);
      out->count++;
    }
  return out->count > 0;
}

static int
read_hierarchies (cgroup_hierarchies *out, error *err)
{
  if (read_default_hierarchies (out))
    return 0;
  _cleanup_free_ char *info = NULL;
  if (read_file ("/proc/self/mountinfo", &info, NULL, err) < 0)
    return -1;
  const char *root = cgroup_root ();
  size_t root_len = strlen (root);
  out->count = 0;
  for (char *save = NULL, *line = strtok_r (info, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      /* id parent major:minor root mount-point options [optional...] - fstype source super-options */
      char *sep = strstr (line, " - ");
      if (sep == NULL)
        continue;
      char fstype[32], source[256], super[512];
      if (sscanf (sep + 3, "%31s %255s %511s", fstype, source, super) != 3 || strcmp (fstype, "cgroup") != 0)
        continue;
      char mount_point[4096];
      if (sscanf (line, "%*s %*s %*s %*s %4095s", mount_point) != 1)
        continue;
      if (strncmp (mount_point, root, root_len) != 0 || out->count == sizeof out->items / sizeof out->items[0])
        continue;
      strbuf controllers = { 0 };
      sb_append (&controllers, ",");
      for (char *s2 = NULL, *opt = strtok_r (super, ",", &s2); opt; opt = strtok_r (NULL, ",", &s2))
        {
          if (strcmp (opt, "rw") == 0 || strcmp (opt, "ro") == 0 || strncmp (opt, "release_agent", 13) == 0
              || strcmp (opt, "clone_children") == 0 || strcmp (opt, "noprefix") == 0 || strcmp (opt, "xattr") == 0)
            continue;
          sb_append (&controllers, opt);
          sb_append (&controllers, ",");
        }
      out->items[out->count].mount_point = xstrdup (mount_point);
      out->items[out->count].controllers = sb_steal (&controllers);
      out->count++;
    }
  return 0;
}

/* What the last read found, and in which mount namespace under which root: a create reads
 * the hierarchies four or five times (cgroup, limits, the container's cgroup mount, delete),
 * and /proc/self/mountinfo is the costly part. A new namespace or root reads it again. */
static struct
{
  cgroup_hierarchies hierarchies;
  ino_t mount_namespace;
  char *root;
} last_read;

static ino_t
own_mount_namespace (void)
{
  struct stat st;
  return stat ("/proc/thread-self/ns/mnt", &st) == 0 ? st.st_ino : 0;
}

int
cgroup_v1_hierarchies (cgroup_hierarchies *out, error *err)
{
  ino_t ns = own_mount_namespace ();
  const char *root = cgroup_root ();
  if (ns == 0 || ns != last_read.mount_namespace || last_read.root == NULL || strcmp (last_read.root, root) != 0)
    {
      cgroup_hierarchies fresh = { 0 };
      if (read_hierarchies (&fresh, err) < 0)
        return -1;
      cgroup_hierarchies_free (&last_read.hierarchies);
      free (last_read.root);
      last_read.hierarchies = fresh;
      last_read.mount_namespace = ns;
      last_read.root = xstrdup (root);
    }
  out->count = last_read.hierarchies.count;
  for (size_t i = 0; i < out->count; i++)
    {
      out->items[i].mount_point = xstrdup (last_read.hierarchies.items[i].mount_point);
      out->items[i].controllers = xstrdup (last_read.hierarchies.items[i].controllers);
    }
  return 0;
}

/* Every hierarchy, or an error when none is mounted. */
static int
load_hierarchies (cgroup_hierarchies *out, error *err)
{
  if (cgroup_v1_hierarchies (out, err) < 0)
    return -1;
  if (out->count == 0)
    return fail (err, ENOENT, "no cgroup v1 hierarchy is mounted under `%s`", cgroup_root ());
  return 0;
}

/* Directory of the cgroup in the hierarchy that holds controller, or NULL. */
static char *
controller_dir (const cgroup_hierarchies *h, const cgroup *cg, const char *controller)
{
  char needle[64];
  snprintf (needle, sizeof needle, ",%s,", controller);
  for (size_t i = 0; i < h->count; i++)
    if (strstr (h->items[i].controllers, needle))
      return xasprintf ("%s%s", h->items[i].mount_point, cg->path);
  return NULL;
}

/* A new cpuset cgroup starts empty and takes no task: copy the parent's sets down. */
static int
init_cpuset (const char *mount_point, const char *path, error *err)
{
  _cleanup_free_ char *walk = xstrdup (path);
  _cleanup_free_ char *parent = xstrdup (mount_point);
  for (char *save = NULL, *comp = strtok_r (walk, "/", &save); comp; comp = strtok_r (NULL, "/", &save))
    {
      _cleanup_free_ char *dir = xasprintf ("%s/%s", parent, comp);
      if (mkdir (dir, 0755) < 0 && errno != EEXIST)
        return fail_errno (err, "mkdir `%s`", dir);
      const char *files[] = { "cpuset.cpus", "cpuset.mems" };
      for (int i = 0; i < 2; i++)
        {
          _cleanup_free_ char *mine = NULL, *theirs = NULL;
          if (cgroup_read (dir, files[i], &mine, err) < 0)
            return -1;
          if (strspn (mine, " \n") != strlen (mine))
            continue;
          if (cgroup_read (parent, files[i], &theirs, err) < 0 || cgroup_write (dir, files[i], theirs, err) < 0)
            return -1;
        }
      free (parent);
      parent = steal_pointer (&dir);
    }
  return 0;
}

static int
v1_enter (cgroup *cg, pid_t pid, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (load_hierarchies (&h, err) < 0)
    return -1;
  char value[32];
  snprintf (value, sizeof value, "%d", pid);
  for (size_t i = 0; i < h.count; i++)
    {
      _cleanup_free_ char *dir = xasprintf ("%s%s", h.items[i].mount_point, cg->path);
      if (cgroup_write (dir, "cgroup.procs", value, err) < 0)
        return -1;
    }
  return 0;
}

static int
make_dirs (const cgroup_hierarchies *h, const cgroup *cg, error *err)
{
  for (size_t i = 0; i < h->count; i++)
    {
      if (strstr (h->items[i].controllers, ",cpuset,"))
        {
          if (init_cpuset (h->items[i].mount_point, cg->path, err) < 0)
            return -1;
          continue;
        }
      _cleanup_free_ char *dir = xasprintf ("%s%s", h->items[i].mount_point, cg->path);
      if (mkdir_p (dir, 0755, err) < 0)
        return -1;
    }
  return 0;
}

static int
v1_create (cgroup *cg, pid_t pid, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (load_hierarchies (&h, err) < 0 || make_dirs (&h, cg, err) < 0)
    return -1;
  return pid > 0 ? v1_enter (cg, pid, err) : 0;
}

/* The `tasks` file of the calling thread's cgroup in hierarchy h, from the lines of
 * /proc/thread-self/cgroup ("id:controllers:path"): the line whose first controller h holds. */
static char *
own_tasks_file (const char *own_cgroups, const cgroup_hierarchy *h)
{
  _cleanup_free_ char *copy = xstrdup (own_cgroups);
  for (char *save = NULL, *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *controllers = strchr (line, ':');
      char *path = controllers ? strchr (controllers + 1, ':') : NULL;
      if (path == NULL || path == controllers + 1)
        continue; /* not a v1 line */
      *path++ = '\0';
      char needle[256];
      snprintf (needle, sizeof needle, ",%.*s,", (int) strcspn (controllers + 1, ","), controllers + 1);
      if (strstr (h->controllers, needle))
        return xasprintf ("%s%s/tasks", h->mount_point, strcmp (path, "/") == 0 ? "" : path);
    }
  return NULL;
}

static int
v1_enter_self (cgroup *cg, bool create, cgroup_origin *origin, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  _cleanup_free_ char *own = NULL;
  if (load_hierarchies (&h, err) < 0 || (create && make_dirs (&h, cg, err) < 0)
      || read_file ("/proc/thread-self/cgroup", &own, NULL, err) < 0)
    return -1;
  for (size_t i = 0; i < h.count; i++)
    {
      char *back = own_tasks_file (own, &h.items[i]);
      if (back == NULL)
        return fail (err, ENOENT, "no cgroup of this thread in the hierarchy at `%s`", h.items[i].mount_point);
      _cleanup_free_ char *dir = xasprintf ("%s%s", h.items[i].mount_point, cg->path);
      if (cgroup_write (dir, "tasks", "0", err) < 0)
        {
          free (back);
          return -1;
        }
      origin->tasks[origin->count++] = back;
    }
  return 0;
}

static int
write_device_values (const char *dir, const char *file, const spec_block_device_value *values, size_t count, bool weight,
                     error *err)
{
  for (size_t i = 0; i < count; i++)
    {
      char buf[96];
      if (weight)
        snprintf (buf, sizeof buf, "%" PRId64 ":%" PRId64 " %d", values[i].major, values[i].minor, values[i].weight);
      else
        snprintf (buf, sizeof buf, "%" PRId64 ":%" PRId64 " %" PRIu64, values[i].major, values[i].minor, values[i].rate);
      if (cgroup_write (dir, file, buf, err) < 0)
        return -1;
    }
  return 0;
}

static int
apply_memory (const char *dir, const spec_resources *r, error *err)
{
  if (r->memory_limit.has || r->memory_swap.has)
    {
      /* memory.memsw must stay >= memory.limit: order the writes so that holds at each step. */
      int64_t limit = r->memory_limit.has ? r->memory_limit.value : 0;
      int64_t swap = r->memory_swap.has ? r->memory_swap.value : 0;
      bool has_memsw = true;
      _cleanup_free_ char *memsw_path = xasprintf ("%s/memory.memsw.limit_in_bytes", dir);
      if (!file_exists (memsw_path))
        {
          has_memsw = false;
          if (r->memory_swap.has && r->memory_swap.value != 0 && r->memory_swap.value != r->memory_limit.value)
            warn ("memory.swap: this kernel has no swap accounting; the swap limit is ignored");
        }
      bool raising = limit == -1 || swap == -1;
      if (!raising)
        {
          _cleanup_free_ char *cur = NULL;
          if (cgroup_read (dir, "memory.limit_in_bytes", &cur, err) < 0)
            return -1;
          raising = (uint64_t) limit > strtoull (cur, NULL, 10);
        }
      if (has_memsw && r->memory_swap.has && raising && cgroup_write_i64 (dir, "memory.memsw.limit_in_bytes", swap, err) < 0)
        return -1;
      if (r->memory_limit.has && cgroup_write_i64 (dir, "memory.limit_in_bytes", limit, err) < 0)
        return -1;
      if (has_memsw && r->memory_swap.has && !raising && cgroup_write_i64 (dir, "memory.memsw.limit_in_bytes", swap, err) < 0)
        return -1;
    }
  if (r->memory_reservation.has && cgroup_write_i64 (dir, "memory.soft_limit_in_bytes", r->memory_reservation.value, err) < 0)
    return -1;
  if (r->memory_kernel.has || r->memory_kernel_tcp.has)
    warn ("memory.kernel and memory.kernelTCP are deprecated and ignored");
  if (r->memory_swappiness.has && cgroup_write_u64 (dir, "memory.swappiness", r->memory_swappiness.value, err) < 0)
    return -1;
  if (r->has_disable_oom_killer && cgroup_write (dir, "memory.oom_control", r->disable_oom_killer ? "1" : "0", err) < 0)
    return -1;
  if (r->has_use_hierarchy && r->use_hierarchy)
    {
      error ignored = { 0 };
      cgroup_write (dir, "memory.use_hierarchy", "1", &ignored); /* always on in current kernels */
    }
  return 0;
}

static int
apply_cpu (const char *dir, const spec_resources *r, error *err)
{
  if (r->cpu_shares.has && r->cpu_shares.value && cgroup_write_u64 (dir, "cpu.shares", r->cpu_shares.value, err) < 0)
    return -1;
  if (r->cpu_period.has && r->cpu_period.value && cgroup_write_u64 (dir, "cpu.cfs_period_us", r->cpu_period.value, err) < 0)
    return -1;
  if (r->cpu_quota.has && r->cpu_quota.value && cgroup_write_i64 (dir, "cpu.cfs_quota_us", r->cpu_quota.value, err) < 0)
    return -1;
  if (r->cpu_burst.has && cgroup_write_i64 (dir, "cpu.cfs_burst_us", r->cpu_burst.value, err) < 0)
    return -1;
  if (r->cpu_realtime_period.has && r->cpu_realtime_period.value
      && cgroup_write_u64 (dir, "cpu.rt_period_us", r->cpu_realtime_period.value, err) < 0)
    return -1;
  if (r->cpu_realtime_runtime.has && r->cpu_realtime_runtime.value
      && cgroup_write_i64 (dir, "cpu.rt_runtime_us", r->cpu_realtime_runtime.value, err) < 0)
    return -1;
  if (r->cpu_idle.has && cgroup_write_i64 (dir, "cpu.idle", r->cpu_idle.value, err) < 0)
    return -1;
  return 0;
}

static int
apply_devices (const char *dir, const spec_resources *r, error *err)
{
  for (size_t i = 0; i < r->devices_count; i++)
    {
      const spec_device_rule *d = &r->devices[i];
      char major[24], minor[24], rule[96];
      if (d->major < 0)
        strcpy (major, "*");
      else
        snprintf (major, sizeof major, "%" PRId64, d->major);
      if (d->minor < 0)
        strcpy (minor, "*");
      else
        snprintf (minor, sizeof minor, "%" PRId64, d->minor);
      if (d->type == 'a')
        snprintf (rule, sizeof rule, "a");
      else
        snprintf (rule, sizeof rule, "%c %s:%s %s", d->type, major, minor, d->access);
      if (cgroup_write (dir, d->allow ? "devices.allow" : "devices.deny", rule, err) < 0)
        return -1;
    }
  return 0;
}

static int
v1_apply (cgroup *cg, const spec_resources *r, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (r == NULL || !r->present)
    return 0;
  if (load_hierarchies (&h, err) < 0)
    return -1;
  if (r->unified_count > 0)
    return fail (err, 0, "linux.resources.unified: needs cgroup v2, and this host runs cgroup v1");

#define WITH_DIR(controller, needed, body)                                                              \
  do                                                                                                    \
    {                                                                                                   \
      if (!(needed))                                                                                    \
        break;                                                                                          \
      _cleanup_free_ char *dir = controller_dir (&h, cg, controller);                                   \
      if (dir == NULL)                                                                                  \
        return fail (err, ENOENT, "the %s cgroup controller is not mounted", controller);               \
      body;                                                                                             \
    }                                                                                                   \
  while (0)

  WITH_DIR ("devices", r->devices_count > 0, if (apply_devices (dir, r, err) < 0) return -1);
  WITH_DIR ("memory",
            r->memory_limit.has || r->memory_swap.has || r->memory_reservation.has || r->memory_swappiness.has
                || r->has_disable_oom_killer || r->memory_kernel.has || r->memory_kernel_tcp.has,
            if (apply_memory (dir, r, err) < 0) return -1);
  WITH_DIR ("cpu",
            r->cpu_shares.has || r->cpu_quota.has || r->cpu_period.has || r->cpu_realtime_period.has
                || r->cpu_realtime_runtime.has || r->cpu_burst.has || r->cpu_idle.has,
            if (apply_cpu (dir, r, err) < 0) return -1);
  WITH_DIR ("cpuset", (r->cpu_cpus && r->cpu_cpus[0]) || (r->cpu_mems && r->cpu_mems[0]),
            if (cgroup_write_cpuset (dir, r, err) < 0) return -1);
  WITH_DIR ("pids", r->pids_limit.has, if (cgroup_write_pids_limit (dir, r, err) < 0) return -1);
  WITH_DIR ("blkio",
            r->blkio_weight.has || r->blkio_leaf_weight.has || r->blkio_weight_device_count || r->throttle_read_bps_count
                || r->throttle_write_bps_count || r->throttle_read_iops_count || r->throttle_write_iops_count,
            {
              if (r->blkio_weight.has && r->blkio_weight.value)
                {
                  /* CFQ is gone from current kernels; BFQ exposes blkio.bfq.weight instead. */
                  _cleanup_free_ char *plain = xasprintf ("%s/blkio.weight", dir);
                  const char *file = file_exists (plain) ? "blkio.weight" : "blkio.bfq.weight";
                  if (cgroup_write_u64 (dir, file, r->blkio_weight.value, err) < 0)
                    return -1;
                }
              if (r->blkio_leaf_weight.has && r->blkio_leaf_weight.value
                  && cgroup_write_u64 (dir, "blkio.leaf_weight", r->blkio_leaf_weight.value, err) < 0)
                return -1;
              if (r->blkio_weight_device_count)
                {
                  _cleanup_free_ char *plain = xasprintf ("%s/blkio.weight_device", dir);
                  const char *file = file_exists (plain) ? "blkio.weight_device" : "blkio.bfq.weight_device";
                  if (write_device_values (dir, file, r->blkio_weight_device, r->blkio_weight_device_count, true, err) < 0)
                    return -1;
                }
              if (write_device_values (dir, "blkio.throttle.read_bps_device", r->throttle_read_bps, r->throttle_read_bps_count,
                                       false, err)
                      < 0
                  || write_device_values (dir, "blkio.throttle.write_bps_device", r->throttle_write_bps,
                                          r->throttle_write_bps_count, false, err)
                         < 0
                  || write_device_values (dir, "blkio.throttle.read_iops_device", r->throttle_read_iops,
                                          r->throttle_read_iops_count, false, err)
                         < 0
                  || write_device_values (dir, "blkio.throttle.write_iops_device", r->throttle_write_iops,
                                          r->throttle_write_iops_count, false, err)
                         < 0)
                return -1;
            });
  WITH_DIR ("hugetlb", r->hugepage_limits_count > 0,
            if (cgroup_write_hugepage_limits (dir, r, "limit_in_bytes", err) < 0) return -1);
  WITH_DIR ("net_cls", r->network_class_id.has, {
    if (cgroup_write_u64 (dir, "net_cls.classid", r->network_class_id.value, err) < 0)
      return -1;
  });
  WITH_DIR ("net_prio", r->network_priorities_count > 0, {
    for (size_t i = 0; i < r->network_priorities_count; i++)
      {
        char buf[128];
        snprintf (buf, sizeof buf, "%s %u", r->network_priorities[i].name, r->network_priorities[i].priority);
        if (cgroup_write (dir, "net_prio.ifpriomap", buf, err) < 0)
          return -1;
      }
  });
#undef WITH_DIR
  return 0;
}

static int
v1_freeze (cgroup *cg, bool frozen, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (load_hierarchies (&h, err) < 0)
    return -1;
  _cleanup_free_ char *dir = controller_dir (&h, cg, "freezer");
  if (dir == NULL)
    return fail (err, ENOENT, "the freezer cgroup controller is not mounted");
  const char *want = frozen ? "FROZEN" : "THAWED";
  for (int i = 0; i < 5000; i++)
    {
      if (cgroup_write (dir, "freezer.state", want, err) < 0)
        return -1;
      _cleanup_free_ char *state = NULL;
      if (cgroup_read (dir, "freezer.state", &state, err) < 0)
        return -1;
      if (strncmp (state, want, strlen (want)) == 0)
        return 0;
      struct timespec ts = { 0, 100000 };
      nanosleep (&ts, NULL);
    }
  return fail (err, EBUSY, "the freezer did not reach %s in `%s`", want, dir);
}

static int
v1_is_frozen (cgroup *cg, bool *frozen, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (load_hierarchies (&h, err) < 0)
    return -1;
  _cleanup_free_ char *dir = controller_dir (&h, cg, "freezer");
  _cleanup_free_ char *state = NULL;
  *frozen = false;
  if (dir == NULL)
    return 0;
  if (cgroup_read (dir, "freezer.state", &state, err) < 0)
    return -1;
  *frozen = strncmp (state, "FROZEN", 6) == 0;
  return 0;
}

static int
v1_oom_kills (cgroup *cg, uint64_t *count, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (load_hierarchies (&h, err) < 0)
    return -1;
  _cleanup_free_ char *dir = controller_dir (&h, cg, "memory");
  if (dir == NULL)
    return fail (err, ENOENT, "the memory cgroup controller is not mounted");
  return cgroup_read_keyed (dir, "memory.oom_control", "oom_kill", count, err);
}

static int
v1_pids (cgroup *cg, pid_t **pids, size_t *count, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (load_hierarchies (&h, err) < 0)
    return -1;
  /* any hierarchy holds every process; prefer pids, which is always there for containers */
  _cleanup_free_ char *dir = controller_dir (&h, cg, "pids");
  if (dir == NULL)
    dir = xasprintf ("%s%s", h.items[0].mount_point, cg->path);
  *pids = NULL;
  *count = 0;
  if (!file_exists (dir))
    return 0;
  return cgroup_collect_pids (dir, pids, count, err);
}

static int
v1_destroy (cgroup *cg, error *err)
{
  _cleanup_cgroup_hierarchies_ cgroup_hierarchies h = { 0 };
  if (load_hierarchies (&h, err) < 0)
    return -1;
  int ret = 0;
  for (size_t i = 0; i < h.count; i++)
    {
      _cleanup_free_ char *dir = xasprintf ("%s%s", h.items[i].mount_point, cg->path);
      if (cgroup_remove_dir (dir, err) < 0)
        ret = -1;
    }
  return ret;
}

const cgroup_driver cgroup_driver_v1 = {
  .name = "cgroupfs-v1",
  .create = v1_create,
  .apply = v1_apply,
  .enter = v1_enter,
  .enter_self = v1_enter_self,
  .freeze = v1_freeze,
  .is_frozen = v1_is_frozen,
  .oom_kills = v1_oom_kills,
  .pids = v1_pids,
  .destroy = v1_destroy,
};
