/* Options shared by create and run. */
#ifndef RUNTIME_CREATE_OPTIONS_H
#define RUNTIME_CREATE_OPTIONS_H

#include "../lib/container.h"
#include "commands.h"

#include <stdbool.h>

/* Parses create/run options into o (bundle made absolute; caller frees *bundle), then closes
 * every fd past stdio and the preserved ones but the log's. Returns 0, or an exit code. */
int parse_create_options (const global_options *g, int argc, char **argv, bool allow_detach, create_options *o, bool *detach,
                          char **bundle);

#endif
