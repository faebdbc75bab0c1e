#define _GNU_SOURCE
#include "spec_fields.h"
#include "utils.h"

#include <stdio.h>

int
field_type_error (error *err, const char *path, const char *expected, const json_value *v)
{
  return fail (err, 0, "%s: expected %s, got %s", path, expected, json_type_name (v->type));
}

/* obj.key, NULL when absent or null; its path goes into path. */
static const json_value *
member (const json_value *obj, const char *key, const char *parent, char path[FIELD_PATH_MAX])
{
  snprintf (path, FIELD_PATH_MAX, "%s%s%s", parent, parent[0] ? "." : "", key);
  const json_value *v = json_get (obj, key);
  return v && v->type == JSON_NULL ? NULL : v;
}

/* Same, and an error when it is there but not of type. */
static int
typed_member (const json_value *obj, const char *key, const char *parent, json_type type, const char *expected,
              const json_value **out, char path[FIELD_PATH_MAX], error *err)
{
  *out = member (obj, key, parent, path);
  if (*out && (*out)->type != type)
    {
      int ret = field_type_error (err, path, expected, *out);
      *out = NULL;
      return ret;
    }
  return 0;
}

int
field_as_string (const json_value *v, const char *path, char **out, error *err)
{
  if (v->type != JSON_STRING)
    return field_type_error (err, path, "a string", v);
  *out = v->string.chars;
  return 0;
}

static int
as_i64 (const json_value *v, const char *path, int64_t *out, error *err)
{
  if (v->type != JSON_NUMBER)
    return field_type_error (err, path, "an integer", v);
  if (!v->number.is_integer)
    return fail (err, 0, "%s: expected an integer, got %g", path, v->number.real);
  *out = v->number.integer;
  return 0;
}

int
field_as_u64 (const json_value *v, const char *path, uint64_t *out, error *err)
{
  if (v->type != JSON_NUMBER)
    return field_type_error (err, path, "an unsigned integer", v);
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

int
field_string (const json_value *obj, const char *key, const char *parent, char **out, error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *v;
  if (typed_member (obj, key, parent, JSON_STRING, "a string", &v, path, err) < 0)
    return -1;
  if (v)
    *out = v->string.chars;
  return 0;
}

int
field_required_string (const json_value *obj, const char *key, const char *parent, char **out, error *err)
{
  *out = NULL;
  if (field_string (obj, key, parent, out, err) < 0)
    return -1;
  if (*out == NULL)
    return fail (err, 0, "%s%s%s: required", parent, parent[0] ? "." : "", key);
  return 0;
}

int
field_bool (const json_value *obj, const char *key, const char *parent, bool *out, bool *has, error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *v;
  if (typed_member (obj, key, parent, JSON_BOOL, "a boolean", &v, path, err) < 0)
    return -1;
  if (v == NULL)
    return 0;
  *out = v->boolean;
  if (has)
    *has = true;
  return 0;
}

int
field_i64 (const json_value *obj, const char *key, const char *parent, opt_i64 *out, error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *v = member (obj, key, parent, path);
  if (v == NULL)
    return 0;
  out->has = true;
  return as_i64 (v, path, &out->value, err);
}

int
field_u64 (const json_value *obj, const char *key, const char *parent, opt_u64 *out, error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *v = member (obj, key, parent, path);
  if (v == NULL)
    return 0;
  out->has = true;
  return field_as_u64 (v, path, &out->value, err);
}

int
field_u32 (const json_value *obj, const char *key, const char *parent, uint32_t *out, bool *has, error *err)
{
  opt_u64 v = { 0 };
  if (field_u64 (obj, key, parent, &v, err) < 0)
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

int
field_object (const json_value *obj, const char *key, const char *parent, const json_value **out, error *err)
{
  char path[FIELD_PATH_MAX];
  return typed_member (obj, key, parent, JSON_OBJECT, "an object", out, path, err);
}

int
field_array (const json_value *obj, const char *key, const char *parent, const json_value **out, error *err)
{
  char path[FIELD_PATH_MAX];
  return typed_member (obj, key, parent, JSON_ARRAY, "an array", out, path, err);
}

int
field_strings (const json_value *obj, const char *key, const char *parent, string_list *out, error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *arr;
  if (typed_member (obj, key, parent, JSON_ARRAY, "an array", &arr, path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  out->items = xzalloc ((arr->array.count + 1) * sizeof (char *));
  out->count = arr->array.count;
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char item_path[FIELD_PATH_MAX + 24];
      snprintf (item_path, sizeof item_path, "%s[%zu]", path, i);
      if (field_as_string (arr->array.items[i], item_path, &out->items[i], err) < 0)
        return -1;
    }
  return 0;
}

int
field_string_map (const json_value *obj, const char *key, const char *parent, spec_key_value **out, size_t *count, error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *map;
  if (typed_member (obj, key, parent, JSON_OBJECT, "an object", &map, path, err) < 0)
    return -1;
  if (map == NULL)
    return 0;
  *out = xzalloc ((map->object.count + 1) * sizeof (spec_key_value));
  *count = map->object.count;
  for (size_t i = 0; i < map->object.count; i++)
    {
      char value_path[2 * FIELD_PATH_MAX];
      snprintf (value_path, sizeof value_path, "%s.%s", path, map->object.keys[i]);
      (*out)[i].key = map->object.keys[i];
      if (field_as_string (map->object.values[i], value_path, &(*out)[i].value, err) < 0)
        return -1;
    }
  return 0;
}

int
field_with_object (const json_value *obj, const char *key, const char *parent, field_object_parser parse, void *element,
                   error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *v;
  if (typed_member (obj, key, parent, JSON_OBJECT, "an object", &v, path, err) < 0)
    return -1;
  return v ? parse (v, path, 0, element, NULL, err) : 0;
}

/* field_objects, and field_each_object when items is NULL. */
static int
each_object (const json_value *obj, const char *key, const char *parent, size_t element_size, void **items, size_t *count,
             field_object_parser parse, void *context, error *err)
{
  char path[FIELD_PATH_MAX];
  const json_value *arr;
  if (typed_member (obj, key, parent, JSON_ARRAY, "an array", &arr, path, err) < 0)
    return -1;
  if (arr == NULL)
    return 0;
  char *elements = NULL;
  if (items)
    {
      *items = elements = xzalloc ((arr->array.count + 1) * element_size);
      *count = arr->array.count;
    }
  for (size_t i = 0; i < arr->array.count; i++)
    {
      char item_path[FIELD_PATH_MAX];
      snprintf (item_path, sizeof item_path, "%s[%zu]", path, i);
      const json_value *item = arr->array.items[i];
      if (item->type != JSON_OBJECT)
        return field_type_error (err, item_path, "an object", item);
      if (parse (item, item_path, i, elements ? elements + i * element_size : NULL, context, err) < 0)
        return -1;
    }
  return 0;
}

int
field_each_object (const json_value *obj, const char *key, const char *parent, field_object_parser parse, void *context,
                   error *err)
{
  return each_object (obj, key, parent, 0, NULL, NULL, parse, context, err);
}

int
field_objects (const json_value *obj, const char *key, const char *parent, size_t element_size, void **items, size_t *count,
               field_object_parser parse, void *context, error *err)
{
  return each_object (obj, key, parent, element_size, items, count, parse, context, err);
}
