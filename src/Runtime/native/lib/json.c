#include "json.h"
#include "utils.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 128

/* Arena: a chain of blocks, so values never move once handed out. */
typedef struct block
{
  struct block *next;
  size_t used, size;
  max_align_t data[];
} block;

struct json_document
{
  block *blocks;
  json_value *root;
};

typedef struct parser
{
  json_document *doc;
  const char *text, *p, *end;
  error *err;
  int depth;
} parser;

static void *
arena_alloc (json_document *doc, size_t size)
{
  size = (size + sizeof (max_align_t) - 1) & ~(sizeof (max_align_t) - 1);
  block *b = doc->blocks;
  if (b == NULL || b->used + size > b->size)
    {
      size_t bsize = size > 16384 ? size : 16384;
      block *nb = xmalloc (sizeof (block) + bsize);
      nb->next = b;
      nb->used = 0;
      nb->size = bsize;
      doc->blocks = b = nb;
    }
  void *r = (char *) b->data + b->used;
  b->used += size;
  return r;
}

static int
parse_error (parser *ps, const char *what)
{
  int line = 1, col = 1;
  for (const char *q = ps->text; q < ps->p; q++)
    {
      if (*q == '\n')
        {
          line++;
          col = 1;
        }
      else
        col++;
    }
  return fail (ps->err, 0, "invalid JSON at line %d column %d: %s", line, col, what);
}

static void
skip_space (parser *ps)
{
  while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
    ps->p++;
}

static int parse_value (parser *ps, json_value **out);

static int
hex4 (parser *ps, unsigned *out)
{
  if (ps->end - ps->p < 4)
    return parse_error (ps, "truncated \\u escape");
  unsigned v = 0;
  for (int i = 0; i < 4; i++)
    {
      char c = *ps->p++;
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return parse_error (ps, "bad hex digit in \\u escape");
    }
  *out = v;
  return 0;
}

static size_t
utf8_encode (unsigned cp, char *out)
{
  if (cp < 0x80)
    {
      out[0] = cp;
      return 1;
    }
  if (cp < 0x800)
    {
      out[0] = 0xC0 | (cp >> 6);
      out[1] = 0x80 | (cp & 0x3F);
      return 2;
    }
  if (cp < 0x10000)
    {
      out[0] = 0xE0 | (cp >> 12);
      out[1] = 0x80 | ((cp >> 6) & 0x3F);
      out[2] = 0x80 | (cp & 0x3F);
      return 3;
    }
  out[0] = 0xF0 | (cp >> 18);
  out[1] = 0x80 | ((cp >> 12) & 0x3F);
  out[2] = 0x80 | ((cp >> 6) & 0x3F);
  out[3] = 0x80 | (cp & 0x3F);
  return 4;
}

/* ps->p is just past the opening quote. Escapes only shrink text, so the
 * decoded string fits in the raw length. */
static int
parse_string (parser *ps, char **chars, size_t *length)
{
  const char *start = ps->p;
  const char *q = start;
  while (q < ps->end && *q != '"')
    q += (*q == '\\' && q + 1 < ps->end) ? 2 : 1;
  if (q >= ps->end)
    return parse_error (ps, "unterminated string");
  char *out = arena_alloc (ps->doc, (q - start) + 1);
  size_t n = 0;
  while (*ps->p != '"')
    {
      unsigned char c = *ps->p++;
      if (c < 0x20)
        {
          ps->p--;
          return parse_error (ps, "control character in string");
        }
      if (c != '\\')
        {
          out[n++] = c;
          continue;
        }
      char e = *ps->p++;
      switch (e)
        {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u':
          {
            unsigned cp;
            if (hex4 (ps, &cp) < 0)
              return -1;
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                unsigned lo;
                if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
                  return parse_error (ps, "unpaired surrogate");
                ps->p += 2;
                if (hex4 (ps, &lo) < 0)
                  return -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                  return parse_error (ps, "bad low surrogate");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              }
            n += utf8_encode (cp, out + n);
            break;
          }
        default:
          ps->p--;
          return parse_error (ps, "bad escape");
        }
    }
  ps->p++; /* closing quote */
  out[n] = '\0';
  *chars = out;
  *length = n;
  return 0;
}

static int
parse_number (parser *ps, json_value *v)
{
  const char *start = ps->p;
  bool integer = true;
  if (ps->p < ps->end && *ps->p == '-')
    ps->p++;
  if (ps->p >= ps->end || !(*ps->p >= '0' && *ps->p <= '9'))
    return parse_error (ps, "bad number");
  if (*ps->p == '0')
    ps->p++;
  else
    while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
      ps->p++;
  if (ps->p < ps->end && *ps->p == '.')
    {
      integer = false;
      ps->p++;
      if (ps->p >= ps->end || !(*ps->p >= '0' && *ps->p <= '9'))
        return parse_error (ps, "bad fraction");
      while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
        ps->p++;
    }
  if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E'))
    {
      integer = false;
      ps->p++;
      if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
        ps->p++;
      if (ps->p >= ps->end || !(*ps->p >= '0' && *ps->p <= '9'))
        return parse_error (ps, "bad exponent");
      while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
        ps->p++;
    }
  char buf[64];
  size_t len = ps->p - start;
  if (len >= sizeof buf)
    return parse_error (ps, "number too long");
  memcpy (buf, start, len);
  buf[len] = '\0';
  v->type = JSON_NUMBER;
  v->number.real = strtod (buf, NULL);
  v->number.is_integer = false;
  v->number.is_unsigned_overflow = false;
  if (integer)
    {
      errno = 0;
      long long i = strtoll (buf, NULL, 10);
      if (errno == 0)
        {
          v->number.integer = i;
          v->number.is_integer = true;
        }
      else if (buf[0] != '-')
        {
          errno = 0;
          unsigned long long u = strtoull (buf, NULL, 10);
          if (errno == 0)
            {
              v->number.uinteger = u;
              v->number.is_unsigned_overflow = true;
            }
        }
    }
  return 0;
}

static int
expect_word (parser *ps, const char *word)
{
  size_t n = strlen (word);
  if ((size_t) (ps->end - ps->p) < n || memcmp (ps->p, word, n) != 0)
    return parse_error (ps, "unexpected character");
  ps->p += n;
  return 0;
}

/* Collects children in a temporary heap array, then copies into the arena. */
typedef struct collector
{
  void **items;
  size_t count, cap;
} collector;

static void
collect (collector *c, void *item)
{
  if (c->count == c->cap)
    {
      c->cap = c->cap ? c->cap * 2 : 8;
      c->items = xrealloc (c->items, c->cap * sizeof (void *));
    }
  c->items[c->count++] = item;
}

static void **
collected (parser *ps, collector *c)
{
  void **r = arena_alloc (ps->doc, (c->count ? c->count : 1) * sizeof (void *));
  if (c->count)
    memcpy (r, c->items, c->count * sizeof (void *));
  free (c->items);
  c->items = NULL;
  return r;
}

static int
parse_array (parser *ps, json_value *v)
{
  collector items = { 0 };
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == ']')
    ps->p++;
  else
    for (;;)
      {
        json_value *item;
        if (parse_value (ps, &item) < 0)
          {
            free (items.items);
            return -1;
          }
        collect (&items, item);
        skip_space (ps);
        if (ps->p < ps->end && *ps->p == ',')
          {
            ps->p++;
            continue;
          }
        if (ps->p < ps->end && *ps->p == ']')
          {
            ps->p++;
            break;
          }
        free (items.items);
        return parse_error (ps, "expected ',' or ']'");
      }
  v->type = JSON_ARRAY;
  v->array.count = items.count;
  v->array.items = (json_value **) collected (ps, &items);
  return 0;
}

static int
parse_object (parser *ps, json_value *v)
{
  collector keys = { 0 }, values = { 0 };
  int ret = 0;
  skip_space (ps);
  if (ps->p < ps->end && *ps->p == '}')
    ps->p++;
  else
    for (;;)
      {
        skip_space (ps);
        if (ps->p >= ps->end || *ps->p != '"')
          {
            ret = parse_error (ps, "expected a member name");
            break;
          }
        ps->p++;
        char *key;
        size_t klen;
        if (parse_string (ps, &key, &klen) < 0)
          {
            ret = -1;
            break;
          }
        skip_space (ps);
        if (ps->p >= ps->end || *ps->p != ':')
          {
            ret = parse_error (ps, "expected ':'");
            break;
          }
        ps->p++;
        json_value *value;
        if (parse_value (ps, &value) < 0)
          {
            ret = -1;
            break;
          }
        collect (&keys, key);
        collect (&values, value);
        skip_space (ps);
        if (ps->p < ps->end && *ps->p == ',')
          {
            ps->p++;
            continue;
          }
        if (ps->p < ps->end && *ps->p == '}')
          {
            ps->p++;
            break;
          }
        ret = parse_error (ps, "expected ',' or '}'");
        break;
      }
  if (ret < 0)
    {
      free (keys.items);
      free (values.items);
      return -1;
    }
  v->type = JSON_OBJECT;
  v->object.count = keys.count;
  v->object.keys = (char **) collected (ps, &keys);
  v->object.values = (json_value **) collected (ps, &values);
  return 0;
}

static int
parse_value (parser *ps, json_value **out)
{
  if (++ps->depth > MAX_DEPTH)
    return parse_error (ps, "nesting too deep");
  skip_space (ps);
  if (ps->p >= ps->end)
    return parse_error (ps, "unexpected end of input");
  json_value *v = arena_alloc (ps->doc, sizeof *v);
  memset (v, 0, sizeof *v);
  int ret;
  switch (*ps->p)
    {
    case '{':
      ps->p++;
      ret = parse_object (ps, v);
      break;
    case '[':
      ps->p++;
      ret = parse_array (ps, v);
      break;
    case '"':
      ps->p++;
      v->type = JSON_STRING;
      ret = parse_string (ps, &v->string.chars, &v->string.length);
      break;
    case 't':
      v->type = JSON_BOOL;
      v->boolean = true;
      ret = expect_word (ps, "true");
      break;
    case 'f':
      v->type = JSON_BOOL;
      ret = expect_word (ps, "false");
      break;
    case 'n':
      v->type = JSON_NULL;
      ret = expect_word (ps, "null");
      break;
    default:
      ret = parse_number (ps, v);
    }
  ps->depth--;
  *out = v;
  return ret;
}

json_document *
json_parse (const char *text, size_t length, error *err)
{
  json_document *doc = xzalloc (sizeof *doc);
  parser ps = { .doc = doc, .text = text, .p = text, .end = text + length, .err = err };
  if (parse_value (&ps, &doc->root) < 0)
    {
      json_free (doc);
      return NULL;
    }
  skip_space (&ps);
  if (ps.p != ps.end)
    {
      parse_error (&ps, "trailing characters after the document");
      json_free (doc);
      return NULL;
    }
  return doc;
}

json_value *
json_root (json_document *doc)
{
  return doc->root;
}

void
json_free (json_document *doc)
{
  if (doc == NULL)
    return;
  for (block *b = doc->blocks; b;)
    {
      block *next = b->next;
      free (b);
      b = next;
    }
  free (doc);
}

void
cleanup_json_document (json_document **doc)
{
  json_free (*doc);
}

json_value *
json_get (const json_value *v, const char *key)
{
  if (v == NULL || v->type != JSON_OBJECT)
    return NULL;
  /* last one wins, as in most parsers */
  for (size_t i = v->object.count; i-- > 0;)
    if (strcmp (v->object.keys[i], key) == 0)
      return v->object.values[i];
  return NULL;
}

const char *
json_type_name (json_type type)
{
  switch (type)
    {
    case JSON_NULL: return "null";
    case JSON_BOOL: return "boolean";
    case JSON_NUMBER: return "number";
    case JSON_STRING: return "string";
    case JSON_ARRAY: return "array";
    case JSON_OBJECT: return "object";
    }
  return "unknown";
}
