/* Persistent network namespaces, as `ip netns` makes them: a new namespace bind-mounted on a
 * file, in a directory that is a shared mount point of its own (so that an unmount reaches
 * every mount namespace that got a copy of it). */
#ifndef NETWORK_NETNS_H
#define NETWORK_NETNS_H

#include "../lib/error.h"

/* A new network namespace bound at path (which must not exist); *fd refers to it. The caller
 * stays in its own namespace. */
int netns_create (const char *path, int *fd, error *err);
/* Unmounts and removes path; one that is not there is no error. */
int netns_remove (const char *path, error *err);
/* The directory's own mount point made, once; and dropped again once no namespace is left in it
 * (entries named in keep are not namespaces). */
int netns_dir_prepare (const char *dir, error *err);
int netns_dir_release (const char *dir, error *err);

#endif
