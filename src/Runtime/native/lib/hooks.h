/* OCI hooks: each gets the container state on stdin; a hook that fails or
 * outlives its timeout fails the operation (except poststart/poststop, which
 * only warn, as the spec says). */
#ifndef CORE_HOOKS_H
#define CORE_HOOKS_H

#include "error.h"
#include "spec.h"

int hooks_run (const spec_hook_list *hooks, const char *kind, const char *state_json, error *err);

#endif
