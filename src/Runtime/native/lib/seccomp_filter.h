/* linux.seccomp through libseccomp. */
#ifndef CORE_SECCOMP_FILTER_H
#define CORE_SECCOMP_FILTER_H

#include "error.h"

#include <stdint.h>

struct sock_filter;

struct spec_seccomp;

/* Action names as the spec writes them (SCMP_ACT_ERRNO...), mapped to our own
 * codes; the errno of ERRNO/TRACE is given separately. */
enum seccomp_action_code
{
  SECCOMP_ACTION_KILL,
  SECCOMP_ACTION_KILL_PROCESS,
  SECCOMP_ACTION_KILL_THREAD,
  SECCOMP_ACTION_TRAP,
  SECCOMP_ACTION_ERRNO,
  SECCOMP_ACTION_TRACE,
  SECCOMP_ACTION_ALLOW,
  SECCOMP_ACTION_LOG,
  SECCOMP_ACTION_NOTIFY,
};

int seccomp_action_from_name (const char *name, uint32_t *out);
/* SCMP_CMP_NE... to libseccomp's enum scmp_compare values (1..7); -1 when unknown. */
int seccomp_operator_from_name (const char *name);

/* A filter compiled to BPF. libseccomp takes milliseconds to build one (7 ms for the
 * default profile here), so the runtime compiles each distinct profile once and keeps it
 * under its root; the container's process only loads it. */
typedef struct seccomp_program
{
  struct sock_filter *instructions;
  unsigned short length;
  unsigned int flags; /* SECCOMP_FILTER_FLAG_* */
} seccomp_program;

/* The program of linux.seccomp (empty when absent): from the cache in cache_dir when an
 * identical profile was compiled before, else compiled now and kept there. */
int seccomp_program_get (const struct spec_seccomp *config, const char *cache_dir, seccomp_program *out, error *err);
/* Loads the program into the calling thread (nothing when it is empty). As late as possible before exec. */
int seccomp_load_program (const seccomp_program *program, error *err);
void seccomp_program_free (seccomp_program *program);
#define _cleanup_seccomp_program_ __attribute__ ((cleanup (seccomp_program_free)))

/* Where a runtime with state under root keeps its compiled programs. */
char *seccomp_cache_dir (const char *root);

#endif
