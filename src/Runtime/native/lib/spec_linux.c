/* config.json's linux: namespaces, id mappings, time offsets, devices, sysctl, masked and
 * read-only paths, rootfs propagation, personality; resources and seccomp have files of
 * their own. */
#define _GNU_SOURCE
#include "spec_fields.h"
#include "spec_sections.h"
#include "utils.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* ---- namespaces ---- */

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
parse_namespace (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec *s = context;
  char *type = NULL, *ns_path = NULL;
  if (field_string (item, "path", path, &ns_path, err) < 0 || field_required_string (item, "type", path, &type, err) < 0)
    return -1;
  int kind = -1;
  for (int k = 0; k < NS_COUNT; k++)
    if (strcmp (namespace_names[k], type) == 0)
      kind = k;
  if (kind < 0)
    return fail (err, 0, "%s.type: unknown namespace type `%s`", path, type);
  if (s->namespaces[kind].requested)
    return fail (err, 0, "%s.type: namespace `%s` is listed twice", path, type);
  s->namespaces[kind].requested = true;
  s->namespaces[kind].path = (ns_path && ns_path[0]) ? ns_path : NULL;
  return 0;
}

static int
parse_id_mapping (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_id_mapping *m = element;
  bool has_container = false, has_host = false, has_size = false;
  if (field_u32 (item, "containerID", path, &m->container_id, &has_container, err) < 0
      || field_u32 (item, "hostID", path, &m->host_id, &has_host, err) < 0
      || field_u32 (item, "size", path, &m->size, &has_size, err) < 0)
    return -1;
  if (!has_container || !has_host || !has_size)
    return fail (err, 0, "%s: containerID, hostID and size are required", path);
  return 0;
}

static int
parse_time_offset (const json_value *o, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_time_offset *offset = element;
  opt_i64 secs = { 0 };
  if (field_i64 (o, "secs", path, &secs, err) < 0 || field_u32 (o, "nanosecs", path, &offset->nanosecs, NULL, err) < 0)
    return -1;
  offset->present = true;
  offset->secs = secs.value;
  return 0;
}

static int
parse_time_offsets (const json_value *offsets, const char *path, size_t index, void *element, void *context, error *err)
{
  spec *s = element;
  if (field_with_object (offsets, "monotonic", path, parse_time_offset, &s->time_monotonic, err) < 0
      || field_with_object (offsets, "boottime", path, parse_time_offset, &s->time_boottime, err) < 0)
    return -1;
  return 0;
}

/* ---- devices ---- */

static int
parse_device (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_device *d = element;
  char *type = NULL;
  opt_i64 major = { 0 }, minor = { 0 };
  uint32_t mode = 0, uid = 0, gid = 0;
  if (field_string (item, "path", path, &d->path, err) < 0 || field_string (item, "type", path, &type, err) < 0
      || field_i64 (item, "major", path, &major, err) < 0 || field_i64 (item, "minor", path, &minor, err) < 0
      || field_u32 (item, "fileMode", path, &mode, &d->has_mode, err) < 0
      || field_u32 (item, "uid", path, &uid, &d->has_uid, err) < 0 || field_u32 (item, "gid", path, &gid, &d->has_gid, err) < 0)
    return -1;
  if (d->path == NULL || d->path[0] != '/')
    return fail (err, 0, "%s.path: an absolute path is required", path);
  if (type == NULL || strlen (type) != 1 || strchr ("cbup", type[0]) == NULL)
    return fail (err, 0, "%s.type: must be one of c, b, u, p", path);
  d->type = type[0];
  if (d->type != 'p' && (!major.has || !minor.has))
    return fail (err, 0, "%s: major and minor are required for type %c", path, d->type);
  d->major = major.value;
  d->minor = minor.value;
  d->mode = mode;
  d->uid = uid;
  d->gid = gid;
  return 0;
}

/* ---- the rest ---- */

static int
parse_personality (const json_value *personality, const char *path, size_t index, void *element, void *context, error *err)
{
  spec *s = element;
  if (field_string (personality, "domain", path, &s->personality_domain, err) < 0)
    return -1;
  if (s->personality_domain && strcmp (s->personality_domain, "LINUX") != 0 && strcmp (s->personality_domain, "LINUX32") != 0)
    return fail (err, 0, "linux.personality.domain: unknown domain `%s`", s->personality_domain);
  return 0;
}

/* rootfsPropagation takes a mount's propagation options: read as one. */
static int
parse_rootfs_propagation (spec *s, error *err)
{
  if (s->rootfs_propagation == NULL)
    return 0;
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
  return 0;
}

int
spec_parse_linux (const json_value *l, spec *s, error *err)
{
  const char *L = "linux";
  const json_value *resources, *seccomp;
  if (l->type != JSON_OBJECT)
    return field_type_error (err, L, "an object", l);
  if (field_each_object (l, "namespaces", L, parse_namespace, s, err) < 0
      || FIELD_OBJECTS (l, "uidMappings", L, &s->uid_mappings, &s->uid_mappings_count, parse_id_mapping, NULL, err) < 0
      || FIELD_OBJECTS (l, "gidMappings", L, &s->gid_mappings, &s->gid_mappings_count, parse_id_mapping, NULL, err) < 0
      || FIELD_OBJECTS (l, "devices", L, &s->devices, &s->devices_count, parse_device, NULL, err) < 0
      || field_string (l, "cgroupsPath", L, &s->cgroups_path, err) < 0
      || field_string (l, "rootfsPropagation", L, &s->rootfs_propagation, err) < 0
      || field_strings (l, "maskedPaths", L, &s->masked_paths, err) < 0
      || field_strings (l, "readonlyPaths", L, &s->readonly_paths, err) < 0 || field_string (l, "mountLabel", L, &s->mount_label, err) < 0
      || field_string_map (l, "sysctl", L, &s->sysctl, &s->sysctl_count, err) < 0
      || field_with_object (l, "timeOffsets", L, parse_time_offsets, s, err) < 0)
    return -1;
  if (field_object (l, "resources", L, &resources, err) < 0 || (resources && spec_parse_resources (resources, &s->resources, err) < 0))
    return -1;
  if (field_object (l, "seccomp", L, &seccomp, err) < 0 || (seccomp && spec_parse_seccomp (seccomp, &s->seccomp, err) < 0))
    return -1;
  if (field_with_object (l, "personality", L, parse_personality, s, err) < 0 || parse_rootfs_propagation (s, err) < 0)
    return -1;
  return 0;
}

void
spec_linux_free (spec *s)
{
  free (s->uid_mappings);
  free (s->gid_mappings);
  free (s->devices);
  spec_resources_free (&s->resources);
  free (s->masked_paths.items);
  free (s->readonly_paths.items);
  free (s->sysctl);
  spec_seccomp_free (&s->seccomp);
}
