/* cgroup v2 driver: one unified hierarchy. v1-style values from config.json are
 * converted as crun documents (shares -> cpu.weight, swap -> memory.swap.max). */
#define _GNU_SOURCE
#include "cgroup.h"
#include "device_filter.h"
#include "utils.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const wanted_controllers[] = { "cpuset", "cpu", "io", "memory", "pids", "hugetlb", "misc", "rdma" };

static char *
dir_of (const cgroup *cg)
{
  return xasprintf ("%s%s", cgroup_root (), cg->path);
}

/* Turns on, in dir's subtree_control, every controller we want that dir has. */
static int
enable_controllers (const char *dir, error *err)
{
  _cleanup_free_ char *available = NULL, *enabled = NULL;
  if (cgroup_read (dir, "cgroup.controllers", &available, err) < 0 || cgroup_read (dir, "cgroup.subtree_control", &enabled, err) < 0)
    return -1;
  for (size_t i = 0; i < sizeof wanted_controllers / sizeof wanted_controllers[0]; i++)
    {
      const char *c = wanted_controllers[i];
      char padded_available[4096], padded_enabled[4096], needle[32];
      snprintf (padded_available, sizeof padded_available, " %s ", available);
      snprintf (padded_enabled, sizeof padded_enabled, " %s ", enabled);
      for (char *p = padded_available; *p; p++)
        if (*p == '\n')
          *p = ' ';
      for (char *p = padded_enabled; *p; p++)
        if (*p == '\n')
          *p = ' ';
      snprintf (needle, sizeof needle, " %s ", c);
      if (strstr (padded_available, needle) == NULL || strstr (padded_enabled, needle) != NULL)
        continue;
      char op[32];
      snprintf (op, sizeof op, "+%s", c);
      error ignored = { 0 };
      /* EBUSY when the cgroup has processes of its own (the "no internal processes" rule):
       * the controller then simply stays off below it. */
      cgroup_write (dir, "cgroup.subtree_control", op, &ignored);
    }
  return 0;
}

static int
v2_enter (cgroup *cg, pid_t pid, error *err)
{
  _cleanup_free_ char *dir = dir_of (cg);
  char value[32];
  snprintf (value, sizeof value, "%d", pid);
  return cgroup_write (dir, "cgroup.procs", value, err);
}

static int
v2_create (cgroup *cg, pid_t pid, error *err)
{
  _cleanup_free_ char *walk = xstrdup (cg->path);
  _cleanup_free_ char *current = xstrdup (cgroup_root ());
  for (char *save = NULL, *comp = strtok_r (walk, "/", &save); comp; comp = strtok_r (NULL, "/", &save))
    {
      if (enable_controllers (current, err) < 0)
        return -1;
      char *next = xasprintf ("%s/%s", current, comp);
      free (current);
      current = next;
      if (mkdir (current, 0755) < 0 && errno != EEXIST)
        return fail_errno (err, "mkdir `%s`", current);
    }
  return pid > 0 ? v2_enter (cg, pid, err) : 0;
}

static int
v2_open_for_clone (cgroup *cg, bool create, error *err)
{
  if (create && v2_create (cg, 0, err) < 0)
    return -1;
  _cleanup_free_ char *dir = dir_of (cg);
  int fd = open (dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return fail_errno (err, "open `%s`", dir);
  return fd;
}

static int
apply_memory (const char *dir, const spec_resources *r, error *err)
{
  if (r->memory_limit.has && r->memory_limit.value != 0 && cgroup_write_max (dir, "memory.max", r->memory_limit.value, err) < 0)
    return -1;
  if (r->memory_swap.has && r->memory_swap.value != 0)
    {
      int64_t limit = r->memory_limit.has ? r->memory_limit.value : 0;
      if (limit > 0 && r->memory_swap.value > 0 && r->memory_swap.value < limit)
        return fail (err, EINVAL, "linux.resources.memory.swap: %" PRId64 " is below the memory limit %" PRId64
                                  " (swap is memory plus swap)", r->memory_swap.value, limit);
      _cleanup_free_ char *swap_file = xasprintf ("%s/memory.swap.max", dir);
      if (!file_exists (swap_file))
        warn ("memory.swap: this kernel has no swap accounting; the swap limit is ignored");
      else if (cgroup_write_max (dir, "memory.swap.max", cgroup_swap_v2 (r->memory_swap.value, limit), err) < 0)
        return -1;
    }
  if (r->memory_reservation.has && r->memory_reservation.value != 0
      && cgroup_write_max (dir, "memory.low", r->memory_reservation.value, err) < 0)
    return -1;
  if (r->memory_swappiness.has && r->memory_swappiness.value != 60)
    warn ("memory.swappiness: not supported by cgroup v2; ignored");
  if (r->has_disable_oom_killer && r->disable_oom_killer)
    warn ("memory.disableOOMKiller: not supported by cgroup v2; ignored");
  return 0;
}

static int
apply_cpu (const char *dir, const spec_resources *r, error *err)
{
  if (r->cpu_shares.has && r->cpu_shares.value && cgroup_write_u64 (dir, "cpu.weight", cgroup_shares_to_weight (r->cpu_shares.value), err) < 0)
    return -1;
  if ((r->cpu_quota.has && r->cpu_quota.value != 0) || (r->cpu_period.has && r->cpu_period.value != 0))
    {
      char buf[64];
      char quota[32];
      uint64_t period = r->cpu_period.has && r->cpu_period.value ? r->cpu_period.value : 100000;
      if (!r->cpu_quota.has || r->cpu_quota.value <= 0)
        {
          /* keep the current quota when only the period changes */
          _cleanup_free_ char *cur = NULL;
          if (r->cpu_quota.has || cgroup_read (dir, "cpu.max", &cur, err) < 0)
            strcpy (quota, "max");
          else
            sscanf (cur, "%31s", quota);
        }
      else
        snprintf (quota, sizeof quota, "%" PRId64, r->cpu_quota.value);
      snprintf (buf, sizeof buf, "%s %" PRIu64, quota, period);
      if (cgroup_write (dir, "cpu.max", buf, err) < 0)
        return -1;
    }
  if (r->cpu_burst.has && cgroup_write_u64 (dir, "cpu.max.burst", (uint64_t) r->cpu_burst.value, err) < 0)
    return -1;
  if (r->cpu_idle.has && cgroup_write_u64 (dir, "cpu.idle", (uint64_t) r->cpu_idle.value, err) < 0)
    return -1;
  if ((r->cpu_realtime_runtime.has && r->cpu_realtime_runtime.value) || (r->cpu_realtime_period.has && r->cpu_realtime_period.value))
    return fail (err, ENOTSUP, "linux.resources.cpu.realtimeRuntime: realtime scheduling limits need cgroup v1");
  return cgroup_write_cpuset (dir, r, err);
}

static int
apply_io (const char *dir, const spec_resources *r, error *err)
{
  if (r->blkio_weight.has && r->blkio_weight.value)
    {
      /* io.bfq.weight takes the v1 range as is; io.weight needs converting */
      _cleanup_free_ char *bfq = xasprintf ("%s/io.bfq.weight", dir);
      if (file_exists (bfq))
        {
          if (cgroup_write_u64 (dir, "io.bfq.weight", r->blkio_weight.value, err) < 0)
            return -1;
        }
      else
        {
          char buf[48];
          snprintf (buf, sizeof buf, "default %" PRIu64, cgroup_blkio_weight_to_io_weight (r->blkio_weight.value));
          if (cgroup_write (dir, "io.weight", buf, err) < 0)
            return -1;
        }
    }
  for (size_t i = 0; i < r->blkio_weight_device_count; i++)
    {
      char buf[96];
      const spec_block_device_value *d = &r->blkio_weight_device[i];
      snprintf (buf, sizeof buf, "%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor, cgroup_blkio_weight_to_io_weight (d->weight));
      if (cgroup_write (dir, "io.weight", buf, err) < 0)
        return -1;
    }
  struct
  {
    const spec_block_device_value *values;
    size_t count;
    const char *key;
  } throttles[] = {
    { r->throttle_read_bps, r->throttle_read_bps_count, "rbps" },
    { r->throttle_write_bps, r->throttle_write_bps_count, "wbps" },
    { r->throttle_read_iops, r->throttle_read_iops_count, "riops" },
    { r->throttle_write_iops, r->throttle_write_iops_count, "wiops" },
  };
  for (size_t t = 0; t < 4; t++)
    for (size_t i = 0; i < throttles[t].count; i++)
      {
        char buf[128];
        const spec_block_device_value *d = &throttles[t].values[i];
        if (d->rate == 0)
          snprintf (buf, sizeof buf, "%" PRId64 ":%" PRId64 " %s=max", d->major, d->minor, throttles[t].key);
        else
          snprintf (buf, sizeof buf, "%" PRId64 ":%" PRId64 " %s=%" PRIu64, d->major, d->minor, throttles[t].key, d->rate);
        if (cgroup_write (dir, "io.max", buf, err) < 0)
          return -1;
      }
  return 0;
}

static int
v2_apply (cgroup *cg, const spec_resources *r, error *err)
{
  if (r == NULL || !r->present)
    return 0;
  _cleanup_free_ char *dir = dir_of (cg);
  if (apply_memory (dir, r, err) < 0 || apply_cpu (dir, r, err) < 0 || apply_io (dir, r, err) < 0)
    return -1;
  if ((r->pids_limit.has && cgroup_write_pids_limit (dir, r, err) < 0) || cgroup_write_hugepage_limits (dir, r, "max", err) < 0)
    return -1;
  if (r->network_class_id.has || r->network_priorities_count)
    warn ("linux.resources.network: net_cls and net_prio do not exist in cgroup v2; ignored");
  for (size_t i = 0; i < r->unified_count; i++)
    if (cgroup_write (dir, r->unified[i].key, r->unified[i].value, err) < 0)
      return -1;
  if (r->devices_count > 0 && device_filter_attach (dir, r->devices, r->devices_count, err) < 0)
    return -1;
  return 0;
}

static int
v2_freeze (cgroup *cg, bool frozen, error *err)
{
  _cleanup_free_ char *dir = dir_of (cg);
  if (cgroup_write (dir, "cgroup.freeze", frozen ? "1" : "0", err) < 0)
    return -1;
  /* cgroup.events says when every task has actually stopped or resumed */
  const char *want = frozen ? "frozen 1" : "frozen 0";
  for (int i = 0; i < 5000; i++)
    {
      _cleanup_free_ char *events = NULL;
      if (cgroup_read (dir, "cgroup.events", &events, err) < 0)
        return -1;
      if (strstr (events, want))
        return 0;
      struct timespec ts = { 0, 100000 };
      nanosleep (&ts, NULL);
    }
  return fail (err, EBUSY, "`%s` did not reach `%s`", dir, want);
}

static int
v2_is_frozen (cgroup *cg, bool *frozen, error *err)
{
  _cleanup_free_ char *dir = dir_of (cg);
  _cleanup_free_ char *value = NULL;
  *frozen = false;
  if (cgroup_read (dir, "cgroup.freeze", &value, err) < 0)
    return -1;
  *frozen = value[0] == '1';
  return 0;
}

static int
v2_oom_kills (cgroup *cg, uint64_t *count, error *err)
{
  _cleanup_free_ char *dir = dir_of (cg);
  return cgroup_read_keyed (dir, "memory.events", "oom_kill", count, err);
}

static int
v2_pids (cgroup *cg, pid_t **pids, size_t *count, error *err)
{
  _cleanup_free_ char *dir = dir_of (cg);
  *pids = NULL;
  *count = 0;
  if (!file_exists (dir))
    return 0;
  return cgroup_collect_pids (dir, pids, count, err);
}

static int
v2_destroy (cgroup *cg, error *err)
{
  _cleanup_free_ char *dir = dir_of (cg);
  return cgroup_remove_dir (dir, err);
}

const cgroup_driver cgroup_driver_v2 = {
  .name = "cgroupfs-v2",
  .create = v2_create,
  .apply = v2_apply,
  .enter = v2_enter,
  .open_for_clone = v2_open_for_clone,
  .freeze = v2_freeze,
  .is_frozen = v2_is_frozen,
  .oom_kills = v2_oom_kills,
  .pids = v2_pids,
  .destroy = v2_destroy,
};
