#define _GNU_SOURCE
#include "log_writer.h"
#include "../lib/utils.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int
log_open (log_writer *w, const char *path, off_t max_size, bool strip_cr)
{
  w->path = path;
  w->max_size = max_size;
  w->strip_cr = strip_cr;
  w->fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (w->fd < 0)
    return -1;
  struct stat st;
  w->size = fstat (w->fd, &st) == 0 ? st.st_size : 0;
  return 0;
}

static void
rotate (log_writer *w)
{
  char old[4096];
  snprintf (old, sizeof old, "%s.1", w->path);
  rename (w->path, old);
  close (w->fd);
  w->fd = open (w->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  w->size = 0;
}

static void
write_record (log_writer *w, const char *stream, char tag, const char *text, size_t len)
{
  if (w->fd < 0)
    return;
  char prefix[96];
  char stamp[64];
  format_now_rfc3339 (stamp, sizeof stamp);
  int n = snprintf (prefix, sizeof prefix, "%s %s %c ", stamp, stream, tag);
  struct iovec iov[3] = { { prefix, (size_t) n }, { (void *) text, len }, { "\n", 1 } };
  ssize_t written = writev (w->fd, iov, 3);
  if (written > 0)
    w->size += written;
  if (w->max_size > 0 && w->size >= w->max_size)
    rotate (w);
}

void
log_feed (log_writer *w, log_stream *s, const char *data, size_t len)
{
  while (len > 0)
    {
      size_t room = sizeof s->buffer - s->used;
      size_t take = len < room ? len : room;
      memcpy (s->buffer + s->used, data, take);
      s->used += take;
      data += take;
      len -= take;
      size_t start = 0;
      for (size_t i = 0; i < s->used; i++)
        if (s->buffer[i] == '\n')
          {
            size_t end = i;
            if (w->strip_cr && end > start && s->buffer[end - 1] == '\r')
              end--;
            write_record (w, s->name, 'F', s->buffer + start, end - start);
            start = i + 1;
          }
      if (start == 0 && s->used == sizeof s->buffer)
        {
          /* a line longer than the buffer: write it in parts */
          write_record (w, s->name, 'P', s->buffer, s->used);
          s->used = 0;
          continue;
        }
      memmove (s->buffer, s->buffer + start, s->used - start);
      s->used -= start;
    }
}

void
log_flush (log_writer *w, log_stream *s)
{
  if (s->used > 0)
    write_record (w, s->name, 'F', s->buffer, s->used);
  s->used = 0;
}

void
log_close (log_writer *w)
{
  if (w->fd >= 0)
    close (w->fd);
  w->fd = -1;
}
