/* create: a container made up to its user process, which waits for start (see create.c). */
#ifndef CORE_CREATE_H
#define CORE_CREATE_H

#include "error.h"

#include <stdbool.h>
#include <sys/types.h>

typedef struct create_options
{
  const char *root;   /* state root (--root) */
  const char *id;
  const char *bundle; /* absolute */
  const char *pid_file;
  const char *console_socket;
  int preserve_fds;
  bool no_pivot;
} create_options;

/* Creates the container; its init waits for start. Errors leave nothing behind. */
int container_create (const create_options *opts, pid_t *pid, error *err);

#endif
