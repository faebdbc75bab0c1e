/* config.json's linux.resources (and update's --resources): the cgroup limits. */
#define _GNU_SOURCE
#include "spec_fields.h"
#include "spec_sections.h"
#include "utils.h"

#include <stdlib.h>
#include <string.h>

static int
parse_device_rule (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_device_rule *d = element;
  char *type = NULL, *access = NULL;
  opt_i64 major = { 0 }, minor = { 0 };
  bool has_allow = false;
  if (field_bool (item, "allow", path, &d->allow, &has_allow, err) < 0 || field_string (item, "type", path, &type, err) < 0
      || field_string (item, "access", path, &access, err) < 0 || field_i64 (item, "major", path, &major, err) < 0
      || field_i64 (item, "minor", path, &minor, err) < 0)
    return -1;
  if (!has_allow)
    return fail (err, 0, "%s.allow: required", path);
  d->type = type ? type[0] : 'a';
  if ((type && strlen (type) != 1) || strchr ("acb", d->type) == NULL)
    return fail (err, 0, "%s.type: must be one of a, c, b", path);
  d->major = major.has ? major.value : -1;
  d->minor = minor.has ? minor.value : -1;
  if (access == NULL || access[0] == '\0')
    access = "rwm";
  if (strlen (access) > 3 || strspn (access, "rwm") != strlen (access))
    return fail (err, 0, "%s.access: `%s` is not a combination of r, w, m", path, access);
  strcpy (d->access, access);
  return 0;
}

static int
parse_memory (const json_value *v, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_resources *r = element;
  if (field_i64 (v, "limit", path, &r->memory_limit, err) < 0 || field_i64 (v, "reservation", path, &r->memory_reservation, err) < 0
      || field_i64 (v, "swap", path, &r->memory_swap, err) < 0 || field_i64 (v, "kernel", path, &r->memory_kernel, err) < 0
      || field_i64 (v, "kernelTCP", path, &r->memory_kernel_tcp, err) < 0
      || field_u64 (v, "swappiness", path, &r->memory_swappiness, err) < 0
      || field_bool (v, "disableOOMKiller", path, &r->disable_oom_killer, &r->has_disable_oom_killer, err) < 0
      || field_bool (v, "useHierarchy", path, &r->use_hierarchy, &r->has_use_hierarchy, err) < 0
      || field_bool (v, "checkBeforeUpdate", path, &r->check_before_update, &r->has_check_before_update, err) < 0)
    return -1;
  if (r->memory_swappiness.has && r->memory_swappiness.value > 100)
    return fail (err, 0, "%s.swappiness: %llu is above 100", path, (unsigned long long) r->memory_swappiness.value);
  if (r->memory_limit.has && r->memory_limit.value < -1)
    return fail (err, 0, "%s.limit: %lld is not a valid limit", path, (long long) r->memory_limit.value);
  return 0;
}

static int
parse_cpu (const json_value *v, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_resources *r = element;
  if (field_u64 (v, "shares", path, &r->cpu_shares, err) < 0 || field_i64 (v, "quota", path, &r->cpu_quota, err) < 0
      || field_u64 (v, "period", path, &r->cpu_period, err) < 0 || field_i64 (v, "realtimeRuntime", path, &r->cpu_realtime_runtime, err) < 0
      || field_u64 (v, "realtimePeriod", path, &r->cpu_realtime_period, err) < 0 || field_i64 (v, "burst", path, &r->cpu_burst, err) < 0
      || field_i64 (v, "idle", path, &r->cpu_idle, err) < 0 || field_string (v, "cpus", path, &r->cpu_cpus, err) < 0
      || field_string (v, "mems", path, &r->cpu_mems, err) < 0)
    return -1;
  return 0;
}

/* Both are required on a block device's entry. */
static int
parse_block_device (const json_value *item, const char *path, spec_block_device_value *b, error *err)
{
  opt_i64 major = { 0 }, minor = { 0 };
  if (field_i64 (item, "major", path, &major, err) < 0 || field_i64 (item, "minor", path, &minor, err) < 0)
    return -1;
  if (!major.has || !minor.has)
    return fail (err, 0, "%s: major and minor are required", path);
  b->major = major.value;
  b->minor = minor.value;
  return 0;
}

static int
parse_weight_device (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_block_device_value *b = element;
  uint32_t weight = 0, leaf_weight = 0;
  if (parse_block_device (item, path, b, err) < 0 || field_u32 (item, "weight", path, &weight, NULL, err) < 0
      || field_u32 (item, "leafWeight", path, &leaf_weight, NULL, err) < 0)
    return -1;
  b->weight = (int) weight;
  b->leaf_weight = (int) leaf_weight;
  return 0;
}

static int
parse_throttle_device (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_block_device_value *b = element;
  opt_u64 rate = { 0 };
  if (parse_block_device (item, path, b, err) < 0 || field_u64 (item, "rate", path, &rate, err) < 0)
    return -1;
  if (!rate.has)
    return fail (err, 0, "%s.rate: required", path);
  b->rate = rate.value;
  return 0;
}

static int
parse_pids (const json_value *v, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_resources *r = element;
  return field_i64 (v, "limit", path, &r->pids_limit, err);
}

static int
parse_block_io (const json_value *v, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_resources *r = element;
  struct
  {
    const char *key;
    spec_block_device_value **values;
    size_t *count;
    field_object_parser parse;
  } devices[] = {
    { "weightDevice", &r->blkio_weight_device, &r->blkio_weight_device_count, parse_weight_device },
    { "throttleReadBpsDevice", &r->throttle_read_bps, &r->throttle_read_bps_count, parse_throttle_device },
    { "throttleWriteBpsDevice", &r->throttle_write_bps, &r->throttle_write_bps_count, parse_throttle_device },
    { "throttleReadIOPSDevice", &r->throttle_read_iops, &r->throttle_read_iops_count, parse_throttle_device },
    { "throttleWriteIOPSDevice", &r->throttle_write_iops, &r->throttle_write_iops_count, parse_throttle_device },
  };
  if (field_u64 (v, "weight", path, &r->blkio_weight, err) < 0 || field_u64 (v, "leafWeight", path, &r->blkio_leaf_weight, err) < 0)
    return -1;
  for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
    if (FIELD_OBJECTS (v, devices[i].key, path, devices[i].values, devices[i].count, devices[i].parse, NULL, err) < 0)
      return -1;
  if (r->blkio_weight.has && r->blkio_weight.value != 0 && (r->blkio_weight.value < 10 || r->blkio_weight.value > 1000))
    return fail (err, 0, "%s.weight: %llu is outside 10..1000", path, (unsigned long long) r->blkio_weight.value);
  return 0;
}

static int
parse_hugepage_limit (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_hugepage_limit *h = element;
  opt_u64 limit = { 0 };
  if (field_string (item, "pageSize", path, &h->page_size, err) < 0 || field_u64 (item, "limit", path, &limit, err) < 0)
    return -1;
  if (h->page_size == NULL)
    return fail (err, 0, "%s.pageSize: required", path);
  h->limit = limit.value;
  return 0;
}

static int
parse_net_priority (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_net_priority *p = element;
  return field_string (item, "name", path, &p->name, err) < 0 || field_u32 (item, "priority", path, &p->priority, NULL, err) < 0 ? -1 : 0;
}

static int
parse_network (const json_value *v, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_resources *r = element;
  if (field_u64 (v, "classID", path, &r->network_class_id, err) < 0
      || FIELD_OBJECTS (v, "priorities", path, &r->network_priorities, &r->network_priorities_count, parse_net_priority, NULL, err) < 0)
    return -1;
  return 0;
}

int
spec_parse_resources (const json_value *res, spec_resources *r, error *err)
{
  const char *P = "linux.resources";
  r->present = true;
  if (res->type != JSON_OBJECT)
    return field_type_error (err, P, "an object", res);
  if (FIELD_OBJECTS (res, "devices", P, &r->devices, &r->devices_count, parse_device_rule, NULL, err) < 0
      || field_with_object (res, "memory", P, parse_memory, r, err) < 0 || field_with_object (res, "cpu", P, parse_cpu, r, err) < 0
      || field_with_object (res, "pids", P, parse_pids, r, err) < 0 || field_with_object (res, "blockIO", P, parse_block_io, r, err) < 0
      || FIELD_OBJECTS (res, "hugepageLimits", P, &r->hugepage_limits, &r->hugepage_limits_count, parse_hugepage_limit, NULL, err) < 0
      || field_with_object (res, "network", P, parse_network, r, err) < 0
      || field_string_map (res, "unified", P, &r->unified, &r->unified_count, err) < 0)
    return -1;
  for (size_t i = 0; i < r->unified_count; i++)
    if (strchr (r->unified[i].key, '/') || strcmp (r->unified[i].key, "..") == 0 || strchr (r->unified[i].key, '.') == NULL)
      return fail (err, 0, "linux.resources.unified.%s: not a cgroup interface file name", r->unified[i].key);
  return 0;
}

int
spec_parse_resources_json (const char *text, size_t length, spec_resources *out, json_document **doc, error *err)
{
  *doc = json_parse (text, length, err);
  if (*doc == NULL)
    return error_wrap (err, "resources");
  return spec_parse_resources (json_root (*doc), out, err);
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
