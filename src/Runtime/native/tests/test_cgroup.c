#include "cgroup.h"
#include "check.h"
#include "device_filter.h"
#include "utils.h"

#include <stdlib.h>

/* What pids.max holds once limit is written, by cgroup_write_max or as a pids limit. */
static const char *
pids_max_written (const char *dir, int64_t limit, bool as_max)
{
  static char *written;
  static error err;
  err = (error){ 0 };
  _cleanup_free_ char *file = xasprintf ("%s/pids.max", dir);
  spec_resources pids = { .present = true, .pids_limit = { true, limit } };
  free (written);
  written = NULL;
  if (write_file (file, "", 0, &err) < 0
      || (as_max ? cgroup_write_max (dir, "pids.max", limit, &err) : cgroup_write_pids_limit (dir, &pids, &err)) < 0
      || read_file (file, &written, NULL, &err) < 0)
    return err.message;
  return written;
}

int
main (void)
{
  /* conversions crun documents */
  CHECK (cgroup_shares_to_weight (2) == 1);
  CHECK (cgroup_shares_to_weight (262144) == 10000);
  CHECK (cgroup_shares_to_weight (1024) == 39);
  CHECK (cgroup_shares_to_weight (0) == 0);
  CHECK (cgroup_blkio_weight_to_io_weight (10) == 1);
  CHECK (cgroup_blkio_weight_to_io_weight (1000) == 10000);
  CHECK (cgroup_blkio_weight_to_io_weight (500) == 1 + 490 * 9999 / 990);
  CHECK (cgroup_swap_v2 (-1, 100) == -1);
  CHECK (cgroup_swap_v2 (300, 100) == 200);
  CHECK (cgroup_swap_v2 (100, 100) == 0);

  /* keyed files: the key itself, not one it begins (oom_kill_disable is not oom_kill) */
  char dir[] = "/tmp/test_cgroup_XXXXXX";
  CHECK (mkdtemp (dir) != NULL);
  _cleanup_free_ char *oom_control = xasprintf ("%s/memory.oom_control", dir);
  const char *text = "oom_kill_disable 0\nunder_oom 0\noom_kill 3\nbroken x\n";
  error err = { 0 };
  CHECK (write_file (oom_control, text, strlen (text), &err) == 0);
  uint64_t value = 0;
  CHECK (cgroup_read_keyed (dir, "memory.oom_control", "oom_kill", &value, &err) == 0 && value == 3);
  CHECK (cgroup_read_keyed (dir, "memory.oom_control", "oom", &value, &err) < 0);
  CHECK_CONTAINS (err.message, "no `oom`");
  err = (error){ 0 };
  CHECK (cgroup_read_keyed (dir, "memory.oom_control", "broken", &value, &err) < 0);
  CHECK_CONTAINS (err.message, "not a number");
  err = (error){ 0 };
  CHECK (cgroup_read_keyed (dir, "memory.events", "oom_kill", &value, &err) < 0);
  CHECK_CONTAINS (err.message, "memory.events");
  /* limits: a negative one is "max"; a pids limit of 0 or -1 is none */
  CHECK_STR (pids_max_written (dir, -1, true), "max");
  CHECK_STR (pids_max_written (dir, 0, false), "max");
  CHECK_STR (pids_max_written (dir, -1, false), "max");
  CHECK_STR (pids_max_written (dir, 42, false), "42");
  CHECK_STR (pids_max_written (dir, 42, true), "42");
  remove_tree (dir, &err);

  /* paths that climb out are refused; systemd slices are not ours */
  cgroup cg;
  err = (error){ 0 };
  CHECK (cgroup_open (&cg, "/a/../../etc", "x", &err) < 0);
  err = (error){ 0 };
  CHECK (cgroup_open (&cg, "machine.slice:libpod:x", "x", &err) < 0);
  CHECK_CONTAINS (err.message, "systemd");
  err = (error){ 0 };
  CHECK (cgroup_open (&cg, "", "abc", &err) == 0);
  CHECK_STR (cg.path, "/abc");
  cgroup_close (&cg);
  CHECK (cgroup_open (&cg, "rel/path/", "abc", &err) == 0);
  CHECK_STR (cg.path, "/rel/path");
  cgroup_close (&cg);

  /* the device filter: deny all, then allow /dev/null rw: 6 prologue + (1+3+1+1+2) + 2, and no
   * default after the unconditional deny-all (the verifier refuses unreachable code) */
  spec_device_rule rules[] = {
    { .allow = false, .type = 'a', .major = -1, .minor = -1, .access = "rwm" },
    { .allow = true, .type = 'c', .major = 1, .minor = 3, .access = "rw" },
  };
  struct bpf_insn insns[64];
  int n = device_filter_build (rules, 2, insns, 64, &err);
  CHECK (n == 6 + 8 + 2);
  /* the last rule comes first: its type check jumps over the 7 instructions after it */
  CHECK (insns[6].code == (BPF_JMP | BPF_JNE | BPF_K) && insns[6].imm == BPF_DEVCG_DEV_CHAR && insns[6].off == 7);
  /* access: req & rw must equal req */
  CHECK (insns[8].imm == (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE));
  CHECK (insns[12].imm == 1 && insns[13].code == (BPF_JMP | BPF_EXIT));
  /* the deny-all rule has no checks: return 0 */
  CHECK (insns[14].imm == 0 && insns[15].code == (BPF_JMP | BPF_EXIT));
  CHECK (device_filter_build (rules, 2, insns, 10, &err) < 0);
  /* only allow rules: falls through to the default allow */
  n = device_filter_build (rules + 1, 1, insns, 64, &err);
  CHECK (n == 6 + 8 + 2 && insns[n - 2].imm == 1);

  /* the defaults after the configured rules, less those the rules allow already after their last deny */
  size_t defaults_only = 0;
  free (cgroup_device_rules_with_defaults (NULL, 0, &defaults_only));
  CHECK (defaults_only == 12);
  spec_device_rule engine_rules[] = { { false, 'a', -1, -1, "rwm" }, { true, 'c', 1, 3, "rwm" }, { true, 'c', 136, -1, "rwm" } };
  size_t with_count = 0;
  _cleanup_free_ spec_device_rule *with = cgroup_device_rules_with_defaults (engine_rules, 3, &with_count);
  CHECK (with_count == 3 + 12 - 2);
  bool null_again = false;
  for (size_t i = 3; i < with_count; i++)
    null_again |= with[i].type == 'c' && with[i].major == 1 && with[i].minor == 3;
  CHECK (!null_again);
  /* one allowed, then denied: the default must allow it again */
  spec_device_rule denied_after[] = { { true, 'c', 1, 3, "rwm" }, { false, 'c', 1, 3, "rwm" } };
  _cleanup_free_ spec_device_rule *again = cgroup_device_rules_with_defaults (denied_after, 2, &with_count);
  CHECK (with_count == 2 + 12);
  /* an allow of other access is not the same rule */
  spec_device_rule read_only[] = { { true, 'c', 1, 3, "r" } };
  _cleanup_free_ spec_device_rule *other = cgroup_device_rules_with_defaults (read_only, 1, &with_count);
  CHECK (with_count == 1 + 12);
  return failures;
}
