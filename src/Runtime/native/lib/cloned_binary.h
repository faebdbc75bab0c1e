/* CVE-2019-5736: a container that can make the runtime execute /proc/self/exe inside
 * it could write to the runtime's binary on the host. Before create, run and exec the
 * runtime re-executes itself from a sealed in-memory copy, so /proc/self/exe of any
 * process it leaves in a container is that copy, which nobody can write. */
#ifndef CORE_CLONED_BINARY_H
#define CORE_CLONED_BINARY_H

#include "error.h"

#include <stdbool.h>

/* A sealed memfd holding a copy of the executable at path (close-on-exec), or -1. Exec'd
 * (execveat, AT_EMPTY_PATH), it is what cloned_binary_reexec would make: a starter of the
 * runtime (the monitor) hands it this, and the runtime need not copy and re-exec itself. */
int cloned_binary_copy (const char *path, error *err);

/* True when /proc/self/exe is a sealed memfd. */
bool cloned_binary_in_use (void);

/* Re-executes the running binary from a sealed memfd; returns only on failure. */
int cloned_binary_reexec (char **argv, error *err);

#endif
