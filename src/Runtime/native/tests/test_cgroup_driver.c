/* The cgroup driver this host uses (v1 here, v2 in the VM), against the real kernel:
 * create, limits read back from the files, enter, enter_self (v1), pids, freeze, kill, destroy. */
#define _GNU_SOURCE
#include "cgroup.h"
#include "check.h"
#include "utils.h"

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The hierarchies read again, not served from the last read, under another root and in
 * another mount namespace (a child's, one hierarchy unmounted in it). */
static void
check_hierarchies_follow_the_namespace (void)
{
  error err = { 0 };
  cgroup_hierarchies before = { 0 }, elsewhere = { 0 }, again = { 0 };
  CHECK (cgroup_v1_hierarchies (&before, &err) == 0 && before.count > 0);
  setenv ("CONTAINER_CGROUP_ROOT", "/nonexistent-cgroup-root", 1);
  CHECK (cgroup_v1_hierarchies (&elsewhere, &err) == 0 && elsewhere.count == 0);
  unsetenv ("CONTAINER_CGROUP_ROOT");
  CHECK (cgroup_v1_hierarchies (&again, &err) == 0 && again.count == before.count);
  pid_t child = fork ();
  if (child == 0)
    {
      cgroup_hierarchies fewer = { 0 };
      if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
          || umount2 (before.items[0].mount_point, MNT_DETACH) < 0)
        _exit (2);
      _exit (cgroup_v1_hierarchies (&fewer, &err) == 0 && fewer.count == before.count - 1 ? 0 : 1);
    }
  int status = -1;
  CHECK (waitpid (child, &status, 0) == child && WIFEXITED (status) && WEXITSTATUS (status) == 0);
  cgroup_hierarchies_free (&before);
  cgroup_hierarchies_free (&elsewhere);
  cgroup_hierarchies_free (&again);
}

static char *
file_of (const cgroup *cg, const char *controller, const char *file)
{
  if (cg->mode == CGROUP_MODE_UNIFIED)
    return xasprintf ("%s%s/%s", cgroup_root (), cg->path, file);
  return xasprintf ("%s/%s%s/%s", cgroup_root (), controller, cg->path, file);
}

static char *
read_value (const cgroup *cg, const char *controller, const char *file)
{
  _cleanup_free_ char *path = file_of (cg, controller, file);
  char *text = NULL;
  error err = { 0 };
  if (read_file (path, &text, NULL, &err) < 0)
    return xstrdup ("(unreadable)");
  text[strcspn (text, "\n")] = '\0';
  return text;
}

#define CHECK_VALUE(cg, controller, file, want)                     \
  do                                                                \
    {                                                               \
      char *got_ = read_value ((cg), (controller), (file));         \
      if (strcmp (got_, (want)) != 0)                               \
        fprintf (stderr, "%s: got `%s`, want `%s`\n", (file), got_, (want)); \
      CHECK (strcmp (got_, (want)) == 0);                           \
      free (got_);                                                  \
    }                                                               \
  while (0)

int
main (void)
{
  if (geteuid () != 0)
    {
      fprintf (stderr, "needs root\n");
      return 77; /* skipped */
    }
  char path[64];
  snprintf (path, sizeof path, "/container-native-test/%d", getpid ());
  cgroup cg;
  error err = { 0 };
  CHECK (cgroup_open (&cg, path, "x", &err) == 0);
  if (cg.mode != CGROUP_MODE_UNIFIED)
    check_hierarchies_follow_the_namespace ();
  CHECK (cg.driver->create (&cg, 0, &err) == 0);
  if (err.message[0])
    fprintf (stderr, "%s\n", err.message);

  spec_resources r = { .present = true };
  r.memory_limit = (opt_i64){ true, 32 * 1024 * 1024 };
  r.pids_limit = (opt_i64){ true, 16 };
  r.cpu_shares = (opt_u64){ true, 1024 };
  r.cpu_quota = (opt_i64){ true, 25000 };
  r.cpu_period = (opt_u64){ true, 100000 };
  r.memory_swap = r.memory_limit; /* no swap: past the limit is the OOM killer */
  CHECK (cg.driver->apply (&cg, &r, &err) == 0);
  if (err.message[0])
    fprintf (stderr, "%s\n", err.message);
  CHECK_VALUE (&cg, "pids", "pids.max", "16");
  if (cg.mode == CGROUP_MODE_UNIFIED)
    {
      CHECK_VALUE (&cg, "", "memory.max", "33554432");
      CHECK_VALUE (&cg, "", "cpu.max", "25000 100000");
      CHECK_VALUE (&cg, "", "cpu.weight", "39");
    }
  else
    {
      CHECK_VALUE (&cg, "memory", "memory.limit_in_bytes", "33554432");
      CHECK_VALUE (&cg, "cpu", "cpu.cfs_quota_us", "25000");
      CHECK_VALUE (&cg, "cpu", "cpu.shares", "1024");
    }

  /* a process in it: listed, frozen, thawed, killed */
  pid_t child = fork ();
  if (child == 0)
    {
      pause ();
      _exit (0);
    }
  CHECK (cg.driver->enter (&cg, child, &err) == 0);
  pid_t *pids = NULL;
  size_t count = 0;
  CHECK (cg.driver->pids (&cg, &pids, &count, &err) == 0);
  CHECK (count == 1 && pids[0] == child);
  free (pids);
  bool frozen = false;
  CHECK (cg.driver->freeze (&cg, true, &err) == 0);
  CHECK (cg.driver->is_frozen (&cg, &frozen, &err) == 0 && frozen);
  CHECK (cg.driver->freeze (&cg, false, &err) == 0);
  CHECK (cg.driver->is_frozen (&cg, &frozen, &err) == 0 && !frozen);
  CHECK (cgroup_kill_all (&cg, SIGKILL, &err) == 0);
  int status;
  CHECK (waitpid (child, &status, 0) == child && WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

  /* v1: a thread that moves itself in clones a process born there, and goes back where it was */
  if (cg.driver->enter_self)
    {
      _cleanup_free_ char *before = NULL, *after = NULL, *inside = NULL;
      CHECK (read_file ("/proc/thread-self/cgroup", &before, NULL, &err) == 0);
      cgroup_origin origin = { 0 };
      /* one that is not there is not made when not asked to, and the thread stays where it was */
      cgroup missing;
      CHECK (cgroup_open (&missing, "/container-native-test/missing", "x", &err) == 0);
      CHECK (cg.driver->enter_self (&missing, false, &origin, &err) < 0 && err.errnum == ENOENT);
      cgroup_origin_release (&origin);
      cgroup_close (&missing);
      err = (error){ 0 };
      _cleanup_free_ char *unmoved = NULL;
      CHECK (read_file ("/proc/thread-self/cgroup", &unmoved, NULL, &err) == 0);
      CHECK_STR (unmoved, before);
      CHECK (cg.driver->enter_self (&cg, false, &origin, &err) == 0);
      if (err.message[0])
        fprintf (stderr, "%s\n", err.message);
      CHECK (read_file ("/proc/thread-self/cgroup", &inside, NULL, &err) == 0);
      CHECK_CONTAINS (inside, path);
      pid_t born = fork ();
      if (born == 0)
        {
          pause ();
          _exit (0);
        }
      CHECK (cgroup_origin_return (&origin, &err) == 0 && origin.count == 0);
      CHECK (read_file ("/proc/thread-self/cgroup", &after, NULL, &err) == 0);
      CHECK_STR (after, before);
      CHECK (cg.driver->pids (&cg, &pids, &count, &err) == 0);
      CHECK (count == 1 && pids[0] == born);
      free (pids);
      CHECK (cgroup_kill_all (&cg, SIGKILL, &err) == 0);
      CHECK (waitpid (born, &status, 0) == born);
    }

  /* the OOM killer's count: none yet, then one for a process that outgrows the limit */
  uint64_t kills = 99;
  CHECK (cg.driver->oom_kills (&cg, &kills, &err) == 0 && kills == 0);
  if (err.message[0])
    fprintf (stderr, "%s\n", err.message);
  int go[2];
  CHECK (pipe (go) == 0);
  pid_t hog = fork ();
  if (hog == 0)
    {
      char byte;
      close (go[1]);
      if (read (go[0], &byte, 1) != 1)
        _exit (2);
      size_t size = 64 * 1024 * 1024;
      volatile char *memory = malloc (size);
      for (size_t i = 0; memory && i < size; i += 4096)
        memory[i] = 1;
      _exit (0);
    }
  close (go[0]);
  CHECK (cg.driver->enter (&cg, hog, &err) == 0);
  CHECK (write (go[1], "x", 1) == 1);
  close (go[1]);
  CHECK (waitpid (hog, &status, 0) == hog && WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  CHECK (cg.driver->oom_kills (&cg, &kills, &err) == 0 && kills == 1);

  /* a limit the kernel refuses names the file */
  spec_resources bad = { .present = true, .pids_limit = { true, 16 } };
  bad.cpu_cpus = "9999";
  err = (error){ 0 };
  CHECK (cg.driver->apply (&cg, &bad, &err) < 0);
  CHECK_CONTAINS (err.message, "cpuset.cpus");

  /* a cgroup the container made below its own goes with it */
  _cleanup_free_ char *nested = file_of (&cg, "pids", "nested");
  CHECK (mkdir (nested, 0755) == 0);
  err = (error){ 0 };
  CHECK (cg.driver->destroy (&cg, &err) == 0);
  _cleanup_free_ char *gone = file_of (&cg, "pids", "");
  CHECK (!file_exists (nested) && !file_exists (gone));
  cgroup_close (&cg);
  /* the parent too, unless another run still uses it */
  cgroup parent;
  if (cgroup_open (&parent, "/container-native-test", "x", &err) == 0)
    {
      parent.driver->destroy (&parent, &err);
      cgroup_close (&parent);
    }
  return failures;
}
