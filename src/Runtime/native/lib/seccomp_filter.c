#define _GNU_SOURCE
#include "seccomp_filter.h"
#include "spec.h"
#include "utils.h"

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const action_names[] = {
  [SECCOMP_ACTION_KILL] = "SCMP_ACT_KILL",         [SECCOMP_ACTION_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
  [SECCOMP_ACTION_KILL_THREAD] = "SCMP_ACT_KILL_THREAD", [SECCOMP_ACTION_TRAP] = "SCMP_ACT_TRAP",
  [SECCOMP_ACTION_ERRNO] = "SCMP_ACT_ERRNO",       [SECCOMP_ACTION_TRACE] = "SCMP_ACT_TRACE",
  [SECCOMP_ACTION_ALLOW] = "SCMP_ACT_ALLOW",       [SECCOMP_ACTION_LOG] = "SCMP_ACT_LOG",
  [SECCOMP_ACTION_NOTIFY] = "SCMP_ACT_NOTIFY",
};

int
seccomp_action_from_name (const char *name, uint32_t *out)
{
  for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
    if (strcmp (action_names[i], name) == 0)
      {
        *out = (uint32_t) i;
        return 0;
      }
  return -1;
}

int
seccomp_operator_from_name (const char *name)
{
  static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                     "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };
  for (int i = 0; i < 7; i++)
    if (strcmp (ops[i], name) == 0)
      return i + 1;
  return -1;
}

/* EPERM is the spec's default errno for SCMP_ACT_ERRNO without errnoRet. */
static int
to_libseccomp_action (uint32_t code, bool has_errno, uint32_t errno_ret, uint32_t *out, error *err)
{
  switch (code)
    {
    case SECCOMP_ACTION_KILL: *out = SCMP_ACT_KILL; return 0;
    case SECCOMP_ACTION_KILL_PROCESS: *out = SCMP_ACT_KILL_PROCESS; return 0;
    case SECCOMP_ACTION_KILL_THREAD: *out = SCMP_ACT_KILL_THREAD; return 0;
    case SECCOMP_ACTION_TRAP: *out = SCMP_ACT_TRAP; return 0;
    case SECCOMP_ACTION_ERRNO: *out = SCMP_ACT_ERRNO (has_errno ? errno_ret : EPERM); return 0;
    case SECCOMP_ACTION_TRACE: *out = SCMP_ACT_TRACE (has_errno ? errno_ret : EPERM); return 0;
    case SECCOMP_ACTION_ALLOW: *out = SCMP_ACT_ALLOW; return 0;
    case SECCOMP_ACTION_LOG: *out = SCMP_ACT_LOG; return 0;
    case SECCOMP_ACTION_NOTIFY:
      return fail (err, ENOTSUP, "seccomp: SCMP_ACT_NOTIFY needs a listener, which this runtime does not support");
    }
  return fail (err, EINVAL, "seccomp: unknown action %u", code);
}

static uint32_t
arch_token (const char *name)
{
  static const struct
  {
    const char *name;
    uint32_t token;
  } archs[] = {
    { "SCMP_ARCH_X86", SCMP_ARCH_X86 },       { "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
    { "SCMP_ARCH_X32", SCMP_ARCH_X32 },       { "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
    { "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 }, { "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
    { "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 }, { "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
    { "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 }, { "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
    { "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },   { "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
    { "SCMP_ARCH_S390", SCMP_ARCH_S390 },     { "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
    { "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
  };
  for (size_t i = 0; i < sizeof archs / sizeof archs[0]; i++)
    if (strcmp (archs[i].name, name) == 0)
      return archs[i].token;
  return 0;
}

/* The filter as libseccomp builds it from the config; flags collects the SECCOMP_FILTER_FLAG_* asked for. */
static scmp_filter_ctx
build_filter (const spec_seccomp *config, unsigned int *flags, error *err)
{
  uint32_t default_action;
  if (to_libseccomp_action (config->default_action, config->has_default_errno_ret, config->default_errno_ret, &default_action, err) < 0)
    return NULL;
  scmp_filter_ctx ctx = seccomp_init (default_action);
  if (ctx == NULL)
    {
      fail (err, EINVAL, "seccomp: cannot initialise the filter");
      return NULL;
    }
  /* The syscalls sorted into a binary tree rather than tested one after another: a default
   * profile's hundreds of rules cost each syscall a handful of jumps rather than hundreds, and
   * the kernel's load, which runs the filter over every syscall number to cache the ones it
   * always allows, as much less. An older libseccomp without it builds the list. */
  (void) seccomp_attr_set (ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  for (size_t i = 0; i < config->architectures.count; i++)
    {
      uint32_t arch = arch_token (config->architectures.items[i]);
      if (arch == 0)
        {
          warn ("seccomp: ignoring unknown architecture %s", config->architectures.items[i]);
          continue;
        }
      int r = seccomp_arch_add (ctx, arch);
      if (r < 0 && r != -EEXIST)
        {
          fail (err, -r, "seccomp: add architecture %s", config->architectures.items[i]);
          goto fail;
        }
    }
  for (size_t i = 0; i < config->flags.count; i++)
    {
      const char *f = config->flags.items[i];
      if (strcmp (f, "SECCOMP_FILTER_FLAG_LOG") == 0)
        *flags |= SECCOMP_FILTER_FLAG_LOG;
      else if (strcmp (f, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
        *flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
      else if (strcmp (f, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
        *flags |= SECCOMP_FILTER_FLAG_TSYNC;
      else
        warn ("seccomp: ignoring unknown flag %s", f);
    }
  for (size_t i = 0; i < config->syscalls_count; i++)
    {
      const spec_syscall *call = &config->syscalls[i];
      uint32_t action;
      if (to_libseccomp_action (call->action, call->has_errno_ret, call->errno_ret, &action, err) < 0)
        goto fail;
      if (action == default_action)
        continue; /* libseccomp refuses rules equal to the default */
      struct scmp_arg_cmp cmps[6];
      size_t ncmp = 0;
      for (size_t k = 0; k < call->args_count && ncmp < 6; k++)
        cmps[ncmp++] = (struct scmp_arg_cmp){ call->args[k].index, (enum scmp_compare) call->args[k].op, call->args[k].value,
                                              call->args[k].value_two };
      for (size_t n = 0; n < call->names.count; n++)
        {
          int nr = seccomp_syscall_resolve_name (call->names.items[n]);
          if (nr == __NR_SCMP_ERROR)
            continue; /* not a syscall on this architecture or kernel: as runc and crun do */
          /* Several conditions on one argument cannot be ANDed in one rule: add one rule each (OR). */
          bool same_index = false;
          for (size_t a = 0; a < ncmp && !same_index; a++)
            for (size_t b = a + 1; b < ncmp; b++)
              if (cmps[a].arg == cmps[b].arg)
                same_index = true;
          int r;
          if (same_index)
            {
              r = 0;
              for (size_t a = 0; a < ncmp && r >= 0; a++)
                r = seccomp_rule_add_array (ctx, action, nr, 1, &cmps[a]);
            }
          else
            r = seccomp_rule_add_array (ctx, action, nr, ncmp, cmps);
          if (r < 0)
            {
              fail (err, -r, "seccomp: add rule for `%s`", call->names.items[n]);
              goto fail;
            }
        }
    }
  return ctx;
fail:
  seccomp_release (ctx);
  return NULL;
}

static int
compile (const spec_seccomp *config, seccomp_program *out, error *err)
{
  unsigned int flags = 0;
  scmp_filter_ctx ctx = build_filter (config, &flags, err);
  if (ctx == NULL)
    return -1;
  /* libseccomp 2.5 exports BPF only to a file descriptor: a memfd, read back */
  int ret = -1;
  int fd = memfd_create ("seccomp", MFD_CLOEXEC);
  if (fd < 0)
    {
      fail_errno (err, "seccomp: memfd_create");
      goto out;
    }
  int r = seccomp_export_bpf (ctx, fd);
  if (r < 0)
    {
      fail (err, -r, "seccomp: compile the filter");
      goto out;
    }
  off_t size = lseek (fd, 0, SEEK_END);
  if (size <= 0 || size % sizeof (struct sock_filter) != 0 || size / sizeof (struct sock_filter) > BPF_MAXINSNS)
    {
      fail (err, EINVAL, "seccomp: the compiled filter has %lld bytes", (long long) size);
      goto out;
    }
  out->instructions = xmalloc ((size_t) size);
  if (pread (fd, out->instructions, (size_t) size, 0) != size)
    {
      fail_errno (err, "seccomp: read the compiled filter");
      seccomp_program_free (out);
      goto out;
    }
  out->length = (unsigned short) (size / sizeof (struct sock_filter));
  out->flags = flags;
  ret = 0;
out:
  if (fd >= 0)
    close (fd);
  seccomp_release (ctx);
  return ret;
}

/* Everything the compiled program depends on, as text: the profile, libseccomp itself and how
 * it is asked to build (version 2 of the cache: a binary tree). */
static void
describe (const spec_seccomp *c, strbuf *sb)
{
  const struct scmp_version *v = seccomp_version ();
  sb_printf (sb, "seccomp-cache 2 libseccomp %u.%u.%u api %u\n", v->major, v->minor, v->micro, seccomp_api_get ());
  sb_printf (sb, "default %u %d %u\n", c->default_action, c->has_default_errno_ret, c->default_errno_ret);
  for (size_t i = 0; i < c->architectures.count; i++)
    sb_printf (sb, "arch %s\n", c->architectures.items[i]);
  for (size_t i = 0; i < c->flags.count; i++)
    sb_printf (sb, "flag %s\n", c->flags.items[i]);
  for (size_t i = 0; i < c->syscalls_count; i++)
    {
      const spec_syscall *call = &c->syscalls[i];
      sb_printf (sb, "rule %u %d %u", call->action, call->has_errno_ret, call->errno_ret);
      for (size_t k = 0; k < call->args_count; k++)
        sb_printf (sb, " arg %u %d %llu %llu", call->args[k].index, call->args[k].op, (unsigned long long) call->args[k].value,
                   (unsigned long long) call->args[k].value_two);
      for (size_t n = 0; n < call->names.count; n++)
        {
          /* hundreds of names in a default profile: appended, not formatted */
          sb_append (sb, " ");
          sb_append (sb, call->names.items[n]);
        }
      sb_append (sb, "\n");
    }
}

static uint64_t
fnv1a (const void *data, size_t len)
{
  uint64_t hash = 1469598103934665603ULL;
  for (size_t i = 0; i < len; i++)
    hash = (hash ^ ((const unsigned char *) data)[i]) * 1099511628211ULL;
  return hash;
}

/* A cache file: the description and a NUL, then the flags, the number of instructions, their
 * checksum, and the instructions. The whole description is compared, so two profiles never
 * share a program; a file cut short or damaged is compiled again. */
typedef struct cached_header
{
  uint32_t flags;
  uint32_t length;
  uint64_t checksum;
} cached_header;

static bool
read_cached (const char *path, const strbuf *description, seccomp_program *out)
{
  _cleanup_free_ char *data = NULL;
  size_t len = 0;
  error ignored = { 0 };
  if (read_file (path, &data, &len, &ignored) < 0)
    return false;
  size_t start = description->len + 1 + sizeof (cached_header);
  if (len < start || memcmp (data, description->data, description->len + 1) != 0)
    return false;
  cached_header h;
  memcpy (&h, data + description->len + 1, sizeof h);
  size_t size = (size_t) h.length * sizeof (struct sock_filter);
  if (h.length == 0 || h.length > BPF_MAXINSNS || len - start != size || fnv1a (data + start, size) != h.checksum)
    return false;
  out->instructions = xmalloc (size);
  memcpy (out->instructions, data + start, size);
  out->length = (unsigned short) h.length;
  out->flags = h.flags;
  return true;
}

static void
write_cached (const char *cache_dir, const char *path, const strbuf *description, const seccomp_program *program)
{
  error ignored = { 0 };
  if (mkdir (cache_dir, 0700) < 0 && errno != EEXIST)
    return;
  size_t size = program->length * sizeof (struct sock_filter);
  cached_header h = { .flags = program->flags, .length = program->length, .checksum = fnv1a (program->instructions, size) };
  strbuf sb = { 0 };
  sb_appendn (&sb, description->data, description->len + 1);
  sb_appendn (&sb, (const char *) &h, sizeof h);
  sb_appendn (&sb, (const char *) program->instructions, size);
  write_file_atomic (path, sb.data, sb.len, false, &ignored); /* a cache: failing to keep it only costs time */
  free (sb.data);
}

int
seccomp_program_get (const spec_seccomp *config, const char *cache_dir, seccomp_program *out, error *err)
{
  *out = (seccomp_program){ 0 };
  if (config == NULL || !config->present)
    return 0;
  strbuf description = { 0 };
  describe (config, &description);
  /* the hash names the file; the description inside decides */
  _cleanup_free_ char *path = xasprintf ("%s/%016llx", cache_dir, (unsigned long long) fnv1a (description.data, description.len));
  int ret = 0;
  if (!read_cached (path, &description, out))
    {
      ret = compile (config, out, err);
      if (ret == 0)
        write_cached (cache_dir, path, &description, out);
    }
  free (description.data);
  return ret;
}

int
seccomp_load_program (const seccomp_program *program, error *err)
{
  if (program == NULL || program->length == 0)
    return 0;
  struct sock_fprog prog = { .len = program->length, .filter = program->instructions };
  if (syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, program->flags, &prog) == 0)
    return 0;
  /* the flags only log or relax; a kernel without one of them still gets the filter */
  if (errno == EINVAL && program->flags != 0)
    {
      warn ("seccomp: this kernel refuses the filter's flags; loading it without them");
      if (syscall (SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
        return 0;
    }
  return fail_errno (err, "seccomp: load the filter");
}

char *
seccomp_cache_dir (const char *root)
{
  /* a name no container takes: `list` skips dot names, and a container `.seccomp` would fail to create */
  return xasprintf ("%s/.seccomp", root);
}

void
seccomp_program_free (seccomp_program *program)
{
  free (program->instructions);
  *program = (seccomp_program){ 0 };
}
