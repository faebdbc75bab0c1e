/* OCI hooks: each gets the container state on stdin; a hook that fails or
 * outlives its timeout fails the operation, except poststart and poststop, whose
 * failures are warnings only: the rest of them still run, as the spec says. */
#ifndef CORE_HOOKS_H
#define CORE_HOOKS_H

#include "error.h"
#include "spec.h"

/* Runs the hooks in order; the first that fails stops the rest and fails the call. */
int hooks_run (const spec_hook_list *hooks, const char *kind, const char *state_json, error *err);
/* Runs every hook; each that fails is a warning (poststart, poststop). */
void hooks_run_warning (const spec_hook_list *hooks, const char *kind, const char *state_json);

#endif
