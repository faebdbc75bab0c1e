/* config.json: the document and what holds across its sections; each section has a
 * parser of its own (spec_sections.h). */
#define _GNU_SOURCE
#include "spec.h"
#include "spec_fields.h"
#include "spec_sections.h"
#include "utils.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* What one section needs of another. */
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

static int
parse_document (const json_value *root, spec *s, error *err)
{
  if (root->type != JSON_OBJECT)
    return field_type_error (err, "config.json", "an object", root);
  if (field_string (root, "ociVersion", "", &s->oci_version, err) < 0 || check_version (s->oci_version, err) < 0
      || spec_parse_root (root, s, err) < 0 || field_string (root, "hostname", "", &s->hostname, err) < 0
      || field_string (root, "domainname", "", &s->domainname, err) < 0)
    return -1;
  const json_value *v = json_get (root, "process");
  if (v && v->type != JSON_NULL)
    {
      s->has_process = true;
      if (spec_parse_process (v, &s->process, err) < 0)
        return -1;
    }
  if (spec_parse_mounts (root, s, err) < 0 || spec_parse_hooks (root, &s->hooks, err) < 0
      || field_string_map (root, "annotations", "", &s->annotations, &s->annotations_count, err) < 0)
    return -1;
  v = json_get (root, "linux");
  if (v && v->type != JSON_NULL && spec_parse_linux (v, s, err) < 0)
    return -1;
  return validate (s, err);
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
  if (parse_document (json_root (s->doc), s, err) < 0)
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

void
spec_free (spec *s)
{
  if (s == NULL)
    return;
  spec_process_free (&s->process);
  spec_mounts_free (s);
  spec_hooks_free (&s->hooks);
  free (s->annotations);
  spec_linux_free (s);
  json_free (s->doc);
  free (s);
}

void
cleanup_spec (spec **s)
{
  spec_free (*s);
}
