/* cgroups: one interface, a driver for v1 (legacy and hybrid hosts) and one for
 * v2, picked by probing /sys/fs/cgroup. */
#ifndef CORE_CGROUP_H
#define CORE_CGROUP_H

#include "error.h"
#include "spec.h"

#include <stdbool.h>
#include <sys/types.h>

enum cgroup_mode
{
  CGROUP_MODE_LEGACY,  /* v1 only */
  CGROUP_MODE_HYBRID,  /* v1 controllers, plus a cgroup2 mount holding few or none */
  CGROUP_MODE_UNIFIED, /* v2 only */
};

typedef struct cgroup cgroup;

/* Where a thread that moved itself into a cgroup came from: the `tasks` file of its cgroup in
 * each hierarchy it left, written with "0" to go back. */
typedef struct cgroup_origin
{
  char *tasks[32];
  size_t count;
} cgroup_origin;

typedef struct cgroup_driver
{
  const char *name;
  /* Creates the cgroup (and parents) and moves pid into it. */
  int (*create) (cgroup *cg, pid_t pid, error *err);
  /* Writes the limits; only fields that are set are touched. */
  int (*apply) (cgroup *cg, const spec_resources *resources, error *err);
  /* Moves one more process into an existing cgroup (exec). */
  int (*enter) (cgroup *cg, pid_t pid, error *err);
  /* A directory fd of the cgroup (made first when create) for clone3's CLONE_INTO_CGROUP,
   * which places a new process without create's or enter's migration; NULL on v1, where
   * the kernel cannot. */
  int (*open_for_clone) (cgroup *cg, bool create, error *err);
  /* v1's way to the same end: moves the calling thread into the cgroup (made first when
   * create), so that a process it clones is born there, and fills origin for
   * cgroup_origin_return after the clone.
   * A thread that moves itself ("0" into `tasks`) migrates without taking the kernel's
   * cgroup_threadgroup_rwsem for writing, and so without the RCU grace period (5-20 ms) that
   * create's or enter's write of a pid into cgroup.procs waits out. NULL on v2. */
  int (*enter_self) (cgroup *cg, bool create, cgroup_origin *origin, error *err);
  int (*freeze) (cgroup *cg, bool frozen, error *err);
  int (*is_frozen) (cgroup *cg, bool *frozen, error *err);
  /* How many processes the kernel's OOM killer has killed in the cgroup. */
  int (*oom_kills) (cgroup *cg, uint64_t *count, error *err);
  /* Every pid in the cgroup (and its descendants). */
  int (*pids) (cgroup *cg, pid_t **pids, size_t *count, error *err);
  /* Removes the cgroup; the processes must be gone. */
  int (*destroy) (cgroup *cg, error *err);
} cgroup_driver;

struct cgroup
{
  const cgroup_driver *driver;
  enum cgroup_mode mode;
  char *path; /* inside every hierarchy, e.g. /container/<id> */
};

extern const cgroup_driver cgroup_driver_v1;
extern const cgroup_driver cgroup_driver_v2;

/* A v1 hierarchy: where it is mounted, and the controllers it holds. */
typedef struct cgroup_hierarchy
{
  char *mount_point;
  char *controllers; /* ",cpu,cpuacct," with surrounding commas for lookups */
} cgroup_hierarchy;

typedef struct cgroup_hierarchies
{
  cgroup_hierarchy items[32];
  size_t count;
} cgroup_hierarchies;

/* The v1 hierarchies mounted under cgroup_root(), from /proc/self/mountinfo: the one reader
 * of it for cgroups, used by the v1 driver and by the container's cgroup mount. Read once per
 * mount namespace and root: a process in the same ones gets a copy of the last read. */
int cgroup_v1_hierarchies (cgroup_hierarchies *out, error *err);
void cgroup_hierarchies_free (cgroup_hierarchies *h);
#define _cleanup_cgroup_hierarchies_ __attribute__ ((cleanup (cgroup_hierarchies_free)))

/* The root of all hierarchies: /sys/fs/cgroup, or $CONTAINER_CGROUP_ROOT for tests. */
const char *cgroup_root (void);
int cgroup_detect_mode (enum cgroup_mode *mode, error *err);

/* Binds a cgroup path to the host's driver. path "" means "/<id>". */
int cgroup_open (cgroup *cg, const char *cgroups_path, const char *id, error *err);
void cgroup_close (cgroup *cg);
#define _cleanup_cgroup_ __attribute__ ((cleanup (cgroup_close)))

/* Moves the calling thread back where enter_self took it from, and empties origin. */
int cgroup_origin_return (cgroup_origin *origin, error *err);
/* Cleanup by scope: goes back (errors ignored) if nothing did yet. */
void cgroup_origin_release (cgroup_origin *origin);
#define _cleanup_cgroup_origin_ __attribute__ ((cleanup (cgroup_origin_release)))

/* Kills every process in the cgroup with signal and, for SIGKILL, waits until none is left. */
int cgroup_kill_all (cgroup *cg, int signal, error *err);

/* The configured device rules followed by the ones every container needs (as runc and crun
 * add them). Caller frees. */
spec_device_rule *cgroup_device_rules_with_defaults (const spec_device_rule *rules, size_t count, size_t *out_count);
/* driver->apply, with the default device rules appended when the config has device rules. */
int cgroup_apply_with_default_devices (cgroup *cg, const spec_resources *resources, error *err);

/* Values the drivers share, exposed for unit tests. */
uint64_t cgroup_shares_to_weight (uint64_t shares);
uint64_t cgroup_blkio_weight_to_io_weight (uint64_t weight);
/* v1 file for the OCI swap value (memory + swap); v2 wants swap alone. */
int64_t cgroup_swap_v2 (int64_t memory_plus_swap, int64_t memory_limit);

/* Writes value to <dir>/<file>, naming both in an error. */
int cgroup_write (const char *dir, const char *file, const char *value, error *err);
int cgroup_write_u64 (const char *dir, const char *file, uint64_t value, error *err);
int cgroup_write_i64 (const char *dir, const char *file, int64_t value, error *err);
/* A limit: a negative value is "max", no limit. */
int cgroup_write_max (const char *dir, const char *file, int64_t value, error *err);
/* Writers of limits both drivers write alike, into the directory of their controller. */
int cgroup_write_cpuset (const char *dir, const spec_resources *r, error *err);
int cgroup_write_pids_limit (const char *dir, const spec_resources *r, error *err);
/* hugetlb.<size>.<suffix>: limit_in_bytes on v1, max on v2. */
int cgroup_write_hugepage_limits (const char *dir, const spec_resources *r, const char *suffix, error *err);
int cgroup_read (const char *dir, const char *file, char **value, error *err);
/* The value of key in a flat keyed file ("key value" lines: memory.events, memory.oom_control). */
int cgroup_read_keyed (const char *dir, const char *file, const char *key, uint64_t *value, error *err);
/* Reads cgroup.procs-style files (one pid per line) into an array. */
int cgroup_read_pids (const char *path, pid_t **pids, size_t *count, error *err);

/* Every pid in dir and the cgroups below it. */
int cgroup_collect_pids (const char *dir, pid_t **pids, size_t *count, error *err);
/* rmdir of dir and the cgroups below it, waiting out EBUSY while tasks exit. */
int cgroup_remove_dir (const char *dir, error *err);

#endif
