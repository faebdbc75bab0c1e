/* Errors: every fallible function returns an int (< 0 on failure) and fills an
 * error that says what it tried, with the errno that made it fail. */
#ifndef CORE_ERROR_H
#define CORE_ERROR_H

#include <errno.h>

typedef struct error
{
  int errnum;       /* errno at the failure, 0 when the failure is not a system error */
  char message[1024];
} error;

/* Fills err (unless already set: the innermost message wins) and returns -1. */
int fail (error *err, int errnum, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));

/* Same, with errno as the cause. */
#define fail_errno(err, ...) fail ((err), errno, __VA_ARGS__)

/* Prefixes a context to an existing message ("while X: <message>"). Returns -1. */
int error_wrap (error *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));

/* Writes "container-runtime: message: strerror" to stderr (or to the --log file). */
void error_report (const char *program, const error *err);

/* Optional log sink, set by --log. */
void error_set_log (const char *path, int json);
/* The log's descriptor (-1 without one): the one a command keeps when it closes what it was handed. */
int error_log_fd (void);

/* Prints a warning (on stderr, or the log). */
void warn (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

#endif
