/* config.json (OCI runtime spec 1.0-1.3) as C structures. Unknown fields are
 * ignored; a known field with a wrong type or value is rejected with its path
 * ("process.args[1]: expected a string"). */
#ifndef CORE_SPEC_H
#define CORE_SPEC_H

#include "error.h"
#include "json.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct string_list
{
  char **items;
  size_t count;
} string_list;

typedef struct spec_rlimit
{
  int resource;
  uint64_t soft, hard;
} spec_rlimit;

/* Capability sets as bit masks (bit n = capability n). */
typedef struct spec_capabilities
{
  bool present;
  uint64_t bounding, effective, inheritable, permitted, ambient;
} spec_capabilities;

typedef struct spec_process
{
  bool terminal;
  unsigned console_height, console_width;
  uid_t uid;
  gid_t gid;
  gid_t *additional_gids;
  size_t additional_gids_count;
  bool has_umask;
  mode_t umask;
  string_list args;
  string_list env;
  char *cwd;
  spec_capabilities capabilities;
  spec_rlimit *rlimits;
  size_t rlimits_count;
  bool no_new_privileges;
  bool has_oom_score_adj;
  int oom_score_adj;
  char *apparmor_profile;
  char *selinux_label;
} spec_process;

typedef struct spec_mount
{
  char *destination;
  char *type;
  char *source;
  string_list options;
  /* derived from options */
  unsigned long flags;          /* MS_* to set */
  unsigned long clear_flags;    /* MS_* cleared by options like "rw", "suid" */
  unsigned long propagation;    /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE (+MS_REC) */
  char *data;                   /* options that are not flags, comma-joined */
  bool is_bind;
  bool is_recursive_readonly;   /* "rro" */
  bool has_id_mapping;          /* uidMappings on the mount: not supported */
} spec_mount;

typedef struct spec_id_mapping
{
  uint32_t container_id, host_id, size;
} spec_id_mapping;

enum namespace_kind
{
  NS_PID,
  NS_NETWORK,
  NS_MOUNT,
  NS_IPC,
  NS_UTS,
  NS_USER,
  NS_CGROUP,
  NS_TIME,
  NS_COUNT
};

typedef struct spec_namespace
{
  bool requested;
  char *path; /* join this one instead of creating */
} spec_namespace;

typedef struct spec_device
{
  char *path;
  char type; /* c, b, u, p */
  int64_t major, minor;
  bool has_mode;
  mode_t mode;
  bool has_uid, has_gid;
  uid_t uid;
  gid_t gid;
} spec_device;

typedef struct spec_device_rule
{
  bool allow;
  char type; /* a, c, b */
  int64_t major, minor; /* -1 = wildcard */
  char access[4];
} spec_device_rule;

typedef struct spec_block_device_value
{
  int64_t major, minor;
  uint64_t rate;     /* bps/iops throttles */
  int weight;        /* weightDevice */
  int leaf_weight;
} spec_block_device_value;

typedef struct spec_hugepage_limit
{
  char *page_size;
  uint64_t limit;
} spec_hugepage_limit;

typedef struct spec_key_value
{
  char *key, *value;
} spec_key_value;

typedef struct spec_net_priority
{
  char *name;
  uint32_t priority;
} spec_net_priority;

/* An optional int64: has = false means "leave as is". */
typedef struct opt_i64
{
  bool has;
  int64_t value;
} opt_i64;

typedef struct opt_u64
{
  bool has;
  uint64_t value;
} opt_u64;

typedef struct spec_resources
{
  bool present;
  spec_device_rule *devices;
  size_t devices_count;
  /* memory */
  opt_i64 memory_limit, memory_reservation, memory_swap, memory_kernel, memory_kernel_tcp;
  opt_u64 memory_swappiness;
  bool has_disable_oom_killer, disable_oom_killer;
  bool has_use_hierarchy, use_hierarchy;
  bool has_check_before_update, check_before_update;
  /* cpu */
  opt_u64 cpu_shares;
  opt_i64 cpu_quota;
  opt_u64 cpu_period;
  opt_i64 cpu_realtime_runtime;
  opt_u64 cpu_realtime_period;
  opt_i64 cpu_burst;
  opt_i64 cpu_idle;
  char *cpu_cpus, *cpu_mems;
  /* pids */
  opt_i64 pids_limit;
  /* block io */
  opt_u64 blkio_weight, blkio_leaf_weight;
  spec_block_device_value *blkio_weight_device;
  size_t blkio_weight_device_count;
  spec_block_device_value *throttle_read_bps, *throttle_write_bps, *throttle_read_iops, *throttle_write_iops;
  size_t throttle_read_bps_count, throttle_write_bps_count, throttle_read_iops_count, throttle_write_iops_count;
  /* hugepages, network, unified */
  spec_hugepage_limit *hugepage_limits;
  size_t hugepage_limits_count;
  opt_u64 network_class_id;
  spec_net_priority *network_priorities;
  size_t network_priorities_count;
  spec_key_value *unified;
  size_t unified_count;
} spec_resources;

typedef struct spec_syscall_arg
{
  unsigned index;
  uint64_t value, value_two;
  int op; /* enum scmp_compare */
} spec_syscall_arg;

typedef struct spec_syscall
{
  string_list names;
  uint32_t action;
  bool has_errno_ret;
  uint32_t errno_ret;
  spec_syscall_arg *args;
  size_t args_count;
} spec_syscall;

typedef struct spec_seccomp
{
  bool present;
  uint32_t default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  string_list architectures;
  string_list flags;
  char *listener_path;
  spec_syscall *syscalls;
  size_t syscalls_count;
} spec_seccomp;

typedef struct spec_hook
{
  char *path;
  string_list args;
  string_list env;
  int timeout; /* seconds, 0 = none */
} spec_hook;

typedef struct spec_hook_list
{
  spec_hook *items;
  size_t count;
} spec_hook_list;

typedef struct spec_hooks
{
  spec_hook_list prestart, create_runtime, create_container, start_container, poststart, poststop;
} spec_hooks;

typedef struct spec_time_offset
{
  bool present;
  int64_t secs;
  uint32_t nanosecs;
} spec_time_offset;

typedef struct spec
{
  char *oci_version;
  char *root_path;
  bool root_readonly;
  char *hostname;
  char *domainname;
  bool has_process;
  spec_process process;
  spec_mount *mounts;
  size_t mounts_count;
  spec_hooks hooks;
  spec_key_value *annotations;
  size_t annotations_count;

  /* linux */
  spec_namespace namespaces[NS_COUNT];
  spec_id_mapping *uid_mappings, *gid_mappings;
  size_t uid_mappings_count, gid_mappings_count;
  spec_device *devices;
  size_t devices_count;
  char *cgroups_path;
  spec_resources resources;
  char *rootfs_propagation;
  unsigned long rootfs_propagation_flags;
  string_list masked_paths, readonly_paths;
  char *mount_label;
  spec_key_value *sysctl;
  size_t sysctl_count;
  spec_seccomp seccomp;
  spec_time_offset time_monotonic, time_boottime;
  char *personality_domain;

  json_document *doc; /* owns every string above */
} spec;

/* Parses config.json text. */
spec *spec_parse (const char *text, size_t length, error *err);
/* Reads and parses <bundle>/config.json. */
spec *spec_load (const char *bundle, error *err);
/* Parses a process object alone (exec --process). */
int spec_parse_process_json (const char *text, size_t length, spec_process *out, json_document **doc, error *err);
/* Parses a resources object alone (update --resources). */
int spec_parse_resources_json (const char *text, size_t length, spec_resources *out, json_document **doc, error *err);
/* Frees the arrays of a process parsed alone (its strings belong to its document). */
void spec_process_free (spec_process *p);
void spec_resources_free (spec_resources *r);
void spec_free (spec *s);
void cleanup_spec (spec **s);
#define _cleanup_spec_ __attribute__ ((cleanup (cleanup_spec)))

/* A uid or gid a process may take: 0..2147483647, as runc allows. Above it lies (uid_t)-1,
 * which setresuid reads as "unchanged": the process would stay root. */
#define SPEC_MAX_ID 2147483647U
int spec_check_id (uint64_t id, const char *what, error *err);

const char *namespace_name (enum namespace_kind kind);
int namespace_clone_flag (enum namespace_kind kind);

/* Capability name ("CAP_SYS_ADMIN") to number; -1 when unknown. */
int capability_from_name (const char *name);
const char *capability_name (int cap);
int capability_last (void);

/* Mount option parsing, shared with tests. */
int spec_parse_mount_options (spec_mount *m, error *err);

#endif
