#define _GNU_SOURCE
#include "process.h"
#include "seccomp_filter.h"
#include "utils.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *
env_value (const spec_process *p, const char *name)
{
  size_t n = strlen (name);
  for (size_t i = 0; i < p->env.count; i++)
    if (strncmp (p->env.items[i], name, n) == 0 && p->env.items[i][n] == '=')
      return p->env.items[i] + n + 1;
  return NULL;
}

static bool
is_executable_file (const char *path)
{
  struct stat st;
  return stat (path, &st) == 0 && S_ISREG (st.st_mode) && access (path, X_OK) == 0;
}

int
process_find_executable (const spec_process *p, char **path, error *err)
{
  const char *name = p->args.items[0];
  if (strchr (name, '/'))
    {
      if (!is_executable_file (name))
        return fail (err, errno ? errno : EACCES, "exec: `%s`", name);
      *path = xstrdup (name);
      return 0;
    }
  const char *search = env_value (p, "PATH");
  _cleanup_free_ char *copy = xstrdup (search ? search : DEFAULT_PATH);
  for (char *save = NULL, *dir = strtok_r (copy, ":", &save); dir; dir = strtok_r (NULL, ":", &save))
    {
      _cleanup_free_ char *candidate = xasprintf ("%s/%s", dir[0] ? dir : ".", name);
      if (is_executable_file (candidate))
        {
          *path = steal_pointer (&candidate);
          return 0;
        }
    }
  return fail (err, ENOENT, "exec: `%s`: executable file not found in $PATH", name);
}

int
process_apply_limits (const spec_process *p, error *err)
{
  for (size_t i = 0; i < p->rlimits_count; i++)
    {
      struct rlimit rl = { p->rlimits[i].soft, p->rlimits[i].hard };
      if (setrlimit (p->rlimits[i].resource, &rl) < 0)
        return fail_errno (err, "setrlimit %d to soft %llu hard %llu", p->rlimits[i].resource,
                           (unsigned long long) rl.rlim_cur, (unsigned long long) rl.rlim_max);
    }
  if (p->has_oom_score_adj)
    {
      char value[16];
      snprintf (value, sizeof value, "%d", p->oom_score_adj);
      if (write_file ("/proc/self/oom_score_adj", value, strlen (value), err) < 0)
        return -1;
    }
  return 0;
}

static int
write_lsm_attr (const char *name, const char *value, error *err)
{
  /* newer kernels have a per-LSM directory; fall back to the shared file */
  _cleanup_free_ char *specific = xasprintf ("/proc/self/attr/%s/exec", name);
  const char *path = file_exists (specific) ? specific : "/proc/self/attr/exec";
  _cleanup_free_ char *text = strcmp (name, "apparmor") == 0 ? xasprintf ("exec %s", value) : xstrdup (value);
  return write_file (path, text, strlen (text), err);
}

static int
apply_labels (const spec_process *p, error *err)
{
  if (p->apparmor_profile && p->apparmor_profile[0])
    {
      _cleanup_free_ char *enabled = NULL;
      error ignored = { 0 };
      if (read_file ("/sys/module/apparmor/parameters/enabled", &enabled, NULL, &ignored) == 0 && enabled[0] == 'Y')
        {
          if (write_lsm_attr ("apparmor", p->apparmor_profile, err) < 0)
            return error_wrap (err, "apply AppArmor profile `%s`", p->apparmor_profile);
        }
      else
        warn ("AppArmor is not enabled on this host; profile `%s` is ignored", p->apparmor_profile);
    }
  if (p->selinux_label && p->selinux_label[0])
    {
      if (file_exists ("/sys/fs/selinux/enforce"))
        {
          if (write_lsm_attr ("selinux", p->selinux_label, err) < 0)
            return error_wrap (err, "apply SELinux label `%s`", p->selinux_label);
        }
      else
        warn ("SELinux is not enabled on this host; label `%s` is ignored", p->selinux_label);
    }
  return 0;
}

static int
capset_sets (uint64_t effective, uint64_t permitted, uint64_t inheritable, error *err)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = {
    { (uint32_t) effective, (uint32_t) permitted, (uint32_t) inheritable },
    { (uint32_t) (effective >> 32), (uint32_t) (permitted >> 32), (uint32_t) (inheritable >> 32) },
  };
  if (syscall (SYS_capset, &header, data) < 0)
    return fail_errno (err, "capset");
  return 0;
}

static int
drop_bounding (uint64_t keep, error *err)
{
  for (int cap = 0; cap <= capability_last (); cap++)
    if (!(keep & (1ULL << cap)) && prctl (PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
      return fail_errno (err, "drop %s from the bounding set", capability_name (cap) ? capability_name (cap) : "capability");
  return 0;
}

static int
set_user (const spec_process *p, error *err)
{
  if (setgroups (p->additional_gids_count, p->additional_gids) < 0 && !(errno == EPERM && p->additional_gids_count == 0))
    return fail_errno (err, "setgroups");
  if (setresgid (p->gid, p->gid, p->gid) < 0)
    return fail_errno (err, "setgid %u", p->gid);
  if (setresuid (p->uid, p->uid, p->uid) < 0)
    return fail_errno (err, "setuid %u", p->uid);
  return 0;
}

int
process_check_capabilities (const spec_capabilities *caps, error *err)
{
  if (!caps->present)
    return 0;
  uint64_t held = caps->effective | caps->permitted | caps->inheritable;
  for (int cap = 0; cap < 64; cap++)
    {
      if (!((held | caps->bounding | caps->ambient) & (1ULL << cap)))
        continue;
      const char *name = capability_name (cap) ? capability_name (cap) : "a capability";
      if (cap > capability_last ())
        return fail (err, EINVAL, "process.capabilities: %s is unknown to this kernel", name);
      if (prctl (PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
        continue;
      /* a set the process holds cannot be given it; one it could only keep, or raise from
       * those, is left as runc and crun leave it, but not silently */
      if (held & (1ULL << cap))
        return fail (err, EPERM, "process.capabilities: %s is not in this runtime's bounding set: the host cannot give it", name);
      warn ("%s is not in this runtime's bounding set: the container does not get it", name);
    }
  return 0;
}

int
process_finalize (const spec_process *p, const seccomp_program *seccomp, error *err)
{
  if (apply_labels (p, err) < 0)
    return -1;
  const spec_capabilities *caps = &p->capabilities;
  /* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it while we have it. */
  if (!p->no_new_privileges && seccomp_load_program (seccomp, err) < 0)
    return -1;
  if (caps->present && drop_bounding (caps->bounding, err) < 0)
    return -1;
  /* keep the permitted set across setuid, then set the exact sets */
  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return fail_errno (err, "prctl PR_SET_KEEPCAPS");
  if (set_user (p, err) < 0)
    return -1;
  if (prctl (PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
    return fail_errno (err, "prctl PR_SET_KEEPCAPS");
  if (caps->present)
    {
      if (capset_sets (caps->effective, caps->permitted, caps->inheritable, err) < 0)
        return -1;
      if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return fail_errno (err, "clear the ambient set");
      /* the kernel keeps ambient within permitted and inheritable; the rest is dropped, as runc does */
      uint64_t ambient = caps->ambient & caps->permitted & caps->inheritable;
      for (int cap = 0; cap <= capability_last (); cap++)
        if ((ambient & (1ULL << cap)) && prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
          warn ("cannot raise %s in the ambient set: %s", capability_name (cap), strerror (errno));
    }
  if (p->no_new_privileges && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return fail_errno (err, "prctl PR_SET_NO_NEW_PRIVS");
  if (p->no_new_privileges && seccomp_load_program (seccomp, err) < 0)
    return -1;
  umask (p->has_umask ? p->umask : 0022);
  if (chdir (p->cwd) < 0)
    return fail_errno (err, "chdir to cwd `%s`", p->cwd);
  return 0;
}

int
process_close_fds_from (int first, error *err)
{
  return close_fds_from (first, -1, true, err);
}

int
process_exec (const spec_process *p, const char *path, error *err)
{
  char **env = xzalloc ((p->env.count + 2) * sizeof (char *));
  size_t n = 0;
  bool has_path = false;
  for (size_t i = 0; i < p->env.count; i++)
    {
      env[n++] = p->env.items[i];
      has_path |= strncmp (p->env.items[i], "PATH=", 5) == 0;
    }
  if (!has_path)
    env[n++] = "PATH=" DEFAULT_PATH;
  execve (path, p->args.items, env);
  free (env);
  return fail_errno (err, "exec `%s`", path);
}
