#include "error.h"
#include "utils.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

/* opened once, before any pivot_root: afterwards the path would not resolve, and a message
 * written to stderr would land in the container's own output */
static int log_fd = -1;
static int log_json;

int
fail (error *err, int errnum, const char *fmt, ...)
{
  if (err == NULL || err->message[0] != '\0')
    return -1;
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (err->message, sizeof err->message, fmt, ap);
  va_end (ap);
  err->errnum = errnum;
  return -1;
}

int
error_wrap (error *err, const char *fmt, ...)
{
  char prefix[512];
  char old[sizeof err->message];
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (prefix, sizeof prefix, fmt, ap);
  va_end (ap);
  memcpy (old, err->message, sizeof old);
  snprintf (err->message, sizeof err->message, "%s: %s", prefix, old);
  return -1;
}

void
error_set_log (const char *path, int json)
{
  log_json = json;
  if (path)
    log_fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

int
error_log_fd (void)
{
  return log_fd;
}

static void
emit (const char *level, const char *text)
{
  if (log_fd < 0)
    {
      fprintf (stderr, "%s\n", text);
      return;
    }
  char line[2048];
  int n;
  if (log_json)
    {
      _cleanup_free_ char *escaped = json_escape_string (text);
      char stamp[64];
      format_now_rfc3339 (stamp, sizeof stamp);
      n = snprintf (line, sizeof line, "{\"level\":\"%s\",\"msg\":%s,\"time\":\"%s\"}\n", level, escaped, stamp);
    }
  else
    n = snprintf (line, sizeof line, "%s\n", text);
  if (n > (int) sizeof line - 1)
    n = sizeof line - 1;
  (void) !write (log_fd, line, n);
}

void
error_report (const char *program, const error *err)
{
  char text[1400];
  if (err->errnum != 0)
    snprintf (text, sizeof text, "%s: %s: %s", program, err->message, strerror (err->errnum));
  else
    snprintf (text, sizeof text, "%s: %s", program, err->message);
  emit ("error", text);
}

void
warn (const char *fmt, ...)
{
  char text[1200];
  int off = snprintf (text, sizeof text, "warning: ");
  va_list ap;
  va_start (ap, fmt);
  vsnprintf (text + off, sizeof text - off, fmt, ap);
  va_end (ap);
  emit ("warning", text);
}
