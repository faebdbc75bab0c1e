/* The runtime's command line, as runc and crun take it:
 *   container-runtime [--root DIR] [--log FILE] [--log-format text|json] COMMAND [OPTIONS] ID ... */
#ifndef RUNTIME_COMMANDS_H
#define RUNTIME_COMMANDS_H

#include "../lib/error.h"

#define PROGRAM "container-runtime"
#define DEFAULT_ROOT "/run/container-runtime"

typedef struct global_options
{
  const char *root;
} global_options;

/* Each command gets argv with argv[0] = the command's name and returns the exit code. */
typedef int (*command_fn) (const global_options *g, int argc, char **argv);

int command_create (const global_options *g, int argc, char **argv);
int command_start (const global_options *g, int argc, char **argv);
int command_state (const global_options *g, int argc, char **argv);
int command_kill (const global_options *g, int argc, char **argv);
int command_delete (const global_options *g, int argc, char **argv);
int command_run (const global_options *g, int argc, char **argv);
int command_exec (const global_options *g, int argc, char **argv);
int command_pause (const global_options *g, int argc, char **argv);
int command_resume (const global_options *g, int argc, char **argv);
int command_update (const global_options *g, int argc, char **argv);
int command_ps (const global_options *g, int argc, char **argv);
int command_list (const global_options *g, int argc, char **argv);
int command_spec (const global_options *g, int argc, char **argv);
int command_features (const global_options *g, int argc, char **argv);

/* Reports err on stderr (or the log) and returns the exit code 1. */
int command_failed (const error *err);
/* "usage: ..." on stderr, exit code 2 */
int command_usage (const char *usage);
/* Absolute form of a bundle path (default: the current directory). */
char *command_bundle_path (const char *bundle);

#endif
