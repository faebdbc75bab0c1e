/* linux.seccomp through libseccomp. */
#ifndef CORE_SECCOMP_FILTER_H
#define CORE_SECCOMP_FILTER_H

#include "error.h"

#include <stdint.h>

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

/* Loads the filter into the calling thread. Called as late as possible before exec. */
int seccomp_apply (const struct spec_seccomp *config, error *err);

#endif
