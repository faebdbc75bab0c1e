/* The container log, one line per record in the CRI format:
 *   2024-05-01T10:00:00.123456789Z stdout F hello
 * (F = full line, P = part of a longer line). When the file passes its size cap it
 * becomes <log>.1 and a new file starts, so the log survives restarts and stays bounded. */
#ifndef MONITOR_LOG_WRITER_H
#define MONITOR_LOG_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct log_writer
{
  const char *path;
  int fd;
  off_t size;
  off_t max_size; /* 0 = unbounded */
  bool strip_cr;  /* a pty ends lines with \r\n */
} log_writer;

/* Line assembly for one stream (stdout or stderr). */
typedef struct log_stream
{
  const char *name;
  char buffer[16384];
  size_t used;
} log_stream;

int log_open (log_writer *w, const char *path, off_t max_size, bool strip_cr);
/* Appends raw bytes read from a stream; writes every complete line. */
void log_feed (log_writer *w, log_stream *s, const char *data, size_t len);
/* Writes what is left of a partial line (at EOF). */
void log_flush (log_writer *w, log_stream *s);
void log_close (log_writer *w);

#endif
