/* config.json's root and mounts: the container's file system. */
#define _GNU_SOURCE
#include "spec_fields.h"
#include "spec_sections.h"
#include "utils.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

static int
parse_root (const json_value *root, const char *path, size_t index, void *element, void *context, error *err)
{
  spec *s = element;
  if (field_string (root, "path", path, &s->root_path, err) < 0 || field_bool (root, "readonly", path, &s->root_readonly, NULL, err) < 0)
    return -1;
  return 0;
}

int
spec_parse_root (const json_value *root_obj, spec *s, error *err)
{
  return field_with_object (root_obj, "root", "", parse_root, s, err);
}

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
parse_mount (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_mount *m = element;
  if (field_string (item, "destination", path, &m->destination, err) < 0 || field_string (item, "type", path, &m->type, err) < 0
      || field_string (item, "source", path, &m->source, err) < 0 || field_strings (item, "options", path, &m->options, err) < 0)
    return -1;
  if (m->destination == NULL || m->destination[0] == '\0')
    return fail (err, 0, "%s.destination: required", path);
  if (json_get (item, "uidMappings") || json_get (item, "gidMappings"))
    m->has_id_mapping = true;
  if (spec_parse_mount_options (m, err) < 0)
    return -1;
  if (m->type == NULL && !m->is_bind)
    return fail (err, 0, "%s.type: required for a mount that is not a bind mount", path);
  if (m->has_id_mapping)
    return fail (err, 0, "%s: idmapped mounts are not supported", path);
  return 0;
}

int
spec_parse_mounts (const json_value *root_obj, spec *s, error *err)
{
  return FIELD_OBJECTS (root_obj, "mounts", "", &s->mounts, &s->mounts_count, parse_mount, NULL, err);
}

void
spec_mounts_free (spec *s)
{
  for (size_t i = 0; i < s->mounts_count; i++)
    {
      free (s->mounts[i].options.items);
      free (s->mounts[i].data);
    }
  free (s->mounts);
}
