#define _GNU_SOURCE
#include "runtime_state.h"
#include "../lib/utils.h"

#include <sys/stat.h>

static char *
kept_dir (const options *o)
{
  return xasprintf ("%s/runtime-state", o->state_dir);
}

static char *
runtime_dir (const options *o)
{
  return xasprintf ("%s/%s", o->runtime_root, o->id);
}

void
runtime_state_keep (const options *o)
{
  _cleanup_free_ char *kept = kept_dir (o), *live = runtime_dir (o);
  error err = { 0 };
  runtime_state_drop (o);
  if (copy_dir_files (live, kept, &err) < 0)
    warn ("keep a copy of the runtime's state: %s", err.message);
}

void
runtime_state_put_back (const options *o)
{
  _cleanup_free_ char *kept = kept_dir (o), *live = runtime_dir (o);
  error err = { 0 };
  if (file_exists (live) || !file_exists (kept))
    return;
  /* put back by the engine meanwhile (EEXIST) is as good */
  if ((mkdir_p (o->runtime_root, 0700, &err) < 0 || copy_dir_files (kept, live, &err) < 0) && err.errnum != EEXIST)
    warn ("put the runtime's state back: %s", err.message);
}

void
runtime_state_drop (const options *o)
{
  _cleanup_free_ char *kept = kept_dir (o);
  error ignored = { 0 };
  remove_tree (kept, &ignored);
}
