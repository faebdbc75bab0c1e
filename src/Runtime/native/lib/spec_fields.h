/* Reading config.json's fields, for the parsers of its sections (spec_*.c): absent or null
 * is fine and leaves the target as it was; a wrong type or value is an error that names
 * the field's path ("process.args[1]: expected a string, got number"). */
#ifndef CORE_SPEC_FIELDS_H
#define CORE_SPEC_FIELDS_H

#include "spec.h"

/* Room for a field's path: "parent.key", "parent.key[index]", or "key" at the top. */
#define FIELD_PATH_MAX 512

int field_type_error (error *err, const char *path, const char *expected, const json_value *v);

/* A value on its own (an array's item, a map's value), at path. */
int field_as_string (const json_value *v, const char *path, char **out, error *err);
int field_as_u64 (const json_value *v, const char *path, uint64_t *out, error *err);

/* obj.key, where parent is obj's path ("" at the top). */
int field_string (const json_value *obj, const char *key, const char *parent, char **out, error *err);
/* Same, "<path>: required" when absent. */
int field_required_string (const json_value *obj, const char *key, const char *parent, char **out, error *err);
/* has, when not NULL, is set when the field is there. */
int field_bool (const json_value *obj, const char *key, const char *parent, bool *out, bool *has, error *err);
int field_i64 (const json_value *obj, const char *key, const char *parent, opt_i64 *out, error *err);
int field_u64 (const json_value *obj, const char *key, const char *parent, opt_u64 *out, error *err);
/* An unsigned integer up to UINT32_MAX. */
int field_u32 (const json_value *obj, const char *key, const char *parent, uint32_t *out, bool *has, error *err);
/* *out is NULL when absent. */
int field_object (const json_value *obj, const char *key, const char *parent, const json_value **out, error *err);
int field_array (const json_value *obj, const char *key, const char *parent, const json_value **out, error *err);
/* An array of strings; the items belong to the document. */
int field_strings (const json_value *obj, const char *key, const char *parent, string_list *out, error *err);
/* An object of strings, in the document's order. */
int field_string_map (const json_value *obj, const char *key, const char *parent, spec_key_value **out, size_t *count,
                      error *err);

/* Parses the object item, the index-th of its array, at path ("linux.devices[2]"). element is
 * its place in the array field_objects made for them, NULL with field_each_object. */
typedef int (*field_object_parser) (const json_value *item, const char *path, size_t index, void *element, void *context,
                                    error *err);

/* Calls parse on the object obj.key, when it is there, with element (index 0, no context). */
int field_with_object (const json_value *obj, const char *key, const char *parent, field_object_parser parse, void *element,
                       error *err);
/* Calls parse on every item of the array obj.key, each of which must be an object. */
int field_each_object (const json_value *obj, const char *key, const char *parent, field_object_parser parse, void *context,
                       error *err);
/* Same, each item parsed into an element of a new array (*items, *count: zeroed, with one more
 * at the end), set before the first parse, so that what a failure leaves is freed with it. */
int field_objects (const json_value *obj, const char *key, const char *parent, size_t element_size, void **items,
                   size_t *count, field_object_parser parse, void *context, error *err);
#define FIELD_OBJECTS(obj, key, parent, items, count, parse, context, err)                                               \
  field_objects ((obj), (key), (parent), sizeof **(items), (void **) (items), (count), (parse), (context), (err))

#endif
