/* A new network namespace starts with lo down; bring it up, as crun does. */
#ifndef CORE_NETWORK_H
#define CORE_NETWORK_H

#include "error.h"

int network_loopback_up (error *err);

#endif
