/* Signals: their names, and the ones a terminal sends, which the runtime passes on to
 * the process it waits for (run, exec) as a shell would. */
#ifndef CORE_SIGNALS_H
#define CORE_SIGNALS_H

#include "error.h"

#include <sys/types.h>

/* Parses "KILL", "SIGKILL" or "9". */
int signal_from_name (const char *name, int *signal, error *err);

/* Blocks the signals a terminal sends until signals_wait_forwarding can pass them on: a
 * SIGTERM that comes while the process is being made neither kills the runtime (leaving
 * the process behind) nor is lost. */
void signals_hold_forwarded (void);
/* An empty signal mask: the first step of a process the runtime makes for the container. */
void signals_release (void);
/* Waits for a child, passing on the signals a terminal sends (and those held until now);
 * exit status as a shell reports it. */
int signals_wait_forwarding (pid_t pid, int *exit_status, error *err);

#endif
