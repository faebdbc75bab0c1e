/* The runtime's record of a container: <root>/<id>/state.json, next to a copy
 * of config.json and, until start, exec.fifo. The status is never stored: it is
 * derived from the process (pid + start time), the fifo and the freezer. */
#ifndef CORE_STATE_H
#define CORE_STATE_H

#include "error.h"
#include "utils.h"

#include <stdbool.h>
#include <sys/types.h>

#define OCI_VERSION "1.2.0"

typedef struct container_state
{
  char *id;
  pid_t pid;
  unsigned long long start_time;
  char *bundle;
  char *rootfs;
  char *created;
  char *cgroup_path;
  char *annotations_json; /* an object, "{}" when none */
  int rootfs_mount_id;    /* the rootfs bind in a shared mount namespace (see rootfs.h), 0 in its own */
} container_state;

/* Rejects ids that could escape the root: empty, ".", "..", or holding '/'. */
int state_check_id (const char *id, error *err);
char *state_dir (const char *root, const char *id);
int state_write (const char *root, const container_state *st, error *err);
/* Fails with ENOENT and "container `id` does not exist" when there is no record. */
int state_read (const char *root, const char *id, container_state *st, error *err);
void state_free (container_state *st);
#define _cleanup_state_ __attribute__ ((cleanup (state_free)))

/* "created", "running", "paused" or "stopped". */
const char *state_status (const char *root, const container_state *st);

/* The state JSON of the OCI runtime spec (what `state` prints and hooks read). */
char *state_to_json (const container_state *st, const char *status);

/* Exclusive lock on the container's directory, held until the fd is closed. */
int state_lock (const char *root, const char *id, error *err);

#endif
