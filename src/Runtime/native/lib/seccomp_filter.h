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

/* A filter compiled to BPF ahead of time: libseccomp takes milliseconds to build one,
 * which the container's process spends while it waits anyway (for start, for its cgroup). */
typedef struct seccomp_program
{
  struct sock_filter *instructions;
  unsigned short length;
  unsigned int flags; /* SECCOMP_FILTER_FLAG_* */
} seccomp_program;

/* Builds the program of linux.seccomp; an absent config gives an empty program. */
int seccomp_compile (const struct spec_seccomp *config, seccomp_program *out, error *err);
/* Loads the program into the calling thread (nothing when it is empty). As late as possible before exec. */
int seccomp_load_program (const seccomp_program *program, error *err);
void seccomp_program_free (seccomp_program *program);

#endif
