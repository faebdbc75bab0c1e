#include "check.h"
#include "json.h"
#include "utils.h"

static json_document *
parse (const char *text, error *err)
{
  *err = (error){ 0 };
  return json_parse (text, strlen (text), err);
}

int
main (void)
{
  error err;
  json_document *doc = parse ("{\"a\": [1, -2, 3.5, 9223372036854775807, 18446744073709551615], \"s\": \"x\\n\\u00e9\\ud83d\\ude00\", "
                              "\"t\": true, \"n\": null, \"o\": {}}",
                              &err);
  CHECK (doc != NULL);
  json_value *root = json_root (doc);
  json_value *a = json_get (root, "a");
  CHECK (a && a->type == JSON_ARRAY && a->array.count == 5);
  CHECK (a->array.items[0]->number.is_integer && a->array.items[0]->number.integer == 1);
  CHECK (a->array.items[1]->number.integer == -2);
  CHECK (!a->array.items[2]->number.is_integer && a->array.items[2]->number.real == 3.5);
  CHECK (a->array.items[3]->number.integer == INT64_MAX);
  CHECK (a->array.items[4]->number.is_unsigned_overflow && a->array.items[4]->number.uinteger == UINT64_MAX);
  CHECK_STR (json_get (root, "s")->string.chars, "x\n\xc3\xa9\xf0\x9f\x98\x80");
  CHECK (json_get (root, "t")->boolean);
  CHECK (json_get (root, "n")->type == JSON_NULL);
  CHECK (json_get (root, "o")->type == JSON_OBJECT && json_get (root, "o")->object.count == 0);
  CHECK (json_get (root, "missing") == NULL);
  json_free (doc);

  /* errors name the place */
  CHECK (parse ("{\"a\": }", &err) == NULL);
  CHECK_CONTAINS (err.message, "line 1 column 7");
  CHECK (parse ("{\"a\": 1,\n \"b\" 2}", &err) == NULL);
  CHECK_CONTAINS (err.message, "line 2");
  CHECK (parse ("[1, 2", &err) == NULL);
  CHECK (parse ("\"unterminated", &err) == NULL);
  CHECK (parse ("{} x", &err) == NULL);
  CHECK_CONTAINS (err.message, "trailing");
  CHECK (parse ("01", &err) == NULL);
  CHECK (parse ("\"\\ud800\"", &err) == NULL);
  CHECK (parse ("\"a\tb\"", &err) == NULL);

  /* deep nesting is refused, not a stack overflow */
  char deep[4096];
  memset (deep, '[', sizeof deep - 1);
  deep[sizeof deep - 1] = '\0';
  CHECK (parse (deep, &err) == NULL);
  CHECK_CONTAINS (err.message, "deep");

  /* escaping round trip */
  char *escaped = json_escape_string ("a\"b\\c\n\x01");
  CHECK_STR (escaped, "\"a\\\"b\\\\c\\n\\u0001\"");
  free (escaped);
  return failures;
}
