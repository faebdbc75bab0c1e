#define _GNU_SOURCE
#include "sync.h"
#include "utils.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_MESSAGE 65536

typedef struct header
{
  int32_t type;
  int32_t value;
} header;

int
sync_send (int fd, enum sync_type type, int value, const char *text)
{
  size_t text_len = text ? strlen (text) : 0;
  if (text_len > MAX_MESSAGE - sizeof (header) - 1)
    text_len = MAX_MESSAGE - sizeof (header) - 1;
  char *buf = xmalloc (sizeof (header) + text_len + 1);
  header h = { type, value };
  memcpy (buf, &h, sizeof h);
  if (text_len)
    memcpy (buf + sizeof h, text, text_len);
  buf[sizeof h + text_len] = '\0';
  ssize_t r;
  do
    r = send (fd, buf, sizeof h + text_len + 1, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  free (buf);
  return r < 0 ? -1 : 0;
}

int
sync_receive (int fd, enum sync_type *type, int *value, char **text, error *err)
{
  _cleanup_free_ char *buf = xmalloc (MAX_MESSAGE);
  ssize_t r;
  do
    r = recv (fd, buf, MAX_MESSAGE - 1, 0);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    return fail_errno (err, "read from the container process");
  if (r < (ssize_t) sizeof (header))
    return fail (err, 0, "the container process exited before it was ready");
  buf[r] = '\0';
  header h;
  memcpy (&h, buf, sizeof h);
  *type = (enum sync_type) h.type;
  if (value)
    *value = h.value;
  if (text)
    *text = xstrdup (buf + sizeof h);
  return 0;
}

int
sync_expect (int fd, enum sync_type want, int *value, char **text, error *err)
{
  enum sync_type type;
  int v = 0;
  _cleanup_free_ char *t = NULL;
  if (sync_receive (fd, &type, &v, &t, err) < 0)
    return -1;
  if (type == SYNC_ERROR)
    return fail (err, v, "%s", t);
  if (type != want)
    return fail (err, EPROTO, "unexpected message %d from the container process (wanted %d)", type, want);
  if (value)
    *value = v;
  if (text)
    *text = steal_pointer (&t);
  return 0;
}

void
sync_fail_and_exit (int fd, const error *err)
{
  sync_send (fd, SYNC_ERROR, err->errnum, err->message);
  _exit (1);
}
