/* Messages between the runtime and the process it is preparing (over a
 * SOCK_SEQPACKET socketpair, so each message arrives whole). */
#ifndef CORE_SYNC_H
#define CORE_SYNC_H

#include "error.h"

enum sync_type
{
  SYNC_GO = 1,        /* parent -> child: carry on (value: the child's host pid) */
  SYNC_ROOTFS_READY,  /* child -> parent: mounts are done, run createRuntime hooks (value: the
                       * rootfs bind's mount id in a shared mount namespace, else 0) */
  SYNC_READY,         /* child -> parent: waiting for start (or exec'ing) */
  SYNC_PID,           /* grandchild pid, for exec's double fork */
  SYNC_ERROR,         /* child -> parent: value = errno, text = message */
};

int sync_send (int fd, enum sync_type type, int value, const char *text);
/* Receives a message; EOF (the peer died) is an error. text may be NULL. */
int sync_receive (int fd, enum sync_type *type, int *value, char **text, error *err);
/* Receives and checks the type; a SYNC_ERROR becomes err. */
int sync_expect (int fd, enum sync_type want, int *value, char **text, error *err);
/* Child side: report err to the parent and exit. */
void sync_fail_and_exit (int fd, const error *err) __attribute__ ((noreturn));

#endif
