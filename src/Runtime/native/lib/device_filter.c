#define _GNU_SOURCE
#include "device_filter.h"
#include "utils.h"

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Instruction helpers (see the kernel's Documentation/bpf/instruction-set.rst). */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LDX_W(dst, src, off) INSN (BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0)
#define AND32_K(dst, imm) INSN (BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH32_K(dst, imm) INSN (BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define MOV32_X(dst, src) INSN (BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV64_K(dst, imm) INSN (BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define JNE_K(dst, imm, off) INSN (BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JNE_X(dst, src, off) INSN (BPF_JMP | BPF_JNE | BPF_X, dst, src, off, 0)
#define EXIT() INSN (BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int
access_mask (const char *access)
{
  int mask = 0;
  for (const char *a = access; *a; a++)
    mask |= *a == 'r' ? BPF_DEVCG_ACC_READ : *a == 'w' ? BPF_DEVCG_ACC_WRITE : *a == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
  return mask;
}

int
device_filter_build (const spec_device_rule *rules, size_t count, struct bpf_insn *out, size_t max, error *err)
{
  size_t n = 0;
#define EMIT(insn)                                                                   \
  do                                                                                 \
    {                                                                                \
      if (n >= max)                                                                  \
        return fail (err, E2BIG, "linux.resources.devices: too many rules");         \
      out[n++] = (insn);                                                             \
    }                                                                                \
  while (0)

  /* r2 = device type, r3 = requested access, r4 = major, r5 = minor */
  EMIT (LDX_W (2, 1, 0));
  EMIT (AND32_K (2, 0xFFFF));
  EMIT (LDX_W (3, 1, 0));
  EMIT (RSH32_K (3, 16));
  EMIT (LDX_W (4, 1, 4));
  EMIT (LDX_W (5, 1, 8));

  /* Last rule first: the first match from the end decides. A rule without checks always
   * matches: the verifier refuses the unreachable code that would follow it. */
  bool unconditional = false;
  for (size_t i = count; i-- > 0 && !unconditional;)
    {
      const spec_device_rule *r = &rules[i];
      int mask = access_mask (r->access);
      bool check_type = r->type != 'a';
      bool check_access = mask != (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD);
      bool check_major = r->major >= 0 && r->type != 'a';
      bool check_minor = r->minor >= 0 && r->type != 'a';
      /* instructions after each check up to the end of this block */
      int block = (check_type ? 1 : 0) + (check_access ? 3 : 0) + (check_major ? 1 : 0) + (check_minor ? 1 : 0) + 2;
      int emitted = 0;
      unconditional = !check_type && !check_access && !check_major && !check_minor;
      if (check_type)
        {
          emitted++;
          EMIT (JNE_K (2, r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK, block - emitted));
        }
      if (check_access)
        {
          /* requested access must be a subset of the rule's: (req & mask) == req */
          EMIT (MOV32_X (1, 3));
          EMIT (AND32_K (1, mask));
          emitted += 3;
          EMIT (JNE_X (1, 3, block - emitted));
        }
      if (check_major)
        {
          emitted++;
          EMIT (JNE_K (4, (int32_t) r->major, block - emitted));
        }
      if (check_minor)
        {
          emitted++;
          EMIT (JNE_K (5, (int32_t) r->minor, block - emitted));
        }
      EMIT (MOV64_K (0, r->allow ? 1 : 0));
      EMIT (EXIT ());
    }
  if (!unconditional)
    {
      /* No rule matched: a new v1 cgroup allows everything, so do the same. */
      EMIT (MOV64_K (0, 1));
      EMIT (EXIT ());
    }
#undef EMIT
  return (int) n;
}

static int
bpf (int cmd, union bpf_attr *attr)
{
  return (int) syscall (__NR_bpf, cmd, attr, sizeof *attr);
}

int
device_filter_attach (const char *cgroup_dir, const spec_device_rule *rules, size_t count, error *err)
{
  struct bpf_insn insns[4096];
  int n = device_filter_build (rules, count, insns, sizeof insns / sizeof insns[0], err);
  if (n < 0)
    return -1;
  static char log[8192];
  union bpf_attr attr;
  memset (&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (uint64_t) (uintptr_t) insns;
  attr.insn_cnt = (uint32_t) n;
  attr.license = (uint64_t) (uintptr_t) "GPL";
  attr.log_buf = (uint64_t) (uintptr_t) log;
  attr.log_size = sizeof log;
  attr.log_level = 1;
  _cleanup_close_ int prog = bpf (BPF_PROG_LOAD, &attr);
  if (prog < 0)
    return fail_errno (err, "load the device filter eBPF program (verifier: %s)", log);

  _cleanup_close_ int cgfd = open (cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cgfd < 0)
    return fail_errno (err, "open `%s`", cgroup_dir);

  /* Remember what was attached before, to detach it once the new one is in. */
  uint32_t old_ids[64];
  memset (&attr, 0, sizeof attr);
  attr.query.target_fd = cgfd;
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = (uint64_t) (uintptr_t) old_ids;
  attr.query.prog_cnt = 64;
  uint32_t old_count = bpf (BPF_PROG_QUERY, &attr) == 0 ? attr.query.prog_cnt : 0;

  memset (&attr, 0, sizeof attr);
  attr.target_fd = cgfd;
  attr.attach_bpf_fd = prog;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf (BPF_PROG_ATTACH, &attr) < 0)
    return fail_errno (err, "attach the device filter to `%s`", cgroup_dir);

  for (uint32_t i = 0; i < old_count; i++)
    {
      memset (&attr, 0, sizeof attr);
      attr.prog_id = old_ids[i];
      _cleanup_close_ int old = bpf (BPF_PROG_GET_FD_BY_ID, &attr);
      if (old < 0)
        continue;
      memset (&attr, 0, sizeof attr);
      attr.target_fd = cgfd;
      attr.attach_bpf_fd = old;
      attr.attach_type = BPF_CGROUP_DEVICE;
      if (bpf (BPF_PROG_DETACH, &attr) < 0)
        return fail_errno (err, "detach the previous device filter from `%s`", cgroup_dir);
    }
  return 0;
}
