/* Paths inside a container's root, as if that root were "/": symlinks (absolute or not) and
 * ".." never lead out of it. Resolution is the kernel's (openat2 RESOLVE_IN_ROOT) where it has
 * it, and what is missing is made relative to its parent's descriptor: nothing swapped in
 * between resolving a path and using it can redirect the use (the runc mount race,
 * CVE-2021-30465). Without openat2 (before 5.6) the path is resolved in user space and the
 * descriptor then checked, through /proc/self/fd, to be inside the root. */
#ifndef CORE_IN_ROOT_H
#define CORE_IN_ROOT_H

#include "error.h"

#include <stdbool.h>
#include <stddef.h>

/* An O_PATH descriptor of path inside the directory root_fd names (root is its host path,
 * for the fallback and the messages). */
int open_in_root (int root_fd, const char *root, const char *path, error *err);

/* The same, making path (a directory, or an empty file when is_file) and every missing
 * parent first, each with mode 0755 (0644 for the file). A dangling link on the way is
 * followed, inside the root, and what it names is made. */
int make_in_root (int root_fd, const char *root, const char *path, bool is_file, error *err);

/* make_in_root, by the root's host path, for a caller that needs the path made, not its descriptor. */
int create_in_root (const char *root, const char *path, bool is_file, error *err);

/* The parent of path ("" for the root) and its last component, both allocated. */
void split_path (const char *path, char **parent, char **name);

/* Where fd is now, as a host path (read through /proc/self/fd). -1 with errno on failure. */
int fd_host_path (int fd, char *buf, size_t len);

/* The part of host_path beneath root: "" for root itself, "/a/b" beneath it, NULL outside it. */
const char *beneath_root (const char *root, const char *host_path);

/* The user-space resolution (the fallback's, and what the kernel's must agree with): the host
 * path that path names inside root, which need not exist. */
int resolve_in_root (const char *root, const char *path, char **out, error *err);

#endif
