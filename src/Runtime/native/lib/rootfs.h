/* The container's filesystem: mounts from config.json, /dev, pivot_root,
 * masked and read-only paths. Runs in the container's new mount namespace. */
#ifndef CORE_ROOTFS_H
#define CORE_ROOTFS_H

#include "cgroup.h"
#include "error.h"
#include "spec.h"

#include <stdbool.h>

typedef struct rootfs_context
{
  const spec *spec;
  const char *rootfs;     /* absolute host path of root.path */
  const cgroup *cgroup;   /* for the cgroup mount */
  bool in_user_namespace; /* mknod is not allowed: bind devices from the host instead */
  bool new_cgroup_namespace;
  const char *console_path; /* pty slave to bind on /dev/console, or NULL */
} rootfs_context;

/* Before pivot_root: propagation, the rootfs bind, every mount, /dev. */
int rootfs_prepare (const rootfs_context *ctx, error *err);
/* pivot_root (or MS_MOVE + chroot when no_pivot or the rootfs is on ramfs). */
int rootfs_pivot (const char *rootfs, bool no_pivot, error *err);
/* After pivot_root: masked and read-only paths, read-only root, rootfsPropagation. */
int rootfs_finalize (const spec *s, error *err);

/* Resolves path inside root as if root were "/": symlinks (absolute or not) and ".."
 * can never leave root. The result is a host path; it need not exist. */
int resolve_in_root (const char *root, const char *path, char **out, error *err);

/* Creates path (a directory, or an empty file when is_file) inside root, with every
 * missing parent, never following a link out of root. Returns the host path. */
int create_in_root (const char *root, const char *path, bool is_file, char **out, error *err);

#endif
