/* A small JSON reader: the whole document in one arena, freed at once.
 * Enough for config.json, process.json and our own state files. */
#ifndef CORE_JSON_H
#define CORE_JSON_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum json_type
{
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} json_type;

typedef struct json_value json_value;

struct json_value
{
  json_type type;
  union
  {
    bool boolean;
    struct
    {
      double real;
      int64_t integer;
      bool is_integer; /* written without fraction or exponent, and fits int64 */
      bool is_unsigned_overflow; /* a positive integer above INT64_MAX */
      uint64_t uinteger;
    } number;
    struct
    {
      char *chars; /* NUL-terminated; may hold embedded NULs up to length */
      size_t length;
    } string;
    struct
    {
      json_value **items;
      size_t count;
    } array;
    struct
    {
      char **keys;
      json_value **values;
      size_t count;
    } object;
  };
};

typedef struct json_document json_document;

/* Parses text (length bytes). On error, the message names line and column. */
json_document *json_parse (const char *text, size_t length, error *err);
json_value *json_root (json_document *doc);
void json_free (json_document *doc);
void cleanup_json_document (json_document **doc);
#define _cleanup_json_ __attribute__ ((cleanup (cleanup_json_document)))

/* Member lookup; NULL when absent or when v is not an object. */
json_value *json_get (const json_value *v, const char *key);
const char *json_type_name (json_type type);

#endif
