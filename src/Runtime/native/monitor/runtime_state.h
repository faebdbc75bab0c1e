/* A copy of the runtime's state of the current run, kept in the container's directory
 * (runtime-state/): the runtime's own files, as it wrote them, whichever runtime it is.
 * Should the run root be deleted under a live container, the monitor and the engine put
 * it back, so that every command still goes through the runtime's command line. It is
 * made after each start and dropped once the runtime has deleted the container. */
#ifndef MONITOR_RUNTIME_STATE_H
#define MONITOR_RUNTIME_STATE_H

#include "options.h"

/* After a start: the runtime's state now, replacing that of an earlier run. */
void runtime_state_keep (const options *o);
/* Before a delete: the copy put back where the runtime keeps its state, if that is gone. */
void runtime_state_put_back (const options *o);
/* After a delete that succeeded: nothing is left to put back. */
void runtime_state_drop (const options *o);

#endif
