/* The container's filesystem: mounts from config.json, /dev, pivot_root,
 * masked and read-only paths. Runs in the container's mount namespace: its own, or
 * one it shares (the host's, one joined by path), where everything is mounted beneath
 * a private bind of the rootfs and the root is entered by chroot, since pivot_root
 * would move the root of every process there. */
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
  int *shared_mount_id;     /* in a shared mount namespace: set to the rootfs bind's mount id; else NULL */
} rootfs_context;

/* Before pivot_root: propagation, the rootfs bind, every mount, /dev. */
int rootfs_prepare (const rootfs_context *ctx, error *err);
/* pivot_root (or MS_MOVE + chroot when no_pivot or the rootfs is on ramfs). */
int rootfs_pivot (const char *rootfs, bool no_pivot, error *err);
/* In a shared mount namespace, instead of rootfs_pivot. */
int rootfs_chroot (const char *rootfs, error *err);
/* Unmounts the rootfs bind of a shared mount namespace (the runtime's own, or the one at
 * mount_ns_path), if it is still the mount at rootfs. */
int rootfs_release (const char *rootfs, int mount_id, const char *mount_ns_path, error *err);
/* After pivot_root: masked and read-only paths, read-only root, rootfsPropagation. */
int rootfs_finalize (const spec *s, error *err);

#endif
