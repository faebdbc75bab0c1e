/* config.json's hooks: programs the runtime runs at the points of the lifecycle. */
#define _GNU_SOURCE
#include "spec_fields.h"
#include "spec_sections.h"

#include <stddef.h>
#include <stdlib.h>

static int
parse_hook (const json_value *item, const char *path, size_t index, void *element, void *context, error *err)
{
  spec_hook *h = element;
  opt_i64 timeout = { 0 };
  if (field_string (item, "path", path, &h->path, err) < 0 || field_strings (item, "args", path, &h->args, err) < 0
      || field_strings (item, "env", path, &h->env, err) < 0 || field_i64 (item, "timeout", path, &timeout, err) < 0)
    return -1;
  if (h->path == NULL || h->path[0] != '/')
    return fail (err, 0, "%s.path: an absolute path is required", path);
  if (timeout.has && timeout.value <= 0)
    return fail (err, 0, "%s.timeout: must be greater than zero", path);
  h->timeout = timeout.has ? (int) timeout.value : 0;
  return 0;
}

/* The lists by their names in config.json. */
static const struct
{
  const char *key;
  size_t offset;
} hook_lists[] = {
  { "prestart", offsetof (spec_hooks, prestart) },
  { "createRuntime", offsetof (spec_hooks, create_runtime) },
  { "createContainer", offsetof (spec_hooks, create_container) },
  { "startContainer", offsetof (spec_hooks, start_container) },
  { "poststart", offsetof (spec_hooks, poststart) },
  { "poststop", offsetof (spec_hooks, poststop) },
};
#define HOOK_LISTS (sizeof hook_lists / sizeof hook_lists[0])

static spec_hook_list *
hook_list (spec_hooks *hooks, size_t i)
{
  return (spec_hook_list *) ((char *) hooks + hook_lists[i].offset);
}

int
spec_parse_hooks (const json_value *root_obj, spec_hooks *out, error *err)
{
  const json_value *hooks;
  if (field_object (root_obj, "hooks", "", &hooks, err) < 0)
    return -1;
  for (size_t i = 0; hooks && i < HOOK_LISTS; i++)
    {
      spec_hook_list *list = hook_list (out, i);
      if (FIELD_OBJECTS (hooks, hook_lists[i].key, "hooks", &list->items, &list->count, parse_hook, NULL, err) < 0)
        return -1;
    }
  return 0;
}

void
spec_hooks_free (spec_hooks *hooks)
{
  for (size_t i = 0; i < HOOK_LISTS; i++)
    {
      spec_hook_list *list = hook_list (hooks, i);
      for (size_t k = 0; k < list->count; k++)
        {
          free (list->items[k].args.items);
          free (list->items[k].env.items);
        }
      free (list->items);
    }
}
